import { Injectable } from '@nestjs/common';
import type { ClusterRecord } from '@gke-emulator/container';
import type { UnitOfWork } from '@gke-emulator/db';
import type { StatusCause } from '../api/kube-status';
import type { KubeObject } from '../api/kube-object';
import type { ResourceKind } from '../api/resources';
import type { KubeStore, ListOptions } from './kube-store';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * What an admission hook may do to the cluster's other objects, in the write's transaction: only these operations,
 * bound to the transaction and the cluster (a hook cannot reach another cluster, open a transaction, read through
 * the pool, or use the store's paging, watch, compaction or cluster-setup operations). Writes through it run their
 * own objects' admission hooks, as any write does.
 */
export interface AdmissionWriter {
  /** Takes the cluster's write lock until the transaction ends (free once taken). */
  lockCluster(): Promise<void>;
  get(kind: ResourceKind, namespace: string, name: string): Promise<KubeObject | undefined>;
  /** The objects of a kind, in one namespace or all, optionally filtered (no paging). */
  list(kind: ResourceKind, options?: Pick<ListOptions, 'namespace' | 'filter'>): Promise<KubeObject[]>;
  /** `uid`: the uid a controller gives what it creates (a Deployment's ReplicaSets: the uid their pods name) */
  create(kind: ResourceKind, object: KubeObject, options?: { uid?: string }): Promise<KubeObject>;
  /** `subresource: 'status'` writes only the status */
  update(kind: ResourceKind, object: KubeObject, options?: { subresource?: 'status' }): Promise<KubeObject>;
  delete(kind: ResourceKind, namespace: string, name: string): Promise<KubeObject>;
}

/** The store's operations an AdmissionWriter is made of. */
type WriterStore = Pick<KubeStore, 'lockCluster' | 'get' | 'list' | 'create' | 'update' | 'delete'>;

/** The cluster's objects as an admission hook (or a controller writing in a transaction) may touch them. */
export function admissionWriter(
  store: WriterStore,
  sql: UnitOfWork,
  cluster: ClusterRecord,
): AdmissionWriter {
  return {
    lockCluster: () => store.lockCluster(sql, cluster),
    get: (kind, namespace, name) => store.get(sql, cluster, kind, namespace, name),
    list: async (kind, options = {}) =>
      (await store.list(sql, cluster, kind, { namespace: options.namespace, filter: options.filter })).items,
    create: (kind, object, options = {}) =>
      store.create(sql, cluster, kind, object, options.uid ? { uid: options.uid } : {}),
    update: (kind, object, options = {}) =>
      store.update(
        sql,
        cluster,
        kind,
        object,
        options.subresource ? { subresource: options.subresource } : {},
      ),
    delete: (kind, namespace, name) => store.delete(sql, cluster, kind, namespace, name),
  };
}

/**
 * What an admission hook sees: the open transaction (for its own rows and notices), the cluster, and a narrow
 * writer for the cluster's other objects.
 */
export interface AdmissionContext {
  sql: UnitOfWork;
  cluster: ClusterRecord;
  objects: AdmissionWriter;
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
