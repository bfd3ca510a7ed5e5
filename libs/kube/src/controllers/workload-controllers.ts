import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OperationTimingService } from '@gke-emulator/operations';
import { ClusterDirectory, type NodeRecord } from '@gke-emulator/container';
import { memoKey, type UnitOfWork } from '@gke-emulator/db';
import { firstAddress, lastAddress, parseCidrOrThrow, parseIpv4 } from '@gke-emulator/netaddr';
import { field, isPlainObject, listField, type KubeObject, stringField } from '../api/kube-object';
import { KubeErrors, KubeStatusError, type StatusCause } from '../api/kube-status';
import { kindByResource } from '../api/resources';
import { type AdmissionContext, KubeAdmission, type WatchEventType } from '../store/admission';
import { notifyIngresses } from './ingress.controller';
import { notifyLoadBalancer } from './load-balancer.controller';
import { notifyPodReadiness, READY_AT_ANNOTATION } from './pod-readiness.controller';
import { recordEvent } from './events';
import {
  ownedReplicaSet,
  replicaSetFor,
  replicaSetStatus,
  revisionOf,
  scalingMessage,
  surplusHistory,
} from './replica-sets';
import { desiredEndpointSlices, endpointSliceObject, MANAGED_BY, selects } from './endpoint-slices';
import { allocatePodIp, pickNode } from './pod-network';
import { allocateClusterIp, allocateNodePort, clusterIpInRange, NODE_PORT_RANGE } from './service-allocation';
import {
  deploymentStatus,
  ownedByDeployment,
  podForDeployment,
  randomSuffix,
  runningPodStatus,
  templateHash,
} from './workloads';

const PODS = kindByResource('pods');
const SERVICES = kindByResource('services');
const DEPLOYMENTS = kindByResource('deployments');
const SLICES = kindByResource('endpointslices');
const REPLICA_SETS = kindByResource('replicasets');

/** What one unit of work has learnt so far: nodes, pod counts and IPs, so a Deployment of 1,000 pods reads them once. */
interface TxState {
  nodes?: NodeRecord[];
  podsPerNode?: Map<string, number>;
  podIps?: Map<string, Set<string>>;
  /** while a Deployment creates or deletes its own pods: the namespaces whose Services to reconcile at the end */
  batching: number;
  /** per namespace, the label sets of the pods changed meanwhile */
  dirtyPods: Map<string, Record<string, string>[]>;
  /** pods this transaction deletes on a controller's behalf (no replacement wanted) */
  ownDeletes: Set<string>;
  /** pod IP allocations written at the end of a batch: [ip, pod uid] */
  pendingIps: [string, string][];
  /** while the Deployment controller writes ReplicaSets (their hook then leaves them alone) */
  replicaSetWrites: number;
  /** ReplicaSets a user deleted in this transaction: made again, they get a new uid */
  deletedReplicaSets: Set<string>;
}

const CONTROLLER_STATE = memoKey<TxState>('kube.workload-controllers');
function stateOf(uow: UnitOfWork): TxState {
  return uow.memo(CONTROLLER_STATE, () => ({
    batching: 0,
    dirtyPods: new Map(),
    ownDeletes: new Set(),
    pendingIps: [],
    replicaSetWrites: 0,
    deletedReplicaSets: new Set(),
  }));
}

/** The scheduler's message when no node has room (every node is full of pods, and nothing can be preempted). */
export function unschedulableMessage(nodes: number): string {
  if (nodes === 0) return 'no nodes available to schedule pods';
  return `0/${nodes} nodes are available: ${nodes} Too many pods. preemption: 0/${nodes} nodes are available: ${nodes} No preemption victims found for incoming pod.`;
}

function invalid(field: string, value: unknown, detail: string): StatusCause {
  return {
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
    field,
  };
}

/**
 * The emulated controllers of a cluster, as admission hooks that run inside each write's transaction: the
 * scheduler and the node IPAM (a pod gets a node and an IP from that node's pod range), the Deployment controller
 * (with its ReplicaSet folded in), the Service IP and NodePort allocators, and the EndpointSlice controller. The
 * real ones are asynchronous; here the result is in the same transaction, so a client sees it on its next read.
 */
