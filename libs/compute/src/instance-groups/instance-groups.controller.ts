import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { ComputeContext, ListQuery } from '../shared/compute-context';
import { Ctx, ListParams, listEnvelope, RequestId } from '../shared/compute-request';
import { InstanceGroupService } from './instance-group.service';

/**
 * instanceGroupManagers and instanceGroups of GKE node pools: get, list, aggregatedList, and their instances; the
 * unmanaged groups of GKE's load-balancing controllers and of users: the same reads, insert, delete,
 * addInstances, removeInstances and setNamedPorts. A `requestId` that is not a UUID is refused (400) as Google and
 * the other Compute verbs refuse it.
 */
@Controller('compute/v1/projects/:project')
export class InstanceGroupsController {
  constructor(private readonly groups: InstanceGroupService) {}

  @Get('aggregated/instanceGroupManagers')
  async aggregatedManagers(@Ctx() ctx: ComputeContext, @ListParams() query: ListQuery) {
    return listEnvelope(
      'compute#instanceGroupManagerAggregatedList',
      ctx,
      'aggregated/instanceGroupManagers',
      await this.groups.aggregatedManagers(ctx, query),
    );
  }

  @Get('zones/:zone/instanceGroupManagers')
  async listManagers(
    @Ctx() ctx: ComputeContext,
    @Param('zone') zone: string,
    @ListParams() query: ListQuery,
  ) {
    return listEnvelope(
      'compute#instanceGroupManagerList',
      ctx,
      `zones/${zone}/instanceGroupManagers`,
      await this.groups.listManagers(ctx, zone, query),
    );
  }

  @Get('zones/:zone/instanceGroupManagers/:name')
  getManager(@Ctx() ctx: ComputeContext, @Param('zone') zone: string, @Param('name') name: string) {
    return this.groups.getManager(ctx, zone, name);
  }

  @Post('zones/:zone/instanceGroupManagers/:name/listManagedInstances')
  @HttpCode(200)
  listManagedInstances(@Ctx() ctx: ComputeContext, @Param('zone') zone: string, @Param('name') name: string) {
    return this.groups.listManagedInstances(ctx, zone, name);
  }

  @Get('aggregated/instanceGroups')
  async aggregatedGroups(@Ctx() ctx: ComputeContext, @ListParams() query: ListQuery) {
    return listEnvelope(
      'compute#instanceGroupAggregatedList',
      ctx,
      'aggregated/instanceGroups',
      await this.groups.aggregatedGroups(ctx, query),
    );
  }

  @Get('zones/:zone/instanceGroups')
  async listGroups(@Ctx() ctx: ComputeContext, @Param('zone') zone: string, @ListParams() query: ListQuery) {
    return listEnvelope(
      'compute#instanceGroupList',
      ctx,
      `zones/${zone}/instanceGroups`,
      await this.groups.listGroups(ctx, zone, query),
    );
  }

  @Get('zones/:zone/instanceGroups/:name')
  getGroup(@Ctx() ctx: ComputeContext, @Param('zone') zone: string, @Param('name') name: string) {
    return this.groups.getGroup(ctx, zone, name);
  }

  @Post('zones/:zone/instanceGroups/:name/listInstances')
  @HttpCode(200)
  async listInstances(
    @Ctx() ctx: ComputeContext,
    @Param('zone') zone: string,
    @Param('name') name: string,
    @Body() body: unknown,
  ) {
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
    @Ctx() ctx: ComputeContext,
    @Param('zone') zone: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ) {
    return this.groups.insertGroup(ctx, zone, body, requestId);
  }

  @Post('zones/:zone/instanceGroups/:name/addInstances')
  @HttpCode(200)
  addInstances(
    @Ctx() ctx: ComputeContext,
    @Param('zone') zone: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ) {
    return this.groups.addInstances(ctx, zone, name, body, requestId);
  }

  @Post('zones/:zone/instanceGroups/:name/removeInstances')
  @HttpCode(200)
  removeInstances(
    @Ctx() ctx: ComputeContext,
    @Param('zone') zone: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ) {
    return this.groups.removeInstances(ctx, zone, name, body, requestId);
  }

  @Post('zones/:zone/instanceGroups/:name/setNamedPorts')
  @HttpCode(200)
  setNamedPorts(
    @Ctx() ctx: ComputeContext,
    @Param('zone') zone: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ) {
    return this.groups.setNamedPorts(ctx, zone, name, body, requestId);
  }

  @Delete('zones/:zone/instanceGroups/:name')
  deleteGroup(
    @Ctx() ctx: ComputeContext,
    @Param('zone') zone: string,
    @Param('name') name: string,
    @RequestId() requestId?: string,
  ) {
    return this.groups.deleteGroup(ctx, zone, name, requestId);
  }
}
