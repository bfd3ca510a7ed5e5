import { type PgClientLike, sessionSql, UnitOfWork } from '@gke-emulator/db';
import { netpol } from '@gke-emulator/dataplane';
import { computeNodeResults } from './cluster-dataplane';
import { DataplaneComputationRepository } from './dataplane-computation.repository';
import { DATAPLANE_RESOURCES, loadVpcInputs } from './dataplane-inputs';
import { DataplaneInputsRepository } from './dataplane-inputs.repository';
import {
  computationRecord,
  copyRows,
  hasNetpolChanges,
  kubeProxyChangesEveryNode,
  needsVpcRecompute,
  netpolChanges,
  notifyPayload,
  objectChanges,
  type ObjectKey,
  planNodes,
  policyNamespaces,
  type NodesRecomputed,
  reduceObjects,
  startComputation,
  stillSkipped,
  tombstonePurge,
} from './recompute-plan';

export type { NodesRecomputed } from './recompute-plan';
export { TOMBSTONE_GENERATIONS } from './recompute-plan';
export type { PgClientLike } from '@gke-emulator/db';

export interface ComputeOutcome {
  clusterId: string;
  generation: string;
  /** `full`: from every input (the first computation); `incremental`: from the changes since the last one */
  mode?: 'full' | 'incremental';
  /** distinct objects changed since the last computation */
  changes?: number;
  /** nodes whose effective state this computation changed (the union over the parts) */
  nodesRecomputed: number;
  nodes?: NodesRecomputed;
  nodesUnchanged: number;
  skipped?: 'cluster-gone' | 'already-current';
}

/** The channel a computation notifies with `{"clusterId","generation","nodes": [...] | null}` (null: every node). */
export const NODE_CHANGED_CHANNEL = 'dataplane_node_changed';
const NOTIFY_PAYLOAD_LIMIT = 7000;

/**
 * The worker's job for one cluster. In one REPEATABLE READ snapshot it reads the generation and the changes
 * recorded since the generation it last stored, and recomputes only what they touch: the VPC side (routes and
 * firewall per node, skipping nodes whose inputs hash the same) when a node, firewall rule, route or range
 * changed; its copy of the changed Kubernetes objects (what the reads render kube-proxy's rules and NetworkPolicy
 * verdicts from); and per node the generation at which each part of its effective state last changed. The first
 * computation of a cluster reads everything. One job per cluster computes at a time (an advisory lock), so
 * results never go backwards and each job starts from the previous one's.
 */
export async function computeClusterDataplane(
  client: PgClientLike,
  clusterId: bigint,
): Promise<ComputeOutcome> {
  const session = new DataplaneComputationRepository(sessionSql(client));
  await session.ensureResultsRow(clusterId);
  // One computation per cluster at a time (graphile-worker starts a second job for a key whose job is running),
  // taken before the snapshot so that the second one starts from the first one's results. A session lock: a
  // worker that dies releases it with its connection.
  await session.lockCluster(clusterId);
  try {
    // Timed from here: waiting for another job's lock is not this computation's cost.
    const started = Date.now();
    return await UnitOfWork.transaction(client, (uow) => computeLocked(uow, clusterId, started), {
      isolation: 'REPEATABLE READ',
    });
  } finally {
    await session.unlockCluster(clusterId);
  }
}

/** One computation, in the snapshot: reads, asks recompute-plan.ts what to recompute, writes. */
async function computeLocked(uow: UnitOfWork, clusterId: bigint, started: number): Promise<ComputeOutcome> {
  const repo = new DataplaneComputationRepository(uow);
  const inputs = new DataplaneInputsRepository(uow);
  const results = await repo.results(clusterId);
  const cluster = await inputs.cluster(clusterId);
  const start = startComputation(cluster?.generation, results?.observed);
  if (start.skipped !== undefined || !cluster || !results) {
    return {
      clusterId: String(clusterId),
      generation: String(start.generation),
      nodesRecomputed: 0,
      nodesUnchanged: 0,
      skipped: start.skipped ?? 'cluster-gone',
    };
  }
  const { full, observed, generation } = start;
  const changes = full ? [] : await repo.changes(clusterId, observed, generation);
  const nodeNames = await repo.nodeNames(clusterId);

  // The VPC side: routes and firewall per node.
  let vpcNodes: string[] = [];
  let unchanged = nodeNames.length;
  if (needsVpcRecompute(full, changes)) {
    const vpcInputs = await loadVpcInputs(uow, {
      id: clusterId,
      projectId: cluster.projectId,
      networkId: cluster.networkId,
      network: cluster.network,
      podRange: cluster.podRange,
    });
    const computed = computeNodeResults(vpcInputs, await repo.vpcInputHashes(clusterId));
    unchanged = computed.unchanged;
    vpcNodes = computed.changed.map((node) => node.nodeName);
    for (const node of computed.changed) await repo.storeNodeVpc(clusterId, generation, node);
    await repo.deleteNodesOtherThan(clusterId, nodeNames);
  }

  // The Kubernetes side: the copy of the objects the reads render from, and which nodes each change touches.
  const { kubeProxyAll, netpolImpact, skipped } = full
    ? await copyEverything(repo, inputs, clusterId, generation)
    : await applyChanges(repo, clusterId, generation, objectChanges(changes));
  const plan = planNodes({ full, changes, nodeNames, vpcNodes, kubeProxyAll, netpolImpact });
  if (plan.markNodes.kubeProxy.length > 0) {
    await repo.markKubeProxyChanged(clusterId, generation, plan.markNodes.kubeProxy);
  }
  if (plan.markNodes.networkPolicy.length > 0) {
    await repo.markNetworkPolicyChanged(clusterId, generation, plan.markNodes.networkPolicy);
  }

  // Housekeeping: the consumed changes, and tombstones no reader can still need.
  await repo.deleteChangesThrough(clusterId, generation);
  const purge = tombstonePurge(generation, results.tombstonesPurgedThrough);
  if (purge !== undefined) await repo.purgeTombstonesThrough(clusterId, purge);
  const computeMs = Date.now() - started;
  await repo.recordComputation(clusterId, {
    generation,
    computeMs,
    lastComputation: computationRecord({
      generation,
      full,
      changes: changes.length,
      nodes: plan.nodes,
      ms: computeMs,
      skippedObjects: stillSkipped(full, changes, results.skippedObjects, skipped),
    }),
    tombstonesPurgedThrough: purge ?? results.tombstonesPurgedThrough,
    kubeProxyEveryNode: plan.kubeProxyEveryNode,
    netpolEveryNode: plan.netpolEveryNode,
  });
  if (plan.nodes.total > 0) {
    await repo.notify(
      NODE_CHANGED_CHANNEL,
      notifyPayload(String(clusterId), String(generation), plan.notify, NOTIFY_PAYLOAD_LIMIT),
    );
  }
  return {
    clusterId: String(clusterId),
    generation: String(generation),
    mode: full ? 'full' : 'incremental',
    changes: changes.length,
    nodesRecomputed: plan.nodes.total,
    nodes: plan.nodes,
    nodesUnchanged: unchanged,
  };
}

