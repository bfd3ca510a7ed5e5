import { Controller, Get, Header, Param, Query, Req, Res } from '@nestjs/common';
import { computeContext, type IncomingRequest } from '@gke-emulator/compute';
import type { netpol, vpc } from '@gke-emulator/dataplane';
import type { InactiveRoute } from './cluster-dataplane';
import { ClusterDnsService } from './cluster-dns.service';
import { DataplaneReadsService } from './dataplane-reads.service';
import {
  toFirewallRuleModel,
  toInactiveRouteModel,
  toPolicyDirectionModel,
  toRejectedPolicyModel,
  toRouteModel,
} from './graphql/effective-graphql.mapper';

interface ReplyLike {
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

type Query_ = Record<string, string | undefined>;

/**
 * The effective data plane, read: `/emulator/v1/projects/{p}/locations/{l}/clusters/{c}/...` (other tools are
 * built on these shapes). Every answer says which generation it reflects and whether that is current.
 */
@Controller('emulator/v1')
export class DataplaneController {
  constructor(
    private readonly reads: DataplaneReadsService,
    private readonly dns: ClusterDnsService,
  ) {}

  /** Convergence of every cluster (`?project=` for one project): `converged` once every result is current. */
  @Get('dataplane')
  status(@Query('project') project?: string) {
    return this.reads.status(project);
  }

  /**
   * The node's routes as GraphQL's `Node.effectiveRoutes` shows them: CIDRs as text, the next hop as gcloud prints
   * it, the wire routes' links in full on the base the client used (as Compute's own reads render them).
   */
  @Get('projects/:p/locations/:l/clusters/:c/nodes/:n/routes')
  async routes(
    @Param('p') p: string,
    @Param('l') l: string,
    @Param('c') c: string,
    @Param('n') n: string,
    @Req() request: IncomingRequest,
  ) {
    const base = computeContext(request, p).base;
    const read = await this.reads.routes(p, l, c, n);
    const routes = (read.routes as vpc.EffectiveRoute[] | undefined) ?? [];
    const inactive = (read.inactiveRoutes as InactiveRoute[] | undefined) ?? [];
    return {
      ...read,
      routes: routes.map((route) => toRouteModel(route, base)),
      inactiveRoutes: inactive.map((route) => toInactiveRouteModel(route, base)),
    };
  }

  /** The node's firewall as GraphQL's `Node.effectiveFirewall` shows it: ranges as CIDRs, protocols by name. */
  @Get('projects/:p/locations/:l/clusters/:c/nodes/:n/firewall')
  async firewall(
    @Param('p') p: string,
    @Param('l') l: string,
    @Param('c') c: string,
    @Param('n') n: string,
    @Req() request: IncomingRequest,
  ) {
    const base = computeContext(request, p).base;
    const read = await this.reads.firewall(p, l, c, n);
    const rules = (read.rules as vpc.EffectiveFirewallRule[] | undefined) ?? [];
    return { ...read, rules: rules.map((rule) => toFirewallRuleModel(rule, base)) };
  }

  @Get('projects/:p/locations/:l/clusters/:c/nodes/:n/networkPolicies')
  async networkPolicies(
    @Param('p') p: string,
    @Param('l') l: string,
    @Param('c') c: string,
    @Param('n') n: string,
  ) {
    const read = await this.reads.networkPolicies(p, l, c, n);
    return {
      ...read,
      pods: read.pods.map((pod) => ({
        pod: pod.pod,
        ingress: toPolicyDirectionModel(pod.ingress),
        egress: toPolicyDirectionModel(pod.egress),
      })),
      rejectedPolicies: (read.rejectedPolicies as readonly netpol.RejectedPolicy[]).map(
        toRejectedPolicyModel,
      ),
    };
  }

  /** The iptables-save text; freshness in `X-Observed-Generation`, `X-Generation` and `X-Current`. */
  @Get('projects/:p/locations/:l/clusters/:c/nodes/:n/iptables')
  @Header('content-type', 'text/plain; charset=utf-8')
  async iptables(
    @Param('p') p: string,
    @Param('l') l: string,
    @Param('c') c: string,
    @Param('n') n: string,
    @Res() reply: ReplyLike,
  ) {
    const { freshness, text } = await this.reads.iptables(p, l, c, n);
    reply
      .header('x-generation', freshness.generation)
      .header('x-observed-generation', freshness.observedGeneration)
      .header('x-current', String(freshness.current))
      .send(text);
  }

  @Get('projects/:p/locations/:l/clusters/:c/nodes/:n/iptables/trace')
  trace(
    @Param('p') p: string,
    @Param('l') l: string,
    @Param('c') c: string,
    @Param('n') n: string,
    @Query() query: Query_,
  ) {
    return this.reads.trace(p, l, c, n, query);
  }

  /** NetworkPolicy's verdict on one connection: `?source=ns/pod|IP&destination=ns/pod|IP&port=N&protocol=TCP`. */
  @Get('projects/:p/locations/:l/clusters/:c/networkPolicyVerdict')
  networkPolicyVerdict(
    @Param('p') p: string,
    @Param('l') l: string,
    @Param('c') c: string,
    @Query() query: Query_,
  ) {
    return this.reads.connection(p, l, c, {
      source: query['source'] ?? '',
      destination: query['destination'] ?? '',
      port: Number(query['port']),
      protocol: query['protocol'],
    });
  }

  @Get('projects/:p/locations/:l/clusters/:c/reachability')
  reachability(@Param('p') p: string, @Param('l') l: string, @Param('c') c: string, @Query() query: Query_) {
    return this.reads.reachability(p, l, c, query);
  }

  /** kube-dns's answer to a pod: `?name=web.shop&from=namespace/pod`, with each name of the search path asked. */
  @Get('projects/:p/locations/:l/clusters/:c/dns')
  clusterDns(@Param('p') p: string, @Param('l') l: string, @Param('c') c: string, @Query() query: Query_) {
    return this.dns.resolve(p, l, c, { name: query['name'], from: query['from'] });
  }
}
