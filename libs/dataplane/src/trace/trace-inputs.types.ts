// What a connectivity trace reads: the project's networks, the VMs (GKE nodes) with their effective firewall and
// routing table, the L4 forwarding rules with their backends, and each cluster's kube-proxy rules and NetworkPolicy
// state. Callers assemble these from stored state; the composer only reads them.
import type { IptablesDump, KubeEndpointSlice, KubeService } from '../kube-proxy';
import type { CompiledCluster } from '../netpol';
import type { SecurityPolicyRule } from '../cloud-armor';
import type { InstanceFirewall, InstanceRoutingTable } from '../vpc';
import type { UrlMapSpec } from './url-map.matcher';

export interface TraceNetwork {
  name: string;
  /** `projects/p/global/networks/n` */
  uri: string;
  /** Every subnet range (primary and secondary) of the network, as CIDRs. */
  ranges: readonly string[];
}

export interface TraceInstance {
  name: string;
  /** `projects/p/zones/z/instances/n` */
  uri: string;
  networkUri: string;
  internalIp: string;
  externalIp?: string;
  tags: readonly string[];
  serviceAccount?: string;
  running: boolean;
  firewall: InstanceFirewall;
  routing: InstanceRoutingTable;
  /** The GKE cluster (its `TraceCluster.uri`) this VM is a node of. */
  cluster?: string;
}

export interface TraceLoadBalancerBackends {
  loadBalancerType: 'NETWORK_TCP_UDP' | 'INTERNAL_TCP_UDP';
  backendType: 'TARGET_POOL' | 'BACKEND_SERVICE';
  /** The target pool or backend service. */
  backendUri: string;
  healthCheckUri?: string;
  /** The port the health check probes (kube-proxy's 10256, or a Service's healthCheckNodePort). */
  healthCheckPort?: number;
  /** Where the probes come from (Google's health-check ranges). */
  healthCheckSourceRanges: readonly string[];
  /** Instance URIs. */
  backends: readonly string[];
}

export interface TraceForwardingRule {
  name: string;
  uri: string;
  region?: string;
  ip: string;
  /** `IPProtocol`: TCP, UDP, L3_DEFAULT… */
  protocol: string;
  portRange?: string;
  ports?: readonly string[];
  allPorts?: boolean;
  scheme: 'EXTERNAL' | 'INTERNAL';
  networkUri?: string;
  /** The target pool or backend service URI. */
  target: string;
  loadBalancer: TraceLoadBalancerBackends | null;
  /** When the target is a target HTTP(S) proxy: the Application Load Balancer behind it. */
  http?: TraceHttpLoadBalancer;
}

/** A Cloud Armor security policy attached to a backend service, its rules validated. */
export interface TraceSecurityPolicy {
  name: string;
  uri: string;
  rules: readonly SecurityPolicyRule[];
}

/** A backend service of an Application Load Balancer (GKE Ingress: a NodePort Service on the instance groups). */
export interface TraceHttpBackendService {
  name: string;
  uri: string;
  /** The port on the backend instances (the instance group's named port: the Service's NodePort). */
  port: number;
  healthCheckUri?: string;
  healthCheckPort?: number;
  /** Instance URIs. */
  backends: readonly string[];
  securityPolicy?: TraceSecurityPolicy;
  /** A security policy the backend service names but that does not exist. */
  missingSecurityPolicy?: string;
  iap?: { enabled: boolean };
}

/** The target HTTP(S) proxy, its URL map and the backend services the map routes to. */
export interface TraceHttpLoadBalancer {
  loadBalancerType:
    | 'HTTPS_LOAD_BALANCER'
    | 'HTTPS_ADVANCED_LOAD_BALANCER'
    | 'REGIONAL_HTTPS_LOAD_BALANCER'
    | 'INTERNAL_HTTPS_LOAD_BALANCER';
  /** `projects/p/global/targetHttpProxies/n` or `…/targetHttpsProxies/n`. */
  targetProxyUri: string;
  urlMapUri: string;
  urlMap: UrlMapSpec;
  /** By relative URI (`projects/p/global/backendServices/n`). */
  backendServices: Readonly<Record<string, TraceHttpBackendService>>;
}

/**
 * Emulator extension: the HTTP request a test sends through an Application Load Balancer. Absent on an HTTP
 * load balancer's path, the trace sends `GET /` with the destination address as Host and no identity.
 */
export interface TraceHttpRequest {
  method?: string;
  /** The Host header; the destination IP when absent. */
  host?: string;
  /** The path, optionally with `?query`. */
  path?: string;
  headers?: Readonly<Record<string, string>>;
  /** `http` or `https`; from the target proxy when absent. */
  scheme?: string;
  /** The identity IAP sees (e.g. `user:alice@example.com`); without one IAP refuses the request. */
  identity?: string;
  /** Cloud Armor `origin.region_code`. */
  regionCode?: string;
}

/** How a cluster enforces NetworkPolicy: only with the addon enabled or Dataplane V2. */
export interface NetworkPolicyEnforcement {
  enforced: boolean;
  /** `networkPolicy.enabled`, `ADVANCED_DATAPATH`, or `not enabled`. */
  mode: string;
}

export interface TraceCluster {
  name: string;
  /** `projects/p/locations/l/clusters/c` */
  uri: string;
  networkUri: string;
  networkPolicy: NetworkPolicyEnforcement;
  /** Pods, their IPs and nodes, and the compiled NetworkPolicies. */
  policies: CompiledCluster;
  services: readonly KubeService[];
  endpointSlices: readonly KubeEndpointSlice[];
  /** The Services range (ClusterIPs). */
  servicesRange?: string;
  /** kube-proxy's rules on a node and the node's local addresses; the caller may cache them. */
  nodeIptables(node: string): { dump: IptablesDump; localAddresses: readonly string[] };
}

export interface TraceInputs {
  project: string;
  networks: readonly TraceNetwork[];
  instances: readonly TraceInstance[];
  forwardingRules: readonly TraceForwardingRule[];
  clusters: readonly TraceCluster[];
}

/** A Connectivity Test's `source`/`destination`, as far as the emulator models them. */
export interface TraceEndpointSpec {
  ipAddress?: string;
  port?: number;
  /** An instance URI (`projects/p/zones/z/instances/n`, full URLs accepted). */
  instance?: string;
  /** A forwarding rule URI (destination only). */
  forwardingRule?: string;
  network?: string;
  projectId?: string;
  /**
   * A DNS name (destination only). The emulator resolves it from a pod source with the cluster's DNS (see
   * composeReachabilityToName); composeReachability itself traces addresses and ignores it.
   */
  fqdn?: string;
  /** A GKE cluster URI: with `fqdn`, the cluster whose DNS answers. */
  gkeMasterCluster?: string;
}

export interface TraceQuery {
  source: TraceEndpointSpec;
  destination: TraceEndpointSpec;
  /** TCP when absent. */
  protocol?: string;
  bypassFirewallChecks?: boolean;
  /** Emulator extension: the HTTP request, for a destination behind an HTTP(S) load balancer. */
  http?: TraceHttpRequest;
}
