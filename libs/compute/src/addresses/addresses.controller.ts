import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  computeContext,
  type IncomingRequest,
  listEnvelope,
  listQueryOf,
  requestIdOf,
} from '../shared/compute-request';
import { AddressService } from './address.service';

type Query_ = Record<string, unknown>;

/** Regional (`regions/{r}/addresses`) and global (`global/addresses`) addresses share one service. */
@Controller('compute/v1/projects/:project')
export class AddressesController {
  constructor(private readonly addresses: AddressService) {}

  @Get('aggregated/addresses')
  async aggregatedList(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#addressAggregatedList',
      ctx,
      'aggregated/addresses',
      await this.addresses.aggregatedList(ctx, listQueryOf(query)),
    );
  }

  @Get(['regions/:region/addresses', 'global/addresses'])
  async list(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string | undefined,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    const scope = region ?? 'global';
    const collection = region ? `regions/${region}/addresses` : 'global/addresses';
    return listEnvelope(
      'compute#addressList',
      ctx,
      collection,
      await this.addresses.list(ctx, scope, listQueryOf(query)),
    );
  }

  @Post(['regions/:region/addresses', 'global/addresses'])
  @HttpCode(200)
  insert(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string | undefined,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.addresses.insert(computeContext(req, project), region ?? 'global', body, requestIdOf(query));
  }

  @Get(['regions/:region/addresses/:address', 'global/addresses/:address'])
  get(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string | undefined,
    @Param('address') name: string,
  ) {
    return this.addresses.get(computeContext(req, project), region ?? 'global', name);
  }

  @Post(['regions/:region/addresses/:address/setLabels', 'global/addresses/:address/setLabels'])
  @HttpCode(200)
  setLabels(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string | undefined,
    @Param('address') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.addresses.setLabels(
      computeContext(req, project),
      region ?? 'global',
      name,
      body,
      requestIdOf(query),
    );
  }

  @Delete(['regions/:region/addresses/:address', 'global/addresses/:address'])
  delete(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('region') region: string | undefined,
    @Param('address') name: string,
    @Query() query: Query_,
  ) {
    return this.addresses.delete(computeContext(req, project), region ?? 'global', name, requestIdOf(query));
  }
}
