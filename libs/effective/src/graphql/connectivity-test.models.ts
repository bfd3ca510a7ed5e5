import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { connectivity } from '@gke-emulator/dataplane';
import { LabelModel } from '@gke-emulator/kube';

// The Network Management API v1 `ConnectivityTest` and its `ReachabilityDetails` as GraphQL types: the same JSON
// names and enum values as `/networkmanagement/v1/` (enum values described from the API's own description), with
// the emulator's documented additions for what happens inside a GKE node (kubeProxy, networkPolicy, pod).

/** A GraphQL enum of Google's values, each described as the API's description describes it. */
function googleEnum(
  name: string,
  description: string,
  values: readonly string[],
  docs: Readonly<Record<string, string>>,
): Record<string, string> {
  const enumObject = Object.fromEntries(values.map((value) => [value, value]));
  registerEnumType(enumObject, {
    name,
    description,
    valuesMap: Object.fromEntries(
      values.map((value) => [value, { description: docs[value]?.trim() || `${value} (Google's value).` }]),
    ),
  });
  return enumObject;
}

export const ReachabilityResultEnum = googleEnum(
  'ReachabilityResult',
  "A Connectivity Test's overall result (ReachabilityDetails.result).",
  connectivity.REACHABILITY_DETAILS_RESULT,
  connectivity.REACHABILITY_DETAILS_RESULT_DOCS,
);
export const StepStateEnum = googleEnum(
  'StepState',
  "What a trace step does with the packet (Google's Step.state).",
  connectivity.STEP_STATE,
  connectivity.STEP_STATE_DOCS,
);
export const DropCauseEnum = googleEnum(
  'DropCause',
  "Why a packet is dropped (Google's DropInfo.cause).",
  connectivity.DROP_INFO_CAUSE,
  connectivity.DROP_INFO_CAUSE_DOCS,
);
export const AbortCauseEnum = googleEnum(
  'AbortCause',
  "Why the analysis stopped (Google's AbortInfo.cause).",
  connectivity.ABORT_INFO_CAUSE,
  connectivity.ABORT_INFO_CAUSE_DOCS,
);
export const DeliverTargetEnum = googleEnum(
  'DeliverTarget',
  "Where a packet is delivered (Google's DeliverInfo.target).",
  connectivity.DELIVER_INFO_TARGET,
  connectivity.DELIVER_INFO_TARGET_DOCS,
);
export const ForwardTargetEnum = googleEnum(
  'ForwardTarget',
  "Where a packet is forwarded (Google's ForwardInfo.target).",
  connectivity.FORWARD_INFO_TARGET,
  connectivity.FORWARD_INFO_TARGET_DOCS,
);
export const FirewallRuleTypeEnum = googleEnum(
  'FirewallRuleType',
  "The kind of firewall rule a step applied (Google's FirewallInfo.firewallRuleType).",
  connectivity.FIREWALL_INFO_FIREWALL_RULE_TYPE,
  connectivity.FIREWALL_INFO_FIREWALL_RULE_TYPE_DOCS,
);
export const RouteTypeEnum = googleEnum(
  'TraceRouteType',
  "The type of a route a step applied (Google's RouteInfo.routeType).",
  connectivity.ROUTE_INFO_ROUTE_TYPE,
  connectivity.ROUTE_INFO_ROUTE_TYPE_DOCS,
);
export const NextHopTypeEnum = googleEnum(
  'TraceNextHopType',
  "The next hop of a route a step applied (Google's RouteInfo.nextHopType).",
  connectivity.ROUTE_INFO_NEXT_HOP_TYPE,
  connectivity.ROUTE_INFO_NEXT_HOP_TYPE_DOCS,
);
export const LoadBalancerTypeEnum = googleEnum(
  'TraceLoadBalancerType',
  "The load balancer's type (Google's LoadBalancerInfo.loadBalancerType).",
  connectivity.LOAD_BALANCER_INFO_LOAD_BALANCER_TYPE,
  connectivity.LOAD_BALANCER_INFO_LOAD_BALANCER_TYPE_DOCS,
);
export const LoadBalancerBackendTypeEnum = googleEnum(
  'TraceLoadBalancerBackendType',
  "The kind of the load balancer's backends (Google's LoadBalancerInfo.backendType).",
  connectivity.LOAD_BALANCER_INFO_BACKEND_TYPE,
  connectivity.LOAD_BALANCER_INFO_BACKEND_TYPE_DOCS,
);
export const HealthCheckFirewallStateEnum = googleEnum(
  'HealthCheckFirewallState',
  "Whether the firewall lets the health check reach a backend (Google's LoadBalancerBackend.healthCheckFirewallState).",
  connectivity.LOAD_BALANCER_BACKEND_HEALTH_CHECK_FIREWALL_STATE,
  connectivity.LOAD_BALANCER_BACKEND_HEALTH_CHECK_FIREWALL_STATE_DOCS,
);

