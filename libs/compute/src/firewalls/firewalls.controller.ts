import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import type { ComputeContext } from '../shared/compute-context';
import { Ctx, RequestId } from '../shared/compute-request';
import { PatchableCollectionController } from '../shared/global-collection.controller';
import { FirewallService } from './firewall.service';

@Controller('compute/v1/projects/:project/global/firewalls')
export class FirewallsController extends PatchableCollectionController {
  protected readonly listKind = 'compute#firewallList';
  protected readonly collection = 'global/firewalls';

  constructor(protected readonly service: FirewallService) {
    super();
  }

  @Put(':name')
  update(
    @Ctx() ctx: ComputeContext,
    @Param('name') name: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ) {
    return this.service.patch(ctx, name, body, requestId, true);
  }
}

/** `networks.getEffectiveFirewalls`: a network's firewall rules, answered by the firewalls' service. */
@Controller('compute/v1/projects/:project/global/networks')
export class EffectiveFirewallsController {
  constructor(private readonly firewalls: FirewallService) {}

  @Get(':name/getEffectiveFirewalls')
  effective(@Ctx() ctx: ComputeContext, @Param('name') network: string) {
    return this.firewalls.effectiveFirewalls(ctx, network);
  }
}
