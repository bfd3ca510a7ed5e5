import type { OperationTimingService } from '@gke-emulator/operations';
import type { ClusterDirectory, NodeRecord } from '@gke-emulator/container';
import { field, type KubeObject, listField, stringField } from '../api/kube-object';
import type { AdmissionContext, AdmissionHook } from '../store/admission';
import { recordEvent } from './events';
import { type InWriteController, nodesOf } from './in-write-controller';
import { allocatePodIp, pickNode, podIpsByNode, unschedulableStatus } from './pod-network';
import type { ControllerRepository } from './controller.repository';
import { READY_AT_ANNOTATION } from './pod-readiness.controller';
import { stateOf } from './transaction-state';
import { runningPodStatus } from './workloads';

/**
 * The scheduler and the node IPAM: a new pod gets a node (the least loaded one with room) and an IP from that
 * node's pod range, and is reported running (Ready at once, or after the `podReadyDelayMs` setting, which the
 * pod-readiness controller then applies). A pod no node has room for stays Pending, with a FailedScheduling event.
 */
export class SchedulerController implements InWriteController {
  readonly name = 'scheduler';

  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly timing: OperationTimingService,
    private readonly repository: ControllerRepository,
  ) {}

  hooks(): Record<string, AdmissionHook> {
    return {
      pods: {
        mutate: (context, pod) => this.admitPod(context, pod),
        afterWrite: async (context, type, pod) => {
          if (context.dryRun) return;
          if (type === 'ADDED') await this.podAdded(context, pod);
          if (type === 'DELETED' && !context.subresource) await this.podDeleted(context, pod);
        },
      },
    };
  }

  /**
   * Pods per node and the pod IPs each node's range has handed out, from the cluster's pod IP allocations (one
   * indexed read, bucketed by node range): what scheduling and IPAM need, once per transaction.
   */
  private async podNetwork(context: AdmissionContext) {
    const state = stateOf(context.sql);
    if (!state.podsPerNode || !state.podIps) {
      const nodes = await nodesOf(this.clusters, context);
      const { counts, taken } = podIpsByNode(
        nodes,
        await this.repository.podIps(context.sql, context.cluster.id),
      );
      state.podsPerNode = counts;
      state.podIps = taken;
    }
    return { counts: state.podsPerNode, taken: state.podIps };
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
    await context.objects.lockCluster();
    const nodes = await nodesOf(this.clusters, context);
    const { counts } = await this.podNetwork(context);
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
        pod['status'] = unschedulableStatus(nodes.length, new Date());
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

  /** A new pod's IP is recorded; an unscheduled one gets its event; one waiting to turn Ready is announced. */
  private async podAdded(context: AdmissionContext, pod: KubeObject): Promise<void> {
    await this.recordPodIp(context, pod);
    const scheduled = listField(pod, 'status', 'conditions').find(
      (condition) => field(condition, 'type') === 'PodScheduled',
    );
    if (field(scheduled, 'status') === 'False') {
      await recordEvent(context.objects, pod, {
        type: 'Warning',
        reason: 'FailedScheduling',
        message: String(field(scheduled, 'message')),
        component: 'default-scheduler',
        action: 'Scheduling',
      });
    }
    const readyAt = pod.metadata.annotations?.[READY_AT_ANNOTATION];
    if (readyAt) {
      await this.repository.notifyPodReadiness(context.sql, {
        clusterId: String(context.cluster.id),
        namespace: String(pod.metadata.namespace),
        name: String(pod.metadata.name),
        uid: String(pod.metadata.uid),
        readyAt: Date.parse(readyAt),
      });
    }
  }

  /** A deleted pod frees its room on its node (its IP goes with its allocation row). */
  private async podDeleted(context: AdmissionContext, pod: KubeObject): Promise<void> {
    const node = stringField(pod, 'spec', 'nodeName');
    if (!node) return;
    const { counts } = await this.podNetwork(context);
    counts.set(node, Math.max(0, (counts.get(node) ?? 1) - 1));
  }

  private async recordPodIp(context: AdmissionContext, pod: KubeObject): Promise<void> {
    const ip = stringField(pod, 'status', 'podIP');
    if (!ip || field(pod, 'spec', 'hostNetwork') === true) return;
    const state = stateOf(context.sql);
    state.pendingIps.push([ip, String(pod.metadata.uid)]);
    // In a batch, one insert at its end (still in the transaction: the primary key decides before commit).
    if (state.batching === 0) await this.flushPodIps(context);
  }

  /** Writes the pod IPs a batch allocated, in one insert. */
  async flushPodIps(context: AdmissionContext): Promise<void> {
    const state = stateOf(context.sql);
    if (state.pendingIps.length === 0) return;
    const pending = state.pendingIps.splice(0);
    await this.repository.insertPodIps(context.sql, context.cluster.id, pending);
  }
}