@ObjectType('ConnectivityEndpoint', { description: 'One end of a Connectivity Test, as Google names it.' })
export class ConnectivityEndpointModel {
  @Field({
    nullable: true,
    description: 'The IP address of the endpoint (a VM, a pod, a VIP or the internet).',
  })
  ipAddress?: string;
  @Field(() => Int, { nullable: true, description: 'The port (destination port for the destination).' })
  port?: number;
  @Field({ nullable: true, description: 'A Compute Engine instance URI.' }) instance?: string;
  @Field({ nullable: true, description: 'A forwarding rule URI (destination).' }) forwardingRule?: string;
  @Field({ nullable: true, description: 'A GKE cluster URI whose control plane is the endpoint.' })
  gkeMasterCluster?: string;
  @Field({
    nullable: true,
    description:
      'A DNS name as the destination (Google: a GKE control plane’s DNS endpoint). From a pod source the emulator resolves it with the cluster’s DNS and traces each address.',
  })
  fqdn?: string;
  @Field({ nullable: true, description: 'A VPC network URI.' }) network?: string;
  @Field({ nullable: true, description: 'The project of the endpoint, when not the test’s.' })
  projectId?: string;
}

@InputType('ConnectivityEndpointInput', {
  description: 'One end of a trace or Connectivity Test: an IP address, an instance, a forwarding rule…',
})
export class ConnectivityEndpointInput {
  @Field({
    nullable: true,
    description: 'An IP address: a VM, a pod, a Service (ClusterIP, LB) or the internet.',
  })
  ipAddress?: string;
  @Field(() => Int, { nullable: true, description: 'The port (the destination port for the destination).' })
  port?: number;
  @Field({ nullable: true, description: 'A Compute Engine instance URI (`projects/p/zones/z/instances/n`).' })
  instance?: string;
  @Field({ nullable: true, description: 'A forwarding rule URI (destination only).' })
  forwardingRule?: string;
  @Field({ nullable: true, description: 'A GKE cluster URI (its control plane as the destination).' })
  gkeMasterCluster?: string;
  @Field({
    nullable: true,
    description:
      'A DNS name as the destination, resolved as the cluster’s DNS (kube-dns) answers the source pod (`ipAddress` of a pod); each address it resolves to is traced, AMBIGUOUS when they disagree. Not with `ipAddress` or `network`.',
  })
  fqdn?: string;
  @Field({ nullable: true, description: 'A VPC network URI.' }) network?: string;
  @Field({ nullable: true, description: 'The project of the endpoint, when not the test’s.' })
  projectId?: string;
}

@ObjectType('TraceEndpointInfo', { description: 'The packet a trace follows (Google’s EndpointInfo).' })
export class EndpointInfoModel {
  @Field({ nullable: true, description: 'Source IP address.' }) sourceIp?: string;
  @Field({ nullable: true, description: 'Destination IP address.' }) destinationIp?: string;
  @Field({ nullable: true, description: 'IP protocol: TCP, UDP, ICMP…' }) protocol?: string;
  @Field(() => Int, { nullable: true, description: 'Source port.' }) sourcePort?: number;
  @Field(() => Int, { nullable: true, description: 'Destination port.' }) destinationPort?: number;
  @Field({ nullable: true, description: 'URI of the source network.' }) sourceNetworkUri?: string;
  @Field({ nullable: true, description: 'URI of the destination network.' }) destinationNetworkUri?: string;
}

@ObjectType('TraceInstanceInfo', {
  description: 'A Compute Engine instance on the path (Google’s InstanceInfo).',
})
export class InstanceInfoModel {
  @Field({ description: 'Name of the instance.' }) displayName!: string;
  @Field({ description: 'URI of the instance.' }) uri!: string;
  @Field({ description: 'Name of the network interface.' }) interface!: string;
  @Field({ description: 'URI of the interface’s network.' }) networkUri!: string;
  @Field({ description: 'Internal IP address of the interface.' }) internalIp!: string;
  @Field({ nullable: true, description: 'External IP address of the interface.' }) externalIp?: string;
  @Field(() => [String], { description: 'Network tags of the instance.' }) networkTags!: string[];
  @Field({ description: 'Whether the instance is running.' }) running!: boolean;
}

