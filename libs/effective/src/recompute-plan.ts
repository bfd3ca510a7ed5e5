import type { netpol } from '@gke-emulator/dataplane';
import {
  DATAPLANE_RESOURCES,
  type DataplaneObjectBody,
  type DataplaneResource,
  reduceKubeObject,
} from './dataplane-inputs';

/**
 * What one computation of a cluster's data plane recomputes, decided from what changed — pure, so the worker's
 * transaction script (compute-cluster.task.ts) only reads, calls these, and writes.
 */

/** One changed object, as `dataplane_change` records it (`vpc`, `nodes` and `cluster` included). */
export interface ChangeKey {
  resource: string;
  namespace: string;
  name: string;
}

/** A changed Kubernetes object the data plane keeps a copy of. */
export interface ObjectKey extends ChangeKey {
  resource: DataplaneResource;
}

/** How many nodes one computation recomputed, per part of their effective state, and in all. */
export interface NodesRecomputed {
  vpc: number;
  kubeProxy: number;
  networkPolicy: number;
  total: number;
}

export const keyOf = (key: ChangeKey): string => `${key.resource}/${key.namespace}/${key.name}`;

/** Tombstones of deleted objects are kept this many generations for readers that update their copy in place. */
export const TOMBSTONE_GENERATIONS = 1000n;

/** Whether a computation runs, and from where: every input (`full`) or the changes after `observed`. */
export type ComputationStart =
  | { skipped: 'cluster-gone' | 'already-current'; generation: bigint }
  | { skipped?: undefined; full: boolean; observed: bigint; generation: bigint };

/**
 * Decides from the cluster's generation (undefined: the cluster is gone) and the generation its results reflect
 * (undefined: no results row, the cluster is gone too): nothing to do, the first computation (from every input),
 * or an incremental one.
 */
export function startComputation(
  generation: bigint | undefined,
  observed: bigint | undefined,
): ComputationStart {
  if (generation === undefined || observed === undefined) return { skipped: 'cluster-gone', generation: 0n };
  if (observed >= generation) return { skipped: 'already-current', generation };
  return { full: observed === 0n, observed, generation };
}

/**
 * Through which generation to purge the copy's tombstones now, or undefined: now and then (every `keep`
 * generations), not on every computation, and always keeping the last `keep` generations' tombstones.
 */
export function tombstonePurge(
  generation: bigint,
  purgedThrough: bigint,
  keep: bigint = TOMBSTONE_GENERATIONS,
): bigint | undefined {
  return generation - keep >= purgedThrough + keep ? generation - keep : undefined;
}

/** A Kubernetes object as the API stores it. */
export interface StoredObject extends ObjectKey {
  body: Record<string, unknown>;
}

/** A Kubernetes object reduced to what the data plane reads (a row of the copy). */
export interface ReducedObject extends ObjectKey {
  body: DataplaneObjectBody;
}

/**
 * The objects reduced to what kube-proxy and NetworkPolicy read. One the reducers cannot read (the API admits
 * nothing of the kind, but the database may hold anything) is left out and named in `skipped`: it never stops the
 * rest of the cluster from converging.
 */
