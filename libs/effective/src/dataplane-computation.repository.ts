import type { SqlClient } from '@gke-emulator/db';
import type { netpol } from '@gke-emulator/dataplane';
import type { DataplaneObjectBody, DataplaneResource } from './dataplane-inputs';
import type { KubeObjectRow } from './dataplane-inputs.repository';
import type { ChangeKey, ObjectKey } from './recompute-plan';

type Json = Record<string, unknown>;

const INSERT_CHUNK = 2000;

/** A cluster's results row as a computation starts from it. */
export interface StoredResults {
  observed: bigint;
  tombstonesPurgedThrough: bigint;
  /** the objects the last computation left out of the copy */
  skippedObjects: string[];
}

/** One node's freshly computed VPC side. */
export interface NodeVpcRow {
  nodeName: string;
  inputHash: string;
  routes: unknown;
  firewall: unknown;
}

/** One row of the copy: a reduced object, or a tombstone (`body` null). */
export interface CopyRow {
  resource: string;
  namespace: string;
  name: string;
  body: DataplaneObjectBody | null;
}

/** The columns of the results row a computation ends by writing. */
export interface ComputationResult {
  generation: bigint;
  computeMs: number;
  lastComputation: Json;
  tombstonesPurgedThrough: bigint;
  /** kube-proxy's rules changed on every node: recorded on the cluster's row */
  kubeProxyEveryNode: boolean;
  /** NetworkPolicy verdicts changed on every node: recorded on the cluster's row */
  netpolEveryNode: boolean;
}

/**
 * The SQL of the worker's data-plane computation (compute-cluster.task.ts): statements in, rows out. Built on the
 * computation's unit of work for what runs in its snapshot, or on the job's connection (`sessionSql`) for the
 * session work around it (the results row, the advisory lock, a failure, the stale-job sweep).
 */
export class DataplaneComputationRepository {
  constructor(private readonly sql: SqlClient) {}

  // --- around the snapshot (the job's connection, outside the transaction) ---

  /** The results row exists before the snapshot (the computation ends by updating it). */
  async ensureResultsRow(clusterId: bigint): Promise<void> {
    await this.sql.query(
      `INSERT INTO cluster_dataplane (cluster_id) SELECT id FROM cluster WHERE id = $1 ON CONFLICT DO NOTHING`,
      [String(clusterId)],
    );
  }

  /**
   * Waits for, and takes, the cluster's computation lock: a session lock, so a worker that dies releases it with
   * its connection.
   */
  async lockCluster(clusterId: bigint): Promise<void> {
    await this.sql.query(`SELECT pg_advisory_lock(hashtext('dataplane'), hashtext($1))`, [String(clusterId)]);
  }

  async unlockCluster(clusterId: bigint): Promise<void> {
    await this.sql.query(`SELECT pg_advisory_unlock(hashtext('dataplane'), hashtext($1))`, [
      String(clusterId),
    ]);
  }