@ObjectType('TraceFirewallInfo', { description: 'A firewall rule a step applied (Google’s FirewallInfo).' })
export class FirewallInfoModel {
  @Field({ description: 'The rule’s name (or an implied rule’s).' }) displayName!: string;
  @Field({ nullable: true, description: 'URI of the rule (absent for implied rules).' }) uri?: string;
  @Field({ description: 'INGRESS or EGRESS.' }) direction!: string;
  @Field({ description: 'ALLOW or DENY.' }) action!: string;
  @Field(() => Int, { description: 'The rule’s priority.' }) priority!: number;
  @Field({ nullable: true, description: 'URI of the rule’s network.' }) networkUri?: string;
  @Field(() => [String], { nullable: true, description: 'The target tags of the rule.' })
  targetTags?: string[];
  @Field(() => [String], { nullable: true, description: 'The target service accounts of the rule.' })
  targetServiceAccounts?: string[];
  @Field({ nullable: true, description: 'The firewall policy of a policy rule.' }) policy?: string;
  @Field(() => FirewallRuleTypeEnum, { description: 'The kind of rule.' }) firewallRuleType!: string;
}

@ObjectType('TraceRouteInfo', { description: 'A route a step applied (Google’s RouteInfo).' })
export class RouteInfoModel {
  @Field(() => RouteTypeEnum, { description: 'The type of the route.' }) routeType!: string;
  @Field(() => NextHopTypeEnum, { description: 'The type of its next hop.' }) nextHopType!: string;
  @Field({ description: 'NETWORK: the route is the network’s.' }) routeScope!: string;
  @Field({ description: 'Name of the route.' }) displayName!: string;
  @Field({ nullable: true, description: 'URI of the route (absent for subnet routes).' }) uri?: string;
  @Field({ description: 'The destination range, a CIDR.' }) destIpRange!: string;
  @Field({ description: 'The next hop: a URI or an IP address.' }) nextHop!: string;
  @Field({ description: 'URI of the route’s network.' }) networkUri!: string;
  @Field(() => Int, { description: 'The route’s priority.' }) priority!: number;
  @Field(() => [String], { nullable: true, description: 'The instance tags the route applies to.' })
  instanceTags?: string[];
}

@ObjectType('TraceForwardingRuleInfo', {
  description: 'A forwarding rule on the path (Google’s ForwardingRuleInfo).',
})
export class ForwardingRuleInfoModel {
  @Field({ description: 'Name of the forwarding rule.' }) displayName!: string;
  @Field({ description: 'URI of the forwarding rule.' }) uri!: string;
  @Field({ description: 'The protocol the rule matched.' }) matchedProtocol!: string;
  @Field({ description: 'The port range the rule matched.' }) matchedPortRange!: string;
  @Field({ description: 'The rule’s VIP.' }) vip!: string;
  @Field({ description: 'URI of the rule’s target.' }) target!: string;
  @Field({ nullable: true, description: 'URI of the rule’s network.' }) networkUri?: string;
  @Field({ nullable: true, description: 'The rule’s region (regional rules).' }) region?: string;
  @Field({ nullable: true, description: 'Name of the load balancer the rule belongs to.' })
  loadBalancerName?: string;
}

@ObjectType('TraceLoadBalancerBackend', { description: 'A backend of a load balancer and its health.' })
export class LoadBalancerBackendModel {
  @Field({ description: 'Name of the backend (a node VM).' }) displayName!: string;
  @Field({ description: 'URI of the backend.' }) uri!: string;
  @Field(() => HealthCheckFirewallStateEnum, { description: 'Whether the firewall admits the health check.' })
  healthCheckFirewallState!: string;
  @Field(() => [String], { description: 'Firewall rules allowing the health check.' })
  healthCheckAllowingFirewallRules!: string[];
  @Field(() => [String], { description: 'Firewall rules blocking the health check.' })
  healthCheckBlockingFirewallRules!: string[];
  @Field({ description: 'Emulator addition: HEALTHY or UNHEALTHY.' }) healthState!: string;
  @Field({
    description: 'Emulator addition: why, e.g. no ready local endpoint (externalTrafficPolicy: Local).',
  })
  healthDetail!: string;
}

