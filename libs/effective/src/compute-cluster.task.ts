import { UnitOfWork } from '@gke-emulator/db';
import { netpol } from '@gke-emulator/dataplane';
import { computeNodeResults } from './cluster-dataplane';
import {
  DATAPLANE_RESOURCES,
  type DataplaneObjectBody,
  type DataplaneResource,
  loadVpcInputs,
  reduceKubeObject,
} from './dataplane-inputs';
import {
  keyOf,
  kubeProxyChangesEveryNode,
  needsVpcRecompute,
  notifyPayload,
  objectChanges,
  type ObjectKey,
  planNodes,
  type NodesRecomputed,
  stillSkipped,
} from './recompute-plan';

export type { NodesRecomputed } from './recompute-plan';

/** A pg client as graphile-worker's `withPgClient` hands it out. */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface ComputeOutcome {
  clusterId: string;
  generation: string;
  /** `full`: from every input (the first computation); `incremental`: from the changes since the last one */
  mode?: 'full' | 'incremental';
  /** distinct objects changed since the last computation */
  changes?: number;
  /** nodes whose effective state this computation changed (the union over the parts) */
  nodesRecomputed: number;
  nodes?: NodesRecomputed;
  nodesUnchanged: number;
  skipped?: 'cluster-gone' | 'already-current';
}

/** The channel a computation notifies with `{"clusterId","generation","nodes": [...] | null}` (null: every node). */
export const NODE_CHANGED_CHANNEL = 'dataplane_node_changed';
/** Tombstones of deleted objects are kept this many generations for readers that update their copy in place. */
export const TOMBSTONE_GENERATIONS = 1000n;
const NOTIFY_PAYLOAD_LIMIT = 7000;
const INSERT_CHUNK = 2000;

type Json = Record<string, unknown>;

/**
 * One object the reducers cannot read (the API admits nothing of the kind, but the database may hold anything)
 * is left out and named in the computation's report; it never stops the rest of the cluster from converging.
 */
function safeReduce(
  object: { resource: DataplaneResource; namespace: string; name: string; body: Json },
  skipped: string[],
): DataplaneObjectBody | null {
  try {
    return reduceKubeObject(object.resource, object.body);
  } catch (error) {
    skipped.push(`${keyOf(object)}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/**
 * The worker's job for one cluster. In one REPEATABLE READ snapshot it reads the generation and the changes
 * recorded since the generation it last stored, and recomputes only what they touch: the VPC side (routes and
 * firewall per node, skipping nodes whose inputs hash the same) when a node, firewall rule, route or range
 * changed; its copy of the changed Kubernetes objects (what the reads render kube-proxy's rules and NetworkPolicy
 * verdicts from); and per node the generation at which each part of its effective state last changed. The first
 * computation of a cluster reads everything. One job per cluster computes at a time (an advisory lock), so
 * results never go backwards and each job starts from the previous one's.
 */
export async function computeClusterDataplane(
  client: PgClientLike,
  clusterId: bigint,
): Promise<ComputeOutcome> {
  const sql = UnitOfWork.onClient(client);
  // The results row exists before the snapshot (the computation ends by updating it).
  await client.query(
    `INSERT INTO cluster_dataplane (cluster_id) SELECT id FROM cluster WHERE id = $1 ON CONFLICT DO NOTHING`,
    [String(clusterId)],
  );
  // One computation per cluster at a time (graphile-worker starts a second job for a key whose job is running),
  // taken before the snapshot so that the second one starts from the first one's results. A session lock: a
  // worker that dies releases it with its connection.
  await client.query(`SELECT pg_advisory_lock(hashtext('dataplane'), hashtext($1))`, [String(clusterId)]);
  try {
    // Timed from here: waiting for another job's lock is not this computation's cost.
    return await computeLocked(client, sql, clusterId, Date.now());
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('dataplane'), hashtext($1))`, [String(clusterId)]);
  }
}

