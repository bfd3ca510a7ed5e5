import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type ClusterRecord, masterIpOf } from '@gke-emulator/container';
import { Database, isUnitOfWork, memoKey, type SqlClient, type UnitOfWork } from '@gke-emulator/db';
import {
  controlPlaneAddress,
  KUBERNETES_SERVICE,
  kubernetesEndpointSlice,
  kubernetesService,
  kubernetesServiceIp,
} from '../api/control-plane-service';
import {
  KUBE_DNS,
  kubeDnsDeployment,
  kubeDnsReplicas,
  kubeDnsService,
  kubeDnsServiceIp,
} from '../api/cluster-dns';
import { applyDefaults } from '../api/defaults';
import { KubeErrors, KubeStatusError } from '../api/kube-status';
import { type KubeObject, rfc3339 } from '../api/kube-object';
import { MAX_GENERATE_NAME_PREFIX } from '../api/names';
import { apiVersionOf, kindByResource, type ResourceKind } from '../api/resources';
import { validateObject, validateUpdate } from '../api/validation';
import { type AdmissionContext, admissionWriter, KubeAdmission, type WatchEventType } from './admission';
import { KubeObjectRepository, type ObjectKey } from './kube-object.repository';

/** Namespaces every cluster has from the start. */
export const DEFAULT_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** Kinds whose metadata.generation counts spec changes. */
const GENERATION_KINDS = new Set(['deployments', 'replicasets', 'networkpolicies', 'ingresses']);

export interface WriteOptions {
  /** metadata.resourceVersion the client expects (update, delete preconditions) */
  expectedResourceVersion?: string;
  expectedUid?: string;
  /** `status` for writes through the status subresource */
  subresource?: string;
  dryRun?: boolean;
  now?: Date;
  /** the uid a controller gives what it creates (a Deployment's ReplicaSets: the uid their pods already name) */
  uid?: string;
}

export interface ListOptions {
  namespace?: string;
  limit?: number;
  /** the paging position: list objects after (namespace, name) */
  after?: { namespace: string; name: string };
  filter?: (object: KubeObject) => boolean;
}

export interface ObjectList {
  items: KubeObject[];
  resourceVersion: string;
  /** where the next page starts, when there is one */
  next?: { namespace: string; name: string };
  remainingItemCount?: number;
}

export interface WatchEvent {
  type: WatchEventType;
  resourceVersion: bigint;
  namespace: string;
  object: KubeObject;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** `SimpleNameGenerator`: the prefix cut to 58 bytes, then five random characters (63 bytes at most). */
function generateName(prefix: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += alphabet[Math.floor(Math.random() * alphabet.length)];
  const bytes = Buffer.from(prefix, 'utf8');
  const base =
    bytes.length > MAX_GENERATE_NAME_PREFIX
      ? bytes.subarray(0, MAX_GENERATE_NAME_PREFIX).toString('utf8')
      : prefix;
  return `${base}${suffix}`;
}

/** What one unit of work already knows: the clusters it holds the lock of, the namespaces it found. */
const STORE_MEMO = memoKey<{ locked: Set<bigint>; namespaces: Set<string> }>('kube.store');
function memoOf(uow: UnitOfWork) {
  return uow.memo(STORE_MEMO, () => ({ locked: new Set(), namespaces: new Set() }));
}

function keyOf(cluster: ClusterRecord, kind: ResourceKind, namespace: string, name: string): ObjectKey {
  return {
    clusterId: cluster.id,
    resource: kind.resource,
    namespace: kind.namespaced ? namespace : '',
    name,
  };
}

/**
 * The Kubernetes object store over `kube_object` and `kube_event` (their SQL: `KubeObjectRepository`). Every method that writes takes the open
 * transaction (`Database.sqlTransaction`), so one use case — or a controller's hook — can write several objects
 * atomically; each write gets the next `kube_resource_version` and a watch event with the same version.
 */
@Injectable()
export class KubeStore {
  private readonly namespacesReady = new Set<string>();
  /** Reads outside a transaction, on the pool. */
  readonly reader: SqlClient;

  constructor(
    private readonly db: Database,
    private readonly admission: KubeAdmission,
    private readonly objects: KubeObjectRepository,
  ) {
    this.reader = { query: (text, values) => db.query(text, values) };
  }

  transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return this.db.sqlTransaction(work);
  }

