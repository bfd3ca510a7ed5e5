import { Injectable } from '@nestjs/common';
import { GoogleErrors } from '@gke-emulator/common';
import { ClusterDirectory, type ClusterRecord } from '@gke-emulator/container';
import { kubeProxy, netpol } from '@gke-emulator/dataplane';
import { parseIpv4 } from '@gke-emulator/netaddr';
import { ClusterInputsCopy } from './cluster-inputs-copy';
import { DataplaneReadsRepository, type NodeStateRow } from './dataplane-reads.repository';

type Json = Record<string, unknown>;

interface ClusterState {
  cluster: ClusterRecord;
  generation: string;
  observedGeneration: string;
  /** the inputs as of observedGeneration */
  copy: ClusterInputsCopy;
}

/** What every read says about freshness: the generation it reflects, and whether that is the latest. */
export interface Freshness {
  generation: string;
  observedGeneration: string;
  current: boolean;
}

function freshness(state: Pick<ClusterState, 'generation' | 'observedGeneration'>): Freshness {
  return {
    generation: state.generation,
    observedGeneration: state.observedGeneration,
    current: BigInt(state.observedGeneration) >= BigInt(state.generation),
  };
}

/**
 * The copy may have been brought forward by another read since this one took its state: what is compiled (at
 * once, synchronously) and reported is the copy's generation at that moment.
 */
function settle(state: ClusterState): void {
  state.observedGeneration = String(state.copy.generation);
}

/** How many clusters' input copies an API process keeps (the least recently read go first). */
const COPIES_KEPT = 16;

/** A small cache of compiled per-cluster state, keyed by cluster and generation: reads of one generation share it. */
class CompiledCache<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly size = 8) {}
  get(key: string, make: () => T): T {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = make();
    this.entries.set(key, value);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}

/**
 * The effective data plane as stored by the worker, per node: routes and firewall as computed; kube-proxy's
 * iptables text, the packet tracer and NetworkPolicy verdicts rendered from the inputs stored with the same
 * generation (compiled once per cluster and generation, then per node).
 */
@Injectable()
export class DataplaneReadsService {
  private readonly policies = new CompiledCache<netpol.CompiledCluster>();
  private readonly kubeProxyObjects = new CompiledCache<ReturnType<ClusterInputsCopy['kubeProxyObjects']>>();
  /** Per cluster: the copy of its inputs, brought forward on read (one refresh at a time per cluster). */
  private readonly copies = new Map<bigint, { copy: ClusterInputsCopy; refreshing?: Promise<void> }>();

  constructor(
    private readonly repository: DataplaneReadsRepository,
    private readonly clusters: ClusterDirectory,
  ) {}

  /** Every cluster's freshness, and whether the whole emulator has converged. */
  async status(project?: string) {
    const rows = await this.repository.clusterStatuses(project);
    const clusters = rows.map((row) => ({
      project: row.project_id,
      location: row.location,
      cluster: row.name,
      ...freshness({ generation: row.generation, observedGeneration: row.observed_generation }),
      computedAt: row.computed_at?.toISOString() ?? null,
      lastComputation: row.last_computation,
      ...(row.error ? { error: row.error, failures: row.failures } : {}),
    }));
    return { converged: clusters.every((cluster) => cluster.current), clusters };
  }

  async routes(project: string, location: string, clusterName: string, node: string) {
    const state = await this.state(project, location, clusterName);
    const row = await this.nodeRow(state, node);
    const table = row.routes as Json;
    return {
      node,
      ...freshness(state),
      routes: table['routes'],
      inactiveRoutes: table['inactiveRoutes'] ?? [],
    };
  }

  async firewall(project: string, location: string, clusterName: string, node: string) {
    const state = await this.state(project, location, clusterName);
    const row = await this.nodeRow(state, node);
    return { node, ...freshness(state), rules: (row.firewall as Json)['rules'] };
  }

  async iptables(project: string, location: string, clusterName: string, node: string) {
    const { state, rules, context } = await this.nodeRules(project, location, clusterName, node);
    return { freshness: freshness(state), text: kubeProxy.renderNodeIptables(rules, context) };
  }