@ObjectType('TraceLoadBalancerInfo', {
  description: 'A load balancer on the path (Google’s LoadBalancerInfo).',
})
export class LoadBalancerInfoModel {
  @Field(() => LoadBalancerTypeEnum, { description: 'The load balancer’s type.' }) loadBalancerType!: string;
  @Field({ nullable: true, description: 'URI of its health check.' }) healthCheckUri?: string;
  @Field(() => [LoadBalancerBackendModel], { description: 'Its backends, with their health.' })
  backends!: LoadBalancerBackendModel[];
  @Field(() => LoadBalancerBackendTypeEnum, { description: 'The kind of its backends.' })
  backendType!: string;
  @Field({ description: 'URI of the backend service or target pool.' }) backendUri!: string;
}

@ObjectType('TraceNetworkInfo', { description: 'A VPC network on the path (Google’s NetworkInfo).' })
export class NetworkInfoModel {
  @Field({ description: 'Name of the network.' }) displayName!: string;
  @Field({ description: 'URI of the network.' }) uri!: string;
  @Field({ nullable: true, description: 'The subnet range the address matched.' }) matchedIpRange?: string;
}

@ObjectType('TraceDeliverInfo', { description: 'Where the packet is delivered (Google’s DeliverInfo).' })
export class DeliverInfoModel {
  @Field(() => DeliverTargetEnum, { description: 'The kind of target.' }) target!: string;
  @Field({ nullable: true, description: 'URI of the target.' }) resourceUri?: string;
  @Field({ nullable: true, description: 'IP address of the target.' }) ipAddress?: string;
}

@ObjectType('TraceForwardInfo', { description: 'Where the packet is forwarded (Google’s ForwardInfo).' })
export class ForwardInfoModel {
  @Field(() => ForwardTargetEnum, { description: 'The kind of target.' }) target!: string;
  @Field({ nullable: true, description: 'URI of the target.' }) resourceUri?: string;
  @Field({ nullable: true, description: 'IP address of the target.' }) ipAddress?: string;
}

@ObjectType('TraceDropInfo', { description: 'Why the packet is dropped (Google’s DropInfo).' })
export class DropInfoModel {
  @Field(() => DropCauseEnum, { description: 'The cause.' }) cause!: string;
  @Field({ nullable: true, description: 'URI of the resource that drops it.' }) resourceUri?: string;
  @Field({ nullable: true, description: 'Source IP address of the dropped packet.' }) sourceIp?: string;
  @Field({ nullable: true, description: 'Destination IP address of the dropped packet.' })
  destinationIp?: string;
  @Field({ nullable: true, description: 'Region of the dropping resource.' }) region?: string;
}

@ObjectType('TraceAbortInfo', { description: 'Why the analysis stopped (Google’s AbortInfo).' })
export class AbortInfoModel {
  @Field(() => AbortCauseEnum, { description: 'The cause.' }) cause!: string;
  @Field({ nullable: true, description: 'URI of the resource that caused it.' }) resourceUri?: string;
  @Field({ nullable: true, description: 'The IP address that caused it.' }) ipAddress?: string;
}

@ObjectType('TraceKubeProxyEndpoint', {
  description: 'An endpoint kube-proxy’s DNAT may pick, and its chance.',
})
export class KubeProxyEndpointModel {
  @Field({ description: 'The endpoint’s IP address.' }) ip!: string;
  @Field(() => Int, { description: 'The endpoint’s port.' }) port!: number;
  @Field(() => Float, { description: 'The chance the DNAT picks it (0–1).' }) probability!: number;
  @Field({ nullable: true, description: 'The endpoint’s pod, namespace/name.' }) pod?: string;
  @Field({ nullable: true, description: 'The node the endpoint runs on.' }) node?: string;
}

@ObjectType('TraceKubeProxyInfo', {
  description: 'Emulator addition: kube-proxy’s iptables on a node, as its packet tracer walked them.',
})
export class KubeProxyStepInfoModel {
  @Field({ description: 'The node.' }) node!: string;
  @Field({ nullable: true, description: 'The Service port whose rules matched, namespace/name:port.' })
  servicePort?: string;
  @Field(() => [String], { description: 'table:chain in the order the packet entered them.' })
  chains!: string[];
  @Field({ description: 'DNAT, ACCEPT, DROP, REJECT or NONE.' }) verdict!: string;
  @Field(() => [KubeProxyEndpointModel], { description: 'Every endpoint the DNAT may pick.' })
  endpoints!: KubeProxyEndpointModel[];
  @Field({ nullable: true, description: 'The endpoint this trace follows, ip:port.' })
  chosenEndpoint?: string;
  @Field({ description: 'The packet leaves with the node’s address as source (KUBE-MARK-MASQ).' })
  masquerade!: boolean;
}

