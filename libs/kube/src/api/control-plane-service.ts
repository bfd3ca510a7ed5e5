import { firstAddress, formatIpv4, parseCidrOrThrow } from '@gke-emulator/netaddr';
import { isPlainObject, type KubeObject } from './kube-object';

/** The Service every cluster has in `default`, through which pods reach the API server. */
export const KUBERNETES_SERVICE = { namespace: 'default', name: 'kubernetes', port: 443 } as const;

/** The first usable address of the services range: the API server's own ClusterIP (`.1`). */
export function kubernetesServiceIp(servicesRange: string): string {
  return formatIpv4(firstAddress(parseCidrOrThrow(servicesRange)) + 1);
}

/**
 * The address the control plane is reached at from nodes, as the API server's endpoint reconciler advertises it:
 * GKE's private endpoint when the cluster has one, else its public one.
 */
export function controlPlaneAddress(cluster: Record<string, unknown>, fallback: string): string {
  const config = cluster['privateClusterConfig'];
  if (isPlainObject(config)) {
    for (const key of ['privateEndpoint', 'publicEndpoint']) {
      const value = config[key];
      if (typeof value === 'string' && value) return value;
    }
  }
  return fallback;
}

/** `default/kubernetes` as the API server creates it (no selector: its endpoints are the control plane). */
export function kubernetesService(clusterIp: string | undefined): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: KUBERNETES_SERVICE.name,
      namespace: KUBERNETES_SERVICE.namespace,
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      ...(clusterIp ? { clusterIP: clusterIp } : {}),
      ports: [{ name: 'https', port: KUBERNETES_SERVICE.port, protocol: 'TCP', targetPort: 443 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
  };
}

/** The EndpointSlice the API server's endpoint reconciler keeps for `default/kubernetes`. */
export function kubernetesEndpointSlice(address: string): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: KUBERNETES_SERVICE.name,
      namespace: KUBERNETES_SERVICE.namespace,
      labels: { 'kubernetes.io/service-name': KUBERNETES_SERVICE.name },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports: [{ name: 'https', port: KUBERNETES_SERVICE.port, protocol: 'TCP' }],
  };
}
