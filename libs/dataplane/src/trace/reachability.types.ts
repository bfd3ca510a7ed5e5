// The Network Management API v1 `ReachabilityDetails` as Connectivity Tests return it (JSON names), with the
// emulator's documented additions for what happens inside a GKE node, which Google does not model: `kubeProxy`,
// `networkPolicy` and `pod` on a step, `healthState` on a load-balancer backend, `probability` on a trace. Every
// `state` and enum stays within Google's values, so generated clients (gcloud's) accept them.
import type { ArmorDecisionReport } from '../cloud-armor';
import type {
  AbortInfoCause,
  DeliverInfoTarget,
  DropInfoCause,
  FirewallInfoFirewallRuleType,
  ForwardInfoTarget,
  LoadBalancerBackendHealthCheckFirewallState,
  LoadBalancerInfoBackendType,
  LoadBalancerInfoLoadBalancerType,
  ReachabilityDetailsResult,
  RouteInfoNextHopType,
  RouteInfoRouteType,
  StepState,
} from './network-management-enums.generated';

export interface EndpointInfo {
  sourceIp?: string;
  destinationIp?: string;
  protocol?: string;
  sourcePort?: number;
  destinationPort?: number;
  sourceNetworkUri?: string;
  destinationNetworkUri?: string;
}

export interface InstanceInfo {
  displayName: string;
  uri: string;
  interface: string;
  networkUri: string;
  internalIp: string;
  externalIp?: string;
  networkTags: string[];
  running: boolean;
}

export interface FirewallInfo {
  displayName: string;
  uri?: string;
  direction: 'INGRESS' | 'EGRESS';
  action: 'ALLOW' | 'DENY';
  priority: number;
  networkUri?: string;
  targetTags?: string[];
  targetServiceAccounts?: string[];
  policy?: string;
  firewallRuleType: FirewallInfoFirewallRuleType;
}

export interface RouteInfo {
  routeType: RouteInfoRouteType;
  nextHopType: RouteInfoNextHopType;
  routeScope: 'NETWORK';
  displayName: string;
  uri?: string;
  destIpRange: string;
  nextHop: string;
  networkUri: string;
  priority: number;
  instanceTags?: string[];
}

export interface ForwardingRuleInfo {
  displayName: string;
  uri: string;
  matchedProtocol: string;
  matchedPortRange: string;
  vip: string;
  target: string;
  networkUri?: string;
  region?: string;
  loadBalancerName?: string;
}

/** Emulator addition: whether a backend passes its health check, and why. */
export type BackendHealthState = 'HEALTHY' | 'UNHEALTHY';

export interface LoadBalancerBackend {
  displayName: string;
  uri: string;
  healthCheckFirewallState: LoadBalancerBackendHealthCheckFirewallState;
  healthCheckAllowingFirewallRules: string[];
  healthCheckBlockingFirewallRules: string[];
  /** Emulator addition. */
  healthState: BackendHealthState;
  /** Emulator addition: the reason, e.g. "no ready endpoint of default/web on this node (externalTrafficPolicy: Local)". */
  healthDetail: string;
}

export interface LoadBalancerInfo {
  loadBalancerType: LoadBalancerInfoLoadBalancerType;
  healthCheckUri?: string;
  backends: LoadBalancerBackend[];
  backendType: LoadBalancerInfoBackendType;
  backendUri: string;
}

export interface DeliverInfo {
  target: DeliverInfoTarget;
  resourceUri?: string;
  ipAddress?: string;
}

export interface ForwardInfo {
  target: ForwardInfoTarget;
  resourceUri?: string;
  ipAddress?: string;
}

export interface DropInfo {
  cause: DropInfoCause;
  resourceUri?: string;
  sourceIp?: string;
  destinationIp?: string;
  region?: string;
}

export interface AbortInfo {
  cause: AbortInfoCause;
  resourceUri?: string;
  ipAddress?: string;
}

export interface NetworkInfo {
  displayName: string;
  uri: string;
  matchedIpRange?: string;
}

