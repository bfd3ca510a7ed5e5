import { Injectable } from '@nestjs/common';
import { Database, type SqlClient, type UnitOfWork } from '@gke-emulator/db';
import type { KubeObject } from '../api/kube-object';
import type { WatchEventType } from './admission';

/** An advisory-lock class for "writes of one cluster": commits of one cluster happen in resourceVersion order. */
const CLUSTER_LOCK_CLASS = 1802855013;

/** Setting key: the highest watch-event version compaction removed. */
const COMPACTED_KEY = 'kube.eventsCompactedThrough';

/** A row of `kube_object`. */
export interface StoredObject {
  uid: string;
  resourceVersion: string;
  body: KubeObject;
}

/** A row of `kube_event`. */
export interface StoredEvent {
  type: WatchEventType;
  resourceVersion: bigint;
  namespace: string;
  object: KubeObject;
}

/** Where an object is: its cluster, resource (`pods`), namespace (`''` when cluster-scoped) and name. */
export interface ObjectKey {
  clusterId: bigint;
  resource: string;
  namespace: string;
  name: string;
}

interface ObjectRow {
  uid: string;
  resource_version: string;
  body: KubeObject;
}

function stored(row: ObjectRow): StoredObject {
  return { uid: row.uid, resourceVersion: row.resource_version, body: row.body };
}

/**
 * The SQL of the Kubernetes object store: `kube_object` (the objects), `kube_event` (their watch events, one per
 * write, at the write's resource version) and the `kube_resource_version` sequence. Every write of an object writes
 * its event in the same statement. Decisions (admission, preconditions, defaults) are the store's.
 */
@Injectable()
export class KubeObjectRepository {
  constructor(private readonly db: Database) {}