export function reduceObjects(objects: readonly StoredObject[]): {
  reduced: ReducedObject[];
  skipped: string[];
} {
  const reduced: ReducedObject[] = [];
  const skipped: string[] = [];
  for (const object of objects) {
    try {
      reduced.push({
        resource: object.resource,
        namespace: object.namespace,
        name: object.name,
        body: reduceKubeObject(object.resource, object.body),
      });
    } catch (error) {
      skipped.push(`${keyOf(object)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { reduced, skipped };
}

/** The copy's rows for the changed objects: each one's reduced body, or a tombstone (null) when it is gone. */
export function copyRows(
  changes: readonly ObjectKey[],
  reduced: readonly ReducedObject[],
): (ObjectKey & { body: DataplaneObjectBody | null })[] {
  const byKey = new Map(reduced.map((object) => [keyOf(object), object.body] as const));
  return changes.map((change) => ({
    resource: change.resource,
    namespace: change.namespace,
    name: change.name,
    body: byKey.get(keyOf(change)) ?? null,
  }));
}

/**
 * The NetworkPolicy inputs the changes touch, each as its copy before and after (null: absent), for
 * `netpol.netpolChangeImpact`.
 */
export function netpolChanges(
  changes: readonly ObjectKey[],
  before: readonly { resource: string; namespace: string; name: string; body: DataplaneObjectBody | null }[],
  after: readonly ReducedObject[],
): netpol.NetpolChanges {
  const beforeByKey = new Map(before.map((object) => [keyOf(object), object.body] as const));
  const afterByKey = new Map(after.map((object) => [keyOf(object), object.body] as const));
  const pairs = <T>(resource: DataplaneResource): netpol.Change<T>[] =>
    changes
      .filter((change) => change.resource === resource)
      .map((change) => ({
        before: (beforeByKey.get(keyOf(change)) ?? null) as T | null,
        after: (afterByKey.get(keyOf(change)) ?? null) as T | null,
      }));
  return {
    pods: pairs<netpol.PodInfo>('pods'),
    policies: pairs<netpol.NetworkPolicy>('networkpolicies'),
    namespaces: pairs<netpol.NamespaceInfo>('namespaces'),
  };
}

export function hasNetpolChanges(changes: netpol.NetpolChanges): boolean {
  return changes.pods.length + changes.policies.length + changes.namespaces.length > 0;
}

/** The namespaces whose pods the policies select (`default` for a policy without one), each once, in order. */
export function policyNamespaces(policies: readonly netpol.NetworkPolicy[]): string[] {
  return [...new Set(policies.map((policy) => policy.metadata.namespace ?? 'default'))];
}

/** The VPC side (routes and firewall per node) is recomputed on the first computation, or when a node or a VPC input changed. */
export function needsVpcRecompute(full: boolean, changes: readonly ChangeKey[]): boolean {
  return full || changes.some((change) => change.resource === 'vpc' || change.resource === 'nodes');
}

/** The changes to objects the data plane copies (the others — `vpc`, `nodes` — are read another way). */
export function objectChanges(changes: readonly ChangeKey[]): ObjectKey[] {
  return changes.filter((change): change is ObjectKey =>
    (DATAPLANE_RESOURCES as readonly string[]).includes(change.resource),
  );
}

/** A Service or EndpointSlice change reaches kube-proxy's rules on every node. */
export function kubeProxyChangesEveryNode(changes: readonly ChangeKey[]): boolean {
  return changes.some((change) => change.resource === 'services' || change.resource === 'endpointslices');
}

/**
 * The change the cluster's row records when its NetworkPolicy enforcement inputs change (`networkPolicy`, the
 * `networkPolicyConfig` addon, `networkConfig.datapathProvider`; functions.sql): every node's verdicts follow.
 */
export const NETWORK_POLICY_ENFORCEMENT_CHANGE: ChangeKey = {
  resource: 'cluster',
  namespace: '',
  name: 'networkPolicyEnforcement',
};

export function networkPolicyEnforcementChanged(changes: readonly ChangeKey[]): boolean {
  return changes.some((change) => keyOf(change) === keyOf(NETWORK_POLICY_ENFORCEMENT_CHANGE));
}

export interface NodePlan {
  /** kube-proxy's rules changed on every node: recorded once, on the cluster */
  kubeProxyEveryNode: boolean;
  /** NetworkPolicy verdicts changed on every node: recorded once, on the cluster */
  netpolEveryNode: boolean;
  /** the nodes whose kube-proxy rules changed (every node when `kubeProxyEveryNode`) */
  kubeProxyNodes: string[];
  /** the nodes whose NetworkPolicy verdicts changed (every node when `netpolEveryNode`) */
  netpolNodes: string[];
  /** the nodes whose own rows record a change (none for a part whose change the cluster records for every node) */
  markNodes: { kubeProxy: string[]; networkPolicy: string[] };
  nodes: NodesRecomputed;
  /** the nodes to name in the change notification; null: every node */
  notify: string[] | null;
}

/**
 * Which nodes each part of the effective state changed on. A change every node sees is recorded once for the
 * cluster; one that touches some nodes (a node's own object, the pods a policy selects), on those nodes only.
 */
export function planNodes(input: {
  full: boolean;
  changes: readonly ChangeKey[];
  nodeNames: readonly string[];
  vpcNodes: readonly string[];
  kubeProxyAll: boolean;
  netpolImpact: netpol.NetpolImpact;
}): NodePlan {
  const { full, changes, nodeNames, vpcNodes } = input;
  const touchedNodes = changes.filter((change) => change.resource === 'nodes').map((change) => change.name);
  const kubeProxyEveryNode = input.kubeProxyAll || full;
  const netpolEveryNode = full || input.netpolImpact.all || networkPolicyEnforcementChanged(changes);
  const kubeProxyNodes = kubeProxyEveryNode
    ? [...nodeNames]
    : touchedNodes.filter((name) => nodeNames.includes(name));
  const netpolNodes = netpolEveryNode
    ? [...nodeNames]
    : nodeNames.filter((name) => input.netpolImpact.nodes.has(name) || touchedNodes.includes(name));
  const recomputed = new Set([...vpcNodes, ...kubeProxyNodes, ...netpolNodes]);
  return {
    kubeProxyEveryNode,
    netpolEveryNode,
    kubeProxyNodes,
    netpolNodes,
    markNodes: {
      kubeProxy: kubeProxyEveryNode ? [] : kubeProxyNodes,
      networkPolicy: netpolEveryNode ? [] : netpolNodes,
    },
    nodes: {
      vpc: vpcNodes.length,
      kubeProxy: kubeProxyNodes.length,
      networkPolicy: netpolNodes.length,
      total: recomputed.size,
    },
    notify: recomputed.size === nodeNames.length ? null : [...recomputed].sort(),
  };
}

/**
 * The objects still left out of the copy: those left out before stay listed until a change to them (or a full
 * computation) reads them again, then this computation's; at most `limit`.
 */
export function stillSkipped(
  full: boolean,
  changes: readonly ChangeKey[],
  previous: readonly string[],
  skipped: readonly string[],
  limit = 50,
): string[] {
  const changedKeys = new Set(changes.map(keyOf));
  const kept = full ? [] : previous.filter((entry) => !changedKeys.has(entry.split(': ')[0] ?? ''));
  return [...kept, ...skipped].slice(0, limit);
}

/** The NOTIFY payload: the nodes named, or null (every node) when naming them would not fit. */
export function notifyPayload(
  clusterId: string,
  generation: string,
  nodes: readonly string[] | null,
  limit: number,
): string {
  const payload = JSON.stringify({ clusterId, generation, nodes });
  return payload.length > limit ? JSON.stringify({ clusterId, generation, nodes: null }) : payload;
}

/** What the results row says of the last computation (`last_computation`, shown by the control API). */
export function computationRecord(input: {
  generation: bigint;
  full: boolean;
  changes: number;
  nodes: NodesRecomputed;
  ms: number;
  skippedObjects: readonly string[];
}): Record<string, unknown> {
  return {
    generation: String(input.generation),
    mode: input.full ? 'full' : 'incremental',
    changes: input.changes,
    nodes: input.nodes,
    ms: input.ms,
    ...(input.skippedObjects.length > 0 ? { skippedObjects: [...input.skippedObjects] } : {}),
  };
}