@ObjectType('TraceNetworkPolicyInfo', { description: 'Emulator addition: one side’s NetworkPolicy verdict.' })
export class NetworkPolicyStepInfoModel {
  @Field({ description: 'The pod whose policies apply, namespace/name.' }) pod!: string;
  @Field({ description: 'ingress or egress.' }) direction!: string;
  @Field({
    description: 'False when the cluster does not enforce NetworkPolicy (the verdict is what it would be).',
  })
  enforced!: boolean;
  @Field({ description: 'What decides enforcement: networkPolicy.enabled, ADVANCED_DATAPATH, or neither.' })
  enforcement!: string;
  @Field({ description: 'Whether the policies let the packet pass.' }) allowed!: boolean;
  @Field({
    description: 'not-isolated, allowed-by-rule, no-matching-rule, local-node, same-pod or not-a-pod.',
  })
  decision!: string;
  @Field(() => [String], { description: 'The policies isolating the pod, namespace/name.' })
  isolatingPolicies!: string[];
  @Field(() => [String], { description: 'The rules allowing the packet.' }) allowingRules!: string[];
}

@ObjectType('TracePodInfo', { description: 'Emulator addition: the pod at an end of the trace.' })
export class PodStepInfoModel {
  @Field({ description: 'The pod’s namespace.' }) namespace!: string;
  @Field({ description: 'The pod’s name.' }) name!: string;
  @Field({ description: 'The pod’s IP address.' }) ip!: string;
  @Field({ nullable: true, description: 'The node the pod runs on.' }) node?: string;
}

@ObjectType('ProxyConnectionStepInfo', {
  description:
    'A proxy ends the client’s connection and opens its own to the backend (Google’s ProxyConnectionInfo).',
})
export class ProxyConnectionInfoModel {
  @Field({ description: 'The protocol.' }) protocol!: string;
  @Field({ description: 'The client’s source address.' }) oldSourceIp!: string;
  @Field({ description: 'The proxy’s source address towards the backend.' }) newSourceIp!: string;
  @Field({ description: 'The address the client connected to.' }) oldDestinationIp!: string;
  @Field({ description: 'The backend address the proxy connects to.' }) newDestinationIp!: string;
  @Field(() => Int, { nullable: true, description: 'The port the client connected to.' })
  oldDestinationPort?: number;
  @Field(() => Int, { nullable: true, description: 'The backend port.' }) newDestinationPort?: number;
}

@ObjectType('TraceHttpRequest', { description: 'The HTTP request a trace carries through a load balancer.' })
export class TraceHttpRequestModel {
  @Field({ description: 'The method.' }) method!: string;
  @Field({ description: 'The Host header.' }) host!: string;
  @Field({ description: 'The path and query.' }) path!: string;
  @Field({ description: 'http or https.' }) scheme!: string;
  @Field({ description: 'The client address the load balancer sees.' }) sourceIp!: string;
  @Field({ nullable: true, description: 'The identity IAP sees.' }) identity?: string;
}

@ObjectType('HttpStepInfo', {
  description: 'Emulator addition: the HTTP request and how the load balancer’s URL map routed it.',
})
export class HttpStepInfoModel {
  @Field(() => TraceHttpRequestModel, { description: 'The request.' }) request!: TraceHttpRequestModel;
  @Field({ description: 'The target proxy.' }) targetProxy!: string;
  @Field({ description: 'The URL map.' }) urlMap!: string;
  @Field({ nullable: true, description: 'The host rule that matched (absent: the map’s defaults).' })
  hostRule?: string;
  @Field({ nullable: true, description: 'The path matcher used.' }) pathMatcher?: string;
  @Field({ description: 'What decided: a path rule, a route rule, or the default service.' })
  matched!: string;
  @Field({ nullable: true, description: 'The backend service the request goes to.' }) backendService?: string;
}

@ObjectType('ArmorRedirect', { description: 'Where a Cloud Armor or URL-map redirect sends the client.' })
export class ArmorRedirectModel {
  @Field({ description: 'The redirect type (EXTERNAL_302, GOOGLE_RECAPTCHA).' }) type!: string;
  @Field({ nullable: true, description: 'The target URL.' }) target?: string;
}