/** Emulator addition: kube-proxy's iptables on a node, as its packet tracer walked them. */
export interface KubeProxyStepInfo {
  node: string;
  /** The Service port whose rules matched, as "namespace/name:port". */
  servicePort?: string;
  /** "table:chain" in the order the packet entered them. */
  chains: string[];
  verdict: 'DNAT' | 'ACCEPT' | 'DROP' | 'REJECT' | 'NONE';
  /** Every endpoint the DNAT may pick, with the chance of each (kube-proxy's random mode). */
  endpoints: { ip: string; port: number; probability: number; pod?: string; node?: string }[];
  /** The endpoint this trace follows. */
  chosenEndpoint?: string;
  /** KUBE-MARK-MASQ was hit: the packet leaves with the node's address as source. */
  masquerade: boolean;
}

/** Emulator addition: one side's NetworkPolicy verdict. */
export interface NetworkPolicyStepInfo {
  /** "namespace/name" of the pod whose policies apply. */
  pod: string;
  direction: 'ingress' | 'egress';
  /** False when the cluster does not enforce NetworkPolicy: the verdict is what enforcement would say. */
  enforced: boolean;
  /** What decides enforcement: `networkPolicy.enabled`, `ADVANCED_DATAPATH`, or neither. */
  enforcement: string;
  allowed: boolean;
  decision: string;
  isolatingPolicies: string[];
  allowingRules: string[];
}

/** Emulator addition: the pod at an end of the trace. */
export interface PodStepInfo {
  namespace: string;
  name: string;
  ip: string;
  node?: string;
}

/** Google's ProxyConnectionInfo: the proxy ends the client's connection and opens its own to the backend. */
export interface ProxyConnectionInfo {
  protocol: string;
  oldSourceIp: string;
  newSourceIp: string;
  oldDestinationIp: string;
  newDestinationIp: string;
  oldDestinationPort?: number;
  newDestinationPort?: number;
}

/** Emulator addition: the HTTP request and how the load balancer's URL map routed it. */
export interface HttpStepInfo {
  request: {
    method: string;
    host: string;
    path: string;
    scheme: string;
    sourceIp: string;
    headers: Record<string, string>;
    identity?: string;
  };
  targetProxy: string;
  urlMap: string;
  /** The host rule that matched, as `hostRules[i] pattern`, or absent (the map's defaults). */
  hostRule?: string;
  pathMatcher?: string;
  /** What decided: `pathRules[0] /api/*`, `routeRules[priority 1]`, `defaultService`… */
  matched: string;
  backendService?: string;
  /** A URL-map redirect answered by the load balancer (no backend sees the request). */
  redirect?: { location: string; responseCode: string };
}

/**
 * Emulator addition: Cloud Armor on the backend service, as it decided this request: the policy, the enforced rule
 * (priority, action, match, rate-limit standing), the outcome, and every preview rule that matched (not applied).
 */
export interface CloudArmorStepInfo extends ArmorDecisionReport {
  securityPolicy: string;
}

/** Emulator addition: Identity-Aware Proxy on the backend service. */
export interface IapStepInfo {
  enabled: boolean;
  identity?: string;
  allowed: boolean;
  /** Why: no identity → IAP answers 302 to sign-in (browsers) or 401. */
  detail: string;
}

export interface Step {
  description: string;
  state: StepState;
  causesDrop: boolean;
  projectId: string;
  instance?: InstanceInfo;
  firewall?: FirewallInfo;
  route?: RouteInfo;
  endpoint?: EndpointInfo;
  forwardingRule?: ForwardingRuleInfo;
  loadBalancer?: LoadBalancerInfo;
  network?: NetworkInfo;
  deliver?: DeliverInfo;
  forward?: ForwardInfo;
  drop?: DropInfo;
  abort?: AbortInfo;
  kubeProxy?: KubeProxyStepInfo;
  networkPolicy?: NetworkPolicyStepInfo;
  pod?: PodStepInfo;
  proxyConnection?: ProxyConnectionInfo;
  http?: HttpStepInfo;
  cloudArmor?: CloudArmorStepInfo;
  iap?: IapStepInfo;
}

export interface Trace {
  endpointInfo: EndpointInfo;
  steps: Step[];
  /** Emulator addition: the chance this path is taken (load balancer and kube-proxy picks multiplied). */
  probability?: number;
}

export interface ReachabilityDetails {
  result: ReachabilityDetailsResult;
  verifyTime?: string;
  traces: Trace[];
  error?: { code: number; message: string };
}
