import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  computeContext,
  type IncomingRequest,
  listEnvelope,
  listQueryOf,
  requestIdOf,
} from '../shared/compute-request';
import { RouteService } from './route.service';

type Query_ = Record<string, unknown>;

@Controller('compute/v1/projects/:project/global/routes')
export class RoutesController {
  constructor(private readonly routes: RouteService) {}

  @Get()
  async list(@Req() req: IncomingRequest, @Param('project') project: string, @Query() query: Query_) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#routeList',
      ctx,
      'global/routes',
      await this.routes.list(ctx, listQueryOf(query)),
    );
  }

  @Post()
  @HttpCode(200)
  insert(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.routes.insert(computeContext(req, project), body, requestIdOf(query));
  }

  @Get(':route')
  get(@Req() req: IncomingRequest, @Param('project') project: string, @Param('route') name: string) {
    return this.routes.get(computeContext(req, project), name);
  }

  @Delete(':route')
  delete(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('route') name: string,
    @Query() query: Query_,
  ) {
    return this.routes.delete(computeContext(req, project), name, requestIdOf(query));
  }
}