@Injectable()
export class WorkloadControllers implements OnModuleInit {
  constructor(
    private readonly admission: KubeAdmission,
    private readonly clusters: ClusterDirectory,
    private readonly timing: OperationTimingService,
  ) {}

  onModuleInit(): void {
    this.admission.register('pods', {
      mutate: (context, pod) => this.admitPod(context, pod),
      afterWrite: async (context, type, pod) => {
        if (context.dryRun) return;
        if (type === 'ADDED') {
          await this.recordPodIp(context, pod);
          const scheduled = listField(pod, 'status', 'conditions').find(
            (condition) => field(condition, 'type') === 'PodScheduled',
          );
          if (field(scheduled, 'status') === 'False') {
            await recordEvent(context.store, context.sql, context.cluster, pod, {
              type: 'Warning',
              reason: 'FailedScheduling',
              message: String(field(scheduled, 'message')),
              component: 'default-scheduler',
              action: 'Scheduling',
            });
          }
          const readyAt = pod.metadata.annotations?.[READY_AT_ANNOTATION];
          if (readyAt) {
            await notifyPodReadiness(context.sql, {
              clusterId: String(context.cluster.id),
              namespace: String(pod.metadata.namespace),
              name: String(pod.metadata.name),
              uid: String(pod.metadata.uid),
              readyAt: Date.parse(readyAt),
            });
          }
        }
        if (type === 'MODIFIED' && context.subresource === 'status')
          await this.refreshOwnerStatus(context, pod);
        if (type === 'DELETED' && !context.subresource) await this.replacePod(context, pod);
        await this.podChanged(context, pod, context.old);
      },
    });
    this.admission.register('deployments', {
      afterWrite: async (context, type, deployment) => {
        if (context.dryRun || context.subresource === 'status') return;
        if (type === 'DELETED') await this.deleteDeploymentPods(context, deployment);
        else await this.reconcileDeployment(context, deployment);
      },
    });
    this.admission.register('replicasets', {
      afterWrite: async (context, type, replicaSet) => {
        if (context.dryRun || context.subresource === 'status') return;
        if (stateOf(context.sql).replicaSetWrites > 0) return;
        await this.replicaSetChanged(context, type, replicaSet);
      },
    });
    for (const resource of ['ingresses', 'backendconfigs']) {
      this.admission.register(resource, {
        afterWrite: async (context) => {
          if (!context.dryRun && context.subresource !== 'status')
            await notifyIngresses(context.sql, context.cluster.id);
        },
      });
    }
    this.admission.register('services', {
      mutate: (context, service) => this.allocateService(context, service),
      validate: (context, service) => this.validateServiceAllocations(context, service),
      afterWrite: async (context, type, service) => {
        if (context.dryRun) return;
        const balanced = (object: KubeObject | undefined) => field(object, 'spec', 'type') === 'LoadBalancer';
        await notifyIngresses(context.sql, context.cluster.id);
        // The service controller acts on what the Service asks for, not on the status it writes itself.
        if ((balanced(service) || balanced(context.old)) && context.subresource !== 'status') {
          await notifyLoadBalancer(context.sql, {
            clusterId: String(context.cluster.id),
            namespace: String(service.metadata.namespace),
            name: String(service.metadata.name),
            uid: String(service.metadata.uid),
          });
        }
        if (type === 'DELETED') {
          await this.deleteSlices(context, service);
          return;
        }
        await this.recordServiceAllocations(context, service);
        if (context.subresource !== 'status') await this.reconcileSlices(context, service);
      },
    });
  }

  // ---- pods: scheduling and IPs ----

  private async nodes(context: AdmissionContext): Promise<NodeRecord[]> {
    const state = stateOf(context.sql);
    state.nodes ??= await this.clusters.listNodesIn(context.sql, context.cluster.id);
    return state.nodes;
  }