@ObjectType('ArmorRateLimitStanding', {
  description: 'Where a throttle or rate-based-ban rule stands for this request’s key.',
})
export class ArmorRateLimitModel {
  @Field({ description: 'conform, exceed or banned.' }) verdict!: string;
  @Field({ description: 'The key the requests are counted by.' }) key!: string;
  @Field(() => [String], { description: 'The key types of the rule.' }) keyTypes!: string[];
  @Field(() => Int, { description: 'Requests counted in the interval.' }) count!: number;
  @Field(() => Int, { description: 'The rule’s threshold.' }) threshold!: number;
  @Field(() => Int, { description: 'The interval, in seconds.' }) intervalSec!: number;
  @Field({ nullable: true, description: 'Banned until this time (rate_based_ban).' }) bannedUntil?: string;
}

@ObjectType('ArmorRuleReport', {
  description: 'A Cloud Armor rule as it decided (or, in preview, would decide).',
})
export class ArmorRuleReportModel {
  @Field(() => Int, { description: 'The rule’s priority.' }) priority!: number;
  @Field({ description: 'The rule’s description.' }) description!: string;
  @Field({ description: 'The action on the wire: allow, deny(403), redirect, throttle, rate_based_ban.' })
  action!: string;
  @Field({ description: 'A preview rule: logged, not applied.' }) preview!: boolean;
  @Field({ description: '`srcIpRanges: …` or `expr: …`.' }) match!: string;
  @Field({ description: 'What the rule does to this request: allow, deny or redirect.' }) outcome!: string;
  @Field(() => Int, { nullable: true, description: 'For deny: the HTTP status.' }) status?: number;
  @Field(() => ArmorRedirectModel, { nullable: true, description: 'For redirect: where.' })
  redirect?: ArmorRedirectModel;
  @Field(() => ArmorRateLimitModel, { nullable: true, description: 'For throttle and rate_based_ban.' })
  rateLimit?: ArmorRateLimitModel;
}

@ObjectType('ArmorRuleError', { description: 'A rule whose expression failed on this request (no match).' })
export class ArmorRuleErrorModel {
  @Field(() => Int, { description: 'The rule’s priority.' }) priority!: number;
  @Field({ description: 'The error.' }) message!: string;
}

@ObjectType('CloudArmorStepInfo', {
  description: 'Emulator addition: Cloud Armor on the backend service, as it decided this request.',
})
export class CloudArmorStepInfoModel {
  @Field({ description: 'The security policy.' }) securityPolicy!: string;
  @Field({ description: 'What happens to the request: allow, deny or redirect.' }) outcome!: string;
  @Field(() => Int, { nullable: true, description: 'For deny: the HTTP status the load balancer answers.' })
  status?: number;
  @Field(() => ArmorRedirectModel, { nullable: true, description: 'For redirect: where.' })
  redirect?: ArmorRedirectModel;
  @Field(() => ArmorRuleReportModel, {
    nullable: true,
    description: 'The enforced rule that decided (absent: no rule matched).',
  })
  matchedRule?: ArmorRuleReportModel;
  @Field(() => [ArmorRuleReportModel], { description: 'Every preview rule that matched (not applied).' })
  previewMatches!: ArmorRuleReportModel[];
  @Field(() => [ArmorRuleErrorModel], { description: 'Rules whose expression failed on this request.' })
  errors!: ArmorRuleErrorModel[];
}

@ObjectType('IapStepInfo', { description: 'Emulator addition: Identity-Aware Proxy on the backend service.' })
export class IapStepInfoModel {
  @Field({ description: 'IAP is on for the backend service.' }) enabled!: boolean;
  @Field({ nullable: true, description: 'The identity the request carried.' }) identity?: string;
  @Field({ description: 'IAP lets the request through.' }) allowed!: boolean;
  @Field({ description: 'Why.' }) detail!: string;
}

