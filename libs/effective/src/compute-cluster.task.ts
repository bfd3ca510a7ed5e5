import type { SqlClient } from '@gke-emulator/db';
import { computeNodeResults } from './cluster-dataplane';
import { loadDataplaneInputs } from './dataplane-inputs';

/** A pg client as graphile-worker's `withPgClient` hands it out. */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface ComputeOutcome {
  clusterId: string;
  generation: string;
  /** nodes whose VPC results were recomputed and rewritten */
  nodesRecomputed: number;
  nodesUnchanged: number;
  skipped?: 'cluster-gone' | 'already-current';
}

function sqlOf(client: PgClientLike): SqlClient {
  return {
    query: async <T>(text: string, values: readonly unknown[] = []) =>
      (await client.query(text, [...values])).rows as T[],
  };
}

/**
 * The worker's job for one cluster: read the inputs and the generation in one REPEATABLE READ snapshot, compute
 * what changed, and store it with that generation — never going backwards, so a slow job finishing after a newer
 * one changes nothing. Kube-proxy's and NetworkPolicy's inputs are stored as of the generation; their per-node
 * results (iptables text, verdicts) are rendered from them when read.
 */
export async function computeClusterDataplane(
  client: PgClientLike,
  clusterId: bigint,
): Promise<ComputeOutcome> {
  const sql = sqlOf(client);
  const started = Date.now();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  try {
    const inputs = await loadDataplaneInputs(sql, clusterId);
    if (!inputs) {
      await client.query('COMMIT');
      return {
        clusterId: String(clusterId),
        generation: '0',
        nodesRecomputed: 0,
        nodesUnchanged: 0,
        skipped: 'cluster-gone',
      };
    }
    const previous = await sql.query<{ node_name: string; input_hash: string }>(
      `SELECT node_name, input_hash FROM node_dataplane WHERE cluster_id = $1`,
      [clusterId],
    );
    const { changed, unchanged } = computeNodeResults(
      inputs,
      new Map(previous.map((row) => [row.node_name, row.input_hash])),
    );
    const generation = inputs.generation.toString();
    const [updated] = await sql.query<{ ok: boolean }>(
      `INSERT INTO cluster_dataplane AS d (cluster_id, observed_generation, computed_at, compute_ms, kube_proxy_input,
                                           network_policy_input)
       VALUES ($1, $2, now(), $5, $3::jsonb, $4::jsonb)
       ON CONFLICT (cluster_id) DO UPDATE
          SET observed_generation = $2, computed_at = now(), error = NULL, failures = 0, compute_ms = $5,
              kube_proxy_input = $3::jsonb, network_policy_input = $4::jsonb
        WHERE d.observed_generation < $2
       RETURNING true AS ok`,
      [
        clusterId,
        generation,
        JSON.stringify(inputs.kubeProxy),
        JSON.stringify(inputs.networkPolicy),
        Date.now() - started,
      ],
    );
    if (!updated) {
      await client.query('COMMIT');
      return {
        clusterId: String(clusterId),
        generation,
        nodesRecomputed: 0,
        nodesUnchanged: unchanged,
        skipped: 'already-current',
      };
    }
    for (const node of changed) {
      await sql.query(
        `INSERT INTO node_dataplane (cluster_id, node_name, generation, input_hash, routes, firewall, computed_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, now())
         ON CONFLICT (cluster_id, node_name) DO UPDATE SET generation = $3, input_hash = $4, routes = $5::jsonb,
           firewall = $6::jsonb, computed_at = now()`,
        [
          clusterId,
          node.nodeName,
          generation,
          node.inputHash,
          JSON.stringify(node.routes),
          JSON.stringify(node.firewall),
        ],
      );
    }
    await sql.query(
      `UPDATE node_dataplane SET generation = $2 WHERE cluster_id = $1 AND node_name = ANY($3::text[])`,
      [clusterId, generation, inputs.nodes.map((node) => node.name)],
    );
    await sql.query(
      `DELETE FROM node_dataplane WHERE cluster_id = $1 AND NOT (node_name = ANY($2::text[]))`,
      [clusterId, inputs.nodes.map((node) => node.name)],
    );
    await client.query('COMMIT');
    return {
      clusterId: String(clusterId),
      generation,
      nodesRecomputed: changed.length,
      nodesUnchanged: unchanged,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Records a failed attempt where the control API shows it; the job queue retries with backoff. */
export async function recordDataplaneFailure(
  client: PgClientLike,
  clusterId: bigint,
  error: unknown,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await client.query(
    `INSERT INTO cluster_dataplane AS d (cluster_id, error, failures) VALUES ($1, $2, 1)
     ON CONFLICT (cluster_id) DO UPDATE SET error = $2, failures = d.failures + 1`,
    [String(clusterId), message.slice(0, 2000)],
  );
}

/**
 * Queues a computation for every cluster whose results are behind, unless one is already waiting: what makes a
 * job lost with a killed worker (graphile-worker frees its lock only after hours) come back at once.
 */
/** A job locked for longer than this is taken for one whose worker died (a computation takes well under it). */
export const STALE_LOCK_SECONDS = 30;

export async function requeueStaleClusters(client: PgClientLike): Promise<number> {
  const { rows } = await client.query(
    `SELECT graphile_worker.add_job('compute_cluster_dataplane', json_build_object('clusterId', d.cluster_id::text),
                                    job_key := 'dataplane:' || d.cluster_id, max_attempts := 8)
       FROM dataplane_generation d LEFT JOIN cluster_dataplane r ON r.cluster_id = d.cluster_id
      WHERE coalesce(r.observed_generation, 0) < d.generation
        AND NOT EXISTS (SELECT 1 FROM graphile_worker.jobs j
                         WHERE j.key = 'dataplane:' || d.cluster_id
                           AND (j.locked_at IS NULL OR j.locked_at > now() - make_interval(secs => $1)))`,
    [STALE_LOCK_SECONDS],
  );
  return rows.length;
}