  /**
   * What every cluster has from the start (the default namespaces, `default/kubernetes` and its EndpointSlice),
   * made on first access of the cluster by this process if the cluster's creation did not (every process agrees).
   */
  async ensureClusterObjects(cluster: ClusterRecord): Promise<void> {
    const key = `${cluster.id}:${cluster.createdAt.getTime()}`;
    if (this.namespacesReady.has(key)) return;
    const count = await this.objects.countClusterObjects(cluster.id, DEFAULT_NAMESPACES, [
      { resources: ['services', 'endpointslices'], ...KUBERNETES_SERVICE },
      { resources: ['services', 'deployments'], ...KUBE_DNS },
    ]);
    if (count < DEFAULT_NAMESPACES.length + 4) {
      await this.transaction((sql) => this.createClusterObjects(sql, cluster));
    }
    this.namespacesReady.add(key);
  }

  /** Creates, in the caller's transaction, what `ensureClusterObjects` finds missing. */
  async createClusterObjects(sql: UnitOfWork, cluster: ClusterRecord): Promise<void> {
    await this.lockCluster(sql, cluster);
    const now = cluster.createdAt;
    const namespaces = kindByResource('namespaces');
    for (const name of DEFAULT_NAMESPACES) {
      if (await this.get(sql, cluster, namespaces, '', name)) continue;
      await this.create(
        sql,
        cluster,
        namespaces,
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        { now },
      );
    }
    const { namespace, name } = KUBERNETES_SERVICE;
    const services = kindByResource('services');
    if (!(await this.get(sql, cluster, services, namespace, name))) {
      // The first address, unless a Service written before the emulator made this one holds it.
      const ip = kubernetesServiceIp(cluster.servicesRange);
      const holders = await this.list(sql, cluster, services, {
        filter: (service) => (service['spec'] as { clusterIP?: unknown } | undefined)?.clusterIP === ip,
      });
      await this.create(sql, cluster, services, kubernetesService(holders.items.length ? undefined : ip), {
        now,
      });
    }
    const slices = kindByResource('endpointslices');
    if (!(await this.get(sql, cluster, slices, namespace, name))) {
      const address = controlPlaneAddress(cluster.resource, masterIpOf(cluster.hash));
      await this.create(sql, cluster, slices, kubernetesEndpointSlice(address), { now });
    }
    await this.createKubeDns(sql, cluster, services);
  }

  /**
   * `kube-system/kube-dns`: its Service at the services range's `.10` (unless a Service written before the emulator
   * made this one holds it: then the allocator's choice) and its Deployment, whose controller then makes the pods.
   */
  private async createKubeDns(
    sql: UnitOfWork,
    cluster: ClusterRecord,
    services: ResourceKind,
  ): Promise<void> {
    const { namespace, name } = KUBE_DNS;
    const now = cluster.createdAt;
    if (!(await this.get(sql, cluster, services, namespace, name))) {
      const ip = kubeDnsServiceIp(cluster.servicesRange);
      const holders = ip
        ? await this.list(sql, cluster, services, {
            filter: (service) => (service['spec'] as { clusterIP?: unknown } | undefined)?.clusterIP === ip,
          })
        : { items: [] };
      await this.create(sql, cluster, services, kubeDnsService(holders.items.length ? undefined : ip), {
        now,
      });
    }
    const deployments = kindByResource('deployments');
    if (!(await this.get(sql, cluster, deployments, namespace, name))) {
      const replicas = kubeDnsReplicas(await this.nodeCount(sql, cluster));
      await this.create(sql, cluster, deployments, kubeDnsDeployment(replicas), { now });
    }
  }

  /**
   * Scales `kube-system/kube-dns` to what kube-dns-autoscaler asks for the cluster's nodes now (after a resize or
   * a node pool's creation or deletion), in the caller's transaction. Nothing when the Deployment is gone.
   */
  async scaleKubeDns(sql: UnitOfWork, cluster: ClusterRecord): Promise<void> {
    const deployments = kindByResource('deployments');
    const deployment = await this.get(sql, cluster, deployments, KUBE_DNS.namespace, KUBE_DNS.name);
    if (!deployment) return;
    const replicas = kubeDnsReplicas(await this.nodeCount(sql, cluster));
    const spec = (deployment['spec'] ?? {}) as Record<string, unknown>;
    if (spec['replicas'] === replicas) return;
    await this.update(sql, cluster, deployments, { ...deployment, spec: { ...spec, replicas } });
  }

