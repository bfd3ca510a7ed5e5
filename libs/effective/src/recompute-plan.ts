import type { netpol } from '@gke-emulator/dataplane';
import { DATAPLANE_RESOURCES, type DataplaneResource } from './dataplane-inputs';

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
