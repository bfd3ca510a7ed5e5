import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { computeContext, type IncomingRequest, listEnvelope, listQueryOf } from '../shared/compute-request';
import { InstanceGroupService } from './instance-group.service';

type Query_ = Record<string, unknown>;

/**
 * instanceGroupManagers and instanceGroups of GKE node pools: get, list, aggregatedList, and their instances; the
 * unmanaged groups of GKE's load-balancing controllers and of users: the same reads, insert, delete,
 * addInstances, removeInstances and setNamedPorts.
 */
@Controller('compute/v1/projects/:project')
export class InstanceGroupsController {
  constructor(private readonly groups: InstanceGroupService) {}

  @Get('aggregated/instanceGroupManagers')
  async aggregatedManagers(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#instanceGroupManagerAggregatedList',
      ctx,
      'aggregated/instanceGroupManagers',
      await this.groups.aggregatedManagers(ctx, listQueryOf(query)),
    );
  }

  @Get('zones/:zone/instanceGroupManagers')
  async listManagers(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#instanceGroupManagerList',
      ctx,
      `zones/${zone}/instanceGroupManagers`,
      await this.groups.listManagers(ctx, zone, listQueryOf(query)),
    );
  }

  @Get('zones/:zone/instanceGroupManagers/:name')
  getManager(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Param('name') name: string,
  ) {
    return this.groups.getManager(computeContext(req, project), zone, name);
  }

  @Post('zones/:zone/instanceGroupManagers/:name/listManagedInstances')
  @HttpCode(200)
  listManagedInstances(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Param('name') name: string,
  ) {
    return this.groups.listManagedInstances(computeContext(req, project), zone, name);
  }

  @Get('aggregated/instanceGroups')
  async aggregatedGroups(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#instanceGroupAggregatedList',
      ctx,
      'aggregated/instanceGroups',
      await this.groups.aggregatedGroups(ctx, listQueryOf(query)),
    );
  }

  @Get('zones/:zone/instanceGroups')
  async listGroups(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#instanceGroupList',
      ctx,
      `zones/${zone}/instanceGroups`,
      await this.groups.listGroups(ctx, zone, listQueryOf(query)),
    );
  }

  @Get('zones/:zone/instanceGroups/:name')
  getGroup(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Param('name') name: string,
  ) {
    return this.groups.getGroup(computeContext(req, project), zone, name);
  }

  @Post('zones/:zone/instanceGroups/:name/listInstances')
  @HttpCode(200)
  async listInstances(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Param('name') name: string,
    @Body() body: unknown,
  ) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#instanceGroupsListInstances',
      ctx,
      `zones/${zone}/instanceGroups/${name}`,
      await this.groups.listInstances(ctx, zone, name, body),
    );
  }

  @Post('zones/:zone/instanceGroups')
  @HttpCode(200)
  insertGroup(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Body() body: unknown,
    @Query('requestId') requestId?: string,
  ) {
    return this.groups.insertGroup(computeContext(req, project), zone, body, requestId);
  }

  @Post('zones/:zone/instanceGroups/:name/addInstances')
  @HttpCode(200)
  addInstances(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query('requestId') requestId?: string,
  ) {
    return this.groups.addInstances(computeContext(req, project), zone, name, body, requestId);
  }

  @Post('zones/:zone/instanceGroups/:name/removeInstances')
  @HttpCode(200)
  removeInstances(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query('requestId') requestId?: string,
  ) {
    return this.groups.removeInstances(computeContext(req, project), zone, name, body, requestId);
  }

  @Post('zones/:zone/instanceGroups/:name/setNamedPorts')
  @HttpCode(200)
  setNamedPorts(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query('requestId') requestId?: string,
  ) {
    return this.groups.setNamedPorts(computeContext(req, project), zone, name, body, requestId);
  }

  @Delete('zones/:zone/instanceGroups/:name')
  deleteGroup(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Param('name') name: string,
    @Query('requestId') requestId?: string,
  ) {
    return this.groups.deleteGroup(computeContext(req, project), zone, name, requestId);
  }
}
