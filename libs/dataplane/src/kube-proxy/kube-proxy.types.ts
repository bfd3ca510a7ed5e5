// The inputs kube-proxy's iptables mode reads: Services, EndpointSlices, its own flags (the same on every
// node of a cluster) and what it knows about the node it runs on. Field names follow the Kubernetes API.

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
export type ServiceProtocol = 'TCP' | 'UDP' | 'SCTP';
export type TrafficPolicy = 'Cluster' | 'Local';
export type SessionAffinity = 'None' | 'ClientIP';

export interface KubeServicePort {
  /** Empty or absent for a single unnamed port; the chain hash then uses "namespace/name". */
  readonly name?: string;
  /** Defaults to TCP. */
  readonly protocol?: ServiceProtocol;
  readonly port: number;
  /** 0 or absent: no NodePort rules, whatever the service type. */
  readonly nodePort?: number;
  /**
   * Kept for completeness: kube-proxy never reads it, the EndpointSlice controller has already resolved it
   * into the slices' ports.
   */
  readonly targetPort?: number | string;
}

export interface LoadBalancerIngress {
  readonly ip?: string;
  readonly hostname?: string;
  /** 'Proxy' load balancers are not captured by kube-proxy (KEP-1860); absent means VIP. */
  readonly ipMode?: 'VIP' | 'Proxy';
}

export interface KubeService {
  readonly namespace: string;
  readonly name: string;
  /** Defaults to ClusterIP. ExternalName services are not proxied. */
  readonly type?: ServiceType;
  /** "None" (headless) or empty: not proxied. */
  readonly clusterIP?: string;
  /** Dual-stack form; when present, the first IPv4 entry is used. */
  readonly clusterIPs?: readonly string[];
  readonly ports: readonly KubeServicePort[];
  readonly externalIPs?: readonly string[];
  /** status.loadBalancer.ingress */
  readonly loadBalancerIngress?: readonly LoadBalancerIngress[];
  /** Whitespace around entries is tolerated, as the API's validation lets it through. */
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly sessionAffinity?: SessionAffinity;
  /** sessionAffinityConfig.clientIP.timeoutSeconds; defaults to 10800 as the API server does. */
  readonly sessionAffinityTimeoutSeconds?: number;
  /** Only meaningful for NodePort and LoadBalancer services; defaults to Cluster. */
  readonly externalTrafficPolicy?: TrafficPolicy;
  readonly internalTrafficPolicy?: TrafficPolicy;
  /** Only used for LoadBalancer services with externalTrafficPolicy Local. */
  readonly healthCheckNodePort?: number;
}

export interface KubeEndpointConditions {
  /** Absent means true. */
  readonly ready?: boolean;
  /** Absent means true. */
  readonly serving?: boolean;
  /** Absent means false. */
  readonly terminating?: boolean;
}

export interface KubeEndpoint {
  /** Only the first address is used, as in kube-proxy. */
  readonly addresses: readonly string[];
  readonly conditions?: KubeEndpointConditions;
  /** The endpoint is local when this equals the node's name. */
  readonly nodeName?: string;
}

export interface KubeEndpointPort {
  readonly name?: string;
  /** Defaults to TCP. */
  readonly protocol?: ServiceProtocol;
  /** Absent or 0: the port is ignored. */
  readonly port?: number;
}

export interface KubeEndpointSlice {
  readonly namespace: string;
  /** The slice's own name; unused by the rules. */
  readonly name?: string;
  /** The kubernetes.io/service-name label. */
  readonly serviceName: string;
  /** Defaults to IPv4; slices of another family (or FQDN) are ignored. */
  readonly addressType?: 'IPv4' | 'IPv6' | 'FQDN';
  readonly endpoints: readonly KubeEndpoint[];
  readonly ports: readonly KubeEndpointPort[];
}

/**
 * How kube-proxy tells pod traffic from other traffic (--detect-local-mode). ClusterCIDR uses one range for
 * the whole cluster; NodeCIDR uses the node's pod range, which makes every service's rules node-specific.
 */
export type DetectLocalMode = 'ClusterCIDR' | 'NodeCIDR' | 'None';

/** kube-proxy's flags. They come from one DaemonSet, so they are the same on every node of a cluster. */
export interface KubeProxyConfig {
  /** --cluster-cidr; with ClusterCIDR detection, "-s"/"! -s" on this range mark pod traffic. */
  readonly clusterCidr?: string;
  /** Defaults to ClusterCIDR when clusterCidr is set, otherwise None. */
  readonly detectLocalMode?: DetectLocalMode;
  /** --masquerade-all: SNAT all traffic to cluster IPs. */
  readonly masqueradeAll?: boolean;
  /** The masquerade mark as written in the rules; defaults to "0x4000". */
  readonly masqueradeMark?: string;
  /** --iptables-localhost-nodeports; defaults to true. */
  readonly localhostNodePorts?: boolean;
  /** --nodeport-addresses; absent, null or empty means every local address. */
  readonly nodePortAddresses?: readonly string[] | null;
  /** net.netfilter.nf_conntrack_tcp_be_liberal is set: no INVALID-state DROP rule. */
  readonly conntrackTcpLiberal?: boolean;
  /** Which nfacct counters exist (recent kube-proxy creates both); both default to true. */
  readonly nfacctCounters?: {
    readonly ctStateInvalidDroppedPkts?: boolean;
    readonly localhostNodePortsAcceptedPkts?: boolean;
  };
  /** iptables supports MASQUERADE --random-fully; defaults to false. */
  readonly masqueradeRandomFully?: boolean;
}

/** What differs from node to node. */
export interface NodeContext {
  readonly nodeName: string;
  /** The node's primary IPv4 address. */
  readonly nodeIP: string;
  /** Other addresses on the node's interfaces (secondary IPs...). 127.0.0.1 is always local. */
  readonly localAddresses?: readonly string[];
  /** The node's pod range, used with detectLocalMode NodeCIDR. */
  readonly podCidr?: string;
}
