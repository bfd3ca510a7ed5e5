import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  computeContext,
  type IncomingRequest,
  listEnvelope,
  listQueryOf,
  requestIdOf,
} from '../shared/compute-request';
import { SubnetworkService } from './subnetwork.service';

type Query_ = Record<string, unknown>;

@Controller('compute/v1/projects/:project')
export class SubnetworksController {
  constructor(private readonly subnetworks: SubnetworkService) {}

  @Get('aggregated/subnetworks')
  async aggregatedList(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    const page = await this.subnetworks.aggregatedList(ctx, listQueryOf(query));
    return listEnvelope('compute#subnetworkAggregatedList', ctx, 'aggregated/subnetworks', page);
  }

  @Get('regions/:region/subnetworks')
  async list(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    const page = await this.subnetworks.list(ctx, region, listQueryOf(query));
    return listEnvelope('compute#subnetworkList', ctx, `regions/${region}/subnetworks`, page);
  }

  @Post('regions/:region/subnetworks')
  @HttpCode(200)
  insert(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.subnetworks.insert(computeContext(req, project), region, body, requestIdOf(query));
  }

  @Get('regions/:region/subnetworks/:subnetwork')
  get(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string,
    @Param('subnetwork') name: string,
  ) {
    return this.subnetworks.get(computeContext(req, project), region, name);
  }

  @Patch('regions/:region/subnetworks/:subnetwork')
  patch(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string,
    @Param('subnetwork') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.subnetworks.patch(computeContext(req, project), region, name, body, requestIdOf(query));
  }

  @Delete('regions/:region/subnetworks/:subnetwork')
  delete(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string,
    @Param('subnetwork') name: string,
    @Query() query: Query_,
  ) {
    return this.subnetworks.delete(computeContext(req, project), region, name, requestIdOf(query));
  }

  @Post('regions/:region/subnetworks/:subnetwork/expandIpCidrRange')
  @HttpCode(200)
  expand(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string,
    @Param('subnetwork') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.subnetworks.expandIpCidrRange(
      computeContext(req, project),
      region,
      name,
      body,
      requestIdOf(query),
    );
  }

  @Post('regions/:region/subnetworks/:subnetwork/setPrivateIpGoogleAccess')
  @HttpCode(200)
  setPrivateIpGoogleAccess(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string,
    @Param('subnetwork') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.subnetworks.setPrivateIpGoogleAccess(
      computeContext(req, project),
      region,
      name,
      body,
      requestIdOf(query),
    );
  }
}