  private nodeCount(sql: SqlClient, cluster: ClusterRecord): Promise<number> {
    return this.objects.countNodes(sql, cluster.id);
  }

  /** Serializes the cluster's writes until the transaction ends, and hands out the next resource version. */
  private async nextVersion(sql: UnitOfWork, cluster: ClusterRecord): Promise<bigint> {
    const memo = memoOf(sql);
    const version = await this.objects.nextResourceVersion(
      sql,
      memo.locked.has(cluster.id) ? undefined : cluster.id,
    );
    memo.locked.add(cluster.id);
    return version;
  }

  /** Takes the cluster's write lock until the transaction ends (once: later calls in the transaction are free). */
  async lockCluster(sql: UnitOfWork, cluster: ClusterRecord): Promise<void> {
    const memo = memoOf(sql);
    if (memo.locked.has(cluster.id)) return;
    await this.objects.lockCluster(sql, cluster.id);
    memo.locked.add(cluster.id);
  }

  async get(
    sql: SqlClient,
    cluster: ClusterRecord,
    kind: ResourceKind,
    namespace: string,
    name: string,
  ): Promise<KubeObject | undefined> {
    return (await this.objects.find(sql, keyOf(cluster, kind, namespace, name)))?.body;
  }

  namespaceExists(sql: SqlClient, cluster: ClusterRecord, namespace: string): Promise<boolean> {
    return this.objects.namespaceExists(sql, cluster.id, namespace);
  }

  async requireNamespace(sql: SqlClient, cluster: ClusterRecord, namespace: string): Promise<void> {
    // Only inside a transaction: the pool's reader sees namespaces come and go.
    const memo = isUnitOfWork(sql) ? memoOf(sql) : undefined;
    const key = `${cluster.id}/${namespace}`;
    if (memo?.namespaces.has(key)) return;
    if (!(await this.namespaceExists(sql, cluster, namespace)))
      throw KubeErrors.notFound({ group: '', resource: 'namespaces' }, namespace);
    memo?.namespaces.add(key);
  }

  /** The version a list reflects: every write of the cluster up to it is visible, none after it. */
  async listResourceVersion(sql: SqlClient, cluster: ClusterRecord, kind: ResourceKind): Promise<string> {
    return (await this.objects.latestVersion(sql, cluster.id, kind.resource)) ?? '0';
  }

  async list(
    sql: SqlClient,
    cluster: ClusterRecord,
    kind: ResourceKind,
    options: ListOptions = {},
  ): Promise<ObjectList> {
    const resourceVersion = await this.listResourceVersion(sql, cluster, kind);
    const rows = await this.objects.list(sql, cluster.id, kind.resource, options.namespace, options.after);
    const matching = rows
      .map((row) => row.body)
      .filter((object) => !options.filter || options.filter(object));
    if (options.limit && options.limit > 0 && matching.length > options.limit) {
      const items = matching.slice(0, options.limit);
      const last = items[items.length - 1] as KubeObject;
      return {
        items,
        resourceVersion,
        next: { namespace: last.metadata.namespace ?? '', name: last.metadata.name ?? '' },
        remainingItemCount: matching.length - options.limit,
      };
    }
    return { items: matching, resourceVersion };
  }

  private context(
    sql: UnitOfWork,
    cluster: ClusterRecord,
    kind: ResourceKind,
    operation: AdmissionContext['operation'],
    options: WriteOptions,
    old?: KubeObject,
  ): AdmissionContext {
    return {
      sql,
      cluster,
      objects: admissionWriter(this, sql, cluster),
      kind,
      operation,
      old,
      subresource: options.subresource,
      dryRun: options.dryRun ?? false,
    };
  }

  private async admit(context: AdmissionContext, object: KubeObject): Promise<void> {
    const hooks = this.admission.hooksFor(context.kind.resource);
    for (const hook of hooks) await hook.mutate?.(context, object);
    const causes =
      context.operation === 'UPDATE' && context.old
        ? validateUpdate(context.kind.resource, object, context.old)
        : validateObject(context.kind.resource, object);
    for (const hook of hooks) causes.push(...((await hook.validate?.(context, object)) ?? []));
    if (causes.length > 0)
      throw KubeErrors.invalid(context.kind.kind, context.kind.group, object.metadata.name ?? '', causes);
  }

