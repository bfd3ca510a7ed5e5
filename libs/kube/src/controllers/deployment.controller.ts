import type { ClusterDirectory } from '@gke-emulator/container';
import { field, type KubeObject } from '../api/kube-object';
import { KubeStatusError } from '../api/kube-status';
import { kindByResource } from '../api/resources';
import type { AdmissionContext, AdmissionHook, WatchEventType } from '../store/admission';
import { recordEvent } from './events';
import { type InWriteController, nodesOf } from './in-write-controller';
import {
  materialisedReplicas,
  ownedReplicaSet,
  replicaSetFor,
  replicaSetStatus,
  revisionOf,
  scalingMessage,
  surplusHistory,
} from './replica-sets';
import { stateOf } from './transaction-state';
import {
  deploymentStatus,
  ownedByDeployment,
  podForDeployment,
  randomSuffix,
  templateHash,
} from './workloads';

const PODS = kindByResource('pods');
const DEPLOYMENTS = kindByResource('deployments');
const REPLICA_SETS = kindByResource('replicasets');

/**
 * The Deployment controller, with its ReplicaSet controller folded in: a Deployment's ReplicaSets (one per
 * template, older ones scaled to zero and kept up to `revisionHistoryLimit`), its pods (created, replaced when
 * someone else deletes one, and removed with it) and the status of both, which follows the pods' readiness. A
 * Deployment's own pod writes form a batch; `batchDone` runs once at its end (the pod IPs and EndpointSlices the
 * batch changed are written then, by their controllers).
 */
