import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { computeContext, type IncomingRequest, listEnvelope, listQueryOf } from '../shared/compute-request';
import { assertRegion } from '../shared/regions';
import { OperationService } from './operation.service';

type Query_ = Record<string, unknown>;

/** globalOperations, regionOperations and zoneOperations: get, list, delete and wait. */
@Controller('compute/v1/projects/:project')
export class OperationsController {
  constructor(private readonly operations: OperationService) {}

  @Get('aggregated/operations')
  async aggregatedList(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    const page = await this.operations.aggregatedList(ctx, listQueryOf(query));
    return listEnvelope('compute#operationAggregatedList', ctx, 'aggregated/operations', page);
  }

  @Get('global/operations')
  async listGlobal(@Req() req: IncomingRequest, @Param('project') project: string, @Query() query: Query_) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#operationList',
      ctx,
      'global/operations',
      await this.operations.list(ctx, 'global', listQueryOf(query)),
    );
  }

  @Get('global/operations/:operation')
  getGlobal(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('operation') name: string,
  ) {
    return this.operations.get(computeContext(req, project), 'global', name);
  }

  @Post('global/operations/:operation/wait')
  @HttpCode(200)
  waitGlobal(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('operation') name: string,
  ) {
    return this.operations.wait(computeContext(req, project), 'global', name);
  }

  @Delete('global/operations/:operation')
  async deleteGlobal(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('operation') name: string,
  ) {
    await this.operations.delete(computeContext(req, project), 'global', name);
    return {};
  }

  @Get('regions/:region/operations')
  async listRegion(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    assertRegion(project, region);
    const page = await this.operations.list(ctx, region, listQueryOf(query));
    return listEnvelope('compute#operationList', ctx, `regions/${region}/operations`, page);
  }

  @Get('regions/:region/operations/:operation')
  getRegion(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string,
    @Param('operation') name: string,
  ) {
    return this.operations.get(computeContext(req, project), assertRegion(project, region), name);
  }

  @Post('regions/:region/operations/:operation/wait')
  @HttpCode(200)
  waitRegion(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string,
    @Param('operation') name: string,
  ) {
    return this.operations.wait(computeContext(req, project), assertRegion(project, region), name);
  }

  @Delete('regions/:region/operations/:operation')
  async deleteRegion(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string,
    @Param('operation') name: string,
  ) {
    await this.operations.delete(computeContext(req, project), assertRegion(project, region), name);
    return {};
  }

  @Get('zones/:zone/operations')
  async listZone(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    const page = await this.operations.list(ctx, `zones/${zone}`, listQueryOf(query));
    return listEnvelope('compute#operationList', ctx, `zones/${zone}/operations`, page);
  }

  @Get('zones/:zone/operations/:operation')
  getZone(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Param('operation') name: string,
  ) {
    return this.operations.get(computeContext(req, project), `zones/${zone}`, name);
  }

  @Post('zones/:zone/operations/:operation/wait')
  @HttpCode(200)
  waitZone(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Param('operation') name: string,
  ) {
    return this.operations.wait(computeContext(req, project), `zones/${zone}`, name);
  }

  @Delete('zones/:zone/operations/:operation')
  async deleteZone(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('zone') zone: string,
    @Param('operation') name: string,
  ) {
    await this.operations.delete(computeContext(req, project), `zones/${zone}`, name);
    return {};
  }
}
