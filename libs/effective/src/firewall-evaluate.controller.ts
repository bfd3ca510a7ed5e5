import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { computeContext, type IncomingRequest } from '@gke-emulator/compute';
import type { FirewallEvaluationQuery } from './firewall-evaluation';
import { FirewallEvaluateService } from './firewall-evaluate.service';

/** `GET …/nodes/{n}/firewall/evaluate?direction=INGRESS&src=IP&protocol=tcp&dport=N`: which rule decides a packet. */
@Controller('emulator/v1')
export class FirewallEvaluateController {
  constructor(private readonly firewall: FirewallEvaluateService) {}

  @Get('projects/:p/locations/:l/clusters/:c/nodes/:n/firewall/evaluate')
  evaluate(
    @Param('p') p: string,
    @Param('l') l: string,
    @Param('c') c: string,
    @Param('n') n: string,
    @Query() query: FirewallEvaluationQuery,
    @Req() request: IncomingRequest,
  ) {
    return this.firewall.evaluate(p, l, c, n, query, computeContext(request, p).base);
  }
}