export class DeploymentController implements InWriteController {
  readonly name = 'deployment-controller';

  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly batchDone: (context: AdmissionContext) => Promise<void>,
  ) {}

  hooks(): Record<string, AdmissionHook> {
    return {
      pods: {
        afterWrite: async (context, type, pod) => {
          if (context.dryRun) return;
          if (type === 'MODIFIED' && context.subresource === 'status')
            await this.refreshOwnerStatus(context, pod);
          if (type === 'DELETED' && !context.subresource) await this.replacePod(context, pod);
        },
      },
      deployments: {
        afterWrite: async (context, type, deployment) => {
          if (context.dryRun || context.subresource === 'status') return;
          if (type === 'DELETED') await this.deleteDeploymentPods(context, deployment);
          else await this.reconcileDeployment(context, deployment);
        },
      },
      replicasets: {
        afterWrite: async (context, type, replicaSet) => {
          if (context.dryRun || context.subresource === 'status') return;
          if (stateOf(context.sql).replicaSetWrites > 0) return;
          await this.replicaSetChanged(context, type, replicaSet);
        },
      },
    };
  }

  /** A Deployment's pod deleted by someone else (a user, a node going away) is replaced, as its ReplicaSet would. */
  private async replacePod(context: AdmissionContext, pod: KubeObject): Promise<void> {
    const state = stateOf(context.sql);
    if (state.ownDeletes.has(String(pod.metadata.uid))) return;
    const owner = (pod.metadata.ownerReferences ?? []).find(
      (ref) => ref.kind === 'ReplicaSet' && ref.controller,
    );
    if (!owner) return;
    const deploymentName = owner.name.slice(0, owner.name.lastIndexOf('-'));
    const deployment = await context.objects.get(DEPLOYMENTS, String(pod.metadata.namespace), deploymentName);
    if (deployment && ownedByDeployment(pod, await this.replicaSetUids(context, deployment))) {
      state.nodes = undefined; // a node may have gone
      await this.reconcileDeployment(
        { ...context, kind: DEPLOYMENTS, operation: 'UPDATE', old: deployment },
        deployment,
      );
    }
  }

  /** A Deployment's status follows its pods' readiness. */
  private async refreshOwnerStatus(context: AdmissionContext, pod: KubeObject): Promise<void> {
    const owner = (pod.metadata.ownerReferences ?? []).find(
      (ref) => ref.kind === 'ReplicaSet' && ref.controller,
    );
    if (!owner) return;
    const namespace = String(pod.metadata.namespace);
    const deployment = await context.objects.get(
      DEPLOYMENTS,
      namespace,
      owner.name.slice(0, owner.name.lastIndexOf('-')),
    );
    if (!deployment) return;
    const uids = await this.replicaSetUids(context, deployment);
    if (!ownedByDeployment(pod, uids)) return;
    const hash = templateHash(field(deployment, 'spec', 'template'));
    const pods = (await context.objects.list(PODS, { namespace })).filter((p) => ownedByDeployment(p, uids));
    const replicaSet = await context.objects.get(REPLICA_SETS, namespace, owner.name);
    if (replicaSet) {
      const podHash = pod.metadata.labels?.['pod-template-hash'];
      await this.writeReplicaSetStatus(
        context,
        replicaSet,
        pods.filter((p) => p.metadata.labels?.['pod-template-hash'] === podHash),
      );
    }
    await context.objects.update(
      DEPLOYMENTS,
      { ...deployment, status: deploymentStatus(deployment, pods, hash, new Date()) },
      { subresource: 'status' },
    );
  }

  /** The uids of the Deployment's ReplicaSets: its pods name one of them as their controller. */
  private async replicaSetUids(context: AdmissionContext, deployment: KubeObject): Promise<Set<string>> {
    const owned = await context.objects.list(REPLICA_SETS, {
      namespace: String(deployment.metadata.namespace),
      filter: (rs) => ownedReplicaSet(rs, deployment),
    });
    return new Set(owned.map((rs) => String(rs.metadata.uid)));
  }

  private async reconcileDeployment(context: AdmissionContext, deployment: KubeObject): Promise<void> {
    const namespace = String(deployment.metadata.namespace);
    const state = stateOf(context.sql);
    const hash = templateHash(field(deployment, 'spec', 'template'));
    const replicas = Number(field(deployment, 'spec', 'replicas') ?? 1);
    const desired = materialisedReplicas(replicas, await nodesOf(this.clusters, context));
    const replicaSets = await this.syncReplicaSets(context, deployment, hash, replicas);
    const uids = new Set(replicaSets.map((rs) => String(rs.metadata.uid)));
    const currentUid = replicaSets.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash)?.metadata
      .uid;
    const all = await context.objects.list(PODS, { namespace });
    const owned = all.filter((pod) => ownedByDeployment(pod, uids));
    // Old template's pods go first (an instant rolling update), then the newest of the current ones.
    const stale = owned.filter((pod) => pod.metadata.labels?.['pod-template-hash'] !== hash);
    const current = owned
      .filter((pod) => pod.metadata.labels?.['pod-template-hash'] === hash)
      .sort((a, b) =>
        String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)),
      );
    const surplus = [...stale, ...current.slice(desired).reverse()];
    state.batching++;
    try {
      for (const pod of surplus) {
        state.ownDeletes.add(String(pod.metadata.uid));
        await context.objects.delete(PODS, namespace, String(pod.metadata.name));
      }
      const kept = current.slice(0, desired);
      const names = new Set(all.map((pod) => String(pod.metadata.name)));
      for (let i = kept.length; i < desired; i++) {
        let suffix = randomSuffix();
        while (names.has(`${String(deployment.metadata.name)}-${hash}-${suffix}`)) suffix = randomSuffix();
        const pod = podForDeployment(deployment, hash, suffix, currentUid);
        names.add(String(pod.metadata.name));
        kept.push(await context.objects.create(PODS, pod));
      }
      for (const replicaSet of replicaSets) {
        const own = replicaSet.metadata.labels?.['pod-template-hash'] === hash;
        await this.writeReplicaSetStatus(context, replicaSet, own ? kept : []);
      }
      await context.objects.update(
        DEPLOYMENTS,
        { ...deployment, status: deploymentStatus(deployment, kept, hash, new Date()) },
        { subresource: 'status' },
      );
    } finally {
      state.batching--;
    }
    if (state.batching === 0) await this.batchDone(context);
  }

  /**
   * The Deployment's ReplicaSets, as the Deployment controller keeps them: one for the current template scaled to
   * the Deployment's replicas (created with the next revision), the older ones scaled to zero and kept up to
   * `revisionHistoryLimit`. Each scaling is a `ScalingReplicaSet` event on the Deployment. Returns the ones kept.
   */
  private async syncReplicaSets(
    context: AdmissionContext,
    deployment: KubeObject,
    hash: string,
    desired: number,
  ): Promise<KubeObject[]> {
    const { sql, objects } = context;
    const namespace = String(deployment.metadata.namespace);
    const state = stateOf(sql);
    const owned = await objects.list(REPLICA_SETS, {
      namespace,
      filter: (rs) => ownedReplicaSet(rs, deployment),
    });
    const current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const old = owned.filter((rs) => rs !== current);
    const newest = Math.max(0, ...old.map(revisionOf));
    const scaled = async (name: string, from: number, to: number) => {
      if (from === to) return;
      await recordEvent(objects, deployment, {
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: scalingMessage(name, from, to),
        component: 'deployment-controller',
      });
    };
    const kept: KubeObject[] = [];
    state.replicaSetWrites++;
    try {
      // A template seen before (a rollback) takes the next revision again, as with the real controller.
      const revision = current && revisionOf(current) > newest ? revisionOf(current) : newest + 1;
      const wanted = replicaSetFor(deployment, hash, desired, revision);
      if (!current) {
        const fresh = state.deletedReplicaSets.has(`${namespace}/${String(wanted.object.metadata.name)}`);
        kept.push(await objects.create(REPLICA_SETS, wanted.object, fresh ? {} : { uid: wanted.uid }));
        await scaled(String(wanted.object.metadata.name), 0, desired);
      } else {
        const from = Number(field(current, 'spec', 'replicas') ?? 0);
        kept.push(
          await objects.update(REPLICA_SETS, {
            ...current,
            metadata: {
              ...current.metadata,
              annotations: { ...current.metadata.annotations, ...wanted.object.metadata.annotations },
            },
            spec: { ...(current['spec'] as object), replicas: desired },
          }),
        );
        await scaled(String(current.metadata.name), from, desired);
      }
      for (const rs of old) {
        const replicas = Number(field(rs, 'spec', 'replicas') ?? 0);
        if (replicas === 0) {
          kept.push(rs);
          continue;
        }
        kept.push(
          await objects.update(REPLICA_SETS, {
            ...rs,
            spec: { ...(rs['spec'] as object), replicas: 0 },
          }),
        );
        await scaled(String(rs.metadata.name), replicas, 0);
      }
      for (const rs of surplusHistory(deployment, old)) {
        await objects.delete(REPLICA_SETS, namespace, String(rs.metadata.name));
        kept.splice(
          kept.findIndex((k) => k.metadata.uid === rs.metadata.uid),
          1,
        );
      }
    } finally {
      state.replicaSetWrites--;
    }
    return kept;
  }

  private async writeReplicaSetStatus(
    context: AdmissionContext,
    replicaSet: KubeObject,
    pods: readonly KubeObject[],
  ): Promise<void> {
    const state = stateOf(context.sql);
    state.replicaSetWrites++;
    try {
      await context.objects.update(
        REPLICA_SETS,
        { ...replicaSet, status: replicaSetStatus(replicaSet, pods) },
        { subresource: 'status' },
      );
    } finally {
      state.replicaSetWrites--;
    }
  }

  /**
   * A user's write to a Deployment's ReplicaSet: the Deployment controller brings it back to what the Deployment
   * says; a deleted one takes its pods with it (the garbage collector) and is made again with new pods.
   */
  private async replicaSetChanged(
    context: AdmissionContext,
    type: WatchEventType,
    replicaSet: KubeObject,
  ): Promise<void> {
    const owner = (replicaSet.metadata.ownerReferences ?? []).find(
      (ref) => ref.kind === 'Deployment' && ref.controller,
    );
    if (!owner) return;
    const namespace = String(replicaSet.metadata.namespace);
    const deployment = await context.objects.get(DEPLOYMENTS, namespace, owner.name);
    if (!deployment || deployment.metadata.uid !== owner.uid) return;
    if (type === 'DELETED') {
      const state = stateOf(context.sql);
      state.deletedReplicaSets.add(`${namespace}/${String(replicaSet.metadata.name)}`);
      const pods = (await context.objects.list(PODS, { namespace })).filter((pod) =>
        (pod.metadata.ownerReferences ?? []).some((ref) => ref.uid === replicaSet.metadata.uid),
      );
      state.batching++;
      try {
        for (const pod of pods) {
          state.ownDeletes.add(String(pod.metadata.uid));
          await context.objects.delete(PODS, namespace, String(pod.metadata.name));
        }
      } finally {
        state.batching--;
      }
    }
    await this.reconcileDeployment(
      { ...context, kind: DEPLOYMENTS, operation: 'UPDATE', old: deployment },
      deployment,
    );
  }

  private async deleteDeploymentPods(context: AdmissionContext, deployment: KubeObject): Promise<void> {
    const namespace = String(deployment.metadata.namespace);
    const state = stateOf(context.sql);
    const replicaSets = await context.objects.list(REPLICA_SETS, {
      namespace,
      filter: (rs) => ownedReplicaSet(rs, deployment),
    });
    const uids = new Set(replicaSets.map((rs) => String(rs.metadata.uid)));
    const pods = (await context.objects.list(PODS, { namespace })).filter((pod) =>
      ownedByDeployment(pod, uids),
    );
    state.batching++;
    state.replicaSetWrites++;
    try {
      for (const pod of pods) {
        state.ownDeletes.add(String(pod.metadata.uid));
        await context.objects.delete(PODS, namespace, String(pod.metadata.name));
      }
      for (const rs of replicaSets) {
        try {
          await context.objects.delete(REPLICA_SETS, namespace, String(rs.metadata.name));
        } catch (error) {
          // already gone with its namespace
          if (!(error instanceof KubeStatusError && error.code === 404)) throw error;
        }
      }
    } finally {
      state.batching--;
      state.replicaSetWrites--;
    }
    if (state.batching === 0) await this.batchDone(context);
  }
}
