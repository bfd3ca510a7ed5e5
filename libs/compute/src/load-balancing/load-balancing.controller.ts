import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { GoogleErrors } from '@gke-emulator/common';
import {
  computeContext,
  type IncomingRequest,
  listEnvelope,
  listQueryOf,
  requestIdOf,
} from '../shared/compute-request';
import { unimplementedComputeMethod } from '../shared/unimplemented';
import type { LoadBalancingKind } from './load-balancing-kind';
import { LoadBalancingService } from './load-balancing.service';

type Query_ = Record<string, unknown>;

/** A request on one of the routes below: `:project`, `:collection` and, on regional paths, `:region`. */
type RoutedRequest = IncomingRequest & {
  method?: string;
  params: { project: string; collection: string; region?: string };
};

const COLLECTION = ['global/:collection', 'regions/:region/:collection'];
const ONE = COLLECTION.map((path) => `${path}/:name`);

/**
 * One controller for every load-balancing collection, global (`global/{collection}`) and regional
 * (`regions/{region}/{collection}`). Static routes of other controllers win over these parametric ones; a
 * collection the emulator does not implement answers 501 naming the method.
 */
@Controller('compute/v1/projects/:project')
export class LoadBalancingController {
  constructor(private readonly service: LoadBalancingService) {}

  private kind(req: RoutedRequest, scope: string | null): LoadBalancingKind {
    const kind = this.service.kindFor(req.params.collection, scope);
    if (!kind) {
      const method = unimplementedComputeMethod(req.method ?? 'GET', req.url);
      throw method ? GoogleErrors.notImplemented(method) : GoogleErrors.notFound(req.originalUrl ?? req.url);
    }
    return kind;
  }

  /**
   * The kind, scope and context of a request on `global/{collection}` or `regions/{region}/{collection}` (404 or
   * 501 for a collection the emulator does not serve, before any other check).
   */
  private target(req: RoutedRequest) {
    const scope = req.params.region ?? 'global';
    return { kind: this.kind(req, scope), scope, ctx: computeContext(req, req.params.project) };
  }

  @Get('aggregated/:collection')
  async aggregatedList(@Req() req: RoutedRequest, @Query() query: Query_) {
    const kind = this.kind(req, null);
    const ctx = computeContext(req, req.params.project);
    const page = await this.service.aggregatedList(kind, ctx, listQueryOf(query));
    return listEnvelope(`${kind.wireKind}AggregatedList`, ctx, `aggregated/${req.params.collection}`, page);
  }

  @Get(COLLECTION)
  async list(@Req() req: RoutedRequest, @Query() query: Query_) {
    const { kind, scope, ctx } = this.target(req);
    const { region, collection } = req.params;
    const path = region ? `regions/${region}/${collection}` : `global/${collection}`;
    return listEnvelope(
      `${kind.wireKind}List`,
      ctx,
      path,
      await this.service.list(kind, ctx, scope, listQueryOf(query)),
    );
  }

  @Post(COLLECTION)
  @HttpCode(200)
  insert(@Req() req: RoutedRequest, @Body() body: unknown, @Query() query: Query_) {
    const { kind, scope, ctx } = this.target(req);
    return this.service.insert(kind, ctx, scope, body, requestIdOf(query));
  }

  @Get(ONE)
  get(@Req() req: RoutedRequest, @Param('name') name: string) {
    const { kind, scope, ctx } = this.target(req);
    return this.service.get(kind, ctx, scope, name);
  }

  @Patch(ONE)
  patch(
    @Req() req: RoutedRequest,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    const { kind, scope, ctx } = this.target(req);
    return this.service.patch(kind, ctx, scope, name, body, requestIdOf(query), false);
  }

  @Put(ONE)
  update(
    @Req() req: RoutedRequest,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    const { kind, scope, ctx } = this.target(req);
    return this.service.patch(kind, ctx, scope, name, body, requestIdOf(query), true);
  }

  @Post(ONE.map((path) => `${path}/:verb`))
  @HttpCode(200)
  verb(
    @Req() req: RoutedRequest,
    @Param('name') name: string,
    @Param('verb') verb: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    const { kind, scope, ctx } = this.target(req);
    return this.service.verb(kind, verb, ctx, scope, name, body, query, requestIdOf(query));
  }

  @Delete(ONE)
  delete(@Req() req: RoutedRequest, @Param('name') name: string, @Query() query: Query_) {
    const { kind, scope, ctx } = this.target(req);
    return this.service.delete(kind, ctx, scope, name, requestIdOf(query));
  }
}
