import { Injectable } from '@nestjs/common';
import { Database, type SqlClient, type Tx } from '@gke-emulator/db';

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
  created_at: Date;
  resource: Json;
}

/** What other API groups (the Kubernetes API, the data plane) need to know about a cluster. */
export interface ClusterRecord {
  id: bigint;
  project: string;
  location: string;
  name: string;
  /** 8 hex digits in the names of what GKE creates for this cluster */
  hash: string;
  networkId: bigint;
  subnetworkId: bigint;
  /** the cluster's pod range, e.g. 10.4.0.0/14 */
  podRange: string;
  /** the services range ClusterIPs come from, e.g. 10.8.0.0/20 */
  servicesRange: string;
  routesBased: boolean;
  createdAt: Date;
  /** the container v1 wire object, as stored */
  resource: Record<string, unknown>;
}

/** A new cluster's row: the record but its creation time (the database's), with its wire object. */
export type ClusterInsert = Omit<ClusterRecord, 'createdAt' | 'resource'> & { resource: Json };

/** Ids as text and ranges as text: the same row from the pool (pg) and from a Prisma transaction. */
const CLUSTER_COLUMNS = `id::text, project_id, location, name, hash, network_id::text, subnetwork_id::text,
  pod_range::text, services_range::text, routes_based, created_at, resource`;

type StoredRow = Omit<ClusterRow, 'id' | 'network_id' | 'subnetwork_id'> & {
  id: string;
  network_id: string;
  subnetwork_id: string;
};

function toRow(row: StoredRow): ClusterRow {
  return {
    ...row,
    id: BigInt(row.id),
    network_id: BigInt(row.network_id),
    subnetwork_id: BigInt(row.subnetwork_id),
  };
}

/** The SQL of clusters: their rows, and what a cluster's rendering reads beside its row. */
@Injectable()
export class ClusterRepository {
  constructor(private readonly db: Database) {}

  /** Clusters of a project in a location (`-`: every location; a region: its zones too), by location and name. */
  async list(project: string, location: string): Promise<ClusterRow[]> {
    const rows = await this.db.query<StoredRow>(
      `SELECT ${CLUSTER_COLUMNS} FROM cluster
        WHERE project_id = $1 AND ($2 = '-' OR location = $2 OR location LIKE $2 || '-_')
        ORDER BY location, name`,
      [project, location],
    );
    return rows.map(toRow);
  }

  /** Clusters of a project (every project without one), by project, location and name. */
  async listAll(project?: string): Promise<ClusterRow[]> {
    const rows = await this.db.query<StoredRow>(
      `SELECT ${CLUSTER_COLUMNS} FROM cluster WHERE $1::text IS NULL OR project_id = $1
        ORDER BY project_id, location, name`,
      [project ?? null],
    );
    return rows.map(toRow);
  }

  /** The cluster of that name in the location (`-`: any location). */
  async find(project: string, location: string, name: string): Promise<ClusterRow | undefined> {
    const rows = await this.db.query<StoredRow>(
      `SELECT ${CLUSTER_COLUMNS} FROM cluster WHERE project_id = $1 AND name = $3 AND ($2 = '-' OR location = $2)`,
      [project, location, name],
    );
    return rows[0] && toRow(rows[0]);
  }

  /** The cluster of that name in exactly that location. */
  async findIn(project: string, location: string, name: string): Promise<ClusterRow | undefined> {
    const rows = await this.db.query<StoredRow>(
      `SELECT ${CLUSTER_COLUMNS} FROM cluster WHERE project_id = $1 AND location = $2 AND name = $3`,
      [project, location, name],
    );
    return rows[0] && toRow(rows[0]);
  }

  /** The cluster with that id, on the pool or inside a caller's transaction. */
  async byId(id: bigint, sql: Pick<SqlClient, 'query'> = this.db): Promise<ClusterRow | undefined> {
    const rows = await sql.query<StoredRow>(`SELECT ${CLUSTER_COLUMNS} FROM cluster WHERE id = $1`, [id]);
    return rows[0] && toRow(rows[0]);
  }

  async insert(tx: Tx, cluster: ClusterInsert): Promise<void> {
    await tx.cluster.create({
      data: {
        id: cluster.id,
        projectId: cluster.project,
        location: cluster.location,
        name: cluster.name,
        hash: cluster.hash,
        networkId: cluster.networkId,
        subnetworkId: cluster.subnetworkId,
        podRange: cluster.podRange,
        servicesRange: cluster.servicesRange,
        routesBased: cluster.routesBased,
        resource: cluster.resource as object,
      },
    });
  }

  async delete(tx: Tx, id: bigint): Promise<void> {
    await tx.cluster.delete({ where: { id } });
  }

  /** Locks the cluster's row until the transaction ends; false when it is gone. */
  async lock(tx: Tx, id: bigint): Promise<boolean> {
    const locked = await tx.$queryRaw<{ id: bigint }[]>`select id from cluster where id = ${id} for update`;
    return locked.length > 0;
  }

  /** Locks the cluster's row and reads its stored object; undefined when it is gone. */
  async lockResource(tx: Tx, id: bigint): Promise<Json | undefined> {
    const locked = await tx.$queryRaw<{ resource: Json }[]>`
      select resource from cluster where id = ${id} for update`;
    return locked[0]?.resource;
  }

  /** Replaces the cluster's stored object; false when it is gone. */
  async updateResource(tx: Tx, id: bigint, resource: Json): Promise<boolean> {
    const updated = await tx.cluster.updateMany({ where: { id }, data: { resource: resource as object } });
    return updated.count === 1;
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
