// Google's display infos (FirewallInfo, RouteInfo, InstanceInfo…) from the data plane's own models.
import type { EffectiveFirewallRule, EffectiveRoute, FirewallPolicyRule, FirewallRule } from '../vpc';
import {
  ABORT_INFO_CAUSE_DOCS,
  type AbortInfoCause,
  DROP_INFO_CAUSE_DOCS,
  type DropInfoCause,
  type FirewallInfoFirewallRuleType,
  type RouteInfoNextHopType,
  type RouteInfoRouteType,
} from './network-management-enums.generated';
import type { FirewallInfo, InstanceInfo, RouteInfo, Step } from './reachability.types';
import type { TraceInstance } from './trace-inputs.types';

const RULE_TYPES: Readonly<Record<EffectiveFirewallRule['origin'], FirewallInfoFirewallRuleType>> = {
  'hierarchical-policy': 'HIERARCHICAL_FIREWALL_POLICY_RULE',
  'network-policy': 'NETWORK_FIREWALL_POLICY_RULE',
  'vpc-rule': 'VPC_FIREWALL_RULE',
  implied: 'IMPLIED_VPC_FIREWALL_RULE',
};

function isVpcRule(source: FirewallRule | FirewallPolicyRule | undefined): source is FirewallRule {
  return source !== undefined && 'name' in source;
}

export function firewallInfo(project: string, networkUri: string, rule: EffectiveFirewallRule): FirewallInfo {
  const source = rule.source;
  const vpcRule = rule.origin === 'vpc-rule' && isVpcRule(source) ? source : undefined;
  return {
    displayName: rule.name,
    ...(vpcRule ? { uri: `projects/${project}/global/firewalls/${rule.name}` } : {}),
    direction: rule.direction,
    action: rule.action === 'deny' ? 'DENY' : 'ALLOW',
    priority: rule.priority,
    ...(rule.origin === 'hierarchical-policy' ? {} : { networkUri }),
    ...(vpcRule?.targetTags?.length ? { targetTags: [...vpcRule.targetTags] } : {}),
    ...(source?.targetServiceAccounts?.length
      ? { targetServiceAccounts: [...source.targetServiceAccounts] }
      : {}),
    ...(rule.policy ? { policy: rule.policy } : {}),
    firewallRuleType: RULE_TYPES[rule.origin],
  };
}

const ROUTE_TYPES: Readonly<Record<EffectiveRoute['routeType'], RouteInfoRouteType>> = {
  SUBNET: 'SUBNET',
  STATIC: 'STATIC',
  BGP: 'DYNAMIC',
  TRANSIT: 'DYNAMIC',
};

const NEXT_HOP_TYPES: Readonly<Record<EffectiveRoute['nextHop']['kind'], RouteInfoNextHopType>> = {
  network: 'NEXT_HOP_NETWORK',
  peering: 'NEXT_HOP_PEERING',
  'internet-gateway': 'NEXT_HOP_INTERNET_GATEWAY',
  instance: 'NEXT_HOP_INSTANCE',
  ip: 'NEXT_HOP_IP',
  ilb: 'NEXT_HOP_ILB',
  'vpn-tunnel': 'NEXT_HOP_VPN_TUNNEL',
  'interconnect-attachment': 'NEXT_HOP_INTERCONNECT',
  hub: 'NEXT_HOP_NCC_HUB',
};

export function routeInfo(project: string, networkUri: string, route: EffectiveRoute): RouteInfo {
  const { destRange } = route.route;
  return {
    routeType: ROUTE_TYPES[route.routeType],
    nextHopType: NEXT_HOP_TYPES[route.nextHop.kind],
    routeScope: 'NETWORK',
    displayName: route.name,
    ...(route.routeType === 'SUBNET' ? {} : { uri: `projects/${project}/global/routes/${route.name}` }),
    destIpRange: destRange,
    nextHop: route.nextHopLabel,
    networkUri,
    priority: route.priority,
    ...(route.route.tags?.length ? { instanceTags: [...route.route.tags] } : {}),
  };
}

export function instanceInfo(instance: TraceInstance): InstanceInfo {
  return {
    displayName: instance.name,
    uri: instance.uri,
    interface: 'nic0',
    networkUri: instance.networkUri,
    internalIp: instance.internalIp,
    ...(instance.externalIp ? { externalIp: instance.externalIp } : {}),
    networkTags: [...instance.tags],
    running: instance.running,
  };
}

/** The first sentence of a documentation string. */
function firstSentence(text: string): string {
  const end = text.indexOf('. ');
  return end < 0 ? text : text.slice(0, end + 1);
}

export function dropStep(
  project: string,
  cause: DropInfoCause,
  detail: { resourceUri?: string; sourceIp?: string; destinationIp?: string; description?: string },
): Step {
  const { description, ...drop } = detail;
  return {
    description: description ?? firstSentence(DROP_INFO_CAUSE_DOCS[cause]),
    state: 'DROP',
    causesDrop: true,
    projectId: project,
    drop: { cause, ...drop },
  };
}

export function abortStep(
  project: string,
  cause: AbortInfoCause,
  detail: { resourceUri?: string; ipAddress?: string; description?: string } = {},
): Step {
  const { description, ...abort } = detail;
  return {
    description: description ?? firstSentence(ABORT_INFO_CAUSE_DOCS[cause]),
    state: 'ABORT',
    causesDrop: true,
    projectId: project,
    abort: { cause, ...abort },
  };
}
