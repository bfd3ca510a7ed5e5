import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ClusterDirectory } from '@gke-emulator/container';
import { DataplaneChannel, type DataplaneNodeNotification, Subscriptions } from '../dataplane-channel';
import type { NodeEffectiveStateChangeModel } from './effective-state.models';

export {
  DATAPLANE_NODE_CHANNEL,
  type DataplaneNodeNotification,
  EventQueue,
  parseDataplaneNodeNotification,
} from '../dataplane-channel';

export interface NodeEffectiveStateFilter {
  project: string;
  location: string;
  cluster: string;
  /** one node, or every node of the cluster when absent */
  node?: string;
}

interface ClusterName {
  project: string;
  location: string;
  cluster: string;
}

/**
 * Turns the worker's `dataplane_node_changed` notifications into per-node events for GraphQL subscriptions, through
 * the process's one LISTEN (DataplaneChannel), joined from the first subscription on.
 */
@Injectable()
export class NodeEffectiveStateEvents implements OnModuleDestroy {
  private readonly subscribers = new Subscriptions<NodeEffectiveStateChangeModel, NodeEffectiveStateFilter>();
  private readonly clusterNames = new Map<string, ClusterName>();
  private consuming?: Promise<unknown>;
  private closed = false;

  constructor(
    private readonly channel: DataplaneChannel,
    private readonly clusters: ClusterDirectory,
  ) {}

  /** The events of one node (or every node) of a cluster, from now on; LISTENing before it returns. */
  async subscribe(
    filter: NodeEffectiveStateFilter,
  ): Promise<AsyncIterableIterator<NodeEffectiveStateChangeModel>> {
    if (this.closed) throw new Error('The emulator is shutting down.');
    if (!this.consuming) {
      this.consuming = this.channel.consume('nodeEffectiveStateChanged', (n) => this.publish(n));
      // A failed LISTEN (database unreachable) is retried by the next subscription.
      this.consuming.catch(() => (this.consuming = undefined));
    }
    await this.consuming;
    return this.subscribers.add(filter);
  }

  /** Publishes a notification's events to the matching subscribers (what a NOTIFY on the channel does). */
  async publish(notification: DataplaneNodeNotification): Promise<void> {
    if (this.subscribers.size === 0) return;
    const cluster = await this.clusterName(notification.clusterId);
    if (!cluster) return;
    const nodes =
      notification.nodes ??
      (await this.clusters.listNodes(BigInt(notification.clusterId))).map((n) => n.name);
    for (const [queue, filter] of this.subscribers.entries()) {
      if (
        filter.project !== cluster.project ||
        filter.location !== cluster.location ||
        filter.cluster !== cluster.cluster
      ) {
        continue;
      }
      for (const node of nodes) {
        if (filter.node === undefined || filter.node === node) {
          queue.push({ ...cluster, node, generation: notification.generation });
        }
      }
    }
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.subscribers.endAll();
  }

  private async clusterName(clusterId: string): Promise<ClusterName | undefined> {
    const known = this.clusterNames.get(clusterId);
    if (known) return known;
    const record = await this.clusters.clusterById(BigInt(clusterId));
    if (!record) return undefined;
    const name = { project: record.project, location: record.location, cluster: record.name };
    this.clusterNames.set(clusterId, name);
    if (this.clusterNames.size > 1000)
      this.clusterNames.delete(this.clusterNames.keys().next().value as string);
    return name;
  }
}
