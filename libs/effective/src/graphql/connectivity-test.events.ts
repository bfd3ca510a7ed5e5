import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { ClusterDirectory } from '@gke-emulator/container';
import { Database } from '@gke-emulator/db';
import { ConnectivityTestService } from '../network-management/connectivity-test.service';
import { specOf } from '../network-management/connectivity-test.wire';
import { toConnectivityTestModel, type ConnectivityTestResource } from './connectivity-test.mapper';
import type { ConnectivityTestChangeModel } from './connectivity-test.models';
import {
  DATAPLANE_NODE_CHANNEL,
  EventQueue,
  parseDataplaneNodeNotification,
} from './node-effective-state.events';

export interface ConnectivityTestFilter {
  project: string;
  /** one test's id, or every test of the project when absent */
  test?: string;
}

type Json = Record<string, unknown>;

/** The part of a result that says what the network does (not when it was checked). */
function verdictOf(details: unknown): unknown {
  if (!details || typeof details !== 'object') return details;
  const { verifyTime: _verifyTime, ...rest } = details as Json;
  return rest;
}

const idOf = (name: string) => name.slice(name.lastIndexOf('/') + 1);

/**
 * Saved Connectivity Tests rerun when their inputs change: each time the worker stores a cluster's new data plane
 * (its `dataplane_node_changed` NOTIFY), the tests of that cluster's project are analysed again, and those whose
 * result differs are rerun as `:rerun` would (stored, with an operation) and published to the subscribers of
 * `connectivityTestChanged`. It LISTENs from the first subscription on, as `nodeEffectiveStateChanged` does.
 */
@Injectable()
export class ConnectivityTestEvents implements OnModuleDestroy {
  private readonly logger = new Logger(ConnectivityTestEvents.name);
  private readonly subscribers = new Map<EventQueue<ConnectivityTestChangeModel>, ConnectivityTestFilter>();
  private listening?: Promise<() => Promise<void>>;
  /** One project's reruns after the other, so that events keep the order of the changes. */
  private dispatching: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly clusters: ClusterDirectory,
    private readonly tests: ConnectivityTestService,
  ) {}

  /** The changes of one test (or every test) of a project, from now on; LISTENing before it returns. */
  async subscribe(
    filter: ConnectivityTestFilter,
  ): Promise<AsyncIterableIterator<ConnectivityTestChangeModel>> {
    if (this.closed) throw new Error('The emulator is shutting down.');
    await this.listen();
    const queue: EventQueue<ConnectivityTestChangeModel> = new EventQueue(() =>
      this.subscribers.delete(queue),
    );
    this.subscribers.set(queue, filter);
    return queue;
  }

  /**
   * Analyses the project's saved tests again; reruns (and publishes) those whose result changed. Returns the
   * changes, in the tests' name order.
   */
  async rerunChanged(project: string): Promise<ConnectivityTestChangeModel[]> {
    const changes: ConnectivityTestChangeModel[] = [];
    let pageToken: string | undefined;
    do {
      const page = (await this.tests.list(project, { pageSize: '1000', pageToken })) as {
        resources?: Json[];
        nextPageToken?: string;
      };
      for (const resource of page.resources ?? []) {
        const id = idOf(String(resource['name']));
        const before = resource['reachabilityDetails'] as Json | undefined;
        const now = await this.tests.analyze(project, specOf(resource));
        if (isDeepStrictEqual(verdictOf(before), verdictOf(now))) continue;
        try {
          await this.tests.rerun(project, id);
        } catch {
          continue; // deleted meanwhile
        }
        const test = (await this.tests.get(project, id)) as unknown as ConnectivityTestResource;
        const previous = before?.['result'];
        changes.push({
          project,
          test: id,
          ...(typeof previous === 'string' ? { previousResult: previous } : {}),
          connectivityTest: toConnectivityTestModel(test),
        });
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    return changes;
  }

  /** Publishes changes to the matching subscribers. */
  publish(changes: readonly ConnectivityTestChangeModel[]): void {
    for (const change of changes) {
      for (const [queue, filter] of this.subscribers) {
        if (filter.project !== change.project) continue;
        if (filter.test === undefined || filter.test === change.test) queue.push(change);
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
      this.listening.catch(() => (this.listening = undefined));
    }
    return this.listening;
  }

  private received(payload: string): void {
    const notification = parseDataplaneNodeNotification(payload);
    if (!notification) return;
    this.dispatching = this.dispatching
      .then(async () => {
        if (this.subscribers.size === 0 || this.closed) return;
        const cluster = await this.clusters.clusterById(BigInt(notification.clusterId));
        if (!cluster) return;
        const watched = [...this.subscribers.values()].some((filter) => filter.project === cluster.project);
        if (!watched) return;
        this.publish(await this.rerunChanged(cluster.project));
      })
      .catch((error: unknown) => this.logger.error(`connectivity tests after ${payload}: ${String(error)}`));
  }
}
