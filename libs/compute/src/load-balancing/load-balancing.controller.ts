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

/**
 * One controller for every load-balancing collection, global (`global/{collection}`) and regional
 * (`regions/{region}/{collection}`). Static routes of other controllers win over these parametric ones; a
 * collection the emulator does not implement answers 501 naming the method.
 */
@Controller('compute/v1/projects/:project')
export class LoadBalancingController {
  constructor(private readonly service: LoadBalancingService) {}

  private kind(
    req: IncomingRequest & { method?: string },
    collection: string,
    scope: string | null,
  ): LoadBalancingKind {
    const kind = this.service.kindFor(collection, scope);
    if (!kind) {
      const method = unimplementedComputeMethod(req.method ?? 'GET', req.url);
      throw method ? GoogleErrors.notImplemented(method) : GoogleErrors.notFound(req.originalUrl ?? req.url);
    }
    return kind;
  }

  /** The kind and scope of a request on `global/{collection}` or `regions/{region}/{collection}`. */
  private target(req: IncomingRequest, collection: string, region: string | undefined) {
    const scope = region ?? 'global';
    return { kind: this.kind(req, collection, scope), scope };
  }

  @Get('aggregated/:collection')
  async aggregatedList(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('collection') collection: string,
    @Query() query: Query_,
  ) {
    const kind = this.kind(req, collection, null);
    const ctx = computeContext(req, project);
    const page = await this.service.aggregatedList(kind, ctx, listQueryOf(query));
    return listEnvelope(`${kind.wireKind}AggregatedList`, ctx, `aggregated/${collection}`, page);
  }

  @Get(['global/:collection', 'regions/:region/:collection'])
  async list(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string | undefined,
    @Param('collection') collection: string,
    @Query() query: Query_,
  ) {
    const { kind, scope } = this.target(req, collection, region);
    const ctx = computeContext(req, project);
    const path = region ? `regions/${region}/${collection}` : `global/${collection}`;
    return listEnvelope(
      `${kind.wireKind}List`,
      ctx,
      path,
      await this.service.list(kind, ctx, scope, listQueryOf(query)),
    );
  }

  @Post(['global/:collection', 'regions/:region/:collection'])
  @HttpCode(200)
  insert(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string | undefined,
    @Param('collection') collection: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    const { kind, scope } = this.target(req, collection, region);
    return this.service.insert(kind, computeContext(req, project), scope, body, requestIdOf(query));
  }

  @Get(['global/:collection/:name', 'regions/:region/:collection/:name'])
  get(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string | undefined,
    @Param('collection') collection: string,
    @Param('name') name: string,
  ) {
    const { kind, scope } = this.target(req, collection, region);
    return this.service.get(kind, computeContext(req, project), scope, name);
  }

  @Patch(['global/:collection/:name', 'regions/:region/:collection/:name'])
  patch(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string | undefined,
    @Param('collection') collection: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    const { kind, scope } = this.target(req, collection, region);
    return this.service.patch(
      kind,
      computeContext(req, project),
      scope,
      name,
      body,
      requestIdOf(query),
      false,
    );
  }

  @Put(['global/:collection/:name', 'regions/:region/:collection/:name'])
  update(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string | undefined,
    @Param('collection') collection: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    const { kind, scope } = this.target(req, collection, region);
    return this.service.patch(
      kind,
      computeContext(req, project),
      scope,
      name,
      body,
      requestIdOf(query),
      true,
    );
  }

  @Post(['global/:collection/:name/:verb', 'regions/:region/:collection/:name/:verb'])
  @HttpCode(200)
  verb(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string | undefined,
    @Param('collection') collection: string,
    @Param('name') name: string,
    @Param('verb') verb: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    const { kind, scope } = this.target(req, collection, region);
    return this.service.verb(
      kind,
      verb,
      computeContext(req, project),
      scope,
      name,
      body,
      query,
      requestIdOf(query),
    );
  }

  @Delete(['global/:collection/:name', 'regions/:region/:collection/:name'])
  delete(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string | undefined,
    @Param('collection') collection: string,
    @Param('name') name: string,
    @Query() query: Query_,
  ) {
    const { kind, scope } = this.target(req, collection, region);
    return this.service.delete(kind, computeContext(req, project), scope, name, requestIdOf(query));
  }
}
