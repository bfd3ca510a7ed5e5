import { kubeProxy, type netpol } from '@gke-emulator/dataplane';
import type { DataplaneObjectBody } from './dataplane-inputs';

/** One row of `dataplane_object`: `body` null for an object deleted at `generation`. */
export interface DataplaneObjectRow {
  resource: string;
  namespace: string;
  name: string;
  body: DataplaneObjectBody | null;
}

/**
 * A reader's copy of the inputs the worker stored for one cluster, as of `generation`, brought forward with the
 * rows written since (deletions arrive as tombstones). What kube-proxy's rules and NetworkPolicy verdicts are
 * rendered from on read; kube-proxy's cluster rules are kept compiled and recompiled per changed Service.
 */
export class ClusterInputsCopy {
  private readonly objects = new Map<string, Map<string, DataplaneObjectBody>>();
  private readonly proxyRules: kubeProxy.IncrementalClusterRules;

  constructor(
    public generation: bigint,
    clusterCidr: string,
  ) {
    this.proxyRules = new kubeProxy.IncrementalClusterRules({ clusterCidr });
  }

  apply(rows: readonly DataplaneObjectRow[], generation: bigint): void {
    for (const row of rows) {
      let byKey = this.objects.get(row.resource);
      if (!byKey) {
        byKey = new Map();
        this.objects.set(row.resource, byKey);
      }
      const key = `${row.namespace}/${row.name}`;
      if (row.body === null) byKey.delete(key);
      else byKey.set(key, row.body);
      if (row.resource === 'services') {
        if (row.body === null) this.proxyRules.deleteService(row.namespace, row.name);
        else this.proxyRules.upsertService(row.body as kubeProxy.KubeService);
      } else if (row.resource === 'endpointslices') {
        if (row.body === null) this.proxyRules.deleteEndpointSlice(row.namespace, row.name);
        else this.proxyRules.upsertEndpointSlice(row.body as kubeProxy.KubeEndpointSlice);
      }
    }
    this.generation = generation;
  }

  private all<T>(resource: string): T[] {
    const byKey = this.objects.get(resource);
    if (!byKey) return [];
    return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, body]) => body as T);
  }

  /** kube-proxy's node-independent rules as of `generation` (the same object until something changes). */
  kubeProxyRules(): kubeProxy.ClusterKubeProxyRules {
    return this.proxyRules.rules();
  }

  /** The Services and EndpointSlices kube-proxy reads, as of `generation`. */
  kubeProxyObjects(): { services: kubeProxy.KubeService[]; endpointSlices: kubeProxy.KubeEndpointSlice[] } {
    return {
      services: this.all<kubeProxy.KubeService>('services'),
      endpointSlices: this.all<kubeProxy.KubeEndpointSlice>('endpointslices'),
    };
  }

  networkPolicyState(): netpol.ClusterState {
    return {
      namespaces: this.all<netpol.NamespaceInfo>('namespaces'),
      pods: this.all<netpol.PodInfo>('pods'),
      policies: this.all<netpol.NetworkPolicy>('networkpolicies'),
    };
  }
}
