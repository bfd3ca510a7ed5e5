// VPC data plane: which firewall rules let a packet in or out of a VM, and which route carries it.
export type { VpcInstance } from './vpc-instance.model';
export { type NetworkKey, parseNetworkReference, sameNetwork } from './network-reference.matcher';
export { type IpRange, parseIpRange } from './ip-range.parser';

export type {
  EffectiveFirewallPolicy,
  EffectiveFirewallsInput,
  FirewallDirection,
  FirewallPolicyAction,
  FirewallPolicyLayer4Config,
  FirewallPolicyRule,
  FirewallPolicyRuleMatcher,
  FirewallProtocolPorts,
  FirewallRule,
  NetworkFirewallPolicyEnforcementOrder,
} from './firewall/firewall-rule.model';
export type {
  CompiledFirewallMatch,
  EffectiveFirewallRule,
  FirewallAction,
  FirewallPacket,
  FirewallRuleOrigin,
  FirewallVerdict,
  InstanceFirewall,
} from './firewall/effective-firewall-rule.model';
export {
  type PortRange,
  type ProtocolMatcher,
  parsePortRange,
  protocolNumber,
} from './firewall/ip-protocol.matcher';
export { DEFAULT_FIREWALL_PRIORITY } from './firewall/vpc-firewall-rule.compiler';
export { IMPLIED_RULE_PRIORITY } from './firewall/implied-firewall-rules';
export {
  type InstanceFirewallOptions,
  buildInstanceFirewall,
  networkFirewalls,
} from './firewall/instance-firewall.builder';
export { evaluatePacket } from './firewall/firewall.evaluator';
export {
  type FirewallRangeQuery,
  type FirewallRangeSegment,
  type FirewallRangeVerdict,
  evaluatePacketRange,
} from './firewall/firewall-range.evaluator';
export {
  type ConnectionEndpoint,
  type ConnectionRequest,
  type ConnectionVerdict,
  evaluateConnection,
} from './firewall/connection.evaluator';

export type {
  EffectiveRoute,
  InstanceRoutingTable,
  Route,
  RouteClass,
  RouteNextHop,
  RouteSelection,
  RouteType,
} from './routing/route.model';
export { nextHopLabel, parseNextHop } from './routing/route-next-hop.parser';
export { DEFAULT_ROUTE_PRIORITY, buildRoutingTable } from './routing/routing-table.builder';
export { selectRoute } from './routing/route.selector';
export { type FlowKey, pickEcmpRoute } from './routing/ecmp.hash';
