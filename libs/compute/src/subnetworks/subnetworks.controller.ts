import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { ComputeContext, ListQuery } from '../shared/compute-context';
import { Ctx, listEnvelope, ListParams, RequestId } from '../shared/compute-request';
import { SubnetworkService } from './subnetwork.service';

const ONE = 'regions/:region/subnetworks/:subnetwork';

@Controller('compute/v1/projects/:project')
export class SubnetworksController {
  constructor(private readonly subnetworks: SubnetworkService) {}

  @Get('aggregated/subnetworks')
  async aggregatedList(@Ctx() ctx: ComputeContext, @ListParams() query: ListQuery) {
    const page = await this.subnetworks.aggregatedList(ctx, query);
    return listEnvelope('compute#subnetworkAggregatedList', ctx, 'aggregated/subnetworks', page);
  }

  @Get('regions/:region/subnetworks')
  async list(@Ctx() ctx: ComputeContext, @Param('region') region: string, @ListParams() query: ListQuery) {
    const page = await this.subnetworks.list(ctx, region, query);
    return listEnvelope('compute#subnetworkList', ctx, `regions/${region}/subnetworks`, page);
  }

  @Post('regions/:region/subnetworks')
  @HttpCode(200)
  insert(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ) {
    return this.subnetworks.insert(ctx, region, body, requestId);
  }

  @Get(ONE)
  get(@Ctx() ctx: ComputeContext, @Param('region') region: string, @Param('subnetwork') name: string) {
    return this.subnetworks.get(ctx, region, name);
  }

  @Patch(ONE)
  patch(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string,
    @Param('subnetwork') name: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ) {
    return this.subnetworks.patch(ctx, region, name, body, requestId);
  }

  @Delete(ONE)
  delete(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string,
    @Param('subnetwork') name: string,
    @RequestId() requestId?: string,
  ) {
    return this.subnetworks.delete(ctx, region, name, requestId);
  }

  @Post(`${ONE}/expandIpCidrRange`)
  @HttpCode(200)
  expand(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string,
    @Param('subnetwork') name: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ) {
    return this.subnetworks.expandIpCidrRange(ctx, region, name, body, requestId);
  }

  @Post(`${ONE}/setPrivateIpGoogleAccess`)
  @HttpCode(200)
  setPrivateIpGoogleAccess(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string,
    @Param('subnetwork') name: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ) {
    return this.subnetworks.setPrivateIpGoogleAccess(ctx, region, name, body, requestId);
  }
}
