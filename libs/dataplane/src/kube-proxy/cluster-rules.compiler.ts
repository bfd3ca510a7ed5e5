import { categorizeClusterEndpoints } from './endpoint-categorizer';
import {
  type ResolvedKubeProxyConfig,
  resolveKubeProxyConfig,
  servicePortRuleSettings,
} from './kube-proxy-config.resolver';
import { type KubeEndpointSlice, type KubeProxyConfig, type KubeService } from './kube-proxy.types';
import { type EndpointInfo, servicePortEndpoints } from './service-endpoints';
import { type ServicePortInfo, compareServicePorts, servicePortInfos } from './service-port-info';
import { type ServicePortRules, buildServicePortRules } from './service-port-rules.builder';

// Most of what kube-proxy writes is the same on every node of a cluster. A service port's rules depend on the
// node only when it uses Local traffic policy (which endpoints are local), when loadBalancerSourceRanges may
// let the node's own address through, or when pod traffic is detected by the node's pod range. Everything
// else is built here once, and the node compiler only fills in the node-specific ports.

export type CompiledServicePort =
  /** Rules identical on every node, built once. */
  | { readonly kind: 'shared'; readonly rules: ServicePortRules }
  /** Rules that depend on the node, built per node from these inputs. */
  | {
      readonly kind: 'per-node';
      readonly servicePort: ServicePortInfo;
      readonly endpoints: readonly EndpointInfo[];
    };

export interface ClusterKubeProxyRules {
  readonly config: ResolvedKubeProxyConfig;
  /** More than {@link LARGE_CLUSTER_ENDPOINTS} endpoints: SEP chains and endpoint jumps go uncommented. */
  readonly largeClusterMode: boolean;
  /** Every proxied service port, in the order its rules are written. */
  readonly servicePorts: readonly CompiledServicePort[];
}

export interface ClusterProxyInput {
  readonly services: readonly KubeService[];
  readonly endpointSlices: readonly KubeEndpointSlice[];
  readonly config?: KubeProxyConfig;
}

/** kube-proxy's largeClusterEndpointsThreshold. */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

function dependsOnNode(servicePort: ServicePortInfo, config: ResolvedKubeProxyConfig): boolean {
  return (
    servicePort.usesLocalEndpoints ||
    config.detectLocalMode === 'NodeCIDR' ||
    (servicePort.loadBalancerVIPs.length > 0 && servicePort.loadBalancerSourceRanges.length > 0)
  );
}

/**
 * Compiles one Service with its own EndpointSlices: the unit a caller can cache and recompute when that
 * Service or its slices change.
 */
export function compileServicePorts(
  service: KubeService,
  endpointSlices: readonly KubeEndpointSlice[],
  config: ResolvedKubeProxyConfig,
  largeClusterMode = false,
): CompiledServicePort[] {
  const ports = servicePortInfos(service);
  const endpointsByPort = servicePortEndpoints(ports, endpointSlices);
  const settings = servicePortRuleSettings(config, null, largeClusterMode);
  return ports.map((servicePort): CompiledServicePort => {
    const endpoints = endpointsByPort.get(servicePort) ?? [];
    if (dependsOnNode(servicePort, config)) return { kind: 'per-node', servicePort, endpoints };
    const categorized = categorizeClusterEndpoints(endpoints, servicePort);
    const rules = buildServicePortRules(servicePort, categorized, settings);
    return { kind: 'shared', rules };
  });
}

function servicePortOf(compiled: CompiledServicePort): ServicePortInfo {
  return compiled.kind === 'shared' ? compiled.rules.servicePort : compiled.servicePort;
}

/**
 * How many endpoints kube-proxy counts for a Service (every endpoint of every proxied port, ready or not):
 * summed over the cluster, it decides large-cluster mode.
 */
export function countServiceEndpoints(
  service: KubeService,
  endpointSlices: readonly KubeEndpointSlice[],
): number {
  const byPort = servicePortEndpoints(servicePortInfos(service), endpointSlices);
  return [...byPort.values()].reduce((total, endpoints) => total + endpoints.length, 0);
}

/**
 * Puts compiled service ports (from any number of compileServicePorts calls, all made with the same
 * largeClusterMode) in rule order.
 */
export function assembleClusterRules(
  config: ResolvedKubeProxyConfig,
  servicePorts: readonly CompiledServicePort[],
  largeClusterMode = false,
): ClusterKubeProxyRules {
  const ordered = [...servicePorts].sort((a, b) => compareServicePorts(servicePortOf(a), servicePortOf(b)));
  return { config, largeClusterMode, servicePorts: ordered };
}

/**
 * Compiles the node-independent part of a cluster's kube-proxy rules. (largeClusterEndpoints is there for
 * tests that cross the threshold without a thousand endpoints.)
 */
export function compileClusterRules(
  input: ClusterProxyInput,
  largeClusterEndpoints = LARGE_CLUSTER_ENDPOINTS,
): ClusterKubeProxyRules {
  const config = resolveKubeProxyConfig(input.config);
  const slicesByService = new Map<string, KubeEndpointSlice[]>();
  for (const slice of input.endpointSlices) {
    const key = `${slice.namespace}/${slice.serviceName}`;
    const slices = slicesByService.get(key) ?? [];
    slices.push(slice);
    slicesByService.set(key, slices);
  }
  const slicesOf = (service: KubeService) =>
    slicesByService.get(`${service.namespace}/${service.name}`) ?? [];
  const endpoints = input.services.reduce(
    (total, service) => total + countServiceEndpoints(service, slicesOf(service)),
    0,
  );
  const largeClusterMode = endpoints > largeClusterEndpoints;
  const compiled = input.services.flatMap((service) =>
    compileServicePorts(service, slicesOf(service), config, largeClusterMode),
  );
  return assembleClusterRules(config, compiled, largeClusterMode);
}
