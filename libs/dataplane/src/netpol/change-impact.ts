import { parseIpv4 } from '@gke-emulator/netaddr';
import { compileSelector, matchesSelector } from './label-selector.matcher';
import { effectiveNamespaceLabels, ipBlockRanges, policySelectsPod } from './network-policy.compiler';
import type {
  Labels,
  NamespaceInfo,
  NetworkPolicy,
  NetworkPolicyPeer,
  PodInfo,
} from './network-policy.types';
import { DEFAULT_NAMESPACE } from './network-policy.types';
import { validateNetworkPolicy } from './network-policy.validator';

// Which nodes a change to pods, NetworkPolicies or namespaces touches. A node enforces the policies that select
// its pods, with their peers resolved to the pods and namespaces they match (what a CNI programs: Calico's ipsets,
// Cilium's identities). So a change touches: the nodes of the changed pods; the nodes of the pods a changed policy
// selects (before or after); and the nodes of the pods selected by any policy whose peers match a changed pod or
// namespace (before or after) — the peer sets those nodes enforce changed.

/** One object before and after a change (`null`: it did not exist). */
export interface Change<T> {
  readonly before: T | null;
  readonly after: T | null;
}

export interface NetpolChanges {
  readonly pods: readonly Change<PodInfo>[];
  readonly policies: readonly Change<NetworkPolicy>[];
  readonly namespaces: readonly Change<NamespaceInfo>[];
}

export interface NetpolImpactState {
  /** Every policy as it is after the changes. */
  readonly policies: readonly NetworkPolicy[];
  /** Every namespace as it is after the changes. */
  readonly namespaces: readonly NamespaceInfo[];
  /** The pods of a namespace as they are after the changes. */
  podsIn(namespace: string): readonly PodInfo[];
}

export interface NetpolImpact {
  /** Every node is touched (a policy the API server would refuse changed: every node reports those). */
  readonly all: boolean;
  readonly nodes: ReadonlySet<string>;
}

function namespaceOf(policy: NetworkPolicy): string {
  return policy.metadata.namespace ?? DEFAULT_NAMESPACE;
}

function peersOf(policy: NetworkPolicy): NetworkPolicyPeer[] {
  return [
    ...(policy.spec.ingress ?? []).flatMap((rule) => rule.from ?? []),
    ...(policy.spec.egress ?? []).flatMap((rule) => rule.to ?? []),
  ];
}

function ipInBlock(ip: string | undefined, cidr: string, except: readonly string[] = []): boolean {
  const address = ip === undefined ? null : parseIpv4(ip);
  if (address === null) return false;
  return ipBlockRanges(cidr, except).some((range) => range.start <= address && address <= range.end);
}

/** Whether one of the policy's peers selects the pod (its namespace labelled `namespaceLabels`). */
export function policyPeersMatchPod(policy: NetworkPolicy, pod: PodInfo, namespaceLabels: Labels): boolean {
  return peersOf(policy).some((peer) => {
    if (peer.ipBlock) return ipInBlock(pod.ip, peer.ipBlock.cidr, peer.ipBlock.except);
    const namespaceMatches = peer.namespaceSelector
      ? matchesSelector(compileSelector(peer.namespaceSelector), namespaceLabels)
      : pod.namespace === namespaceOf(policy);
    if (!namespaceMatches) return false;
    return peer.podSelector ? matchesSelector(compileSelector(peer.podSelector), pod.labels ?? {}) : true;
  });
}

/** Whether one of the policy's peers selects pods by the labels of this namespace. */
export function policyPeersMatchNamespace(policy: NetworkPolicy, namespace: NamespaceInfo): boolean {
  const labels = effectiveNamespaceLabels(namespace.name, namespace.labels);
  return peersOf(policy).some(
    (peer) =>
      peer.namespaceSelector !== undefined &&
      matchesSelector(compileSelector(peer.namespaceSelector), labels),
  );
}

/** The nodes whose enforced policies a set of changes touches. */
export function netpolChangeImpact(state: NetpolImpactState, changes: NetpolChanges): NetpolImpact {
  const nodes = new Set<string>();
  const addNode = (pod: PodInfo | null) => {
    if (pod?.nodeName) nodes.add(pod.nodeName);
  };
  for (const change of changes.pods) {
    addNode(change.before);
    addNode(change.after);
  }
  const labelsNow = new Map(
    state.namespaces.map((namespace) => [
      namespace.name,
      effectiveNamespaceLabels(namespace.name, namespace.labels),
    ]),
  );
  const labelsBefore = new Map(labelsNow);
  for (const change of changes.namespaces) {
    if (change.before) {
      labelsBefore.set(
        change.before.name,
        effectiveNamespaceLabels(change.before.name, change.before.labels),
      );
    }
  }
  const relevant: NetworkPolicy[] = [];
  for (const change of changes.policies) {
    for (const version of [change.before, change.after]) {
      if (!version) continue;
      if (validateNetworkPolicy(version).length > 0) return { all: true, nodes };
      relevant.push(version);
    }
  }
  for (const policy of state.policies) {
    const touched =
      changes.pods.some(
        ({ before, after }) =>
          (before !== null &&
            policyPeersMatchPod(
              policy,
              before,
              labelsBefore.get(before.namespace) ?? effectiveNamespaceLabels(before.namespace),
            )) ||
          (after !== null &&
            policyPeersMatchPod(
              policy,
              after,
              labelsNow.get(after.namespace) ?? effectiveNamespaceLabels(after.namespace),
            )),
      ) ||
      changes.namespaces.some(
        ({ before, after }) =>
          (before !== null && policyPeersMatchNamespace(policy, before)) ||
          (after !== null && policyPeersMatchNamespace(policy, after)),
      );
    if (touched) relevant.push(policy);
  }
  const podsByNamespace = new Map<string, readonly PodInfo[]>();
  for (const policy of relevant) {
    const namespace = namespaceOf(policy);
    let pods = podsByNamespace.get(namespace);
    if (!pods) {
      pods = state.podsIn(namespace);
      podsByNamespace.set(namespace, pods);
    }
    for (const pod of pods) if (policySelectsPod(policy, pod)) addNode(pod);
  }
  return { all: false, nodes };
}