  private async afterWrite(
    context: AdmissionContext,
    type: WatchEventType,
    object: KubeObject,
  ): Promise<void> {
    for (const hook of this.admission.hooksFor(context.kind.resource))
      await hook.afterWrite?.(context, type, object);
  }

  /** Creates the object (decoded and pruned already): server fields, defaults, admission, the row and its event. */
  async create(
    sql: UnitOfWork,
    cluster: ClusterRecord,
    kind: ResourceKind,
    input: KubeObject,
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    const object = clone(input);
    object.apiVersion = apiVersionOf(kind);
    object.kind = kind.kind;
    const metadata = (object.metadata = { ...(object.metadata ?? {}) });
    if (!metadata.name && metadata.generateName) metadata.name = generateName(metadata.generateName);
    if (kind.namespaced) metadata.namespace = metadata.namespace ?? 'default';
    else delete metadata.namespace;
    if (kind.subresources.includes('status')) delete object['status'];
    const namespace = kind.namespaced ? (metadata.namespace as string) : '';
    if (kind.namespaced) await this.requireNamespace(sql, cluster, namespace);
    applyDefaults(kind.resource, object);
    const context = this.context(sql, cluster, kind, 'CREATE', options);
    await this.admit(context, object);
    const version = await this.nextVersion(sql, cluster);
    metadata.uid = options.uid ?? randomUUID();
    metadata.resourceVersion = version.toString();
    metadata.creationTimestamp = rfc3339(options.now ?? new Date());
    if (GENERATION_KINDS.has(kind.resource)) metadata.generation = 1;
    else delete metadata.generation;
    delete metadata.deletionTimestamp;
    const key = keyOf(cluster, kind, namespace, metadata.name as string);
    const inserted = await this.objects.insert(sql, key, metadata.uid, version, object);
    if (!inserted) throw KubeErrors.alreadyExists(kind, metadata.name as string);
    await this.afterWrite(context, 'ADDED', object);
    return object;
  }

