/**
 * What the topology page reads from the emulator's GraphQL API (the selections in queries.ts), as plain data: the
 * model is built from these shapes only, so it can be tested without a server and fed synthetic data by the bench.
 */

export interface Label {
  key: string;
  value: string;
}

export interface SecondaryRangeIn {
  rangeName: string;
  ipCidrRange: string;
}

export interface SubnetworkIn {
  name: string;
  region: string;
  network: string;
  ipCidrRange: string;
  gatewayAddress?: string;
  purpose?: string;
  secondaryIpRanges: SecondaryRangeIn[];
  selfLink?: string;
}

export interface NetworkIn {
  name: string;
  autoCreateSubnetworks?: boolean;
  mtu?: number;
  routingMode?: string;
  selfLink?: string;
  subnetworks: SubnetworkIn[];
}

export interface ProtocolPortsIn {
  IPProtocol: string;
  ports: string[];
}

export interface FirewallIn {
  name: string;
  network: string;
  direction: string;
  priority: number;
  disabled: boolean;
  allowed: ProtocolPortsIn[];
  denied: ProtocolPortsIn[];
  sourceRanges: string[];
  sourceTags: string[];
  destinationRanges: string[];
  targetTags: string[];
  targetServiceAccounts: string[];
  selfLink?: string;
}

export interface NodePoolIn {
  name: string;
  nodeCount?: number;
  machineType?: string | null;
  maxPodsPerNode?: number | null;
  podIpv4CidrSize?: number | null;
  status?: string;
  locations?: string[];
}

export interface ClusterIn {
  name: string;
  location: string;
  network: string;
  subnetwork: string;
  clusterIpv4Cidr: string;
  servicesIpv4Cidr: string;
  vpcNative?: boolean;
  status?: string;
  endpoint?: string;
  nodePools: NodePoolIn[];
}

export interface NodeIn {
  name: string;
  nodePool: string;
  zone: string;
  internalIp: string;
  podCidr: string;
  maxPods?: number;
  tags: string[];
  unschedulable?: boolean;
  labels?: Label[];
}

export interface PodIn {
  name: string;
  namespace: string;
  nodeName?: string | null;
  podIP?: string | null;
  phase?: string;
  ready: boolean;
  labels: Label[];
  controlledBy?: string | null;
  containers?: { name: string; image: string; ports: number[] }[];
}

export interface ServicePortIn {
  name?: string | null;
  port: number;
  targetPort: string;
  protocol: string;
  nodePort?: number | null;
}

export interface ServiceEndpointIn {
  address: string;
  nodeName?: string | null;
  podName?: string | null;
  ready: boolean;
}

export interface ServiceIn {
  name: string;
  namespace: string;
  type: string;
  clusterIP?: string | null;
  selector: Label[];
  ports: ServicePortIn[];
  externalTrafficPolicy?: string | null;
  healthCheckNodePort?: number | null;
  loadBalancerIngress: string[];
  endpoints?: ServiceEndpointIn[];
  loadBalancer?: { name: string; region: string; scheme: string; ingressIp?: string | null } | null;
}

export interface IngressBackendIn {
  serviceName: string;
  servicePortNumber?: number | null;
  servicePortName?: string | null;
}

export interface IngressIn {
  name: string;
  namespace: string;
  className?: string | null;
  ip?: string | null;
  loadBalancerIngress: string[];
  defaultBackend?: IngressBackendIn | null;
  rules: {
    host?: string | null;
    paths: { path?: string | null; pathType: string; backend: IngressBackendIn }[];
  }[];
}

export interface LabelSelectorIn {
  matchLabels: Label[];
  matchExpressions: { key: string; operator: string; values: string[] }[];
}

export interface NetworkPolicyIn {
  name: string;
  namespace: string;
  podSelector: LabelSelectorIn;
  policyTypes: string[];
  ingress?: unknown[];
  egress?: unknown[];
}

/** A cluster's Kubernetes objects (`kubernetes(project, location, cluster)`). */
export interface KubernetesIn {
  nodes: NodeIn[];
  pods: PodIn[];
  services: ServiceIn[];
  ingresses: IngressIn[];
  networkPolicies: NetworkPolicyIn[];
}

/** One `loadBalancingResources` row, its `json` parsed. */
export interface LbResourceIn {
  collection: string;
  name: string;
  scope: string;
  selfLink: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Compute wire object, read loosely
  resource: Record<string, any>;
}

export interface TopologyInput {
  project: string;
  networks: NetworkIn[];
  firewalls: FirewallIn[];
  clusters: (ClusterIn & { kubernetes?: KubernetesIn })[];
  loadBalancing: LbResourceIn[];
}
