import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Subscriptions } from '../dataplane-channel';
import {
  type ConnectivityTestRerun,
  ConnectivityTestReruns,
} from '../network-management/connectivity-test.reruns';
import { toConnectivityTestModel, type ConnectivityTestResource } from './connectivity-test.mapper';
import type { ConnectivityTestChangeModel } from './connectivity-test.models';

export interface ConnectivityTestFilter {
  project: string;
  /** one test's id, or every test of the project when absent */
  test?: string;
}

/**
 * `connectivityTestChanged`: the saved tests whose result a rerun changed (ConnectivityTestReruns reruns them when
 * the worker stores new results, subscribed or not), to the subscribers of their project or test.
 */
@Injectable()
export class ConnectivityTestEvents implements OnModuleDestroy {
  private readonly subscribers = new Subscriptions<ConnectivityTestChangeModel, ConnectivityTestFilter>();
  private closed = false;

  constructor(private readonly reruns: ConnectivityTestReruns) {
    reruns.onChange((change) => this.publish([toChangeModel(change)]));
  }

  /** The changes of one test (or every test) of a project, from now on; LISTENing before it returns. */
  async subscribe(
    filter: ConnectivityTestFilter,
  ): Promise<AsyncIterableIterator<ConnectivityTestChangeModel>> {
    if (this.closed) throw new Error('The emulator is shutting down.');
    await this.reruns.watch();
    return this.subscribers.add(filter);
  }

  /** Publishes changes to the matching subscribers. */
  publish(changes: readonly ConnectivityTestChangeModel[]): void {
    for (const change of changes) {
      for (const [queue, filter] of this.subscribers.entries()) {
        if (filter.project !== change.project) continue;
        if (filter.test === undefined || filter.test === change.test) queue.push(change);
      }
    }
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.subscribers.endAll();
  }
}

function toChangeModel(change: ConnectivityTestRerun): ConnectivityTestChangeModel {
  return {
    project: change.project,
    test: change.test,
    ...(change.previousResult !== undefined ? { previousResult: change.previousResult } : {}),
    connectivityTest: toConnectivityTestModel(change.resource as unknown as ConnectivityTestResource),
  };
}
