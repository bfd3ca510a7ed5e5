import type { KubeObject } from '../api/kube-object';
import { field } from '../api/kube-object';
import { podReady } from './endpoint-slices';
import { replicaSetUid } from './workloads';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/** `maxSurge` of a rolling update, resolved against the replicas (a percentage rounds up, as the controller's). */
export function maxSurge(deployment: KubeObject, replicas: number): number {
  if (field(deployment, 'spec', 'strategy', 'type') === 'Recreate') return 0;
  const surge = field(deployment, 'spec', 'strategy', 'rollingUpdate', 'maxSurge') ?? '25%';
  if (typeof surge === 'number') return surge;
  const percent = /^(\d+)%$/.exec(String(surge));
  return percent ? Math.ceil((Number(percent[1]) * replicas) / 100) : Number(surge) || 0;
}

/** Whether the ReplicaSet is one of the Deployment's (its controller owner is the Deployment). */
export function ownedReplicaSet(replicaSet: KubeObject, deployment: KubeObject): boolean {
  return (replicaSet.metadata.ownerReferences ?? []).some(
    (owner) =>
      owner.kind === 'Deployment' && owner.controller === true && owner.uid === deployment.metadata.uid,
  );
}

/** A ReplicaSet's revision (`deployment.kubernetes.io/revision`), 0 when it has none. */
export function revisionOf(replicaSet: KubeObject): number {
  return Number(replicaSet.metadata.annotations?.[REVISION_ANNOTATION] ?? 0) || 0;
}

/**
 * The ReplicaSet the Deployment controller keeps for the Deployment's pod template with this hash: named
 * `<deployment>-<hash>`, its selector and template labels carrying `pod-template-hash`, owned by the Deployment,
 * with the uid its pods name as their controller.
 */
export function replicaSetFor(
  deployment: KubeObject,
  hash: string,
  replicas: number,
  revision: number,
): { object: KubeObject; uid: string } {
  const name = String(deployment.metadata.name);
  const template = structuredClone((field(deployment, 'spec', 'template') ?? {}) as Record<string, unknown>);
  const templateMeta = (template['metadata'] ?? {}) as Record<string, unknown>;
  const labels = { ...((templateMeta['labels'] as Record<string, string>) ?? {}), 'pod-template-hash': hash };
  template['metadata'] = { ...templateMeta, labels };
  const selector = (field(deployment, 'spec', 'selector') ?? {}) as Record<string, unknown>;
  const desired = Number(field(deployment, 'spec', 'replicas') ?? 1);
  const minReadySeconds = field(deployment, 'spec', 'minReadySeconds');
  return {
    uid: replicaSetUid(String(deployment.metadata.uid), hash),
    object: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${name}-${hash}`,
        namespace: deployment.metadata.namespace,
        labels,
        annotations: {
          [DESIRED_REPLICAS_ANNOTATION]: String(desired),
          [MAX_REPLICAS_ANNOTATION]: String(desired + maxSurge(deployment, desired)),
          [REVISION_ANNOTATION]: String(revision),
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name,
            uid: String(deployment.metadata.uid),
            controller: true,
            blockOwnerDeletion: true,
          } as never,
        ],
      },
      spec: {
        replicas,
        ...(typeof minReadySeconds === 'number' ? { minReadySeconds } : {}),
        selector: {
          ...selector,
          matchLabels: {
            ...((selector['matchLabels'] as Record<string, string> | undefined) ?? {}),
            'pod-template-hash': hash,
          },
        },
        template,
      },
    },
  };
}

/** A ReplicaSet's status from the pods it owns (the ones carrying its `pod-template-hash`). */
export function replicaSetStatus(replicaSet: KubeObject, pods: readonly KubeObject[]) {
  const templateLabels = (field(replicaSet, 'spec', 'template', 'metadata', 'labels') ?? {}) as Record<
    string,
    string
  >;
  const fullyLabeled = pods.filter((pod) =>
    Object.entries(templateLabels).every(([key, value]) => pod.metadata.labels?.[key] === value),
  ).length;
  const ready = pods.filter(podReady).length;
  return {
    replicas: pods.length,
    ...(fullyLabeled > 0 ? { fullyLabeledReplicas: fullyLabeled } : {}),
    ...(ready > 0 ? { readyReplicas: ready, availableReplicas: ready } : {}),
    observedGeneration: replicaSet.metadata.generation ?? 1,
  };
}

/** The message of the Deployment controller's `ScalingReplicaSet` event. */
export function scalingMessage(replicaSet: string, from: number, to: number): string {
  return `Scaled ${to > from ? 'up' : 'down'} replica set ${replicaSet} from ${from} to ${to}`;
}

/** Old ReplicaSets beyond `revisionHistoryLimit` (scaled to zero, oldest revisions first) that the controller deletes. */
export function surplusHistory(deployment: KubeObject, old: readonly KubeObject[]): KubeObject[] {
  const limit = Number(field(deployment, 'spec', 'revisionHistoryLimit') ?? 10);
  const idle = old
    .filter((rs) => Number(field(rs, 'spec', 'replicas') ?? 0) === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  return idle.slice(0, Math.max(0, idle.length - limit));
}

/** Pending pods a Deployment may hold beyond what every node of its cluster could run together. */
export const MAX_PENDING_PODS_BEYOND_CAPACITY = 100;

/**
 * How many of a Deployment's replicas exist as pods: all of them up to the cluster's capacity (the sum of its nodes'
 * `maxPods`) plus `MAX_PENDING_PODS_BEYOND_CAPACITY` Pending ones, so one write (`replicas: 2147483647`) does
 * bounded work under the cluster lock. The rest would stay Pending on a real cluster anyway; the Deployment's
 * status reports them as unavailable.
 */
export function materialisedReplicas(replicas: number, nodes: readonly { maxPods: number }[]): number {
  const capacity = nodes.reduce((sum, node) => sum + node.maxPods, 0);
  return Math.max(0, Math.min(replicas, capacity + MAX_PENDING_PODS_BEYOND_CAPACITY));
}
