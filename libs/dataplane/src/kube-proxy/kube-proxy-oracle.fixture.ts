import {
  type KubeEndpointSlice,
  type KubeProxyConfig,
  type KubeService,
  type NodeContext,
  type ServiceProtocol,
  type ServiceType,
  type TrafficPolicy,
} from './kube-proxy.types';

// The kube-proxy oracles (../shared/oracles/kube-proxy) describe inputs in a compact shape of their own,
// taken from proxier_test.go; these helpers turn it into the model's types. Tests only.

export interface OracleServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol?: ServiceProtocol;
  readonly nodePort?: number;
  readonly targetPort?: number;
}

export interface OracleService {
  readonly ns: string;
  readonly name: string;
  readonly type?: ServiceType;
  readonly clusterIP: string;
  readonly ports: readonly OracleServicePort[];
  readonly externalIPs?: readonly string[];
  readonly lbIngress?: readonly string[];
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly externalTrafficPolicy?: TrafficPolicy;
  readonly internalTrafficPolicy?: TrafficPolicy;
  readonly healthCheckNodePort?: number;
  readonly sessionAffinity?: 'None' | 'ClientIP';
  readonly sessionAffinityConfig?: { readonly clientIP?: { readonly timeoutSeconds?: number } };
}

export interface OracleEndpoint {
  readonly addresses: readonly string[];
  readonly nodeName?: string;
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
}

export interface OracleEndpointSlice {
  readonly ns: string;
  readonly svc: string;
  readonly endpoints: readonly OracleEndpoint[];
  readonly ports: readonly {
    readonly name?: string;
    readonly port: number;
    readonly protocol?: ServiceProtocol;
  }[];
}

export function toKubeService(service: OracleService): KubeService {
  return {
    namespace: service.ns,
    name: service.name,
    type: service.type ?? 'ClusterIP',
    clusterIP: service.clusterIP,
    ports: service.ports,
    externalIPs: service.externalIPs,
    loadBalancerIngress: service.lbIngress?.map((ip) => ({ ip })),
    loadBalancerSourceRanges: service.loadBalancerSourceRanges,
    externalTrafficPolicy: service.externalTrafficPolicy,
    internalTrafficPolicy: service.internalTrafficPolicy,
    healthCheckNodePort: service.healthCheckNodePort,
    sessionAffinity: service.sessionAffinity,
    sessionAffinityTimeoutSeconds: service.sessionAffinityConfig?.clientIP?.timeoutSeconds,
  };
}

export function toKubeEndpointSlice(slice: OracleEndpointSlice, index: number): KubeEndpointSlice {
  return {
    namespace: slice.ns,
    name: `${slice.svc}-${index}`,
    serviceName: slice.svc,
    addressType: 'IPv4',
    endpoints: slice.endpoints.map((endpoint) => ({
      addresses: endpoint.addresses,
      nodeName: endpoint.nodeName,
      conditions: { ready: endpoint.ready, serving: endpoint.serving, terminating: endpoint.terminating },
    })),
    ports: slice.ports,
  };
}

/** NewFakeProxier's settings: local = 10.0.0.0/8, mark 0x4000, localhost NodePorts, nfacct counters. */
export const FAKE_PROXIER_CONFIG: KubeProxyConfig = {
  clusterCidr: '10.0.0.0/8',
  masqueradeMark: '0x4000',
  localhostNodePorts: true,
  nodePortAddresses: null,
  conntrackTcpLiberal: false,
  nfacctCounters: { ctStateInvalidDroppedPkts: true, localhostNodePortsAcceptedPkts: true },
};

/** NewFakeProxier's node: "test-node" at 192.168.0.2, with the other addresses of its fake interfaces. */
export function fakeProxierNode(localNodeIPs: readonly string[]): NodeContext {
  return { nodeName: 'test-node', nodeIP: '192.168.0.2', localAddresses: localNodeIPs };
}