  async trace(
    project: string,
    location: string,
    clusterName: string,
    node: string,
    query: { src?: string; dst?: string; dport?: string; protocol?: string },
  ) {
    const packet = parsePacket(query);
    const { state, dump, local } = await this.nodeDump(project, location, clusterName, node);
    const trace = kubeProxy.tracePacket(dump, packet, local);
    return { node, ...freshness(state), ...trace };
  }

  async networkPolicies(project: string, location: string, clusterName: string, node: string) {
    const state = await this.state(project, location, clusterName);
    await this.nodeRow(state, node);
    const compiled = this.compiledPolicies(state);
    const enforcement = netpol.networkPolicyEnforcement(state.cluster.resource);
    // A cluster without enforcement programs no NetworkPolicy on its nodes: the policies are stored, not applied.
    const pods = enforcement.enforced
      ? Object.values(compiled.podPolicies)
          .filter((policy) => compiled.pods[`${policy.pod.namespace}/${policy.pod.name}`]?.nodeName === node)
          .map((policy) => ({
            pod: `${policy.pod.namespace}/${policy.pod.name}`,
            ingress: policy.ingress,
            egress: policy.egress,
          }))
      : [];
    return {
      node,
      ...freshness(state),
      ...enforcementFields(enforcement, compiled),
      pods,
      rejectedPolicies: compiled.rejectedPolicies,
    };
  }

  async reachability(
    project: string,
    location: string,
    clusterName: string,
    query: { namespaces?: string; port?: string; protocol?: string },
  ) {
    const matrix = await this.reachabilityMatrix(project, location, clusterName, query);
    const { allowed: rows, ...rest } = matrix;
    const allowed: Record<string, Record<string, boolean>> = {};
    matrix.pods.forEach((client, i) => {
      const row: Record<string, boolean> = {};
      const cells = rows[i] ?? [];
      matrix.pods.forEach((server, j) => {
        row[server] = cells[j] ?? false;
      });
      allowed[client] = row;
    });
    return { ...rest, allowed };
  }

  /**
   * Whether NetworkPolicies let each pod (of the namespaces asked for, or all) open a connection to each other on
   * a port: `allowed[i][j]` for `pods[i]` to `pods[j]`, computed by classes of pods that every rule treats alike
   * (`classes` says how many), not pair by pair.
   */
  async reachabilityMatrix(
    project: string,
    location: string,
    clusterName: string,
    query: { namespaces?: string | readonly string[]; port?: string | number; protocol?: string },
  ) {
    const state = await this.state(project, location, clusterName);
    const port = Number(query.port);
    if (
      query.port === undefined ||
      query.port === '' ||
      !Number.isInteger(port) ||
      port < 1 ||
      port > 65535
    ) {
      throw GoogleErrors.invalidFieldValue(
        'port',
        String(query.port ?? ''),
        'Must be a port number from 1 to 65535.',
      );
    }
    const protocol = (query.protocol ?? 'TCP').toUpperCase();
    if (!netpol.PROTOCOLS.includes(protocol as netpol.Protocol)) {
      throw GoogleErrors.invalidFieldValue('protocol', query.protocol, 'Must be TCP, UDP or SCTP.');
    }
    const namespaces = (
      typeof query.namespaces === 'string' ? query.namespaces.split(',') : (query.namespaces ?? [])
    )
      .map((n) => n.trim())
      .filter(Boolean);
    const compiled = this.compiledPolicies(state);
    const enforcement = netpol.networkPolicyEnforcement(state.cluster.resource);
    const pods = Object.values(compiled.pods)
      .filter((pod) => namespaces.length === 0 || namespaces.includes(pod.namespace))
      .map((pod) => `${pod.namespace}/${pod.name}`)
      .sort();
    const matrix = netpol.allPairsReachability(compiled, {
      pods,
      protocol: protocol as netpol.Protocol,
      port,
    });
    // Without enforcement every connection passes.
    const allowed = enforcement.enforced ? matrix.allowed : pods.map(() => pods.map(() => true));
    return {
      ...freshness(state),
      ...enforcementFields(enforcement, compiled),
      pods,
      allowed,
      classes: matrix.classes,
    };
  }

