import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ClusterDirectory } from '@gke-emulator/container';
import { stringField } from '../api/kube-object';
import { kindByResource } from '../api/resources';
import { KubeStore } from '../store/kube-store';
import { ControllerRepository, POD_READY_CHANNEL } from './controller.repository';
import { ReconcileQueue } from './reconcile-queue';
import { runningPodStatus } from './workloads';

const PODS = kindByResource('pods');

export interface PendingReadiness {
  clusterId: string;
  namespace: string;
  name: string;
  uid: string;
  /** epoch milliseconds */
  readyAt: number;
}

/**
 * The kubelet's part, emulated: with a `podReadyDelayMs` setting, new pods start Running but not Ready, and this
 * controller makes each Ready once its delay has passed (its EndpointSlices and Deployment follow, in the same
 * write). At start it picks up every pod still waiting, so a restart loses none.
 */
@Injectable()
export class PodReadinessController implements OnModuleDestroy {
  private readonly logger = new Logger('PodReadinessController');
  private stopListening?: () => Promise<void>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly queue = new ReconcileQueue<PendingReadiness>(
    (pending) => `${pending.clusterId}/${pending.uid}`,
    (pending) => this.makeReady(pending),
    this.logger,
  );

  constructor(
    private readonly store: KubeStore,
    private readonly clusters: ClusterDirectory,
    private readonly repository: ControllerRepository,
  ) {}

  async start(): Promise<void> {
    if (this.stopListening) return;
    this.stopListening = await this.repository.listen(POD_READY_CHANNEL, (payload) => {
      try {
        this.schedule(JSON.parse(payload) as PendingReadiness);
      } catch {
        // not ours
      }
    });
    for (const pending of await this.repository.podsAwaitingReadiness()) this.schedule(pending);
  }

  async onModuleDestroy(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.stopListening?.();
    await this.queue.close();
  }

  private schedule(pending: PendingReadiness): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.queue.schedule(pending);
      },
      Math.max(0, pending.readyAt - Date.now()),
    );
    timer.unref();
    this.timers.add(timer);
  }

  private async makeReady(pending: PendingReadiness): Promise<void> {
    const cluster = await this.clusters.clusterById(BigInt(pending.clusterId));
    if (!cluster) return;
    await this.store.transaction(async (sql) => {
      const pod = await this.store.get(sql, cluster, PODS, pending.namespace, pending.name);
      if (!pod || pod.metadata.uid !== pending.uid) return;
      if (!pod.metadata.annotations?.[READY_AT_ANNOTATION]) return;
      const annotations = Object.fromEntries(
        Object.entries(pod.metadata.annotations).filter(([key]) => key !== READY_AT_ANNOTATION),
      );
      const hostIP = stringField(pod, 'status', 'hostIP') ?? '';
      const podIP = stringField(pod, 'status', 'podIP') ?? '';
      const started = stringField(pod, 'status', 'startTime');
      const status = {
        ...runningPodStatus(pod, { hostIP, podIP, ready: true, now: new Date() }),
        ...(started ? { startTime: started } : {}),
      };
      const updated = await this.store.update(sql, cluster, PODS, {
        ...pod,
        metadata: { ...pod.metadata, annotations },
      });
      await this.store.update(sql, cluster, PODS, { ...updated, status }, { subresource: 'status' });
    });
  }
}

/** Marks a pod waiting for its readiness delay (removed when it turns Ready). */
export const READY_AT_ANNOTATION = 'emulator.gke.dev/ready-at';