  /** How many of the objects named exist in the cluster (namespaces by name; other objects by resources and key). */
  async countClusterObjects(
    clusterId: bigint,
    namespaces: readonly string[],
    objects: readonly { resources: readonly string[]; namespace: string; name: string }[],
  ): Promise<number> {
    const values: unknown[] = [clusterId, [...namespaces]];
    const terms = objects.map((object) => {
      values.push([...object.resources], object.namespace, object.name);
      const at = values.length;
      return `(resource = ANY($${at - 2}) AND namespace = $${at - 1} AND name = $${at})`;
    });
    const [row] = await this.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM kube_object
        WHERE cluster_id = $1 AND ((resource = 'namespaces' AND name = ANY($2))${terms.map((t) => ` OR ${t}`).join('')})`,
      values,
    );
    return row?.count ?? 0;
  }

  /** The nodes of the cluster (the container API's instances). */
  async countNodes(sql: SqlClient, clusterId: bigint): Promise<number> {
    const [row] = await sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM node WHERE cluster_id = $1`,
      [clusterId],
    );
    return row?.count ?? 0;
  }

  /** Takes the cluster's write lock until the transaction ends. */
  async lockCluster(sql: UnitOfWork, clusterId: bigint): Promise<void> {
    await sql.query(
      `SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock($1, ($2::bigint % 2147483647)::int)) AS l`,
      [CLUSTER_LOCK_CLASS, clusterId],
    );
  }

  /** The next resource version; with `lockClusterId`, after taking that cluster's write lock (one round trip). */
  async nextResourceVersion(sql: UnitOfWork, lockClusterId?: bigint): Promise<bigint> {
    const [row] =
      lockClusterId === undefined
        ? await sql.query<{ v: string }>(`SELECT nextval('kube_resource_version')::text AS v`)
        : await sql.query<{ v: string }>(
            `SELECT nextval('kube_resource_version')::text AS v FROM (SELECT pg_advisory_xact_lock($1, ($2::bigint % 2147483647)::int)) AS locked`,
            [CLUSTER_LOCK_CLASS, lockClusterId],
          );
    return BigInt((row as { v: string }).v);
  }

  async find(sql: SqlClient, key: ObjectKey): Promise<StoredObject | undefined> {
    const rows = await sql.query<ObjectRow>(
      `SELECT uid, resource_version::text, body FROM kube_object WHERE cluster_id = $1 AND resource = $2 AND namespace = $3 AND name = $4`,
      [key.clusterId, key.resource, key.namespace, key.name],
    );
    return rows[0] && stored(rows[0]);
  }

  /** The object, its row locked until the transaction ends. */
  async findForUpdate(sql: UnitOfWork, key: ObjectKey): Promise<StoredObject | undefined> {
    const rows = await sql.query<ObjectRow>(
      `SELECT uid, resource_version::text, body FROM kube_object
        WHERE cluster_id = $1 AND resource = $2 AND namespace = $3 AND name = $4 FOR UPDATE`,
      [key.clusterId, key.resource, key.namespace, key.name],
    );
    return rows[0] && stored(rows[0]);
  }

  async namespaceExists(sql: SqlClient, clusterId: bigint, namespace: string): Promise<boolean> {
    const rows = await sql.query(
      `SELECT 1 FROM kube_object WHERE cluster_id = $1 AND resource = 'namespaces' AND namespace = '' AND name = $2`,
      [clusterId, namespace],
    );
    return rows.length > 0;
  }

  /** The newest event's version of the resource or of namespaces (`null`: none yet). */
  async latestVersion(sql: SqlClient, clusterId: bigint, resource: string): Promise<string | null> {
    const [row] = await sql.query<{ v: string | null }>(
      `SELECT greatest(
         (SELECT max(resource_version) FROM kube_event WHERE cluster_id = $1 AND resource = $2),
         (SELECT max(resource_version) FROM kube_event WHERE cluster_id = $1 AND resource = 'namespaces'))::text AS v`,
      [clusterId, resource],
    );
    return row?.v ?? null;
  }

  /** The resource's objects, in a namespace or all, after a (namespace, name) position, ordered by those. */
  async list(
    sql: SqlClient,
    clusterId: bigint,
    resource: string,
    namespace: string | undefined,
    after: { namespace: string; name: string } | undefined,
  ): Promise<StoredObject[]> {
    const rows = await sql.query<ObjectRow>(
      `SELECT uid, resource_version::text, body FROM kube_object
        WHERE cluster_id = $1 AND resource = $2 AND ($3::text IS NULL OR namespace = $3)
          AND ($4::text IS NULL OR (namespace, name) > ($4, $5))
        ORDER BY namespace, name`,
      [clusterId, resource, namespace ?? null, after?.namespace ?? null, after?.name ?? ''],
    );
    return rows.map(stored);
  }

  /** Inserts the object and its ADDED event; false when an object of that key exists. */
  async insert(
    sql: UnitOfWork,
    key: ObjectKey,
    uid: string,
    version: bigint,
    body: KubeObject,
  ): Promise<boolean> {
    const written = await sql.query<{ resource_version: string }>(
      `WITH inserted AS (
         INSERT INTO kube_object (uid, cluster_id, resource, namespace, name, resource_version, body)
         VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::jsonb)
         ON CONFLICT (cluster_id, resource, namespace, name) DO NOTHING
         RETURNING uid)
       INSERT INTO kube_event (resource_version, cluster_id, resource, namespace, type, object)
       SELECT $6, $2, $3, $4, 'ADDED', $7::jsonb FROM inserted
       RETURNING resource_version::text`,
      [uid, key.clusterId, key.resource, key.namespace, key.name, version, JSON.stringify(body)],
    );
    return written.length > 0;
  }

  /** Replaces the object's body and writes its MODIFIED event. */
  async replace(sql: UnitOfWork, uid: string, version: bigint, body: KubeObject): Promise<void> {
    await sql.query(
      `WITH updated AS (
         UPDATE kube_object SET resource_version = $2, body = $3::jsonb WHERE uid = $1::uuid RETURNING cluster_id, resource, namespace)
       INSERT INTO kube_event (resource_version, cluster_id, resource, namespace, type, object)
       SELECT $2, cluster_id, resource, namespace, 'MODIFIED', $3::jsonb FROM updated`,
      [uid, version, JSON.stringify(body)],
    );
  }

  /** Deletes the object and writes its DELETED event (carrying `body`, the object at the deleting version). */
  async remove(sql: UnitOfWork, uid: string, version: bigint, body: KubeObject): Promise<void> {
    await sql.query(
      `WITH deleted AS (DELETE FROM kube_object WHERE uid = $1::uuid RETURNING cluster_id, resource, namespace)
       INSERT INTO kube_event (resource_version, cluster_id, resource, namespace, type, object)
       SELECT $2, cluster_id, resource, namespace, 'DELETED', $3::jsonb FROM deleted`,
      [uid, version, JSON.stringify(body)],
    );
  }

  /** What a namespace holds, by resource and name. */
  async namespaceContents(
    sql: SqlClient,
    clusterId: bigint,
    namespace: string,
  ): Promise<{ resource: string; name: string }[]> {
    return sql.query<{ resource: string; name: string }>(
      `SELECT resource, name FROM kube_object WHERE cluster_id = $1 AND namespace = $2 ORDER BY resource, name`,
      [clusterId, namespace],
    );
  }

  /** The pods bound to the nodes named. */
  async podsOnNodes(
    sql: SqlClient,
    clusterId: bigint,
    nodeNames: readonly string[],
  ): Promise<{ namespace: string; name: string }[]> {
    return sql.query<{ namespace: string; name: string }>(
      `SELECT namespace, name FROM kube_object
        WHERE cluster_id = $1 AND resource = 'pods' AND body #>> '{spec,nodeName}' = ANY($2::text[])`,
      [clusterId, [...nodeNames]],
    );
  }

  /** Watch events after `afterVersion`, oldest first (on the pool). */
  async events(
    clusterId: bigint,
    resource: string,
    afterVersion: bigint,
    namespace: string | undefined,
    limit: number,
  ): Promise<StoredEvent[]> {
    const rows = await this.db.query<{
      resource_version: string;
      namespace: string;
      type: WatchEventType;
      object: KubeObject;
    }>(
      `SELECT resource_version::text, namespace, type, object FROM kube_event
        WHERE cluster_id = $1 AND resource = $2 AND resource_version > $3 AND ($4::text IS NULL OR namespace = $4)
        ORDER BY resource_version LIMIT $5`,
      [clusterId, resource, afterVersion, namespace ?? null, limit],
    );
    return rows.map((row) => ({
      type: row.type,
      resourceVersion: BigInt(row.resource_version),
      namespace: row.namespace,
      object: row.object,
    }));
  }

  /** The highest watch-event version compaction removed (0 when none). */
  async compactedThrough(): Promise<bigint> {
    const [row] = await this.db.query<{ v: string | null }>(
      `SELECT value #>> '{}' AS v FROM setting WHERE key = $1`,
      [COMPACTED_KEY],
    );
    return row?.v ? BigInt(row.v) : 0n;
  }

  /** Drops watch history older than `keepMs`, keeping each kind's newest event; records the highest version dropped. */
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

  /** The node overlays of the cluster (what users set on nodes), by node name. */
  async nodeOverlays(sql: SqlClient, clusterId: bigint): Promise<({ name: string } & StoredObject)[]> {
    const rows = await sql.query<{ name: string } & ObjectRow>(
      `SELECT name, uid, resource_version::text, body FROM kube_object WHERE cluster_id = $1 AND resource = 'nodes'`,
      [clusterId],
    );
    return rows.map((row) => ({ name: row.name, ...stored(row) }));
  }
}
