import {
  type ClusterKubeProxyRules,
  type ClusterProxyInput,
  type CompiledServicePort,
  LARGE_CLUSTER_ENDPOINTS,
  assembleClusterRules,
  compileServicePorts,
  countServiceEndpoints,
} from './cluster-rules.compiler';
import { type ResolvedKubeProxyConfig, resolveKubeProxyConfig } from './kube-proxy-config.resolver';
import { type KubeEndpointSlice, type KubeProxyConfig, type KubeService } from './kube-proxy.types';

// kube-proxy resyncs after every Service or EndpointSlice change, and compiling a whole cluster's rules takes
// seconds at ten thousand services. A Service's rules depend only on the Service, its own slices and the
// large-cluster mode, so this keeps each Service's compiled ports and recompiles the ones that changed: the
// same rules compileClusterRules would give for the current Services and slices.

export interface IncrementalClusterRulesOptions {
  /** kube-proxy's large-cluster threshold (endpoints); there so that tests can cross it cheaply. */
  readonly largeClusterEndpoints?: number;
}

interface StoredSlice {
  readonly slice: KubeEndpointSlice;
  /** "namespace/serviceName" of the Service the slice belongs to. */
  readonly serviceKey: string;
  /** Arrival order: where two slices list the same address, the later one wins, as in compileClusterRules. */
  readonly order: number;
}

const objectKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * A cluster's kube-proxy rules kept up to date Service by Service. Services are kept by namespace/name and
 * EndpointSlices by namespace/name (an absent slice name counts as ""), so from(input) gives the rules of
 * compileClusterRules(input) when slice names are unique within a namespace. rules() returns a new object
 * after any change and the same object otherwise, so what is cached per object (renderNodeIptables' plan)
 * stays valid.
 */
export class IncrementalClusterRules {
  private readonly config: ResolvedKubeProxyConfig;
  private readonly largeClusterEndpoints: number;
  private readonly services = new Map<string, KubeService>();
  private readonly slices = new Map<string, StoredSlice>();
  private readonly slicesByService = new Map<string, Set<string>>();
  private readonly compiled = new Map<string, readonly CompiledServicePort[]>();
  private readonly endpointCounts = new Map<string, number>();
  private endpointTotal = 0;
  private nextSliceOrder = 0;
  /** Services whose Service or slices changed since the last rules(). */
  private readonly changed = new Set<string>();
  /** Service keys in rule order; null after a Service came or went. */
  private serviceOrder: string[] | null = null;
  private current: ClusterKubeProxyRules | null = null;

  constructor(config?: KubeProxyConfig, options: IncrementalClusterRulesOptions = {}) {
    this.config = resolveKubeProxyConfig(config);
    this.largeClusterEndpoints = options.largeClusterEndpoints ?? LARGE_CLUSTER_ENDPOINTS;
  }

  /** Starts from a whole cluster's Services and slices, upserted in order. */
  static from(input: ClusterProxyInput, options?: IncrementalClusterRulesOptions): IncrementalClusterRules {
    const rules = new IncrementalClusterRules(input.config, options);
    for (const service of input.services) rules.upsertService(service);
    for (const slice of input.endpointSlices) rules.upsertEndpointSlice(slice);
    return rules;
  }

  upsertService(service: KubeService): void {
    const key = objectKey(service.namespace, service.name);
    if (!this.services.has(key)) this.serviceOrder = null;
    this.services.set(key, service);
    this.changed.add(key);
  }

  deleteService(namespace: string, name: string): void {
    const key = objectKey(namespace, name);
    if (!this.services.delete(key)) return;
    this.serviceOrder = null;
    this.changed.add(key);
  }

  upsertEndpointSlice(slice: KubeEndpointSlice): void {
    const key = objectKey(slice.namespace, slice.name ?? '');
    const serviceKey = objectKey(slice.namespace, slice.serviceName);
    const previous = this.slices.get(key);
    if (previous !== undefined && previous.serviceKey !== serviceKey)
      this.unlinkSlice(key, previous.serviceKey);
    this.slices.set(key, { slice, serviceKey, order: previous?.order ?? this.nextSliceOrder++ });
    const keys = this.slicesByService.get(serviceKey) ?? new Set<string>();
    keys.add(key);
    this.slicesByService.set(serviceKey, keys);
    this.changed.add(serviceKey);
  }

  deleteEndpointSlice(namespace: string, name: string): void {
    const key = objectKey(namespace, name);
    const previous = this.slices.get(key);
    if (previous === undefined) return;
    this.slices.delete(key);
    this.unlinkSlice(key, previous.serviceKey);
  }

  /** The rules of the current Services and slices (see the class comment for when the object is new). */
  rules(): ClusterKubeProxyRules {
    if (this.current !== null && this.changed.size === 0) return this.current;
    for (const key of this.changed) {
      const service = this.services.get(key);
      const count = service === undefined ? 0 : countServiceEndpoints(service, this.slicesOf(key));
      this.endpointTotal += count - (this.endpointCounts.get(key) ?? 0);
      if (count === 0) this.endpointCounts.delete(key);
      else this.endpointCounts.set(key, count);
      if (service === undefined) this.compiled.delete(key);
    }
    const largeClusterMode = this.endpointTotal > this.largeClusterEndpoints;
    // Large-cluster mode changes the comments of every Service's rules.
    const recompile =
      this.current === null || this.current.largeClusterMode !== largeClusterMode
        ? this.services.keys()
        : this.changed;
    for (const key of recompile) {
      const service = this.services.get(key);
      if (service === undefined) continue;
      this.compiled.set(key, compileServicePorts(service, this.slicesOf(key), this.config, largeClusterMode));
    }
    this.changed.clear();
    // compareServicePorts orders by "namespace/name" first (code units, as the default sort), then by port.
    this.serviceOrder ??= [...this.services.keys()].sort();
    const servicePorts = this.serviceOrder.flatMap((key) => this.compiled.get(key) ?? []);
    this.current = assembleClusterRules(this.config, servicePorts, largeClusterMode);
    return this.current;
  }

  private unlinkSlice(key: string, serviceKey: string): void {
    const keys = this.slicesByService.get(serviceKey);
    keys?.delete(key);
    if (keys?.size === 0) this.slicesByService.delete(serviceKey);
    this.changed.add(serviceKey);
  }

  /** A Service's slices in arrival order. */
  private slicesOf(serviceKey: string): KubeEndpointSlice[] {
    const stored = [...(this.slicesByService.get(serviceKey) ?? [])].flatMap((key) => {
      const slice = this.slices.get(key);
      return slice === undefined ? [] : [slice];
    });
    return stored.sort((a, b) => a.order - b.order).map((entry) => entry.slice);
  }
}
