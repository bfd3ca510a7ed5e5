import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { ComputeContext, ListQuery } from '../shared/compute-context';
import { Ctx, listEnvelope, ListParams, RequestId } from '../shared/compute-request';
import { AddressService } from './address.service';

const COLLECTION = ['regions/:region/addresses', 'global/addresses'];
const ONE = COLLECTION.map((path) => `${path}/:address`);

/** Regional (`regions/{r}/addresses`) and global (`global/addresses`) addresses share one service. */
@Controller('compute/v1/projects/:project')
export class AddressesController {
  constructor(private readonly addresses: AddressService) {}

  @Get('aggregated/addresses')
  async aggregatedList(@Ctx() ctx: ComputeContext, @ListParams() query: ListQuery) {
    const page = await this.addresses.aggregatedList(ctx, query);
    return listEnvelope('compute#addressAggregatedList', ctx, 'aggregated/addresses', page);
  }

  @Get(COLLECTION)
  async list(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @ListParams() query: ListQuery,
  ) {
    const collection = region ? `regions/${region}/addresses` : 'global/addresses';
    const page = await this.addresses.list(ctx, region ?? 'global', query);
    return listEnvelope('compute#addressList', ctx, collection, page);
  }

  @Post(COLLECTION)
  @HttpCode(200)
  insert(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ) {
    return this.addresses.insert(ctx, region ?? 'global', body, requestId);
  }

  @Get(ONE)
  get(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Param('address') name: string,
  ) {
    return this.addresses.get(ctx, region ?? 'global', name);
  }

  @Post(ONE.map((path) => `${path}/setLabels`))
  @HttpCode(200)
  setLabels(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Param('address') name: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ) {
    return this.addresses.setLabels(ctx, region ?? 'global', name, body, requestId);
  }

  @Delete(ONE)
  delete(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Param('address') name: string,
    @RequestId() requestId?: string,
  ) {
    return this.addresses.delete(ctx, region ?? 'global', name, requestId);
  }
}
