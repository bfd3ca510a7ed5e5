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
import { type AdmissionContext, KubeAdmission, type WatchEventType } from './admission';

/** Namespaces every cluster has from the start. */
export const DEFAULT_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** Kinds whose metadata.generation counts spec changes. */
const GENERATION_KINDS = new Set(['deployments', 'replicasets', 'networkpolicies', 'ingresses']);

/** An advisory-lock class for "writes of one cluster": commits of one cluster happen in resourceVersion order. */
const CLUSTER_LOCK_CLASS = 1802855013;

/** Setting key: the highest watch-event version compaction removed. */
const COMPACTED_KEY = 'kube.eventsCompactedThrough';

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

interface ObjectRow {
  uid: string;
  resource_version: string;
  body: KubeObject;
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

/**
 * The Kubernetes object store over `kube_object` and `kube_event`. Every method that writes takes the open
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
    const [row] = await this.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM kube_object
        WHERE cluster_id = $1 AND ((resource = 'namespaces' AND name = ANY($2))
           OR (resource IN ('services', 'endpointslices') AND namespace = $3 AND name = $4)
           OR (resource IN ('services', 'deployments') AND namespace = $5 AND name = $6))`,
      [
        cluster.id,
        DEFAULT_NAMESPACES,
        KUBERNETES_SERVICE.namespace,
        KUBERNETES_SERVICE.name,
        KUBE_DNS.namespace,
        KUBE_DNS.name,
      ],
    );
    if ((row?.count ?? 0) < DEFAULT_NAMESPACES.length + 4) {
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

  private async nodeCount(sql: SqlClient, cluster: ClusterRecord): Promise<number> {
    const [row] = await sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM node WHERE cluster_id = $1`,
      [cluster.id],
    );
    return row?.count ?? 0;
  }

  /** Serializes the cluster's writes until the transaction ends, and hands out the next resource version. */
  private async nextVersion(sql: UnitOfWork, cluster: ClusterRecord): Promise<bigint> {
    const memo = memoOf(sql);
    const [row] = memo.locked.has(cluster.id)
      ? await sql.query<{ v: string }>(`SELECT nextval('kube_resource_version')::text AS v`)
      : await sql.query<{ v: string }>(
          `SELECT nextval('kube_resource_version')::text AS v FROM (SELECT pg_advisory_xact_lock($1, ($2::bigint % 2147483647)::int)) AS locked`,
          [CLUSTER_LOCK_CLASS, cluster.id],
        );
    memo.locked.add(cluster.id);
    return BigInt((row as { v: string }).v);
  }

  /** Takes the cluster's write lock until the transaction ends (once: later calls in the transaction are free). */
  async lockCluster(sql: UnitOfWork, cluster: ClusterRecord): Promise<void> {
    const memo = memoOf(sql);
    if (memo.locked.has(cluster.id)) return;
    await sql.query(
      `SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock($1, ($2::bigint % 2147483647)::int)) AS l`,
      [CLUSTER_LOCK_CLASS, cluster.id],
    );
    memo.locked.add(cluster.id);
  }

  async get(
    sql: SqlClient,
    cluster: ClusterRecord,
    kind: ResourceKind,
    namespace: string,
    name: string,
  ): Promise<KubeObject | undefined> {
    const rows = await sql.query<ObjectRow>(
      `SELECT uid, resource_version::text, body FROM kube_object WHERE cluster_id = $1 AND resource = $2 AND namespace = $3 AND name = $4`,
      [cluster.id, kind.resource, kind.namespaced ? namespace : '', name],
    );
    return rows[0]?.body;
  }

  async namespaceExists(sql: SqlClient, cluster: ClusterRecord, namespace: string): Promise<boolean> {
    const rows = await sql.query(
      `SELECT 1 FROM kube_object WHERE cluster_id = $1 AND resource = 'namespaces' AND namespace = '' AND name = $2`,
      [cluster.id, namespace],
    );
    return rows.length > 0;
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
    const [row] = await sql.query<{ v: string | null }>(
      `SELECT greatest(
         (SELECT max(resource_version) FROM kube_event WHERE cluster_id = $1 AND resource = $2),
         (SELECT max(resource_version) FROM kube_event WHERE cluster_id = $1 AND resource = 'namespaces'))::text AS v`,
      [cluster.id, kind.resource],
    );
    return row?.v ?? '0';
  }