  /**
   * NetworkPolicy's verdict on one connection between two pods ("namespace/name") or IPs, with the policies and
   * rules that decide it on each side.
   */
  async connection(
    project: string,
    location: string,
    clusterName: string,
    query: { source: string; destination: string; port: number; protocol?: string },
  ) {
    const state = await this.state(project, location, clusterName);
    const protocol = (query.protocol ?? 'TCP').toUpperCase();
    if (!netpol.PROTOCOLS.includes(protocol as netpol.Protocol)) {
      throw GoogleErrors.invalidFieldValue('protocol', query.protocol, 'Must be TCP, UDP or SCTP.');
    }
    if (!Number.isInteger(query.port) || query.port < 1 || query.port > 65535) {
      throw GoogleErrors.invalidFieldValue('port', query.port, 'Must be a port number from 1 to 65535.');
    }
    const compiled = this.compiledPolicies(state);
    const endpoint = (text: string, field: string): netpol.Endpoint => {
      if (parseIpv4(text) !== null) return { ip: text };
      const [namespace, name] = text.split('/');
      if (!namespace || !name || text.split('/').length !== 2) {
        throw GoogleErrors.invalidFieldValue(field, text, 'Must be namespace/name or an IPv4 address.');
      }
      if (!compiled.pods[`${namespace}/${name}`]) {
        throw GoogleErrors.notFound(
          `projects/${project}/locations/${location}/clusters/${clusterName}/pods/${text} (data-plane generation ${state.observedGeneration})`,
        );
      }
      return { pod: { namespace, name } };
    };
    const verdict = netpol.evaluateConnection(compiled, {
      source: endpoint(query.source, 'source'),
      destination: endpoint(query.destination, 'destination'),
      protocol: protocol as netpol.Protocol,
      port: query.port,
    });
    const enforcement = netpol.networkPolicyEnforcement(state.cluster.resource);
    // Without enforcement every connection passes; egress/ingress still say what the policies would decide.
    return {
      ...freshness(state),
      ...verdict,
      allowed: !enforcement.enforced || verdict.allowed,
      policyAllowed: verdict.allowed,
      ...enforcementFields(enforcement, compiled),
    };
  }

  /**
   * What a connectivity trace reads of a cluster, as of one generation: compiled NetworkPolicies, kube-proxy's
   * cluster rules and the Services and EndpointSlices they come from (the same objects while nothing changes).
   */
  async clusterTraceState(project: string, location: string, clusterName: string) {
    const state = await this.state(project, location, clusterName);
    settle(state);
    const key = `${state.cluster.id}/${state.observedGeneration}`;
    const objects = this.kubeProxyObjects.get(key, () => state.copy.kubeProxyObjects());
    return {
      cluster: state.cluster,
      freshness: freshness(state),
      policies: this.compiledPolicies(state),
      proxyRules: state.copy.kubeProxyRules(),
      ...objects,
    };
  }

  private compiledPolicies(state: ClusterState): netpol.CompiledCluster {
    settle(state);
    return this.policies.get(`${state.cluster.id}/${state.observedGeneration}`, () =>
      netpol.compileCluster(state.copy.networkPolicyState()),
    );
  }

  private async nodeRules(project: string, location: string, clusterName: string, node: string) {
    const state = await this.state(project, location, clusterName);
    const row = await this.nodeRow(state, node);
    settle(state);
    const rules = state.copy.kubeProxyRules();
    const context: kubeProxy.NodeContext = { nodeName: node, nodeIP: row.internal_ip, podCidr: row.pod_cidr };
    return { state, rules, context };
  }

  private async nodeDump(project: string, location: string, clusterName: string, node: string) {
    const { state, rules, context } = await this.nodeRules(project, location, clusterName, node);
    return {
      state,
      dump: kubeProxy.compileNodeRules(rules, context),
      local: kubeProxy.nodeLocalAddresses(context),
    };
  }

  private async state(project: string, location: string, name: string): Promise<ClusterState> {
    const cluster = await this.clusters.findCluster(project, location, name);
    if (!cluster) throw GoogleErrors.notFound(`projects/${project}/locations/${location}/clusters/${name}`);
    const generation = await this.repository.generation(cluster.id);
    const copy = await this.currentCopy(cluster.id, cluster.podRange);
    return {
      cluster,
      generation: generation ?? '0',
      observedGeneration: String(copy.generation),
      copy,
    };
  }