  /**
   * Pods per node and the pod IPs each node's range has handed out, from the cluster's pod IP allocations (one
   * indexed read, bucketed by node range here): what scheduling and IPAM need, once per transaction.
   */
  private async podNetwork(context: AdmissionContext) {
    const state = stateOf(context.sql);
    if (!state.podsPerNode || !state.podIps) {
      const nodes = await this.nodes(context);
      const ranges = nodes
        .map((node) => {
          const range = parseCidrOrThrow(node.podCidr);
          return { name: node.name, first: firstAddress(range), last: lastAddress(range) };
        })
        .sort((a, b) => a.first - b.first);
      const rows = await context.sql.query<{ value: string }>(
        `SELECT value FROM kube_allocation WHERE cluster_id = $1 AND kind = 'podIP'`,
        [context.cluster.id],
      );
      const counts = new Map<string, number>();
      const taken = new Map<string, Set<string>>(nodes.map((node) => [node.name, new Set<string>()]));
      for (const { value } of rows) {
        const address = parseIpv4(value);
        if (address === null) continue;
        let low = 0;
        let high = ranges.length - 1;
        while (low <= high) {
          const middle = (low + high) >> 1;
          const range = ranges[middle] as (typeof ranges)[number];
          if (address < range.first) high = middle - 1;
          else if (address > range.last) low = middle + 1;
          else {
            counts.set(range.name, (counts.get(range.name) ?? 0) + 1);
            taken.get(range.name)?.add(value);
            break;
          }
        }
      }
      state.podsPerNode = counts;
      state.podIps = taken;
    }
    return { counts: state.podsPerNode, taken: state.podIps };
  }

  private async podsPerNode(context: AdmissionContext): Promise<Map<string, number>> {
    return (await this.podNetwork(context)).counts;
  }

  private async podIpsOn(context: AdmissionContext, node: NodeRecord): Promise<Set<string>> {
    const { taken } = await this.podNetwork(context);
    let ips = taken.get(node.name);
    if (!ips) {
      ips = new Set();
      taken.set(node.name, ips);
    }
    return ips;
  }