@ObjectType('TraceStep', {
  description: 'One step of a trace (Google’s Step): its state and the info of it.',
})
export class StepModel {
  @Field({ description: 'What the step does, in words.' }) description!: string;
  @Field(() => StepStateEnum, { description: 'The step’s state, one of Google’s values.' }) state!: string;
  @Field({ description: 'This step drops the packet.' }) causesDrop!: boolean;
  @Field({ description: 'The project the step’s resource belongs to.' }) projectId!: string;
  @Field(() => InstanceInfoModel, { nullable: true, description: 'The instance of the step.' })
  instance?: InstanceInfoModel;
  @Field(() => FirewallInfoModel, { nullable: true, description: 'The firewall rule of the step.' })
  firewall?: FirewallInfoModel;
  @Field(() => RouteInfoModel, { nullable: true, description: 'The route of the step.' })
  route?: RouteInfoModel;
  @Field(() => EndpointInfoModel, { nullable: true, description: 'The packet at a start step.' })
  endpoint?: EndpointInfoModel;
  @Field(() => ForwardingRuleInfoModel, { nullable: true, description: 'The forwarding rule of the step.' })
  forwardingRule?: ForwardingRuleInfoModel;
  @Field(() => LoadBalancerInfoModel, { nullable: true, description: 'The load balancer of the step.' })
  loadBalancer?: LoadBalancerInfoModel;
  @Field(() => NetworkInfoModel, { nullable: true, description: 'The network of the step.' })
  network?: NetworkInfoModel;
  @Field(() => DeliverInfoModel, { nullable: true, description: 'Where the packet is delivered.' })
  deliver?: DeliverInfoModel;
  @Field(() => ForwardInfoModel, { nullable: true, description: 'Where the packet is forwarded.' })
  forward?: ForwardInfoModel;
  @Field(() => DropInfoModel, { nullable: true, description: 'Why the packet is dropped.' })
  drop?: DropInfoModel;
  @Field(() => AbortInfoModel, { nullable: true, description: 'Why the analysis stopped.' })
  abort?: AbortInfoModel;
  @Field(() => KubeProxyStepInfoModel, {
    nullable: true,
    description: 'Emulator addition: kube-proxy on a node.',
  })
  kubeProxy?: KubeProxyStepInfoModel;
  @Field(() => NetworkPolicyStepInfoModel, {
    nullable: true,
    description: 'Emulator addition: NetworkPolicy.',
  })
  networkPolicy?: NetworkPolicyStepInfoModel;
  @Field(() => PodStepInfoModel, { nullable: true, description: 'Emulator addition: the pod of the step.' })
  pod?: PodStepInfoModel;
  @Field(() => ProxyConnectionInfoModel, { nullable: true, description: 'The proxy connection of the step.' })
  proxyConnection?: ProxyConnectionInfoModel;
  @Field(() => HttpStepInfoModel, {
    nullable: true,
    description: 'Emulator addition: the HTTP request and the URL map’s routing.',
  })
  http?: HttpStepInfoModel;
  @Field(() => CloudArmorStepInfoModel, { nullable: true, description: 'Emulator addition: Cloud Armor.' })
  cloudArmor?: CloudArmorStepInfoModel;
  @Field(() => IapStepInfoModel, { nullable: true, description: 'Emulator addition: Identity-Aware Proxy.' })
  iap?: IapStepInfoModel;
}

@ObjectType('Trace', { description: 'One path of the packet (Google’s Trace).' })
export class TraceModel {
  @Field(() => EndpointInfoModel, { description: 'The packet the trace follows.' })
  endpointInfo!: EndpointInfoModel;
  @Field(() => [StepModel], { description: 'The steps, in order.' }) steps!: StepModel[];
  @Field(() => Float, {
    nullable: true,
    description:
      'Emulator addition: the chance this path is taken (load balancer and kube-proxy picks multiplied).',
  })
  probability?: number;
}

@ObjectType('ReachabilityError', { description: 'Why the analysis could not run.' })
export class ReachabilityErrorModel {
  @Field(() => Int, { description: 'A google.rpc.Code.' }) code!: number;
  @Field({ description: 'The message.' }) message!: string;
}

@ObjectType('ReachabilityDetails', {
  description: 'The result of a Connectivity Test or trace (Google’s ReachabilityDetails).',
})
export class ReachabilityDetailsModel {
  @Field(() => ReachabilityResultEnum, { description: 'REACHABLE, UNREACHABLE, AMBIGUOUS or UNDETERMINED.' })
  result!: string;
  @Field({ nullable: true, description: 'When the analysis ran (RFC 3339).' }) verifyTime?: string;
  @Field(() => [TraceModel], { description: 'One trace per path the packet may take.' })
  traces!: TraceModel[];
  @Field(() => ReachabilityErrorModel, { nullable: true, description: 'Why the analysis could not run.' })
  error?: ReachabilityErrorModel;
}