async function computeLocked(
  client: PgClientLike,
  sql: UnitOfWork,
  clusterId: bigint,
  started: number,
): Promise<ComputeOutcome> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  try {
    const [results] = await sql.query<{ observed: string; purged: string; skipped: string[] | null }>(
      `SELECT observed_generation::text AS observed, tombstones_purged_through::text AS purged,
              last_computation->'skippedObjects' AS skipped
         FROM cluster_dataplane WHERE cluster_id = $1`,
      [clusterId],
    );
    const [cluster] = await sql.query<{
      project_id: string;
      network_id: string;
      network: string;
      pod_range: string;
      generation: string | null;
    }>(
      `SELECT c.project_id, c.network_id::text, n.name AS network, c.pod_range::text, g.generation::text
         FROM cluster c JOIN network n ON n.id = c.network_id
         LEFT JOIN dataplane_generation g ON g.cluster_id = c.id
        WHERE c.id = $1`,
      [clusterId],
    );
    if (!cluster || !results) {
      await client.query('COMMIT');
      return {
        clusterId: String(clusterId),
        generation: '0',
        nodesRecomputed: 0,
        nodesUnchanged: 0,
        skipped: 'cluster-gone',
      };
    }
    const generation = BigInt(cluster.generation ?? '0');
    const observed = BigInt(results.observed);
    if (observed >= generation) {
      await client.query('COMMIT');
      return {
        clusterId: String(clusterId),
        generation: String(generation),
        nodesRecomputed: 0,
        nodesUnchanged: 0,
        skipped: 'already-current',
      };
    }
    const full = observed === 0n;
    const changes = full
      ? []
      : await sql.query<{ resource: string; namespace: string; name: string }>(
          `SELECT DISTINCT resource, namespace, name FROM dataplane_change
            WHERE cluster_id = $1 AND generation > $2 AND generation <= $3`,
          [clusterId, String(observed), String(generation)],
        );
    const nodeNames = (
      await sql.query<{ name: string }>(`SELECT name FROM node WHERE cluster_id = $1 ORDER BY name`, [
        clusterId,
      ])
    ).map((row) => row.name);

    // The VPC side: routes and firewall per node.
    let vpcNodes: string[] = [];
    let unchanged = nodeNames.length;
    if (needsVpcRecompute(full, changes)) {
      const vpcInputs = await loadVpcInputs(sql, {
        id: clusterId,
        projectId: cluster.project_id,
        networkId: cluster.network_id,
        network: cluster.network,
        podRange: cluster.pod_range,
      });
      const previous = await sql.query<{ node_name: string; input_hash: string }>(
        `SELECT node_name, input_hash FROM node_dataplane WHERE cluster_id = $1`,
        [clusterId],
      );
      const results = computeNodeResults(
        vpcInputs,
        new Map(previous.map((row) => [row.node_name, row.input_hash])),
      );
      unchanged = results.unchanged;
      vpcNodes = results.changed.map((node) => node.nodeName);
      for (const node of results.changed) {
        await sql.query(
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
      await sql.query(
        `DELETE FROM node_dataplane WHERE cluster_id = $1 AND NOT (node_name = ANY($2::text[]))`,
        [clusterId, nodeNames],
      );
    }

    // The Kubernetes side: the copy of the objects the reads render from, and which nodes each change touches.
    const skipped: string[] = [];
    const { kubeProxyAll, netpolImpact } = full
      ? await copyEverything(sql, clusterId, generation, skipped)
      : await applyChanges(sql, clusterId, generation, objectChanges(changes), skipped);
    const plan = planNodes({ full, changes, nodeNames, vpcNodes, kubeProxyAll, netpolImpact });
    const { kubeProxyEveryNode, netpolEveryNode, kubeProxyNodes, netpolNodes, nodes } = plan;
    if (kubeProxyNodes.length > 0 && !kubeProxyEveryNode) {
      await sql.query(
        `UPDATE node_dataplane SET kube_proxy_generation = $2, generation = $2
          WHERE cluster_id = $1 AND node_name = ANY($3::text[])`,
        [clusterId, String(generation), kubeProxyNodes],
      );
    }
    if (netpolNodes.length > 0 && !netpolEveryNode) {
      await sql.query(
        `UPDATE node_dataplane SET network_policy_generation = $2, generation = $2
          WHERE cluster_id = $1 AND node_name = ANY($3::text[])`,
        [clusterId, String(generation), netpolNodes],
      );
    }

    // Housekeeping: the consumed changes, and tombstones no reader can still need.
    await sql.query(`DELETE FROM dataplane_change WHERE cluster_id = $1 AND generation <= $2`, [
      clusterId,
      String(generation),
    ]);
    // Now and then (every TOMBSTONE_GENERATIONS), not on every computation.
    let purgedThrough = BigInt(results.purged);
    if (generation - TOMBSTONE_GENERATIONS >= purgedThrough + TOMBSTONE_GENERATIONS) {
      purgedThrough = generation - TOMBSTONE_GENERATIONS;
      await sql.query(
        `DELETE FROM dataplane_object WHERE cluster_id = $1 AND body IS NULL AND generation <= $2`,
        [clusterId, String(purgedThrough)],
      );
    }
    const leftOut = stillSkipped(full, changes, results.skipped ?? [], skipped);
    const computeMs = Date.now() - started;
    const mode = full ? 'full' : 'incremental';
    await sql.query(
      `UPDATE cluster_dataplane SET observed_generation = $2, computed_at = now(), error = NULL, failures = 0,
              compute_ms = $3, last_computation = $4::jsonb, tombstones_purged_through = $5,
              kube_proxy_generation = CASE WHEN $6::boolean THEN $2 ELSE kube_proxy_generation END,
              network_policy_generation = CASE WHEN $7::boolean THEN $2 ELSE network_policy_generation END
        WHERE cluster_id = $1`,
      [
        clusterId,
        String(generation),
        computeMs,
        JSON.stringify({
          generation: String(generation),
          mode,
          changes: changes.length,
          nodes,
          ms: computeMs,
          ...(leftOut.length > 0 ? { skippedObjects: leftOut } : {}),
        }),
        String(purgedThrough),
        kubeProxyEveryNode,
        netpolEveryNode,
      ],
    );
    if (nodes.total > 0) {
      const payload = notifyPayload(String(clusterId), String(generation), plan.notify, NOTIFY_PAYLOAD_LIMIT);
      await sql.query(`SELECT pg_notify($1, $2)`, [NODE_CHANGED_CHANNEL, payload]);
    }
    await client.query('COMMIT');
    return {
      clusterId: String(clusterId),
      generation: String(generation),
      mode,
      changes: changes.length,
      nodesRecomputed: nodes.total,
      nodes,
      nodesUnchanged: unchanged,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

interface KubeOutcome {
  /** kube-proxy's rules changed on every node (a Service or EndpointSlice changed) */
  kubeProxyAll: boolean;
  netpolImpact: netpol.NetpolImpact;
}

async function insertObjects(
  sql: UnitOfWork,
  clusterId: bigint,
  generation: bigint,
  rows: { resource: string; namespace: string; name: string; body: DataplaneObjectBody | null }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    await sql.query(
      `INSERT INTO dataplane_object (cluster_id, resource, namespace, name, generation, body)
       SELECT $1, r.resource, r.namespace, r.name, $2, r.body
         FROM jsonb_to_recordset($3::jsonb) AS r(resource text, namespace text, name text, body jsonb)
       ON CONFLICT (cluster_id, resource, namespace, name)
       DO UPDATE SET generation = EXCLUDED.generation, body = EXCLUDED.body`,
      [clusterId, String(generation), JSON.stringify(chunk)],
    );
  }
}

/** The first computation: the copy is made from every object. */
async function copyEverything(
  sql: UnitOfWork,
  clusterId: bigint,
  generation: bigint,
  skipped: string[],
): Promise<KubeOutcome> {
  const objects = await sql.query<{
    resource: DataplaneResource;
    namespace: string;
    name: string;
    body: Json;
  }>(
    `SELECT resource, namespace, name, body FROM kube_object
      WHERE cluster_id = $1 AND resource = ANY($2::text[])`,
    [clusterId, [...DATAPLANE_RESOURCES]],
  );
  await sql.query(`DELETE FROM dataplane_object WHERE cluster_id = $1`, [clusterId]);
  await insertObjects(
    sql,
    clusterId,
    generation,
    objects
      .map((object) => ({ ...object, body: safeReduce(object, skipped) }))
      .filter((object) => object.body !== null),
  );
  return { kubeProxyAll: true, netpolImpact: { all: true, nodes: new Set() } };
}

/** Later computations: the changed objects are copied (or tombstoned), and their impact on nodes worked out. */
async function applyChanges(
  sql: UnitOfWork,
  clusterId: bigint,
  generation: bigint,
  changes: ObjectKey[],
  skipped: string[],
): Promise<KubeOutcome> {
  if (changes.length === 0) return { kubeProxyAll: false, netpolImpact: { all: false, nodes: new Set() } };
  const keys = [
    changes.map((change) => change.resource),
    changes.map((change) => change.namespace),
    changes.map((change) => change.name),
  ];
  const current = await sql.query<{
    resource: DataplaneResource;
    namespace: string;
    name: string;
    body: Json;
  }>(
    `SELECT o.resource, o.namespace, o.name, o.body FROM kube_object o
       JOIN unnest($2::text[], $3::text[], $4::text[]) AS k(resource, namespace, name)
         ON o.resource = k.resource AND o.namespace = k.namespace AND o.name = k.name
      WHERE o.cluster_id = $1`,
    [clusterId, ...keys],
  );
  const before = await sql.query<{
    resource: DataplaneResource;
    namespace: string;
    name: string;
    body: DataplaneObjectBody | null;
  }>(
    `SELECT o.resource, o.namespace, o.name, o.body FROM dataplane_object o
       JOIN unnest($2::text[], $3::text[], $4::text[]) AS k(resource, namespace, name)
         ON o.resource = k.resource AND o.namespace = k.namespace AND o.name = k.name
      WHERE o.cluster_id = $1`,
    [clusterId, ...keys],
  );
  const afterByKey = new Map(
    current.flatMap((object) => {
      const body = safeReduce(object, skipped);
      return body === null ? [] : [[keyOf(object), body] as const];
    }),
  );
  const beforeByKey = new Map(before.map((object) => [keyOf(object), object.body] as const));
  await insertObjects(
    sql,
    clusterId,
    generation,
    changes.map((change) => ({ ...change, body: afterByKey.get(keyOf(change)) ?? null })),
  );

  const kubeProxyAll = kubeProxyChangesEveryNode(changes);
  const pairs = <T>(resource: DataplaneResource): netpol.Change<T>[] =>
    changes
      .filter((change) => change.resource === resource)
      .map((change) => ({
        before: (beforeByKey.get(keyOf(change)) ?? null) as T | null,
        after: (afterByKey.get(keyOf(change)) ?? null) as T | null,
      }));
  const netpolChanges: netpol.NetpolChanges = {
    pods: pairs<netpol.PodInfo>('pods'),
    policies: pairs<netpol.NetworkPolicy>('networkpolicies'),
    namespaces: pairs<netpol.NamespaceInfo>('namespaces'),
  };
  if (netpolChanges.pods.length + netpolChanges.policies.length + netpolChanges.namespaces.length === 0) {
    return { kubeProxyAll, netpolImpact: { all: false, nodes: new Set() } };
  }
  // Policies and namespaces are few; pods are read per namespace, only for the policies a change touches.
  const policies = (
    await sql.query<{ body: netpol.NetworkPolicy }>(
      `SELECT body FROM dataplane_object WHERE cluster_id = $1 AND resource = 'networkpolicies' AND body IS NOT NULL`,
      [clusterId],
    )
  ).map((row) => row.body);
  const namespaces =
    policies.length === 0
      ? []
      : (
          await sql.query<{ body: netpol.NamespaceInfo }>(
            `SELECT body FROM dataplane_object WHERE cluster_id = $1 AND resource = 'namespaces' AND body IS NOT NULL`,
            [clusterId],
          )
        ).map((row) => row.body);
  const podsByNamespace = new Map<string, netpol.PodInfo[]>();
  for (const policy of policies) {
    const namespace = policy.metadata.namespace ?? 'default';
    if (podsByNamespace.has(namespace)) continue;
    const pods = await sql.query<{ body: netpol.PodInfo }>(
      `SELECT body FROM dataplane_object
        WHERE cluster_id = $1 AND resource = 'pods' AND namespace = $2 AND body IS NOT NULL`,
      [clusterId, namespace],
    );
    podsByNamespace.set(
      namespace,
      pods.map((row) => row.body),
    );
  }
  const netpolImpact = netpol.netpolChangeImpact(
    { policies, namespaces, podsIn: (namespace) => podsByNamespace.get(namespace) ?? [] },
    netpolChanges,
  );
  return { kubeProxyAll, netpolImpact };
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

/** A job locked for longer than this is taken for one whose worker died (a computation takes well under it). */
export const STALE_LOCK_SECONDS = 30;

/**
 * Queues a computation for every cluster whose results are behind, unless one is already waiting: what makes a
 * job lost with a killed worker (graphile-worker frees its lock only after hours) come back at once.
 */
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