  /**
   * Replaces the stored object with `input` (a full object: PUT, or a patch already applied). Through the main
   * resource the status is kept; through `status` only the status changes.
   */
  async update(
    sql: UnitOfWork,
    cluster: ClusterRecord,
    kind: ResourceKind,
    input: KubeObject,
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    await this.lockCluster(sql, cluster);
    const namespace = kind.namespaced ? (input.metadata.namespace ?? 'default') : '';
    const name = input.metadata.name ?? '';
    const current = await this.objects.findForUpdate(sql, keyOf(cluster, kind, namespace, name));
    if (!current) throw KubeErrors.notFound(kind, name);
    const old = current.body;
    const expected = options.expectedResourceVersion;
    if (expected && expected !== current.resourceVersion) {
      throw KubeErrors.conflict(
        kind,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    if (input.metadata.uid && input.metadata.uid !== old.metadata.uid) {
      throw KubeErrors.conflict(
        kind,
        name,
        `Precondition failed: UID in precondition: ${input.metadata.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    let object = clone(input);
    if (options.subresource === 'status') {
      object = { ...clone(old), status: object['status'], metadata: { ...clone(old.metadata) } };
    } else if (kind.subresources.includes('status')) {
      if (old['status'] === undefined) delete object['status'];
      else object['status'] = clone(old['status']);
    }
    object.apiVersion = apiVersionOf(kind);
    object.kind = kind.kind;
    object.metadata = {
      ...object.metadata,
      name: old.metadata.name,
      ...(kind.namespaced ? { namespace: old.metadata.namespace } : {}),
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
    };
    if (!kind.namespaced) delete object.metadata.namespace;
    applyDefaults(kind.resource, object);
    const context = this.context(sql, cluster, kind, 'UPDATE', options, old);
    await this.admit(context, object);
    const specChanged = JSON.stringify(object['spec']) !== JSON.stringify(old['spec']);
    if (GENERATION_KINDS.has(kind.resource)) {
      object.metadata.generation = (old.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    } else delete object.metadata.generation;
    const unchanged = (o: KubeObject) =>
      JSON.stringify({
        ...o,
        metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined },
      });
    if (unchanged(object) === unchanged(old)) {
      // a no-op write keeps the resource version and makes no event, as the API server does
      return { ...object, metadata: { ...object.metadata, resourceVersion: old.metadata.resourceVersion } };
    }
    const version = await this.nextVersion(sql, cluster);
    object.metadata.resourceVersion = version.toString();
    await this.objects.replace(sql, current.uid, version, object);
    await this.afterWrite(context, 'MODIFIED', object);
    return object;
  }

  /** Deletes the object (a namespace with everything in it); the DELETED event carries the deleting version. */
  async delete(
    sql: UnitOfWork,
    cluster: ClusterRecord,
    kind: ResourceKind,
    namespace: string,
    name: string,
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    await this.lockCluster(sql, cluster);
    const current = await this.objects.findForUpdate(sql, keyOf(cluster, kind, namespace, name));
    if (!current) throw KubeErrors.notFound(kind, name);
    if (options.expectedResourceVersion && options.expectedResourceVersion !== current.resourceVersion) {
      throw KubeErrors.conflict(
        kind,
        name,
        `Precondition failed: ResourceVersion in precondition: ${options.expectedResourceVersion}, ResourceVersion in object meta: ${current.resourceVersion}`,
      );
    }
    if (options.expectedUid && options.expectedUid !== current.body.metadata.uid) {
      throw KubeErrors.conflict(
        kind,
        name,
        `Precondition failed: UID in precondition: ${options.expectedUid}, UID in object meta: ${current.body.metadata.uid}`,
      );
    }
    const context = this.context(sql, cluster, kind, 'DELETE', options, current.body);
    if (kind.resource === 'namespaces') {
      memoOf(sql).namespaces.delete(`${cluster.id}/${name}`);
      await this.deleteNamespaceContents(sql, cluster, name, options);
    }
    const version = await this.nextVersion(sql, cluster);
    const object: KubeObject = {
      ...current.body,
      metadata: { ...current.body.metadata, resourceVersion: version.toString() },
    };
    await this.objects.remove(sql, current.uid, version, object);
    await this.afterWrite(context, 'DELETED', object);
    return object;
  }

  private async deleteNamespaceContents(
    sql: UnitOfWork,
    cluster: ClusterRecord,
    namespace: string,
    options: WriteOptions,
  ): Promise<void> {
    const rows = await this.objects.namespaceContents(sql, cluster.id, namespace);
    for (const row of rows) {
      try {
        await this.delete(sql, cluster, kindByResource(row.resource), namespace, row.name, {
          dryRun: options.dryRun,
        });
      } catch (error) {
        // a hook may have deleted it already (a Deployment's pods)
        if (!(error instanceof KubeStatusError && error.code === 404)) throw error;
      }
    }
  }

  /** Deletes the pods bound to the nodes named (their node went away), with their allocations. */
  async deletePodsOnNodes(
    sql: UnitOfWork,
    cluster: ClusterRecord,
    nodeNames: readonly string[],
  ): Promise<number> {
    if (nodeNames.length === 0) return 0;
    const rows = await this.objects.podsOnNodes(sql, cluster.id, nodeNames);
    const pods = kindByResource('pods');
    for (const row of rows) {
      try {
        await this.delete(sql, cluster, pods, row.namespace, row.name);
      } catch (error) {
        if (!(error instanceof KubeStatusError && error.code === 404)) throw error;
      }
    }
    return rows.length;
  }

  /** Watch events after `afterVersion`, oldest first. */
  events(
    cluster: ClusterRecord,
    kind: ResourceKind,
    afterVersion: bigint,
    namespace: string | undefined,
    limit = 500,
  ): Promise<WatchEvent[]> {
    return this.objects.events(cluster.id, kind.resource, afterVersion, namespace, limit);
  }

  /** Watch history at or below this version may be gone (compacted): a watch from before it is 410 Expired. */
  compactedThrough(): Promise<bigint> {
    return this.objects.compactedThrough();
  }

  /** Drops watch history older than `keepMs`, keeping each kind's newest event (list versions derive from it). */
  compactEvents(keepMs: number): Promise<void> {
    return this.objects.compactEvents(keepMs);
  }

  /** A process-local forget, for tests that reuse cluster ids across databases. */
  forgetCluster(cluster: ClusterRecord): void {
    this.namespacesReady.delete(`${cluster.id}:${cluster.createdAt.getTime()}`);
  }
}
