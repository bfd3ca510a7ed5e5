import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';

type Json = Record<string, unknown>;

export interface ClusterRow {
  id: bigint;
  project_id: string;
  location: string;
  name: string;
  hash: string;
  network_id: bigint;
  subnetwork_id: bigint;
  pod_range: string;
  services_range: string;
  routes_based: boolean;
  resource: Json;
}

/** pg returns int8 as text: the row with its ids as bigints. */
function toRow(row: ClusterRow): ClusterRow {
  return {
    ...row,
    id: BigInt(row.id),
    network_id: BigInt(row.network_id),
    subnetwork_id: BigInt(row.subnetwork_id),
  };
}

/** The SQL of `ClusterService`: cluster rows, and what a cluster's rendering reads beside its row. */
@Injectable()
export class ClusterRepository {
  constructor(private readonly db: Database) {}

  /** Clusters of a project in a location (`-`: every location; a region: its zones too), by location and name. */
  async list(project: string, location: string): Promise<ClusterRow[]> {
    const rows = await this.db.query<ClusterRow>(
      `SELECT * FROM cluster WHERE project_id = $1 AND ($2 = '-' OR location = $2 OR location LIKE $2 || '-_')
        ORDER BY location, name`,
      [project, location],
    );
    return rows.map(toRow);
  }

  /** The cluster of that name in the location (`-`: any location). */
  async find(project: string, location: string, name: string): Promise<ClusterRow | undefined> {
    const rows = await this.db.query<ClusterRow>(
      `SELECT * FROM cluster WHERE project_id = $1 AND name = $3 AND ($2 = '-' OR location = $2)`,
      [project, location, name],
    );
    return rows[0] && toRow(rows[0]);
  }

  /** Locks the cluster's row until the transaction ends; false when it is gone. */
  async lock(tx: Tx, id: bigint): Promise<boolean> {
    const locked = await tx.$queryRaw<{ id: bigint }[]>`select id from cluster where id = ${id} for update`;
    return locked.length > 0;
  }

  /** The stored objects of the cluster's node pools, oldest first. */
  async poolResources(clusterId: bigint): Promise<Json[]> {
    const rows = await this.db.query<{ resource: Json }>(
      `SELECT resource FROM node_pool WHERE cluster_id = $1 ORDER BY created_at, name`,
      [clusterId],
    );
    return rows.map((row) => row.resource);
  }

  /** The cluster's node count and the addresses of its nodes' pod ranges. */
  async nodeCounts(clusterId: bigint): Promise<{ count: number; podAddresses: number }> {
    const [row] = await this.db.query<{ count: number; pod_addresses: number }>(
      `SELECT count(*)::int AS count,
              coalesce(sum(2 ^ (32 - masklen(pod_cidr))), 0)::float8 AS pod_addresses
         FROM node WHERE cluster_id = $1`,
      [clusterId],
    );
    return { count: row?.count ?? 0, podAddresses: row?.pod_addresses ?? 0 };
  }

  /** The project's number ('' for a project without a row). */
  async projectNumber(tx: Tx, project: string): Promise<string> {
    const rows = await tx.$queryRaw<{ number: bigint }[]>`select number from project where id = ${project}`;
    return String(rows[0]?.number ?? '');
  }
}