  /**
   * The cluster's inputs as of the latest stored generation: the rows written since this process's copy (one
   * statement, so one snapshot), or all of them when the copy is older than the tombstones kept.
   */
  private async currentCopy(clusterId: bigint, podRange: string): Promise<ClusterInputsCopy> {
    let entry = this.copies.get(clusterId);
    if (entry) {
      // Most recently read last: the first entries are the ones to let go.
      this.copies.delete(clusterId);
      this.copies.set(clusterId, entry);
    } else {
      entry = { copy: new ClusterInputsCopy(-1n, podRange) };
      this.copies.set(clusterId, entry);
      for (const key of this.copies.keys()) {
        if (this.copies.size <= COPIES_KEPT) break;
        this.copies.delete(key);
      }
    }
    while (entry.refreshing) await entry.refreshing;
    const current = entry;
    const refresh = async () => {
      const since = current.copy.generation;
      const { observed, purged, objects } = await this.repository.copySince(clusterId, since);
      if (observed === since) return;
      // A copy older than the kept tombstones (or none yet) starts afresh from the live rows.
      const copy = since < 0n || since < purged ? new ClusterInputsCopy(observed, podRange) : current.copy;
      copy.apply(objects, observed);
      current.copy = copy;
    };
    if (entry.copy.generation >= 0n) {
      // Cheap check first: most reads find the copy current.
      const observed = await this.repository.observedGeneration(clusterId);
      if ((observed ?? 0n) === entry.copy.generation) return entry.copy;
    }
    current.refreshing = refresh().finally(() => {
      current.refreshing = undefined;
    });
    await current.refreshing;
    return current.copy;
  }

  private async nodeRow(state: ClusterState, node: string): Promise<NodeStateRow> {
    const row = await this.repository.nodeState(state.cluster.id, node);
    if (!row) {
      throw GoogleErrors.notFound(
        `projects/${state.cluster.project}/locations/${state.cluster.location}/clusters/${state.cluster.name}/nodes/${node}`,
      );
    }
    return row;
  }
}

/**
 * What every NetworkPolicy read says about enforcement: whether the cluster enforces NetworkPolicy, what decides
 * it, and, when it does not, a note that the stored policies exist but nothing applies them.
 */
function enforcementFields(enforcement: netpol.NetworkPolicyEnforcement, compiled: netpol.CompiledCluster) {
  const stored = new Set(
    Object.values(compiled.podPolicies).flatMap((policy) =>
      [...policy.ingress.policies, ...policy.egress.policies].map(netpol.formatPolicyRef),
    ),
  );
  for (const rejected of compiled.rejectedPolicies) stored.add(netpol.formatPolicyRef(rejected.policy));
  return {
    enforced: enforcement.enforced,
    enforcement: enforcement.mode,
    ...(enforcement.enforced
      ? {}
      : {
          note: `NetworkPolicy is not enforced on this cluster (${enforcement.mode}): ${stored.size} polic${stored.size === 1 ? 'y selects' : 'ies select'} pods but nothing applies them. Enable it with networkPolicy.enabled (and the networkPolicyConfig addon) or Dataplane V2.`,
        }),
  };
}

function parsePacket(query: {
  src?: string;
  dst?: string;
  dport?: string;
  protocol?: string;
}): kubeProxy.TracedPacket {
  if (!query.src || parseIpv4(query.src) === null)
    throw GoogleErrors.invalidFieldValue('src', query.src ?? '', 'Must be an IPv4 address.');
  if (!query.dst || parseIpv4(query.dst) === null)
    throw GoogleErrors.invalidFieldValue('dst', query.dst ?? '', 'Must be an IPv4 address.');
  const port = Number(query.dport);
  if (!query.dport || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw GoogleErrors.invalidFieldValue(
      'dport',
      query.dport ?? '',
      'Must be a port number from 1 to 65535.',
    );
  }
  const protocol = (query.protocol ?? 'TCP').toUpperCase();
  if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) {
    throw GoogleErrors.invalidFieldValue('protocol', query.protocol, 'Must be TCP, UDP or SCTP.');
  }
  return {
    sourceIP: query.src,
    destinationIP: query.dst,
    destinationPort: port,
    protocol: protocol as 'TCP',
  };
}
