import { Controller, Get, Param, Query } from '@nestjs/common';
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
  ) {
    return this.firewall.evaluate(p, l, c, n, query);
  }
}