@ObjectType('ConnectivityTest', {
  description: 'A saved Connectivity Test (Network Management API v1), rerun when its inputs change.',
})
export class ConnectivityTestModel {
  @Field({ description: 'Its resource name: projects/{p}/locations/global/connectivityTests/{id}.' })
  name!: string;
  @Field({ description: 'Its id (the last part of its name).' }) displayName!: string;
  @Field({ nullable: true, description: 'What the test is for.' }) description?: string;
  @Field(() => ConnectivityEndpointModel, { description: 'Where the packet starts.' })
  source!: ConnectivityEndpointModel;
  @Field(() => ConnectivityEndpointModel, { description: 'Where the packet goes.' })
  destination!: ConnectivityEndpointModel;
  @Field({ description: 'IP protocol: TCP, UDP, ICMP, ESP, AH, SCTP, IPIP or GRE.' }) protocol!: string;
  @Field(() => [String], { description: 'Other projects the test may cross.' }) relatedProjects!: string[];
  @Field(() => [LabelModel], { description: 'Its labels.' }) labels!: LabelModel[];
  @Field({ description: 'When it was created (RFC 3339).' }) createTime!: string;
  @Field({ description: 'When it was last changed or rerun (RFC 3339).' }) updateTime!: string;
  @Field(() => ReachabilityDetailsModel, { description: 'The result of its latest run.' })
  reachabilityDetails!: ReachabilityDetailsModel;
  @Field({ description: 'The return path is analysed too.' }) roundTrip!: boolean;
  @Field({ description: 'Firewall rules are not checked.' }) bypassFirewallChecks!: boolean;
}

@ObjectType('ConnectivityTestChange', { description: "A saved test's result changed: its new state." })
export class ConnectivityTestChangeModel {
  @Field({ description: 'The project of the test.' }) project!: string;
  @Field({ description: "The test's id." }) test!: string;
  @Field(() => ReachabilityResultEnum, { nullable: true, description: 'The result before the change.' })
  previousResult?: string;
  @Field(() => ConnectivityTestModel, { description: 'The test with its new result.' })
  connectivityTest!: ConnectivityTestModel;
}

@InputType('ConnectivityTestInput', {
  description: 'A Connectivity Test to create (Google’s ConnectivityTest).',
})
export class ConnectivityTestInput {
  @Field(() => ConnectivityEndpointInput, { description: 'Where the packet starts.' })
  source!: ConnectivityEndpointInput;
  @Field(() => ConnectivityEndpointInput, { description: 'Where the packet goes (its port for TCP/UDP).' })
  destination!: ConnectivityEndpointInput;
  @Field({
    nullable: true,
    description: 'IP protocol (default TCP): TCP, UDP, ICMP, ESP, AH, SCTP, IPIP, GRE.',
  })
  protocol?: string;
  @Field({ nullable: true, description: 'What the test is for (at most 512 characters).' })
  description?: string;
  @Field(() => [String], { nullable: true, description: 'Other projects the test may cross.' })
  relatedProjects?: string[];
  @Field({ nullable: true, description: 'Analyse the return path too.' }) roundTrip?: boolean;
  @Field({ nullable: true, description: 'Do not check firewall rules.' }) bypassFirewallChecks?: boolean;
}

@InputType('HttpHeaderInput', { description: 'One HTTP request header.' })
export class HttpHeaderInput {
  @Field({ description: 'The header name.' }) name!: string;
  @Field({ description: 'The header value.' }) value!: string;
}

@InputType('HttpRequestInput', {
  description: 'An HTTP request a trace carries through HTTP(S) load balancers (URL map, Cloud Armor, IAP).',
})
export class HttpRequestInput {
  @Field({ nullable: true, description: 'The method (default GET).' }) method?: string;
  @Field({ nullable: true, description: 'The Host header.' }) host?: string;
  @Field({ nullable: true, description: 'The path and query (default /).' }) path?: string;
  @Field(() => [HttpHeaderInput], { nullable: true, description: 'Other request headers.' })
  headers?: HttpHeaderInput[];
  @Field({ nullable: true, description: 'http or https (default: as the load balancer serves).' })
  scheme?: string;
  @Field({
    nullable: true,
    description: 'The identity IAP sees (an email); without one, IAP refuses the request as Google does.',
  })
  identity?: string;
  @Field({
    nullable: true,
    description: "The client's region as Cloud Armor sees it (ISO 3166-1 alpha-2, e.g. US).",
  })
  regionCode?: string;
}
