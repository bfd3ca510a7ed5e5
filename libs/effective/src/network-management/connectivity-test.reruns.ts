import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { ClusterDirectory } from '@gke-emulator/container';
import { DataplaneChannel, type DataplaneNodeNotification } from '../dataplane-channel';
import { ConnectivityTestRepository } from './connectivity-test.repository';
import { ConnectivityTestService } from './connectivity-test.service';
import { specOf } from './connectivity-test.wire';

type Json = Record<string, unknown>;

/** A saved test whose result a rerun changed. */
export interface ConnectivityTestRerun {
  project: string;
  /** the test's id */
  test: string;
  previousResult?: string;
  /** the test as GET answers it now */
  resource: Json;
}

/** The part of a result that says what the network does (not when it was checked). */
export function verdictOf(details: unknown): unknown {
  if (!details || typeof details !== 'object') return details;
  const { verifyTime: _verifyTime, ...rest } = details as Json;
  return rest;
}

const idOf = (name: string) => name.slice(name.lastIndexOf('/') + 1);

/**
 * Saved Connectivity Tests rerun when their inputs change, whoever is watching: each time the worker stores a
 * cluster's new data plane (its `dataplane_node_changed` NOTIFY, through the process's one LISTEN), the tests of
 * that cluster's project are analysed again, and those whose result differs are rerun as `:rerun` would (stored,
 * with an operation), so that the next GET answers the current result; listeners (the `connectivityTestChanged`
 * subscription) hear of each. Bounded: only projects that keep tests; one rerun per project at a time, and the
 * changes that arrive meanwhile make one more (not one each). It follows changes from the API's start when the
 * database keeps saved tests (`start`), so that a restart leaves none stale; else from their first use in this
 * process (a create, get or list; a subscription): an API with no saved tests opens no LISTEN for them.
 */
@Injectable()
export class ConnectivityTestReruns implements OnModuleDestroy {
  private readonly logger = new Logger(ConnectivityTestReruns.name);
  private readonly listeners = new Set<(change: ConnectivityTestRerun) => void>();
  private readonly projects = new Map<string, string>();
  /** per project: the rerun under way, and whether another change came since it started */
  private readonly running = new Map<string, { again: boolean; done: Promise<void> }>();
  private consuming?: Promise<unknown>;
  private closed = false;

  constructor(
    private readonly channel: DataplaneChannel,
    private readonly clusters: ClusterDirectory,
    private readonly repository: ConnectivityTestRepository,
    private readonly tests: ConnectivityTestService,
  ) {
    tests.onUse(() => {
      this.watch().catch((error: unknown) =>
        this.logger.warn(`following data-plane changes: ${String(error)}`),
      );
    });
  }

  /**
   * What the API calls once it serves (not on module init: printing the GraphQL schema builds the application
   * without a database): follows the worker's changes at once when any saved test exists (one query), since
   * nothing else would rerun them until someone uses them.
   */
  async start(): Promise<void> {
    if (this.closed || this.consuming) return;
    if (await this.repository.anyProject()) await this.watch();
  }

  /** Follows the worker's changes from now on (LISTENing before it returns); idempotent. */
  watch(): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('The emulator is shutting down.'));
    if (!this.consuming) {
      this.consuming = this.channel.consume('connectivity test reruns', (n) => this.received(n));
      this.consuming.catch(() => (this.consuming = undefined));
    }
    return this.consuming;
  }

  /** Hears of every rerun that changed a test's result; returns the function that stops it. */
  onChange(listener: (change: ConnectivityTestRerun) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The reruns under way (tests and shutdown wait for them). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((run) => run.done));
  }

  /**
   * Analyses the project's saved tests again; reruns (and announces) those whose result changed. Returns the
   * changes, in the tests' name order.
   */
  async rerunChanged(project: string): Promise<ConnectivityTestRerun[]> {
    const changes: ConnectivityTestRerun[] = [];
    for (const stored of await this.repository.list(project)) {
      const resource = stored.resource;
      const id = idOf(String(resource['name']));
      const before = resource['reachabilityDetails'] as Json | undefined;
      const now = await this.tests.analyze(project, specOf(resource));
      if (isDeepStrictEqual(verdictOf(before), verdictOf(now))) continue;
      try {
        await this.tests.rerun(project, id);
      } catch {
        continue; // deleted meanwhile
      }
      const previous = before?.['result'];
      const change: ConnectivityTestRerun = {
        project,
        test: id,
        ...(typeof previous === 'string' ? { previousResult: previous } : {}),
        resource: await this.tests.get(project, id),
      };
      changes.push(change);
      for (const listener of this.listeners) listener(change);
    }
    return changes;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.settled();
  }

  private async received(notification: DataplaneNodeNotification): Promise<void> {
    if (this.closed) return;
    const project = await this.projectOf(notification.clusterId);
    if (!project || !(await this.repository.any(project))) return;
    this.schedule(project);
  }

  /** One rerun per project at a time; changes during it make one more after it. */
  private schedule(project: string): void {
    const run = this.running.get(project);
    if (run) {
      run.again = true;
      return;
    }
    const entry = { again: true, done: Promise.resolve() };
    this.running.set(project, entry);
    entry.done = (async () => {
      try {
        while (entry.again && !this.closed) {
          entry.again = false;
          await this.rerunChanged(project);
        }
      } catch (error) {
        this.logger.error(`rerunning the connectivity tests of ${project}: ${String(error)}`);
      } finally {
        this.running.delete(project);
      }
    })();
  }

  private async projectOf(clusterId: string): Promise<string | undefined> {
    const known = this.projects.get(clusterId);
    if (known) return known;
    const cluster = await this.clusters.clusterById(BigInt(clusterId));
    if (!cluster) return undefined;
    this.projects.set(clusterId, cluster.project);
    if (this.projects.size > 1000) this.projects.delete(this.projects.keys().next().value as string);
    return cluster.project;
  }
}
