import type { netpol, vpc } from '@gke-emulator/dataplane';
import { formatCidr } from '@gke-emulator/netaddr';
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

export function toRouteModel(route: vpc.EffectiveRoute): EffectiveRouteModel {
  return {
    name: route.name,
    routeClass: route.routeClass,
    routeType: route.routeType,
    destRange: formatCidr(route.destRange),
    priority: route.priority,
    nextHop: route.nextHopLabel,
    nextHopKind: route.nextHop.kind,
    resource: route.route,
  };
}

function portRange(range: vpc.PortRange): string {
  return range.first === range.last ? String(range.first) : `${range.first}-${range.last}`;
}

export function toFirewallRuleModel(rule: vpc.EffectiveFirewallRule): EffectiveFirewallRuleModel {
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
    resource: rule.source ?? null,
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
