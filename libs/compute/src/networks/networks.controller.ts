import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  computeContext,
  type IncomingRequest,
  listEnvelope,
  listQueryOf,
  requestIdOf,
} from '../shared/compute-request';
import { NetworkService } from './network.service';

@Controller('compute/v1/projects/:project/global/networks')
export class NetworksController {
  constructor(private readonly networks: NetworkService) {}

  @Get()
  async list(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Query() query: Record<string, unknown>,
  ) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#networkList',
      ctx,
      'global/networks',
      await this.networks.list(ctx, listQueryOf(query)),
    );
  }

  @Post()
  @HttpCode(200)
  insert(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
  ) {
    return this.networks.insert(computeContext(req, project), body, requestIdOf(query));
  }

  @Get(':network')
  get(@Req() req: IncomingRequest, @Param('project') project: string, @Param('network') network: string) {
    return this.networks.get(computeContext(req, project), network);
  }

  @Patch(':network')
  patch(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('network') network: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
  ) {
    return this.networks.patch(computeContext(req, project), network, body, requestIdOf(query));
  }

  @Post(':network/switchToCustomMode')
  @HttpCode(200)
  switchToCustomMode(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('network') network: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.networks.switchToCustomMode(computeContext(req, project), network, requestIdOf(query));
  }

  @Delete(':network')
  delete(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('network') network: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.networks.delete(computeContext(req, project), network, requestIdOf(query));
  }
}
