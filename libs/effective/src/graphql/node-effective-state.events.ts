import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ClusterDirectory } from '@gke-emulator/container';
import { Database } from '@gke-emulator/db';
import type { NodeEffectiveStateChangeModel } from './effective-state.models';

/** The channel the worker NOTIFYs, in the transaction that stores new results. */
export const DATAPLANE_NODE_CHANNEL = 'dataplane_node_changed';

/** The worker's payload: the nodes whose results it rewrote; `nodes: null` means every node of the cluster. */
export interface DataplaneNodeNotification {
  clusterId: string;
  generation: string;
  nodes: string[] | null;
}

export interface NodeEffectiveStateFilter {
  project: string;
  location: string;
  cluster: string;
  /** one node, or every node of the cluster when absent */
  node?: string;
}

/** Parses a NOTIFY payload; null when it is not one of ours. */
export function parseDataplaneNodeNotification(payload: string): DataplaneNodeNotification | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { clusterId, generation, nodes } = value as Record<string, unknown>;
  const id = typeof clusterId === 'number' ? String(clusterId) : clusterId;
  const gen = typeof generation === 'number' ? String(generation) : generation;
  if (typeof id !== 'string' || !/^\d+$/.test(id) || typeof gen !== 'string') return null;
  if (nodes !== null && !(Array.isArray(nodes) && nodes.every((node) => typeof node === 'string')))
    return null;
  return { clusterId: id, generation: gen, nodes };
}

/** Subscribers that fall this far behind lose their oldest events rather than the process its memory. */
const MAX_QUEUED = 1000;

/** One subscription: a queue the NOTIFY listener pushes to and GraphQL pulls from. */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly values: T[] = [];
  private readonly waiting: ((result: IteratorResult<T>) => void)[] = [];
  private done = false;

  constructor(private readonly onEnd: () => void) {}

  push(value: T): void {
    if (this.done) return;
    const waiter = this.waiting.shift();
    if (waiter) return waiter({ value, done: false });
    this.values.push(value);
    if (this.values.length > MAX_QUEUED) this.values.shift();
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.values.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.values.length = 0;
    for (const waiter of this.waiting.splice(0)) waiter({ value: undefined, done: true });
    this.onEnd();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

interface ClusterName {
  project: string;
  location: string;
  cluster: string;
}

/**
 * Turns the worker's `dataplane_node_changed` notifications into per-node events for GraphQL subscriptions. It
 * LISTENs on a dedicated connection from the first subscription on (building the schema, or an API nobody
 * subscribes to, opens none) until the application shuts down.
 */
@Injectable()
export class NodeEffectiveStateEvents implements OnModuleDestroy {
  private readonly logger = new Logger(NodeEffectiveStateEvents.name);
  private readonly subscribers = new Map<
    EventQueue<NodeEffectiveStateChangeModel>,
    NodeEffectiveStateFilter
  >();
  private readonly clusterNames = new Map<string, ClusterName>();
  private listening?: Promise<() => Promise<void>>;
  /** Notifications are dispatched one after the other, so that events keep the order they were stored in. */
  private dispatching: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly clusters: ClusterDirectory,
  ) {}

  /** The events of one node (or every node) of a cluster, from now on; LISTENing before it returns. */
  async subscribe(
    filter: NodeEffectiveStateFilter,
  ): Promise<AsyncIterableIterator<NodeEffectiveStateChangeModel>> {
    if (this.closed) throw new Error('The emulator is shutting down.');
    await this.listen();
    const queue: EventQueue<NodeEffectiveStateChangeModel> = new EventQueue(() =>
      this.subscribers.delete(queue),
    );
    this.subscribers.set(queue, filter);
    return queue;
  }

  /** Publishes a notification's events to the matching subscribers (what a NOTIFY on the channel does). */
  async publish(notification: DataplaneNodeNotification): Promise<void> {
    if (this.subscribers.size === 0) return;
    const cluster = await this.clusterName(notification.clusterId);
    if (!cluster) return;
    const nodes =
      notification.nodes ??
      (await this.clusters.listNodes(BigInt(notification.clusterId))).map((n) => n.name);
    for (const [queue, filter] of this.subscribers) {
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

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const queue of [...this.subscribers.keys()]) queue.end();
    const listening = this.listening;
    this.listening = undefined;
    if (listening) await (await listening.catch(() => undefined))?.();
    await this.dispatching;
  }

  private listen(): Promise<() => Promise<void>> {
    if (!this.listening) {
      this.listening = this.db.listen(DATAPLANE_NODE_CHANNEL, (payload) => this.received(payload));
      // A failed LISTEN (database unreachable) is retried by the next subscription.
      this.listening.catch(() => (this.listening = undefined));
    }
    return this.listening;
  }

  private received(payload: string): void {
    const notification = parseDataplaneNodeNotification(payload);
    if (!notification) return;
    this.dispatching = this.dispatching
      .then(() => this.publish(notification))
      .catch((error: unknown) => this.logger.error(`dataplane notification ${payload}: ${String(error)}`));
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
