import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Database } from '@gke-emulator/db';

/** The channel the worker NOTIFYs, in the transaction that stores new results. */
export const DATAPLANE_NODE_CHANNEL = 'dataplane_node_changed';

/** The worker's payload: the nodes whose results it rewrote; `nodes: null` means every node of the cluster. */
export interface DataplaneNodeNotification {
  clusterId: string;
  generation: string;
  nodes: string[] | null;
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

/** One subscription: a queue a listener pushes to and GraphQL pulls from. */
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

/** The open subscriptions of one GraphQL field, each with its filter; ended together on shutdown. */
export class Subscriptions<T, F> {
  private readonly queues = new Map<EventQueue<T>, F>();

  get size(): number {
    return this.queues.size;
  }

  add(filter: F): EventQueue<T> {
    const queue: EventQueue<T> = new EventQueue(() => this.queues.delete(queue));
    this.queues.set(queue, filter);
    return queue;
  }

  entries(): IterableIterator<[EventQueue<T>, F]> {
    return this.queues.entries();
  }

  filters(): F[] {
    return [...this.queues.values()];
  }

  endAll(): void {
    for (const queue of [...this.queues.keys()]) queue.end();
  }
}

export type DataplaneHandler = (notification: DataplaneNodeNotification) => Promise<void> | void;

interface Consumer {
  name: string;
  handler: DataplaneHandler;
  /** this consumer's notifications, one after the other */
  chain: Promise<void>;
}

/**
 * The API process's one LISTEN on `dataplane_node_changed`, shared by everything that follows the worker's
 * results (the `nodeEffectiveStateChanged` subscription, the saved Connectivity Tests' reruns): one dedicated
 * connection, opened by the first consumer (building the schema, or an API nobody follows, opens none) and
 * closed at shutdown. Each consumer gets every notification in the order they were stored, one after the other;
 * a slow consumer delays only itself.
 */
@Injectable()
export class DataplaneChannel implements OnModuleDestroy {
  private readonly logger = new Logger(DataplaneChannel.name);
  private readonly consumers = new Set<Consumer>();
  private listening?: Promise<() => Promise<void>>;
  private closed = false;

  constructor(private readonly db: Database) {}

  /** Adds a consumer; LISTENing before it returns. Returns the function that removes it. */
  async consume(name: string, handler: DataplaneHandler): Promise<() => void> {
    if (this.closed) throw new Error('The emulator is shutting down.');
    await this.listen();
    const consumer: Consumer = { name, handler, chain: Promise.resolve() };
    this.consumers.add(consumer);
    return () => this.consumers.delete(consumer);
  }

  get closing(): boolean {
    return this.closed;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const listening = this.listening;
    this.listening = undefined;
    if (listening) await (await listening.catch(() => undefined))?.();
    await Promise.all([...this.consumers].map((consumer) => consumer.chain));
    this.consumers.clear();
  }

  private listen(): Promise<() => Promise<void>> {
    if (!this.listening) {
      this.listening = this.db.listen(DATAPLANE_NODE_CHANNEL, (payload) => this.received(payload));
      // A failed LISTEN (database unreachable) is retried by the next consumer.
      this.listening.catch(() => (this.listening = undefined));
    }
    return this.listening;
  }

  private received(payload: string): void {
    const notification = parseDataplaneNodeNotification(payload);
    if (!notification || this.closed) return;
    for (const consumer of this.consumers) {
      consumer.chain = consumer.chain
        .then(() => consumer.handler(notification))
        .catch((error: unknown) =>
          this.logger.error(`${consumer.name}: dataplane notification ${payload}: ${String(error)}`),
        );
    }
  }
}