interface KubeOutcome {
  /** kube-proxy's rules changed on every node (a Service or EndpointSlice changed) */
  kubeProxyAll: boolean;
  netpolImpact: netpol.NetpolImpact;
  /** the objects left out of the copy (unreadable), with why */
  skipped: string[];
}

/** The first computation: the copy is made from every object. */
async function copyEverything(
  repo: DataplaneComputationRepository,
  inputs: DataplaneInputsRepository,
  clusterId: bigint,
  generation: bigint,
): Promise<KubeOutcome> {
  const { reduced, skipped } = reduceObjects(
    await inputs.kubeObjects(clusterId, DATAPLANE_RESOURCES, { ordered: false }),
  );
  await repo.deleteCopy(clusterId);
  await repo.storeCopy(clusterId, generation, reduced);
  return { kubeProxyAll: true, netpolImpact: { all: true, nodes: new Set() }, skipped };
}

/** Later computations: the changed objects are copied (or tombstoned), and their impact on nodes worked out. */
async function applyChanges(
  repo: DataplaneComputationRepository,
  clusterId: bigint,
  generation: bigint,
  changes: ObjectKey[],
): Promise<KubeOutcome> {
  if (changes.length === 0) {
    return { kubeProxyAll: false, netpolImpact: { all: false, nodes: new Set() }, skipped: [] };
  }
  const { reduced, skipped } = reduceObjects(await repo.kubeObjects(clusterId, changes));
  const before = await repo.copiedObjects(clusterId, changes);
  await repo.storeCopy(clusterId, generation, copyRows(changes, reduced));

  const kubeProxyAll = kubeProxyChangesEveryNode(changes);
  const touched = netpolChanges(changes, before, reduced);
  if (!hasNetpolChanges(touched)) {
    return { kubeProxyAll, netpolImpact: { all: false, nodes: new Set() }, skipped };
  }
  // Policies and namespaces are few; pods are read per namespace, only for the policies a change touches.
  const policies = await repo.copiedBodies<netpol.NetworkPolicy>(clusterId, 'networkpolicies');
  const namespaces =
    policies.length === 0 ? [] : await repo.copiedBodies<netpol.NamespaceInfo>(clusterId, 'namespaces');
  const podsByNamespace = new Map<string, netpol.PodInfo[]>();
  for (const namespace of policyNamespaces(policies)) {
    podsByNamespace.set(namespace, await repo.copiedBodies<netpol.PodInfo>(clusterId, 'pods', namespace));
  }
  const netpolImpact = netpol.netpolChangeImpact(
    { policies, namespaces, podsIn: (namespace) => podsByNamespace.get(namespace) ?? [] },
    touched,
  );
  return { kubeProxyAll, netpolImpact, skipped };
}

/** Records a failed attempt where the control API shows it; the job queue retries with backoff. */
export async function recordDataplaneFailure(
  client: PgClientLike,
  clusterId: bigint,
  error: unknown,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await new DataplaneComputationRepository(sessionSql(client)).recordFailure(clusterId, message);
}

/** A job locked for longer than this is taken for one whose worker died (a computation takes well under it). */
export const STALE_LOCK_SECONDS = 30;

/**
 * Queues a computation for every cluster whose results are behind, unless one is already waiting: what makes a
 * job lost with a killed worker (graphile-worker frees its lock only after hours) come back at once.
 */
export async function requeueStaleClusters(client: PgClientLike): Promise<number> {
  return new DataplaneComputationRepository(sessionSql(client)).requeueStale(STALE_LOCK_SECONDS);
}
