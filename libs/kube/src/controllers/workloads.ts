import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/kube-object';
import { field, isPlainObject, listField, rfc3339 } from '../api/kube-object';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes' "safe" encoding (no vowels, no look-alikes), as in pod-template-hash and generated names. */
function safeEncode(value: number, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out += SAFE_ALPHABET[rest % SAFE_ALPHABET.length];
    rest = Math.floor(rest / SAFE_ALPHABET.length) || value + i * 131;
  }
  return out;
}

function fnv32a(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  return hash;
}

/** The `pod-template-hash` of a Deployment's pod template: changes when the template does, like the real one. */
export function templateHash(template: unknown): string {
  return safeEncode(fnv32a(JSON.stringify(template ?? {})), 10);
}

/** A random 5-character suffix in Kubernetes' alphabet (generateName). */
export function randomSuffix(random: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += SAFE_ALPHABET[Math.floor(random() * SAFE_ALPHABET.length)];
  return out;
}

/** A stable uid for the ReplicaSet a Deployment's pods name as their controller. */
export function replicaSetUid(deploymentUid: string, hash: string): string {
  const hex = createHash('sha1').update(`${deploymentUid}/${hash}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A pod of a Deployment, as its ReplicaSet would create it (spec defaults are the store's). */
export function podForDeployment(
  deployment: KubeObject,
  hash: string,
  suffix: string,
  replicaSetUidValue = replicaSetUid(String(deployment.metadata.uid), hash),
): KubeObject {
  const name = deployment.metadata.name as string;
  const template = (field(deployment, 'spec', 'template') ?? {}) as Record<string, unknown>;
  const templateMeta = (template['metadata'] ?? {}) as Record<string, unknown>;
  const labels = { ...((templateMeta['labels'] as Record<string, string>) ?? {}), 'pod-template-hash': hash };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-${hash}-${suffix}`,
      generateName: `${name}-${hash}-`,
      namespace: deployment.metadata.namespace,
      labels,
      ...(templateMeta['annotations']
        ? { annotations: templateMeta['annotations'] as Record<string, string> }
        : {}),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${name}-${hash}`,
          uid: replicaSetUidValue,
          controller: true,
          blockOwnerDeletion: true,
        } as never,
      ],
    },
    spec: structuredClone((template['spec'] ?? {}) as Record<string, unknown>),
  };
}

/** Whether a pod belongs to one of the Deployment's ReplicaSets (their uids), as its controller owner. */
export function ownedByDeployment(pod: KubeObject, replicaSetUids: ReadonlySet<string>): boolean {
  return (pod.metadata.ownerReferences ?? []).some(
    (owner) => owner.kind === 'ReplicaSet' && owner.controller === true && replicaSetUids.has(owner.uid),
  );
}

/** A bound pod's status: running, and Ready unless `ready` is false (a readiness delay still running). */
export function runningPodStatus(
  pod: KubeObject,
  input: { hostIP: string; podIP: string; ready: boolean; now: Date },
) {
  const at = rfc3339(input.now);
  const condition = (type: string, status: boolean) => ({
    type,
    status: status ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: at,
  });
  return {
    phase: 'Running',
    conditions: [
      condition('PodReadyToStartContainers', true),
      condition('Initialized', true),
      condition('Ready', input.ready),
      condition('ContainersReady', input.ready),
      condition('PodScheduled', true),
    ],
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    podIP: input.podIP,
    podIPs: [{ ip: input.podIP }],
    startTime: at,
    containerStatuses: listField(pod, 'spec', 'containers')
      .filter(isPlainObject)
      .map((container) => ({
        name: String(container['name']),
        image: String(container['image'] ?? ''),
        imageID: '',
        containerID: `containerd://${createHash('sha256')
          .update(`${String(pod.metadata.name)}/${String(container['name'])}`)
          .digest('hex')}`,
        ready: input.ready,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: at } },
      })),
    qosClass: 'BestEffort',
  };
}

/** A Deployment's status from its pods. */
export function deploymentStatus(
  deployment: KubeObject,
  pods: readonly KubeObject[],
  hash: string,
  now: Date,
) {
  const desired = Number(field(deployment, 'spec', 'replicas') ?? 1);
  const ready = pods.filter((pod) =>
    listField(pod, 'status', 'conditions').some(
      (c) => field(c, 'type') === 'Ready' && field(c, 'status') === 'True',
    ),
  ).length;
  const updated = pods.filter((pod) => pod.metadata.labels?.['pod-template-hash'] === hash).length;
  const at = rfc3339(now);
  const available = ready >= desired;
  const rsName = `${deployment.metadata.name as string}-${hash}`;
  return {
    observedGeneration: deployment.metadata.generation ?? 1,
    ...(pods.length > 0 ? { replicas: pods.length, updatedReplicas: updated } : {}),
    ...(ready > 0 ? { readyReplicas: ready, availableReplicas: ready } : {}),
    ...(pods.length - ready > 0 ? { unavailableReplicas: pods.length - ready } : {}),
    conditions: [
      {
        type: 'Available',
        status: available ? 'True' : 'False',
        lastUpdateTime: at,
        lastTransitionTime: at,
        reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        message: available
          ? 'Deployment has minimum availability.'
          : 'Deployment does not have minimum availability.',
      },
      {
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: at,
        lastTransitionTime: at,
        reason: updated >= desired ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
        message:
          updated >= desired
            ? `ReplicaSet "${rsName}" has successfully progressed.`
            : `ReplicaSet "${rsName}" is progressing.`,
      },
    ],
  };
}