  /** Records a failed attempt on the results row (message at most 2,000 characters). */
  async recordFailure(clusterId: bigint, message: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO cluster_dataplane AS d (cluster_id, error, failures) VALUES ($1, $2, 1)
       ON CONFLICT (cluster_id) DO UPDATE SET error = $2, failures = d.failures + 1`,
      [String(clusterId), message.slice(0, 2000)],
    );
  }

  /**
   * Queues a computation for every cluster whose results are behind, unless a job for it is waiting or was
   * locked less than `staleSeconds` ago; returns how many were queued.
   */
  async requeueStale(staleSeconds: number): Promise<number> {
    const rows = await this.sql.query(
      `SELECT graphile_worker.add_job('compute_cluster_dataplane', json_build_object('clusterId', d.cluster_id::text),
                                      job_key := 'dataplane:' || d.cluster_id, max_attempts := 8)
         FROM dataplane_generation d LEFT JOIN cluster_dataplane r ON r.cluster_id = d.cluster_id
        WHERE coalesce(r.observed_generation, 0) < d.generation
          AND NOT EXISTS (SELECT 1 FROM graphile_worker.jobs j
                           WHERE j.key = 'dataplane:' || d.cluster_id
                             AND (j.locked_at IS NULL OR j.locked_at > now() - make_interval(secs => $1)))`,
      [staleSeconds],
    );
    return rows.length;
  }

  // --- in the snapshot (the computation's unit of work) ---

  /** The results row; undefined when the cluster is gone. */
  async results(clusterId: bigint): Promise<StoredResults | undefined> {
    const [row] = await this.sql.query<{ observed: string; purged: string; skipped: string[] | null }>(
      `SELECT observed_generation::text AS observed, tombstones_purged_through::text AS purged,
              last_computation->'skippedObjects' AS skipped
         FROM cluster_dataplane WHERE cluster_id = $1`,
      [clusterId],
    );
    return (
      row && {
        observed: BigInt(row.observed),
        tombstonesPurgedThrough: BigInt(row.purged),
        skippedObjects: row.skipped ?? [],
      }
    );
  }

  /** The distinct objects changed after generation `after`, up to `through`. */
  async changes(clusterId: bigint, after: bigint, through: bigint): Promise<ChangeKey[]> {
    return this.sql.query<ChangeKey>(
      `SELECT DISTINCT resource, namespace, name FROM dataplane_change
        WHERE cluster_id = $1 AND generation > $2 AND generation <= $3`,
      [clusterId, String(after), String(through)],
    );
  }

  /** The names of the cluster's nodes, sorted. */
  async nodeNames(clusterId: bigint): Promise<string[]> {
    const rows = await this.sql.query<{ name: string }>(
      `SELECT name FROM node WHERE cluster_id = $1 ORDER BY name`,
      [clusterId],
    );
    return rows.map((row) => row.name);
  }

  /** The input hash of each node's stored VPC side. */
  async vpcInputHashes(clusterId: bigint): Promise<Map<string, string>> {
    const rows = await this.sql.query<{ node_name: string; input_hash: string }>(
      `SELECT node_name, input_hash FROM node_dataplane WHERE cluster_id = $1`,
      [clusterId],
    );
    return new Map(rows.map((row) => [row.node_name, row.input_hash]));
  }

  /** Stores a node's VPC side as of `generation` (the node's row is made on its first computation). */
  async storeNodeVpc(clusterId: bigint, generation: bigint, node: NodeVpcRow): Promise<void> {
    await this.sql.query(
      `INSERT INTO node_dataplane (cluster_id, node_name, generation, vpc_generation, input_hash, routes, firewall,
                                   computed_at)
       VALUES ($1, $2, $3, $3, $4, $5::jsonb, $6::jsonb, now())
       ON CONFLICT (cluster_id, node_name) DO UPDATE SET generation = $3, vpc_generation = $3, input_hash = $4,
         routes = $5::jsonb, firewall = $6::jsonb, computed_at = now()`,
      [
        clusterId,
        node.nodeName,
        String(generation),
        node.inputHash,
        JSON.stringify(node.routes),
        JSON.stringify(node.firewall),
      ],
    );
  }

  /** Forgets the stored state of nodes no longer in the cluster. */
  async deleteNodesOtherThan(clusterId: bigint, nodeNames: readonly string[]): Promise<void> {
    await this.sql.query(
      `DELETE FROM node_dataplane WHERE cluster_id = $1 AND NOT (node_name = ANY($2::text[]))`,
      [clusterId, nodeNames],
    );
  }

  /** Records on those nodes' rows that their kube-proxy rules changed at `generation`. */
  async markKubeProxyChanged(clusterId: bigint, generation: bigint, nodes: readonly string[]): Promise<void> {
    await this.sql.query(
      `UPDATE node_dataplane SET kube_proxy_generation = $2, generation = $2
        WHERE cluster_id = $1 AND node_name = ANY($3::text[])`,
      [clusterId, String(generation), nodes],
    );
  }

  /** Records on those nodes' rows that their NetworkPolicy verdicts changed at `generation`. */
  async markNetworkPolicyChanged(
    clusterId: bigint,
    generation: bigint,
    nodes: readonly string[],
  ): Promise<void> {
    await this.sql.query(
      `UPDATE node_dataplane SET network_policy_generation = $2, generation = $2
        WHERE cluster_id = $1 AND node_name = ANY($3::text[])`,
      [clusterId, String(generation), nodes],
    );
  }

  /** Forgets the changes up to `generation` (consumed). */
  async deleteChangesThrough(clusterId: bigint, generation: bigint): Promise<void> {
    await this.sql.query(`DELETE FROM dataplane_change WHERE cluster_id = $1 AND generation <= $2`, [
      clusterId,
      String(generation),
    ]);
  }

  /** Forgets the copy's tombstones written at or before `generation`. */
  async purgeTombstonesThrough(clusterId: bigint, generation: bigint): Promise<void> {
    await this.sql.query(
      `DELETE FROM dataplane_object WHERE cluster_id = $1 AND body IS NULL AND generation <= $2`,
      [clusterId, String(generation)],
    );
  }

  /** Ends a computation: the results row says what it reflects and how it went. */
  async recordComputation(clusterId: bigint, result: ComputationResult): Promise<void> {
    await this.sql.query(
      `UPDATE cluster_dataplane SET observed_generation = $2, computed_at = now(), error = NULL, failures = 0,
              compute_ms = $3, last_computation = $4::jsonb, tombstones_purged_through = $5,
              kube_proxy_generation = CASE WHEN $6::boolean THEN $2 ELSE kube_proxy_generation END,
              network_policy_generation = CASE WHEN $7::boolean THEN $2 ELSE network_policy_generation END
        WHERE cluster_id = $1`,
      [
        clusterId,
        String(result.generation),
        result.computeMs,
        JSON.stringify(result.lastComputation),
        String(result.tombstonesPurgedThrough),
        result.kubeProxyEveryNode,
        result.netpolEveryNode,
      ],
    );
  }

  /** NOTIFYs `payload` on `channel` (delivered when the transaction commits). */
  async notify(channel: string, payload: string): Promise<void> {
    await this.sql.query(`SELECT pg_notify($1, $2)`, [channel, payload]);
  }

  /** The objects of those keys as the API stores them now (a deleted one is absent). */
  async kubeObjects(
    clusterId: bigint,
    keys: readonly ObjectKey[],
  ): Promise<KubeObjectRow<DataplaneResource>[]> {
    return this.sql.query<KubeObjectRow<DataplaneResource>>(
      `SELECT o.resource, o.namespace, o.name, o.body FROM kube_object o
         JOIN unnest($2::text[], $3::text[], $4::text[]) AS k(resource, namespace, name)
           ON o.resource = k.resource AND o.namespace = k.namespace AND o.name = k.name
        WHERE o.cluster_id = $1`,
      [clusterId, ...keyColumns(keys)],
    );
  }

  /** The copy's rows of those keys (tombstones included: `body` null). */
  async copiedObjects(
    clusterId: bigint,
    keys: readonly ObjectKey[],
  ): Promise<(ObjectKey & { body: DataplaneObjectBody | null })[]> {
    return this.sql.query<ObjectKey & { body: DataplaneObjectBody | null }>(
      `SELECT o.resource, o.namespace, o.name, o.body FROM dataplane_object o
         JOIN unnest($2::text[], $3::text[], $4::text[]) AS k(resource, namespace, name)
           ON o.resource = k.resource AND o.namespace = k.namespace AND o.name = k.name
        WHERE o.cluster_id = $1`,
      [clusterId, ...keyColumns(keys)],
    );
  }

  /** Empties the copy (before a full computation writes it afresh). */
  async deleteCopy(clusterId: bigint): Promise<void> {
    await this.sql.query(`DELETE FROM dataplane_object WHERE cluster_id = $1`, [clusterId]);
  }

  /** Writes rows of the copy (objects or tombstones) at `generation`, a few thousand per statement. */
  async storeCopy(clusterId: bigint, generation: bigint, rows: readonly CopyRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await this.sql.query(
        `INSERT INTO dataplane_object (cluster_id, resource, namespace, name, generation, body)
         SELECT $1, r.resource, r.namespace, r.name, $2, r.body
           FROM jsonb_to_recordset($3::jsonb) AS r(resource text, namespace text, name text, body jsonb)
         ON CONFLICT (cluster_id, resource, namespace, name)
         DO UPDATE SET generation = EXCLUDED.generation, body = EXCLUDED.body`,
        [clusterId, String(generation), JSON.stringify(chunk)],
      );
    }
  }

  /** The live copied bodies of one kind (optionally in one namespace). */
  async copiedBodies<T extends netpol.PodInfo | netpol.NetworkPolicy | netpol.NamespaceInfo>(
    clusterId: bigint,
    resource: Extract<DataplaneResource, 'pods' | 'networkpolicies' | 'namespaces'>,
    namespace?: string,
  ): Promise<T[]> {
    const rows =
      namespace === undefined
        ? await this.sql.query<{ body: T }>(
            `SELECT body FROM dataplane_object WHERE cluster_id = $1 AND resource = $2 AND body IS NOT NULL`,
            [clusterId, resource],
          )
        : await this.sql.query<{ body: T }>(
            `SELECT body FROM dataplane_object
              WHERE cluster_id = $1 AND resource = $2 AND namespace = $3 AND body IS NOT NULL`,
            [clusterId, resource, namespace],
          );
    return rows.map((row) => row.body);
  }
}

/** Keys as three parallel arrays (for `unnest`). */
function keyColumns(keys: readonly ObjectKey[]): [string[], string[], string[]] {
  return [keys.map((key) => key.resource), keys.map((key) => key.namespace), keys.map((key) => key.name)];
}