  /** Binds a new pod to a node, gives it an IP from the node's pod range and reports it running. */
  private async admitPod(context: AdmissionContext, pod: KubeObject): Promise<void> {
    if (context.operation !== 'CREATE') return;
    await context.store.lockCluster(context.sql, context.cluster);
    const nodes = await this.nodes(context);
    const counts = await this.podsPerNode(context);
    const spec = (pod['spec'] ??= {}) as Record<string, unknown>;
    let node: NodeRecord | undefined;
    const requested = stringField(pod, 'spec', 'nodeName');
    if (requested) {
      node = nodes.find((candidate) => candidate.name === requested);
    } else {
      const picked = pickNode(
        nodes.map((n) => ({ name: n.name, maxPods: n.maxPods, pods: counts.get(n.name) ?? 0 })),
      );
      node = picked ? nodes.find((candidate) => candidate.name === picked.name) : undefined;
      if (!node) {
        // No node has room: the pod stays Pending and unscheduled, as with the real scheduler.
        pod['status'] = {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
              reason: 'Unschedulable',
              message: unschedulableMessage(nodes.length),
            },
          ],
          qosClass: 'BestEffort',
        };
        return;
      }
      spec['nodeName'] = node.name;
    }
    if (!node) {
      pod['status'] = { phase: 'Pending', qosClass: 'BestEffort' };
      return;
    }
    let podIP = node.internalIp;
    if (spec['hostNetwork'] !== true) {
      const taken = await this.podIpsOn(context, node);
      const ip = allocatePodIp(node.podCidr, taken);
      if (!ip) {
        pod['status'] = { phase: 'Pending', qosClass: 'BestEffort' };
        return;
      }
      taken.add(ip);
      podIP = ip;
    }
    counts.set(node.name, (counts.get(node.name) ?? 0) + 1);
    // With a readiness delay (the `podReadyDelayMs` setting), the pod runs but is not Ready until it has passed.
    const delay = await this.timing.delayMs(context.cluster.project, context.sql, 'podReadyDelayMs');
    const now = new Date();
    if (delay > 0) {
      pod.metadata.annotations = {
        ...(pod.metadata.annotations ?? {}),
        [READY_AT_ANNOTATION]: new Date(now.getTime() + delay).toISOString(),
      };
    }
    pod['status'] = runningPodStatus(pod, { hostIP: node.internalIp, podIP, ready: delay === 0, now });
  }

  private async recordPodIp(context: AdmissionContext, pod: KubeObject): Promise<void> {
    const ip = stringField(pod, 'status', 'podIP');
    if (!ip || field(pod, 'spec', 'hostNetwork') === true) return;
    const state = stateOf(context.sql);
    state.pendingIps.push([ip, String(pod.metadata.uid)]);
    // In a batch, one insert at its end (still in the transaction: the primary key decides before commit).
    if (state.batching === 0) await this.flushPodIps(context);
  }

  private async flushPodIps(context: AdmissionContext): Promise<void> {
    const state = stateOf(context.sql);
    if (state.pendingIps.length === 0) return;
    const pending = state.pendingIps.splice(0);
    await context.sql.query(
      `INSERT INTO kube_allocation (cluster_id, kind, value, owner_uid)
       SELECT $1, 'podIP', ip, uid::uuid FROM unnest($2::text[], $3::text[]) AS p(ip, uid)`,
      [context.cluster.id, pending.map(([ip]) => ip), pending.map(([, uid]) => uid)],
    );
  }

  /** A Deployment's pod deleted by someone else (a user, a node going away) is replaced, as its ReplicaSet would. */
  private async replacePod(context: AdmissionContext, pod: KubeObject): Promise<void> {
    const state = stateOf(context.sql);
    const node = stringField(pod, 'spec', 'nodeName');
    if (node) {
      const counts = await this.podsPerNode(context);
      counts.set(node, Math.max(0, (counts.get(node) ?? 1) - 1));
    }
    if (state.ownDeletes.has(String(pod.metadata.uid))) return;
    const owner = (pod.metadata.ownerReferences ?? []).find(
      (ref) => ref.kind === 'ReplicaSet' && ref.controller,
    );
    if (!owner) return;
    const deploymentName = owner.name.slice(0, owner.name.lastIndexOf('-'));
    const deployment = await context.store.get(
      context.sql,
      context.cluster,
      DEPLOYMENTS,
      String(pod.metadata.namespace),
      deploymentName,
    );
    if (deployment && ownedByDeployment(pod, await this.replicaSetUids(context, deployment))) {
      state.nodes = undefined; // a node may have gone
      await this.reconcileDeployment(
        { ...context, kind: DEPLOYMENTS, operation: 'UPDATE', old: deployment },
        deployment,
      );
    }
  }

  /** Endpoints follow pods: reconcile the Services that select the pod now or selected it before. */
  private async podChanged(
    context: AdmissionContext,
    pod: KubeObject,
    old: KubeObject | undefined,
  ): Promise<void> {
    const namespace = String(pod.metadata.namespace);
    const state = stateOf(context.sql);
    if (state.batching > 0) {
      const changed = state.dirtyPods.get(namespace) ?? [];
      changed.push(pod.metadata.labels ?? {});
      if (old) changed.push(old.metadata.labels ?? {});
      state.dirtyPods.set(namespace, changed);
      return;
    }
    const services = await this.servicesIn(context, namespace);
    for (const service of services) {
      const selector = (field(service, 'spec', 'selector') ?? {}) as Record<string, string>;
      if (selects(selector, pod.metadata.labels) || (old && selects(selector, old.metadata.labels))) {
        await this.reconcileSlices(context, service);
      }
    }
  }

  private async servicesIn(context: AdmissionContext, namespace: string): Promise<KubeObject[]> {
    return (await context.store.list(context.sql, context.cluster, SERVICES, { namespace })).items;
  }

  /** A Deployment's status follows its pods' readiness. */
  private async refreshOwnerStatus(context: AdmissionContext, pod: KubeObject): Promise<void> {
    const owner = (pod.metadata.ownerReferences ?? []).find(
      (ref) => ref.kind === 'ReplicaSet' && ref.controller,
    );
    if (!owner) return;
    const namespace = String(pod.metadata.namespace);
    const deployment = await context.store.get(
      context.sql,
      context.cluster,
      DEPLOYMENTS,
      namespace,
      owner.name.slice(0, owner.name.lastIndexOf('-')),
    );
    if (!deployment) return;
    const uids = await this.replicaSetUids(context, deployment);
    if (!ownedByDeployment(pod, uids)) return;
    const hash = templateHash(field(deployment, 'spec', 'template'));
    const pods = (await context.store.list(context.sql, context.cluster, PODS, { namespace })).items.filter(
      (p) => ownedByDeployment(p, uids),
    );
    const replicaSet = await context.store.get(
      context.sql,
      context.cluster,
      REPLICA_SETS,
      namespace,
      owner.name,
    );
    if (replicaSet) {
      const podHash = pod.metadata.labels?.['pod-template-hash'];
      await this.writeReplicaSetStatus(
        context,
        replicaSet,
        pods.filter((p) => p.metadata.labels?.['pod-template-hash'] === podHash),
      );
    }
    await context.store.update(
      context.sql,
      context.cluster,
      DEPLOYMENTS,
      { ...deployment, status: deploymentStatus(deployment, pods, hash, new Date()) },
      { subresource: 'status' },
    );
  }

  // ---- deployments ----

  /** The uids of the Deployment's ReplicaSets: its pods name one of them as their controller. */
  private async replicaSetUids(context: AdmissionContext, deployment: KubeObject): Promise<Set<string>> {
    const owned = await context.store.list(context.sql, context.cluster, REPLICA_SETS, {
      namespace: String(deployment.metadata.namespace),
      filter: (rs) => ownedReplicaSet(rs, deployment),
    });
    return new Set(owned.items.map((rs) => String(rs.metadata.uid)));
  }

  private async reconcileDeployment(context: AdmissionContext, deployment: KubeObject): Promise<void> {
    const namespace = String(deployment.metadata.namespace);
    const state = stateOf(context.sql);
    const hash = templateHash(field(deployment, 'spec', 'template'));
    const replicas = Number(field(deployment, 'spec', 'replicas') ?? 1);
    const desired = materialisedReplicas(replicas, await this.nodes(context));
    const replicaSets = await this.syncReplicaSets(context, deployment, hash, replicas);
    const uids = new Set(replicaSets.map((rs) => String(rs.metadata.uid)));
    const currentUid = replicaSets.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash)?.metadata
      .uid;
    const all = (await context.store.list(context.sql, context.cluster, PODS, { namespace })).items;
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
        await context.store.delete(context.sql, context.cluster, PODS, namespace, String(pod.metadata.name));
      }
      const kept = current.slice(0, desired);
      const names = new Set(all.map((pod) => String(pod.metadata.name)));
      for (let i = kept.length; i < desired; i++) {
        let suffix = randomSuffix();
        while (names.has(`${String(deployment.metadata.name)}-${hash}-${suffix}`)) suffix = randomSuffix();
        const pod = podForDeployment(deployment, hash, suffix, currentUid);
        names.add(String(pod.metadata.name));
        kept.push(await context.store.create(context.sql, context.cluster, PODS, pod));
      }
      for (const replicaSet of replicaSets) {
        const own = replicaSet.metadata.labels?.['pod-template-hash'] === hash;
        await this.writeReplicaSetStatus(context, replicaSet, own ? kept : []);
      }
      await context.store.update(
        context.sql,
        context.cluster,
        DEPLOYMENTS,
        { ...deployment, status: deploymentStatus(deployment, kept, hash, new Date()) },
        { subresource: 'status' },
      );
    } finally {
      state.batching--;
    }
    if (state.batching === 0) await this.flushNamespaces(context);
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
    const { sql, cluster, store } = context;
    const namespace = String(deployment.metadata.namespace);
    const state = stateOf(sql);
    const owned = (
      await store.list(sql, cluster, REPLICA_SETS, {
        namespace,
        filter: (rs) => ownedReplicaSet(rs, deployment),
      })
    ).items;
    const current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const old = owned.filter((rs) => rs !== current);
    const newest = Math.max(0, ...old.map(revisionOf));
    const scaled = async (name: string, from: number, to: number) => {
      if (from === to) return;
      await recordEvent(store, sql, cluster, deployment, {
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
        kept.push(
          await store.create(sql, cluster, REPLICA_SETS, wanted.object, fresh ? {} : { uid: wanted.uid }),
        );
        await scaled(String(wanted.object.metadata.name), 0, desired);
      } else {
        const from = Number(field(current, 'spec', 'replicas') ?? 0);
        kept.push(
          await store.update(sql, cluster, REPLICA_SETS, {
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
          await store.update(sql, cluster, REPLICA_SETS, {
            ...rs,
            spec: { ...(rs['spec'] as object), replicas: 0 },
          }),
        );
        await scaled(String(rs.metadata.name), replicas, 0);
      }
      for (const rs of surplusHistory(deployment, old)) {
        await store.delete(sql, cluster, REPLICA_SETS, namespace, String(rs.metadata.name));
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
      await context.store.update(
        context.sql,
        context.cluster,
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
    const deployment = await context.store.get(
      context.sql,
      context.cluster,
      DEPLOYMENTS,
      namespace,
      owner.name,
    );
    if (!deployment || deployment.metadata.uid !== owner.uid) return;
    if (type === 'DELETED') {
      const state = stateOf(context.sql);
      state.deletedReplicaSets.add(`${namespace}/${String(replicaSet.metadata.name)}`);
      const pods = (await context.store.list(context.sql, context.cluster, PODS, { namespace })).items.filter(
        (pod) => (pod.metadata.ownerReferences ?? []).some((ref) => ref.uid === replicaSet.metadata.uid),
      );
      state.batching++;
      try {
        for (const pod of pods) {
          state.ownDeletes.add(String(pod.metadata.uid));
          await context.store.delete(
            context.sql,
            context.cluster,
            PODS,
            namespace,
            String(pod.metadata.name),
          );
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
    const replicaSets = (
      await context.store.list(context.sql, context.cluster, REPLICA_SETS, {
        namespace,
        filter: (rs) => ownedReplicaSet(rs, deployment),
      })
    ).items;
    const uids = new Set(replicaSets.map((rs) => String(rs.metadata.uid)));
    const pods = (await context.store.list(context.sql, context.cluster, PODS, { namespace })).items.filter(
      (pod) => ownedByDeployment(pod, uids),
    );
    state.batching++;
    state.replicaSetWrites++;
    try {
      for (const pod of pods) {
        state.ownDeletes.add(String(pod.metadata.uid));
        await context.store.delete(context.sql, context.cluster, PODS, namespace, String(pod.metadata.name));
      }
      for (const rs of replicaSets) {
        try {
          await context.store.delete(
            context.sql,
            context.cluster,
            REPLICA_SETS,
            namespace,
            String(rs.metadata.name),
          );
        } catch (error) {
          // already gone with its namespace
          if (!(error instanceof KubeStatusError && error.code === 404)) throw error;
        }
      }
    } finally {
      state.batching--;
      state.replicaSetWrites--;
    }
    if (state.batching === 0) await this.flushNamespaces(context);
  }

  /** After a batch: the Services that select any pod the batch changed. */
  private async flushNamespaces(context: AdmissionContext): Promise<void> {
    await this.flushPodIps(context);
    const state = stateOf(context.sql);
    const changed = [...state.dirtyPods.entries()];
    state.dirtyPods.clear();
    for (const [namespace, labelSets] of changed) {
      for (const service of await this.servicesIn(context, namespace)) {
        const selector = (field(service, 'spec', 'selector') ?? {}) as Record<string, string>;
        if (labelSets.some((labels) => selects(selector, labels)))
          await this.reconcileSlices(context, service);
      }
    }
  }

  // ---- services: ClusterIPs, NodePorts, EndpointSlices ----

  private async taken(context: AdmissionContext, kind: 'clusterIP' | 'nodePort', except: string | undefined) {
    const rows = await context.sql.query<{ value: string }>(
      `SELECT value FROM kube_allocation WHERE cluster_id = $1 AND kind = $2 AND ($3::uuid IS NULL OR owner_uid <> $3::uuid)`,
      [context.cluster.id, kind, except ?? null],
    );
    return new Set(rows.map((row) => row.value));
  }

  private async allocateService(context: AdmissionContext, service: KubeObject): Promise<void> {
    const spec = (service['spec'] ??= {}) as Record<string, unknown>;
    const type = String(spec['type'] ?? 'ClusterIP');
    const old = context.operation === 'UPDATE' ? context.old : undefined;
    await context.store.lockCluster(context.sql, context.cluster);
    const uid = old?.metadata.uid;
    if (type !== 'ExternalName') {
      const oldIp = stringField(old, 'spec', 'clusterIP');
      if (spec['clusterIP'] === undefined || spec['clusterIP'] === '') {
        if (oldIp) spec['clusterIP'] = oldIp;
        else {
          const ip = allocateClusterIp(
            context.cluster.servicesRange,
            await this.taken(context, 'clusterIP', uid),
          );
          if (!ip) {
            throw KubeErrors.internal(`failed to allocate a serviceIP: range is full`);
          }
          spec['clusterIP'] = ip;
        }
      }
      spec['clusterIPs'] = [spec['clusterIP']];
      if (spec['clusterIP'] !== 'None') {
        spec['ipFamilies'] ??= ['IPv4'];
        spec['ipFamilyPolicy'] ??= 'SingleStack';
      }
    } else {
      delete spec['clusterIP'];
      delete spec['clusterIPs'];
    }
    const ports = listField(service, 'spec', 'ports').filter(isPlainObject);
    if (type === 'NodePort' || type === 'LoadBalancer') {
      const taken = await this.taken(context, 'nodePort', uid);
      const oldPorts = listField(old, 'spec', 'ports').filter(isPlainObject);
      ports.forEach((port, index) => {
        if (port['nodePort'] !== undefined) return;
        const previous = oldPorts.find(
          (p) => p['port'] === port['port'] && (p['protocol'] ?? 'TCP') === (port['protocol'] ?? 'TCP'),
        );
        const nodePort =
          (previous?.['nodePort'] as number | undefined) ??
          allocateNodePort(
            new Set([...taken].map(Number)),
            `${String(service.metadata.namespace)}/${String(service.metadata.name)}/${index}`,
          );
        if (nodePort === null) throw KubeErrors.internal('failed to allocate a nodePort: range is full');
        port['nodePort'] = nodePort;
        taken.add(String(nodePort));
      });
      if (type === 'LoadBalancer' && spec['externalTrafficPolicy'] === 'Local') {
        if (spec['healthCheckNodePort'] === undefined) {
          const previous = field(old, 'spec', 'healthCheckNodePort');
          spec['healthCheckNodePort'] =
            typeof previous === 'number'
              ? previous
              : allocateNodePort(new Set([...taken].map(Number)), `${String(service.metadata.name)}/health`);
        }
      } else delete spec['healthCheckNodePort'];
      if (type === 'LoadBalancer') spec['allocateLoadBalancerNodePorts'] ??= true;
    } else {
      for (const port of ports) delete port['nodePort'];
      delete spec['healthCheckNodePort'];
    }
    if (type !== 'NodePort' && type !== 'LoadBalancer') delete spec['externalTrafficPolicy'];
    else spec['externalTrafficPolicy'] ??= 'Cluster';
  }

  /** Requested ClusterIPs and NodePorts: in range, and not someone else's (422, as the allocators answer). */
  private async validateServiceAllocations(
    context: AdmissionContext,
    service: KubeObject,
  ): Promise<StatusCause[]> {
    const causes: StatusCause[] = [];
    const uid = context.old?.metadata.uid;
    const ip = stringField(service, 'spec', 'clusterIP');
    const oldIp = stringField(context.old, 'spec', 'clusterIP');
    if (context.old && oldIp && ip !== oldIp && field(service, 'spec', 'type') !== 'ExternalName') {
      causes.push(invalid('spec.clusterIPs[0]', [ip], 'may not change once set'));
    } else if (ip && ip !== 'None' && ip !== oldIp) {
      if (!clusterIpInRange(context.cluster.servicesRange, ip, parseIpv4(ip))) {
        causes.push(
          invalid(
            'spec.clusterIPs',
            [ip],
            `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${context.cluster.servicesRange}`,
          ),
        );
      } else if ((await this.taken(context, 'clusterIP', uid)).has(ip)) {
        causes.push(
          invalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is already allocated`),
        );
      }
    }
    const taken = await this.taken(context, 'nodePort', uid);
    const seen = new Set<number>();
    listField(service, 'spec', 'ports')
      .filter(isPlainObject)
      .forEach((port, index) => {
        const nodePort = port['nodePort'];
        if (typeof nodePort !== 'number') return;
        const at = `spec.ports[${index}].nodePort`;
        if (nodePort < NODE_PORT_RANGE.min || nodePort > NODE_PORT_RANGE.max) {
          causes.push(
            invalid(
              at,
              nodePort,
              `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
            ),
          );
        } else if (taken.has(String(nodePort)) || seen.has(nodePort)) {
          causes.push(invalid(at, nodePort, 'provided port is already allocated'));
        }
        seen.add(nodePort);
      });
    return causes;
  }

  private async recordServiceAllocations(context: AdmissionContext, service: KubeObject): Promise<void> {
    const values: [string, string][] = [];
    const ip = stringField(service, 'spec', 'clusterIP');
    if (ip && ip !== 'None') values.push(['clusterIP', ip]);
    for (const port of listField(service, 'spec', 'ports')) {
      const nodePort = field(port, 'nodePort');
      if (typeof nodePort === 'number') values.push(['nodePort', String(nodePort)]);
    }
    const health = field(service, 'spec', 'healthCheckNodePort');
    if (typeof health === 'number') values.push(['nodePort', String(health)]);
    await context.sql.query(
      `WITH wanted AS (SELECT * FROM unnest($3::text[], $4::text[]) AS w(kind, value)),
            released AS (DELETE FROM kube_allocation a WHERE a.owner_uid = $2::uuid
                          AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.kind = a.kind AND w.value = a.value))
       INSERT INTO kube_allocation (cluster_id, kind, value, owner_uid)
       SELECT $1, kind, value, $2::uuid FROM wanted
       ON CONFLICT (cluster_id, kind, value) DO NOTHING`,
      [
        context.cluster.id,
        service.metadata.uid,
        values.map(([kind]) => kind),
        values.map(([, value]) => value),
      ],
    );
  }

  private async reconcileSlices(context: AdmissionContext, service: KubeObject): Promise<void> {
    const namespace = String(service.metadata.namespace);
    const selector = field(service, 'spec', 'selector');
    const existing = (
      await context.store.list(context.sql, context.cluster, SLICES, {
        namespace,
        filter: (slice) =>
          slice.metadata.labels?.['kubernetes.io/service-name'] === service.metadata.name &&
          slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MANAGED_BY,
      })
    ).items;
    if (!isPlainObject(selector) || Object.keys(selector).length === 0) {
      for (const slice of existing)
        await context.store.delete(
          context.sql,
          context.cluster,
          SLICES,
          namespace,
          String(slice.metadata.name),
        );
      return;
    }
    const pods = (await context.store.list(context.sql, context.cluster, PODS, { namespace })).items;
    const zones = new Map((await this.nodes(context)).map((node) => [node.name, node.zone]));
    const desired = desiredEndpointSlices(service, pods, zones).map((slice) =>
      endpointSliceObject(service, slice),
    );
    const byName = new Map(existing.map((slice) => [String(slice.metadata.name), slice]));
    for (const slice of desired) {
      const current = byName.get(String(slice.metadata.name));
      byName.delete(String(slice.metadata.name));
      if (!current) {
        await context.store.create(context.sql, context.cluster, SLICES, slice);
      } else if (
        JSON.stringify([current['endpoints'] ?? [], current['ports'] ?? []]) !==
        JSON.stringify([slice['endpoints'] ?? [], slice['ports'] ?? []])
      ) {
        await context.store.update(context.sql, context.cluster, SLICES, {
          ...slice,
          metadata: {
            ...current.metadata,
            labels: slice.metadata.labels,
            ownerReferences: slice.metadata.ownerReferences,
          },
        });
      }
    }
    for (const name of byName.keys())
      await context.store.delete(context.sql, context.cluster, SLICES, namespace, name);
  }

  private async deleteSlices(context: AdmissionContext, service: KubeObject): Promise<void> {
    const namespace = String(service.metadata.namespace);
    const slices = (
      await context.store.list(context.sql, context.cluster, SLICES, {
        namespace,
        filter: (slice) => slice.metadata.labels?.['kubernetes.io/service-name'] === service.metadata.name,
      })
    ).items;
    for (const slice of slices) {
      try {
        await context.store.delete(
          context.sql,
          context.cluster,
          SLICES,
          namespace,
          String(slice.metadata.name),
        );
      } catch (error) {
        // already gone with its namespace
        if (!(error instanceof KubeStatusError && error.code === 404)) throw error;
      }
    }
  }
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
