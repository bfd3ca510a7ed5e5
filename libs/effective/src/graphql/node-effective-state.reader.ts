import { Injectable } from '@nestjs/common';
import type { kubeProxy, netpol, vpc } from '@gke-emulator/dataplane';
import { DataplaneReadsService } from '../dataplane-reads.service';
import type { FirewallEvaluationQuery } from '../firewall-evaluation';
import { FirewallEvaluateService } from '../firewall-evaluate.service';
import {
  toFirewallRuleModel,
  toFreshness,
  toPolicyDirectionModel,
  toRejectedPolicyModel,
  toRouteModel,
} from './effective-graphql.mapper';
import type {
  FirewallEvaluationModel,
  IptablesTraceModel,
  NodeEffectiveFirewallModel,
  NodeEffectiveRoutesModel,
  NodeIptablesModel,
  NodeNetworkPoliciesModel,
} from './effective-state.models';

/** Where a node is: what every effective-state field is read for. */
export interface NodeRef {
  project: string;
  location: string;
  cluster: string;
  node: string;
}

/**
 * A node's effective state as GraphQL types, from the same reads as REST (`…/nodes/{n}/routes`, `firewall`,
 * `iptables`, `networkPolicies`, `iptables/trace`, `firewall/evaluate`): one answer, two transports.
 */
@Injectable()
export class NodeEffectiveStateReader {
  constructor(
    private readonly reads: DataplaneReadsService,
    private readonly firewall: FirewallEvaluateService,
  ) {}

  /** `base`: the Compute API root the client used, for the wire routes' links (`http://…/compute/v1/`). */
  async routes(
    { project, location, cluster, node }: NodeRef,
    base: string,
  ): Promise<NodeEffectiveRoutesModel> {
    const read = await this.reads.routes(project, location, cluster, node);
    const routes = (read.routes as vpc.EffectiveRoute[] | undefined) ?? [];
    return { ...toFreshness(read), routes: routes.map((route) => toRouteModel(route, base)) };
  }

  async effectiveFirewall(
    { project, location, cluster, node }: NodeRef,
    base: string,
  ): Promise<NodeEffectiveFirewallModel> {
    const read = await this.reads.firewall(project, location, cluster, node);
    const rules = (read.rules as vpc.EffectiveFirewallRule[] | undefined) ?? [];
    return { ...toFreshness(read), rules: rules.map((rule) => toFirewallRuleModel(rule, base)) };
  }

  async iptables({ project, location, cluster, node }: NodeRef): Promise<NodeIptablesModel> {
    const { freshness, text } = await this.reads.iptables(project, location, cluster, node);
    return { ...toFreshness(freshness), text };
  }

  async networkPolicies({ project, location, cluster, node }: NodeRef): Promise<NodeNetworkPoliciesModel> {
    const read = await this.reads.networkPolicies(project, location, cluster, node);
    const freshness = toFreshness(read);
    return {
      ...freshness,
      enforced: read.enforced,
      enforcement: read.enforcement,
      pods: read.pods.map((pod) => ({
        ...freshness,
        pod: pod.pod,
        ingress: toPolicyDirectionModel(pod.ingress),
        egress: toPolicyDirectionModel(pod.egress),
        enforced: read.enforced,
        enforcement: read.enforcement,
      })),
      rejectedPolicies: (read.rejectedPolicies as readonly netpol.RejectedPolicy[]).map(
        toRejectedPolicyModel,
      ),
    };
  }

  async trace(
    { project, location, cluster, node }: NodeRef,
    packet: { src: string; dst: string; dport: number; protocol: string },
  ): Promise<IptablesTraceModel> {
    const trace: kubeProxy.PacketTrace & {
      generation: string;
      observedGeneration: string;
      current: boolean;
    } = await this.reads.trace(project, location, cluster, node, { ...packet, dport: String(packet.dport) });
    return {
      ...toFreshness(trace),
      verdict: trace.verdict,
      targets: [...trace.targets],
      masquerade: trace.masquerade,
      chains: [...trace.chains],
    };
  }

  async evaluateFirewall(
    { project, location, cluster, node }: NodeRef,
    query: FirewallEvaluationQuery,
    base: string,
  ): Promise<FirewallEvaluationModel> {
    const { freshness, evaluation } = await this.firewall.evaluation(project, location, cluster, node, query);
    const allowed = evaluation.verdict.action === 'allow';
    return {
      ...freshness,
      ...evaluation.packet,
      allowed,
      action: evaluation.verdict.action,
      rule: toFirewallRuleModel(evaluation.verdict.rule, base),
      ...(evaluation.peer !== null ? { peer: evaluation.peer } : {}),
      returnTrafficAllowed: allowed,
    };
  }
}
