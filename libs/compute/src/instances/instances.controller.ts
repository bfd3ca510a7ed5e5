import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { computeContext, type IncomingRequest, listEnvelope, listQueryOf } from '../shared/compute-request';
import { InstanceService } from './instance.service';

type Query_ = Record<string, unknown>;

@Controller('compute/v1/projects/:project')
export class InstancesController {
  constructor(private readonly instances: InstanceService) {}

  @Get('aggregated/instances')
  async aggregatedList(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#instanceAggregatedList',
      ctx,
      'aggregated/instances',
      await this.instances.aggregatedList(ctx, listQueryOf(query)),
    );
  }

  @Get('zones/:zone/instances')
  async list(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#instanceList',
      ctx,
      `zones/${zone}/instances`,
      await this.instances.list(ctx, zone, listQueryOf(query)),
    );
  }

  @Get('zones/:zone/instances/:instance')
  get(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Param('instance') name: string,
  ) {
    return this.instances.get(computeContext(req, project), zone, name);
  }
}
