// What a connectivity trace reads: the project's networks, the VMs (GKE nodes) with their effective firewall and
// routing table, the L4 forwarding rules with their backends, and each cluster's kube-proxy rules and NetworkPolicy
// state. Callers assemble these from stored state; the composer only reads them.
import type { IptablesDump, KubeEndpointSlice, KubeService } from '../kube-proxy';
import type { CompiledCluster } from '../netpol';
import type { InstanceFirewall, InstanceRoutingTable } from '../vpc';

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
}

export interface TraceQuery {
  source: TraceEndpointSpec;
  destination: TraceEndpointSpec;
  /** TCP when absent. */
  protocol?: string;
  bypassFirewallChecks?: boolean;
}
