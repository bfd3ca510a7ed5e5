import { absoluteLink, renderWire } from '@gke-emulator/common';
import type { netpol, vpc } from '@gke-emulator/dataplane';
import { formatCidr } from '@gke-emulator/netaddr';
import type { InactiveRoute } from '../cluster-dataplane';
import type { Freshness } from '../dataplane-reads.service';
import { protocolName } from '../firewall-evaluation';
import type {
  EffectiveFirewallRuleModel,
  EffectiveRouteModel,
  NetworkPolicyDirectionModel,
  RejectedNetworkPolicyModel,
} from './effective-state.models';

/** The freshness fields alone (reads return them spread among others). */
export function toFreshness(state: Freshness): Freshness {
  return {
    generation: state.generation,
    observedGeneration: state.observedGeneration,
    current: state.current,
  };
}

/**
 * The wire object a rule or route comes from, as Compute's `get` returns it: links (`selfLink`, `network`,
 * `nextHopGateway`…) in full against `base`, the API root the client used (`http://127.0.0.1:8085/compute/v1/`).
 */
export function toWireResource<T>(resource: T, base: string): T {
  return renderWire(resource, base);
}

export function toRouteModel(route: vpc.EffectiveRoute, base: string): EffectiveRouteModel {
  return {
    name: route.name,
    routeClass: route.routeClass,
    routeType: route.routeType,
    destRange: formatCidr(route.destRange),
    priority: route.priority,
    nextHop: route.nextHopLabel,
    nextHopKind: route.nextHop.kind,
    resource: toWireResource(route.route, base),
  };
}

/** A route kept but unused (its next-hop instance is gone): the instance's link in full, in the warning too. */
export function toInactiveRouteModel(route: InactiveRoute, base: string): InactiveRoute {
  const link = absoluteLink(base, route.nextHopInstance);
  return {
    ...route,
    nextHopInstance: link,
    warnings: route.warnings.map((warning) => ({
      ...warning,
      message: warning.message.replace(`'${route.nextHopInstance}'`, `'${link}'`),
    })),
  };
}

function portRange(range: vpc.PortRange): string {
  return range.first === range.last ? String(range.first) : `${range.first}-${range.last}`;
}

export function toFirewallRuleModel(
  rule: vpc.EffectiveFirewallRule,
  base: string,
): EffectiveFirewallRuleModel {
  return {
    name: rule.name,
    origin: rule.origin,
    ...(rule.policy !== undefined ? { policy: rule.policy } : {}),
    direction: rule.direction,
    priority: rule.priority,
    action: rule.action,
    remoteRanges: rule.match.remoteRanges.map(formatCidr),
    remoteTags: [...rule.match.remoteTags],
    remoteServiceAccounts: [...rule.match.remoteServiceAccounts],
    localRanges: rule.match.localRanges === null ? null : rule.match.localRanges.map(formatCidr),
    protocols: rule.match.protocols.map((matcher) => ({
      protocol: protocolName(matcher.protocol),
      ports: matcher.ports === null ? null : matcher.ports.map(portRange),
    })),
    resource: rule.source === undefined ? null : toWireResource(rule.source, base),
  };
}

const policyName = (ref: netpol.PolicyRef) => `${ref.namespace}/${ref.name}`;

export function toPolicyDirectionModel(direction: netpol.CompiledDirection): NetworkPolicyDirectionModel {
  return {
    isolated: direction.isolated,
    policies: direction.policies.map(policyName),
    rules: direction.rules.map((rule) => ({
      policy: policyName(rule.ref.policy),
      direction: rule.ref.direction,
      ruleIndex: rule.ref.ruleIndex,
    })),
  };
}

export function toRejectedPolicyModel(rejected: netpol.RejectedPolicy): RejectedNetworkPolicyModel {
  return {
    policy: policyName(rejected.policy),
    issues: rejected.issues.map((issue) => ({
      code: issue.code,
      field: issue.field,
      message: issue.message,
    })),
  };
}
