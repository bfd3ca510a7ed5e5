import { Field, Int, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from '@gke-emulator/kube';

/** Which generation of the cluster an answer reflects, and whether that is the latest. */
@ObjectType({ isAbstract: true })
export abstract class EffectiveStateModel {
  @Field({
    description: "The cluster's data-plane generation: bumped by every write that changes the data plane.",
  })
  generation!: string;
  @Field({ description: 'The generation this answer was computed from.' }) observedGeneration!: string;
  @Field({ description: 'observedGeneration has caught up with generation.' }) current!: boolean;
}

@ObjectType('EffectiveRoute', { description: 'A route that applies to the VM, in lookup precedence order.' })
export class EffectiveRouteModel {
  @Field({ description: "The route's name (a subnet, default, custom or peering route)." }) name!: string;
  @Field({ description: 'subnet (considered first) or custom.' }) routeClass!: string;
  @Field({ description: 'SUBNET, STATIC, BGP or TRANSIT.' }) routeType!: string;
  @Field({ description: 'The destination range (CIDR) the route matches.' }) destRange!: string;
  @Field(() => Int, {
    description: "The route's priority: among routes with the same prefix length, lower wins.",
  })
  priority!: number;
  @Field({ description: 'The NEXT_HOP column of gcloud compute routes list.' }) nextHop!: string;
  @Field({ description: 'network, peering, internet-gateway, instance, ip, ilb, vpn-tunnel…' })
  nextHopKind!: string;
  @Field(() => JsonScalar, {
    description:
      'The compute#route it comes from, as routes.get returns it (selfLink and other links in full).',
  })
  resource!: unknown;
}

@ObjectType('NodeEffectiveRoutes', {
  description: "The node's VM routing table (Google's route selection order).",
})
export class NodeEffectiveRoutesModel extends EffectiveStateModel {
  @Field(() => [EffectiveRouteModel], {
    description: "The routes the node's VM sees, as Compute's effective routes.",
  })
  routes!: EffectiveRouteModel[];
}

@ObjectType('FirewallProtocolMatch', { description: 'One compiled {IPProtocol, ports} entry of a rule.' })
export class FirewallProtocolMatchModel {
  @Field({ description: 'tcp, udp, icmp…, a protocol number, or all.' }) protocol!: string;
  @Field(() => [String], {
    nullable: true,
    description: 'Port ranges ("80", "1000-2000"); null: every port.',
  })
  ports!: string[] | null;
}

@ObjectType('EffectiveFirewallRule', { description: 'A firewall rule that applies to the VM.' })
export class EffectiveFirewallRuleModel {
  @Field({
    description: 'The VPC rule name, a policy rule name, or implied-deny-ingress / implied-allow-egress.',
  })
  name!: string;
  @Field({ description: 'hierarchical-policy, network-policy, vpc-rule or implied.' }) origin!: string;
  @Field({ nullable: true, description: 'The firewall policy of a policy rule.' }) policy?: string;
  @Field({ description: 'INGRESS or EGRESS.' }) direction!: string;
  @Field(() => Int, { description: "The rule's priority: 0–65535, lower is evaluated first." })
  priority!: number;
  @Field({ description: 'allow, deny or goto_next.' }) action!: string;
  @Field(() => [String], { description: 'The remote end (source of INGRESS, destination of EGRESS) ranges.' })
  remoteRanges!: string[];
  @Field(() => [String], { description: 'Source tags (INGRESS): VMs of the network with one of them.' })
  remoteTags!: string[];
  @Field(() => [String], { description: 'Source service accounts (INGRESS).' })
  remoteServiceAccounts!: string[];
  @Field(() => [String], {
    nullable: true,
    description: "Ranges the VM's own address must be in; null: any.",
  })
  localRanges!: string[] | null;
  @Field(() => [FirewallProtocolMatchModel], {
    description: 'The protocols and ports the rule matches (`allowed` or `denied`).',
  })
  protocols!: FirewallProtocolMatchModel[];
  @Field(() => JsonScalar, {
    nullable: true,
    description: 'The wire rule as firewalls.get returns it, links in full (null for implied rules).',
  })
  resource?: unknown;
}

@ObjectType('NodeEffectiveFirewall', {
  description: 'The firewall rules that apply to the VM, in evaluation order, the implied rules last.',
})
export class NodeEffectiveFirewallModel extends EffectiveStateModel {
  @Field(() => [EffectiveFirewallRuleModel], {
    description: "The firewall rules that apply to the node's VM, in evaluation order.",
  })
  rules!: EffectiveFirewallRuleModel[];
}

@ObjectType('NodeIptables', { description: 'The iptables-save text kube-proxy would write on the node.' })
export class NodeIptablesModel extends EffectiveStateModel {
  @Field({ description: 'The rules in iptables-save format.' }) text!: string;
}

@ObjectType('NetworkPolicyDirection', {
  description: 'What governs one direction (ingress or egress) of a pod.',
})
export class NetworkPolicyDirectionModel {
  @Field({ description: 'A policy selects the pod for this direction: only what its rules allow passes.' })
  isolated!: boolean;
  @Field(() => [String], { description: 'The policies selecting the pod, namespace/name.' })
  policies!: string[];
  @Field(() => [JsonScalar], {
    description:
      'The rules of those policies, each `{ policy: "namespace/name", direction, ruleIndex }`: spec.<direction>[ruleIndex].',
  })
  rules!: unknown[];
}

@ObjectType('PodNetworkPolicies', { description: "A pod's NetworkPolicy isolation, per direction." })
export class PodNetworkPoliciesModel extends EffectiveStateModel {
  @Field({ description: 'namespace/name' }) pod!: string;
  @Field(() => NetworkPolicyDirectionModel, { description: "The policies that govern the pod's ingress." })
  ingress!: NetworkPolicyDirectionModel;
  @Field(() => NetworkPolicyDirectionModel, { description: "The policies that govern the pod's egress." })
  egress!: NetworkPolicyDirectionModel;
  @Field({
    description:
      'Whether the cluster enforces NetworkPolicy; when it does not, nothing isolates the pod whatever policies exist.',
  })
  enforced!: boolean;
  @Field({
    description:
      'What decides enforcement: networkPolicy.enabled, ADVANCED_DATAPATH, or why neither applies.',
  })
  enforcement!: string;
}

@ObjectType('NetworkPolicyIssue', { description: 'Why the API server refuses a NetworkPolicy.' })
export class NetworkPolicyIssueModel {
  @Field({
    description:
      'What is wrong, as a code: InvalidSelector, InvalidCidr, ExceptNotStrictSubset, InvalidPort, IllegalPortRange, …',
  })
  code!: string;
  @Field({
    description: 'The field path as the API server prints it, e.g. spec.ingress[1].ports[0].endPort.',
  })
  field!: string;
  @Field({ description: "The API server's message, e.g. spec.ingress[1].ports[0].endPort: Invalid value: …" })
  message!: string;
}

@ObjectType('RejectedNetworkPolicy', { description: 'A policy that takes no part in evaluation.' })
export class RejectedNetworkPolicyModel {
  @Field({ description: 'namespace/name' }) policy!: string;
  @Field(() => [NetworkPolicyIssueModel], { description: 'Why the policy cannot be enforced.' })
  issues!: NetworkPolicyIssueModel[];
}

@ObjectType('NodeNetworkPolicies', { description: 'Per pod on the node: the NetworkPolicies isolating it.' })
export class NodeNetworkPoliciesModel extends EffectiveStateModel {
  @Field(() => [PodNetworkPoliciesModel], {
    description: "The node's pods and the policies that select them.",
  })
  pods!: PodNetworkPoliciesModel[];
  @Field(() => [RejectedNetworkPolicyModel], { description: 'Policies the node cannot enforce, and why.' })
  rejectedPolicies!: RejectedNetworkPolicyModel[];
  @Field({
    description:
      'Whether the cluster enforces NetworkPolicy; when it does not, the node programs none (pods is empty).',
  })
  enforced!: boolean;
  @Field({
    description:
      'What decides enforcement: networkPolicy.enabled, ADVANCED_DATAPATH, or why neither applies.',
  })
  enforcement!: string;
}

@ObjectType('IptablesTrace', { description: "Where a packet goes through the node's kube-proxy rules." })
export class IptablesTraceModel extends EffectiveStateModel {
  @Field({ description: 'DNAT, ACCEPT, DROP, REJECT or NONE.' }) verdict!: string;
  @Field(() => [String], { description: 'Every ip:port the DNAT may pick.' }) targets!: string[];
  @Field({ description: 'The packet leaves with the node address as source.' }) masquerade!: boolean;
  @Field(() => [String], { description: 'Every chain entered, table:chain.' }) chains!: string[];
}

@ObjectType('FirewallEvaluation', {
  description: 'Is this packet allowed into / out of the VM, and by which rule.',
})
export class FirewallEvaluationModel extends EffectiveStateModel {
  @Field({ description: 'INGRESS or EGRESS, as evaluated.' }) direction!: string;
  @Field({ description: 'The source IP address evaluated.' }) src!: string;
  @Field({ description: 'The destination IP address evaluated.' }) dst!: string;
  @Field({ description: 'The protocol evaluated, e.g. tcp.' }) protocol!: string;
  @Field(() => Int, {
    nullable: true,
    description: 'The destination port evaluated (for tcp, udp and sctp).',
  })
  dport?: number;
  @Field({ description: 'Whether the packet is allowed.' }) allowed!: boolean;
  @Field({ description: 'allow or deny.' }) action!: string;
  @Field(() => EffectiveFirewallRuleModel, {
    description: 'The rule that decided (an implied one if no other).',
  })
  rule!: EffectiveFirewallRuleModel;
  @Field({
    nullable: true,
    description: 'The node of the network recognised as the INGRESS source (source tags).',
  })
  peer?: string;
  @Field({ description: 'Firewalls are stateful: the replies of an allowed connection pass.' })
  returnTrafficAllowed!: boolean;
}

@ObjectType('PodReachability', {
  description: 'Whether NetworkPolicies let a pod open a connection to another.',
})
export class PodReachabilityModel extends EffectiveStateModel {
  @Field({ description: 'The client pod, namespace/name.' }) from!: string;
  @Field({ description: 'The server pod, namespace/name.' }) to!: string;
  @Field(() => Int, { description: 'The destination port evaluated.' }) port!: number;
  @Field({ description: 'The protocol evaluated: TCP, UDP or SCTP.' }) protocol!: string;
  @Field({
    description:
      "The connection passes: the cluster does not enforce NetworkPolicy, or the client's egress and the server's ingress both allow it.",
  })
  allowed!: boolean;
  @Field({
    description:
      "What the policies decide, enforced or not: the client's egress and the server's ingress both allow it.",
  })
  policyAllowed!: boolean;
  @Field({
    description:
      'Whether the cluster enforces NetworkPolicy (networkPolicy.enabled with its addon, or Dataplane V2 ADVANCED_DATAPATH).',
  })
  enforced!: boolean;
  @Field({
    description:
      'What decides enforcement: networkPolicy.enabled, ADVANCED_DATAPATH, or why neither applies.',
  })
  enforcement!: string;
}

@ObjectType('NodeEffectiveStateChange', {
  description: "A node's effective data plane changed: its fields give the new state.",
})
export class NodeEffectiveStateChangeModel {
  @Field({ description: 'The Google Cloud project ID.' }) project!: string;
  @Field({ description: "The cluster's location (region or zone)." }) location!: string;
  @Field({ description: "The cluster's name." }) cluster!: string;
  @Field({ description: 'The node name.' }) node!: string;
  @Field({ description: 'The generation whose results were stored.' }) generation!: string;
}

@ObjectType('PodReachabilityMatrix', {
  description:
    'Whether NetworkPolicies let each pod open a connection to each other on one port (the REST read …/reachability).',
})
export class PodReachabilityMatrixModel extends EffectiveStateModel {
  @Field(() => [String], {
    description: 'The pods, namespace/name, sorted: the rows and columns of allowed.',
  })
  pods!: string[];
  @Field(() => [[Boolean]], {
    description:
      'allowed[i][j]: pods[i] may open the connection to pods[j] (always, when the cluster does not enforce NetworkPolicy).',
  })
  allowed!: boolean[][];
  @Field(() => Int, { description: 'The port evaluated.' }) port!: number;
  @Field({ description: 'The protocol evaluated: TCP, UDP or SCTP.' }) protocol!: string;
  @Field(() => Int, {
    description: 'How many distinct behaviours the pods fell into as sources (pods every rule treats alike).',
  })
  sourceClasses!: number;
  @Field(() => Int, { description: 'How many distinct behaviours the pods fell into as destinations.' })
  destinationClasses!: number;
  @Field({
    description:
      'Whether the cluster enforces NetworkPolicy (networkPolicy.enabled with its addon, or Dataplane V2 ADVANCED_DATAPATH).',
  })
  enforced!: boolean;
  @Field({
    description:
      'What decides enforcement: networkPolicy.enabled, ADVANCED_DATAPATH, or why neither applies.',
  })
  enforcement!: string;
}
