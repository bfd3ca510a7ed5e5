import { Injectable } from '@nestjs/common';
import { Database } from '@gke-emulator/db';
import type { DataplaneObjectRow } from './cluster-inputs-copy';

type Json = Record<string, unknown>;

/** A cluster's freshness row, as the control API's status lists it. */
export interface ClusterStatusRow {
  project_id: string;
  location: string;
  name: string;
  generation: string;
  observed_generation: string;
  computed_at: Date | null;
  error: string | null;
  failures: number;
  last_computation: Json | null;
}

/** The rows of the copy written since a generation, with the results row's generations. */
export interface CopySince {
  /** the generation the stored results reflect (0 before the first computation) */
  observed: bigint;
  /** the generation through which tombstones were purged */
  purged: bigint;
  objects: DataplaneObjectRow[];
}

/** A node's stored VPC side (empty objects until the worker has computed it) with its addresses. */
export interface NodeStateRow {
  routes: Json;
  firewall: Json;
  internal_ip: string;
  pod_cidr: string;
}

/** A node of a network, as a firewall rule sees its VM. */
export interface NetworkInstanceRow {
  name: string;
  ip: string;
  network: string;
  resource: Json;
  /** whether it is the node asked about */
  is_node: boolean;
}

/** The SQL of the effective state's reads (REST, GraphQL, firewall evaluation): statements in, rows out. */
@Injectable()
export class DataplaneReadsRepository {
  constructor(private readonly db: Database) {}

  /** Every cluster's generation and results (of one project, or all), by project, location and name. */
  async clusterStatuses(project?: string): Promise<ClusterStatusRow[]> {
    return this.db.query<ClusterStatusRow>(
      `SELECT c.project_id, c.location, c.name, g.generation::text,
              coalesce(d.observed_generation, 0)::text AS observed_generation, d.computed_at, d.error,
              coalesce(d.failures, 0) AS failures, d.last_computation
         FROM dataplane_generation g JOIN cluster c ON c.id = g.cluster_id
         LEFT JOIN cluster_dataplane d ON d.cluster_id = g.cluster_id
        WHERE $1::text IS NULL OR c.project_id = $1
        ORDER BY c.project_id, c.location, c.name`,
      [project ?? null],
    );
  }

  /** The generation the cluster's changes have reached; undefined before its first change. */
  async generation(clusterId: bigint): Promise<string | undefined> {
    const [row] = await this.db.query<{ generation: string }>(
      `SELECT generation::text FROM dataplane_generation WHERE cluster_id = $1`,
      [clusterId],
    );
    return row?.generation;
  }

  /** The generation the stored results reflect; undefined before the first computation. */
  async observedGeneration(clusterId: bigint): Promise<bigint | undefined> {
    const [row] = await this.db.query<{ observed: string }>(
      `SELECT observed_generation::text AS observed FROM cluster_dataplane WHERE cluster_id = $1`,
      [clusterId],
    );
    return row ? BigInt(row.observed) : undefined;
  }

  /**
   * The copy's rows written after `since` up to the stored results' generation, in one statement (one snapshot);
   * every live row when `since` is negative or older than the tombstones kept.
   */
  async copySince(clusterId: bigint, since: bigint): Promise<CopySince> {
    const rows = await this.db.query<
      { observed: string | null; purged: string | null } & Partial<DataplaneObjectRow>
    >(
      `WITH d AS (SELECT observed_generation, tombstones_purged_through FROM cluster_dataplane
                   WHERE cluster_id = $1)
       SELECT d.observed_generation::text AS observed, d.tombstones_purged_through::text AS purged,
              o.resource, o.namespace, o.name, o.body
         FROM (SELECT 1) AS one LEFT JOIN d ON true
         LEFT JOIN dataplane_object o
           ON o.cluster_id = $1 AND o.generation <= d.observed_generation
          AND CASE WHEN $2::bigint < 0 OR $2::bigint < d.tombstones_purged_through
                   THEN o.body IS NOT NULL ELSE o.generation > $2::bigint END
        ORDER BY o.resource, o.namespace, o.name`,
      [clusterId, String(since)],
    );
    return {
      observed: BigInt(rows[0]?.observed ?? '0'),
      purged: BigInt(rows[0]?.purged ?? '0'),
      objects: rows.filter((row): row is typeof row & DataplaneObjectRow => row.resource != null),
    };
  }

  /** The node's stored routes and firewall (empty until computed) and its addresses; undefined: no such node. */
  async nodeState(clusterId: bigint, node: string): Promise<NodeStateRow | undefined> {
    const [row] = await this.db.query<NodeStateRow>(
      `SELECT coalesce(d.routes, '{}'::jsonb) AS routes, coalesce(d.firewall, '{}'::jsonb) AS firewall,
              host(n.internal_ip) AS internal_ip, n.pod_cidr::text
         FROM node n LEFT JOIN node_dataplane d ON d.cluster_id = n.cluster_id AND d.node_name = n.name
        WHERE n.cluster_id = $1 AND n.name = $2`,
      [clusterId, node],
    );
    return row;
  }

  /** The node asked about and the node of the same network at `peerIp` (if any), by name. */
  async nodeAndPeer(
    networkId: bigint,
    clusterId: bigint,
    node: string,
    peerIp: string | undefined,
  ): Promise<NetworkInstanceRow[]> {
    return this.db.query<NetworkInstanceRow>(
      `SELECT n.name, host(n.internal_ip) AS ip, w.name AS network, n.resource,
              (n.cluster_id = $2 AND n.name = $3) AS is_node
         FROM node n JOIN network w ON w.id = n.network_id
        WHERE n.network_id = $1 AND ((n.cluster_id = $2 AND n.name = $3) OR n.internal_ip = $4::inet)
        ORDER BY n.name`,
      [networkId, clusterId, node, peerIp ?? null],
    );
  }
}
