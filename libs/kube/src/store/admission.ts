import { Injectable } from '@nestjs/common';
import type { ClusterRecord } from '@gke-emulator/container';
import type { UnitOfWork } from '@gke-emulator/db';
import type { StatusCause } from '../api/kube-status';
import type { KubeObject } from '../api/kube-object';
import type { ResourceKind } from '../api/resources';
import type { KubeStore } from './kube-store';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What an admission hook sees: the open transaction, the cluster, and the store to write other objects with. */
export interface AdmissionContext {
  sql: UnitOfWork;
  cluster: ClusterRecord;
  store: KubeStore;
  kind: ResourceKind;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  /** the object before this write (UPDATE, DELETE) */
  old?: KubeObject;
  /** `status`, `scale` when the write came through a subresource */
  subresource?: string;
  dryRun: boolean;
}

/**
 * A controller's hook into writes of one resource, run inside the write's transaction in this order:
 * server defaults → `mutate` → validation (built-in, then `validate`) → the write and its watch event →
 * `afterWrite`. Throwing a KubeStatusError from any of them aborts the write with that Status.
 */
export interface AdmissionHook {
  /** Fill or allocate fields (a Service's clusterIP, a Pod's IP); runs on CREATE and UPDATE. */
  mutate?(context: AdmissionContext, object: KubeObject): Promise<void> | void;
  /** Extra 422 causes. */
  validate?(context: AdmissionContext, object: KubeObject): Promise<StatusCause[]> | StatusCause[];
  /** Side effects after the object is written (or deleted): create a Deployment's pods, a Service's slices. */
  afterWrite?(context: AdmissionContext, type: WatchEventType, object: KubeObject): Promise<void>;
}

/** The table of admission hooks, keyed by plural resource name (`pods`, `services`, `deployments`). */
@Injectable()
export class KubeAdmission {
  private readonly hooks = new Map<string, AdmissionHook[]>();

  register(resource: string, hook: AdmissionHook): void {
    this.hooks.set(resource, [...(this.hooks.get(resource) ?? []), hook]);
  }

  hooksFor(resource: string): readonly AdmissionHook[] {
    return this.hooks.get(resource) ?? [];
  }
}
