import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { ComputeContext } from '../shared/compute-context';
import { Ctx, RequestId } from '../shared/compute-request';
import { PatchableCollectionController } from '../shared/global-collection.controller';
import { NetworkService } from './network.service';

@Controller('compute/v1/projects/:project/global/networks')
export class NetworksController extends PatchableCollectionController {
  protected readonly listKind = 'compute#networkList';
  protected readonly collection = 'global/networks';

  constructor(protected readonly service: NetworkService) {
    super();
  }

  @Post(':name/switchToCustomMode')
  @HttpCode(200)
  switchToCustomMode(
    @Ctx() ctx: ComputeContext,
    @Param('name') network: string,
    @RequestId() requestId?: string,
  ) {
    return this.service.switchToCustomMode(ctx, network, requestId);
  }
}