  async list(
    sql: SqlClient,
    cluster: ClusterRecord,
    kind: ResourceKind,
    options: ListOptions = {},
  ): Promise<ObjectList> {
    const resourceVersion = await this.listResourceVersion(sql, cluster, kind);
    const rows = await sql.query<ObjectRow>(
      `SELECT uid, resource_version::text, body FROM kube_object
        WHERE cluster_id = $1 AND resource = $2 AND ($3::text IS NULL OR namespace = $3)
          AND ($4::text IS NULL OR (namespace, name) > ($4, $5))
        ORDER BY namespace, name`,
      [
        cluster.id,
        kind.resource,
        options.namespace ?? null,
        options.after?.namespace ?? null,
        options.after?.name ?? '',
      ],
    );
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
      store: this,
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
    const written = await sql.query<{ resource_version: string }>(
      `WITH inserted AS (
         INSERT INTO kube_object (uid, cluster_id, resource, namespace, name, resource_version, body)
         VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::jsonb)
         ON CONFLICT (cluster_id, resource, namespace, name) DO NOTHING
         RETURNING uid)
       INSERT INTO kube_event (resource_version, cluster_id, resource, namespace, type, object)
       SELECT $6, $2, $3, $4, 'ADDED', $7::jsonb FROM inserted
       RETURNING resource_version::text`,
      [metadata.uid, cluster.id, kind.resource, namespace, metadata.name, version, JSON.stringify(object)],
    );
    if (written.length === 0) throw KubeErrors.alreadyExists(kind, metadata.name as string);
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
    const rows = await sql.query<ObjectRow>(
      `SELECT uid, resource_version::text, body FROM kube_object
        WHERE cluster_id = $1 AND resource = $2 AND namespace = $3 AND name = $4 FOR UPDATE`,
      [cluster.id, kind.resource, namespace, name],
    );
    const current = rows[0];
    if (!current) throw KubeErrors.notFound(kind, name);
    const old = current.body;
    const expected = options.expectedResourceVersion;
    if (expected && expected !== current.resource_version) {
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
    await sql.query(
      `WITH updated AS (
         UPDATE kube_object SET resource_version = $2, body = $3::jsonb WHERE uid = $1::uuid RETURNING cluster_id, resource, namespace)
       INSERT INTO kube_event (resource_version, cluster_id, resource, namespace, type, object)
       SELECT $2, cluster_id, resource, namespace, 'MODIFIED', $3::jsonb FROM updated`,
      [current.uid, version, JSON.stringify(object)],
    );
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
    const rows = await sql.query<ObjectRow>(
      `SELECT uid, resource_version::text, body FROM kube_object
        WHERE cluster_id = $1 AND resource = $2 AND namespace = $3 AND name = $4 FOR UPDATE`,
      [cluster.id, kind.resource, kind.namespaced ? namespace : '', name],
    );
    const current = rows[0];
    if (!current) throw KubeErrors.notFound(kind, name);
    if (options.expectedResourceVersion && options.expectedResourceVersion !== current.resource_version) {
      throw KubeErrors.conflict(
        kind,
        name,
        `Precondition failed: ResourceVersion in precondition: ${options.expectedResourceVersion}, ResourceVersion in object meta: ${current.resource_version}`,
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
    await sql.query(
      `WITH deleted AS (DELETE FROM kube_object WHERE uid = $1::uuid RETURNING cluster_id, resource, namespace)
       INSERT INTO kube_event (resource_version, cluster_id, resource, namespace, type, object)
       SELECT $2, cluster_id, resource, namespace, 'DELETED', $3::jsonb FROM deleted`,
      [current.uid, version, JSON.stringify(object)],
    );
    await this.afterWrite(context, 'DELETED', object);
    return object;
  }

  private async deleteNamespaceContents(
    sql: UnitOfWork,
    cluster: ClusterRecord,
    namespace: string,
    options: WriteOptions,
  ): Promise<void> {
    const rows = await sql.query<{ resource: string; name: string }>(
      `SELECT resource, name FROM kube_object WHERE cluster_id = $1 AND namespace = $2 ORDER BY resource, name`,
      [cluster.id, namespace],
    );
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
    const rows = await sql.query<{ namespace: string; name: string }>(
      `SELECT namespace, name FROM kube_object
        WHERE cluster_id = $1 AND resource = 'pods' AND body #>> '{spec,nodeName}' = ANY($2::text[])`,
      [cluster.id, [...nodeNames]],
    );
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
  async events(
    cluster: ClusterRecord,
    kind: ResourceKind,
    afterVersion: bigint,
    namespace: string | undefined,
    limit = 500,
  ): Promise<WatchEvent[]> {
    const rows = await this.db.query<{
      resource_version: string;
      namespace: string;
      type: WatchEventType;
      object: KubeObject;
    }>(
      `SELECT resource_version::text, namespace, type, object FROM kube_event
        WHERE cluster_id = $1 AND resource = $2 AND resource_version > $3 AND ($4::text IS NULL OR namespace = $4)
        ORDER BY resource_version LIMIT $5`,
      [cluster.id, kind.resource, afterVersion, namespace ?? null, limit],
    );
    return rows.map((row) => ({
      type: row.type,
      resourceVersion: BigInt(row.resource_version),
      namespace: row.namespace,
      object: row.object,
    }));
  }

  /** Watch history at or below this version may be gone (compacted): a watch from before it is 410 Expired. */
  async compactedThrough(): Promise<bigint> {
    const [row] = await this.db.query<{ v: string | null }>(
      `SELECT value #>> '{}' AS v FROM setting WHERE key = $1`,
      [COMPACTED_KEY],
    );
    return row?.v ? BigInt(row.v) : 0n;
  }

  /** Drops watch history older than `keepMs`, keeping each kind's newest event (list versions derive from it). */
  async compactEvents(keepMs: number): Promise<void> {
    await this.db.query(
      `WITH deleted AS (
         DELETE FROM kube_event e
          WHERE e.created_at < now() - make_interval(secs => $1::double precision / 1000)
            AND e.resource_version < (SELECT max(resource_version) FROM kube_event n
                                       WHERE n.cluster_id = e.cluster_id AND n.resource = e.resource)
         RETURNING resource_version)
       INSERT INTO setting (key, value)
       SELECT $2, to_jsonb(max(resource_version)::text) FROM deleted HAVING count(*) > 0
       ON CONFLICT (key) DO UPDATE SET value = CASE
         WHEN (setting.value #>> '{}')::bigint < (excluded.value #>> '{}')::bigint THEN excluded.value ELSE setting.value END`,
      [keepMs, COMPACTED_KEY],
    );
  }

  /** A process-local forget, for tests that reuse cluster ids across databases. */
  forgetCluster(cluster: ClusterRecord): void {
    this.namespacesReady.delete(`${cluster.id}:${cluster.createdAt.getTime()}`);
  }
}
