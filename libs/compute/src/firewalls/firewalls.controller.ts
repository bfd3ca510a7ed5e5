import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import {
  computeContext,
  type IncomingRequest,
  listEnvelope,
  listQueryOf,
  requestIdOf,
} from '../shared/compute-request';
import { FirewallService } from './firewall.service';

type Query_ = Record<string, unknown>;

@Controller('compute/v1/projects/:project')
export class FirewallsController {
  constructor(private readonly firewalls: FirewallService) {}

  @Get('global/firewalls')
  async list(@Req() req: IncomingRequest, @Param('project') project: string, @Query() query: Query_) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#firewallList',
      ctx,
      'global/firewalls',
      await this.firewalls.list(ctx, listQueryOf(query)),
    );
  }

  @Post('global/firewalls')
  @HttpCode(200)
  insert(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.firewalls.insert(computeContext(req, project), body, requestIdOf(query));
  }

  @Get('global/firewalls/:firewall')
  get(@Req() req: IncomingRequest, @Param('project') project: string, @Param('firewall') name: string) {
    return this.firewalls.get(computeContext(req, project), name);
  }

  @Patch('global/firewalls/:firewall')
  patch(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('firewall') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.firewalls.patch(computeContext(req, project), name, body, requestIdOf(query));
  }

  @Put('global/firewalls/:firewall')
  update(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('firewall') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.firewalls.patch(computeContext(req, project), name, body, requestIdOf(query), true);
  }

  @Delete('global/firewalls/:firewall')
  delete(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('firewall') name: string,
    @Query() query: Query_,
  ) {
    return this.firewalls.delete(computeContext(req, project), name, requestIdOf(query));
  }

  @Get('global/networks/:network/getEffectiveFirewalls')
  effective(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('network') network: string,
  ) {
    return this.firewalls.effectiveFirewalls(computeContext(req, project), network);
  }
}
