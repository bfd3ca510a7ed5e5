import { type EndpointInfo } from './service-endpoints';
import { type ServicePortInfo } from './service-port-info';

/** Which endpoints each traffic policy may use (kube-proxy's CategorizeEndpoints, without topology hints). */
export interface CategorizedEndpoints {
  /** For Cluster policy: ready endpoints, else serving-and-terminating ones; empty if never used. */
  readonly clusterEndpoints: readonly EndpointInfo[];
  /** For Local policy: this node's ready endpoints, else its serving-and-terminating ones. */
  readonly localEndpoints: readonly EndpointInfo[];
  /** Every endpoint this node may DNAT to: one KUBE-SEP chain each. */
  readonly reachableEndpoints: readonly EndpointInfo[];
  /** Some endpoint anywhere in the cluster can serve; false means REJECT rather than DROP. */
  readonly hasAnyEndpoints: boolean;
}

const servingTerminating = (endpoint: EndpointInfo): boolean => endpoint.serving && endpoint.terminating;

/**
 * The Cluster-policy view, which is the same on every node. Enough on its own for ports that never use Local
 * policy; the others need {@link categorizeEndpoints} with the node's name.
 */
export function categorizeClusterEndpoints(
  endpoints: readonly EndpointInfo[],
  servicePort: ServicePortInfo,
): CategorizedEndpoints {
  return categorizeEndpoints(endpoints, servicePort, '');
}

/** Categorizes a port's endpoints as seen from the node named nodeName. */
export function categorizeEndpoints(
  endpoints: readonly EndpointInfo[],
  servicePort: ServicePortInfo,
  nodeName: string,
): CategorizedEndpoints {
  let clusterEndpoints: readonly EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  if (servicePort.usesClusterEndpoints) {
    clusterEndpoints = endpoints.filter((endpoint) => endpoint.ready);
    // Falling back to terminating endpoints that still serve avoids dropping connections during a rollout.
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter(servingTerminating);
    hasAnyEndpoints = clusterEndpoints.length > 0;
  }
  if (!servicePort.usesLocalEndpoints) {
    return { clusterEndpoints, localEndpoints: [], reachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }

  const isLocal = (endpoint: EndpointInfo): boolean => nodeName !== '' && endpoint.nodeName === nodeName;
  if (endpoints.some((endpoint) => endpoint.ready || servingTerminating(endpoint))) hasAnyEndpoints = true;
  let localEndpoints = endpoints.filter((endpoint) => isLocal(endpoint) && endpoint.ready);
  const usesTerminating = localEndpoints.length === 0;
  if (usesTerminating)
    localEndpoints = endpoints.filter((endpoint) => isLocal(endpoint) && servingTerminating(endpoint));

  if (!servicePort.usesClusterEndpoints) {
    return { clusterEndpoints, localEndpoints, reachableEndpoints: localEndpoints, hasAnyEndpoints };
  }
  if (!usesTerminating) {
    // Ready local endpoints are all among the ready cluster endpoints already.
    return { clusterEndpoints, localEndpoints, reachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }
  const union = new Map<string, EndpointInfo>();
  for (const endpoint of [...clusterEndpoints, ...localEndpoints]) union.set(endpoint.endpoint, endpoint);
  return { clusterEndpoints, localEndpoints, reachableEndpoints: [...union.values()], hasAnyEndpoints };
}
