import { Injectable } from '@nestjs/common';
import { Database, type SqlClient } from '@gke-emulator/db';

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

/** A node of a cluster: a Compute Engine instance with a node IP and a per-node pod range. */
export interface NodeRecord {
  id: bigint;
  name: string;
  zone: string;
  nodePool: string;
  internalIp: string;
  podCidr: string;
  /** max pods per node of its pool */
  maxPods: number;
  /** network tags of the instance (the cluster's node tag) */
  tags: string[];
  createdAt: Date;
}

interface ClusterRow {
  id: string;
  project_id: string;
  location: string;
  name: string;
  hash: string;
  network_id: string;
  subnetwork_id: string;
  pod_range: string;
  services_range: string;
  routes_based: boolean;
  created_at: Date;
  resource: Record<string, unknown>;
}

interface NodeRow {
  id: string;
  name: string;
  zone: string;
  pool: string;
  internal_ip: string;
  pod_cidr: string;
  max_pods: string | null;
  tags: string[] | null;
  created_at: Date;
}

const CLUSTER_COLUMNS = `id::text, project_id, location, name, hash, network_id::text, subnetwork_id::text,
  pod_range::text, services_range::text, routes_based, created_at, resource`;

function toCluster(row: ClusterRow): ClusterRecord {
  return {
    id: BigInt(row.id),
    project: row.project_id,
    location: row.location,
    name: row.name,
    hash: row.hash,
    networkId: BigInt(row.network_id),
    subnetworkId: BigInt(row.subnetwork_id),
    podRange: row.pod_range,
    servicesRange: row.services_range,
    routesBased: row.routes_based,
    createdAt: row.created_at,
    resource: row.resource,
  };
}

/** Read-only lookups of clusters and their nodes, for the other API groups. */
@Injectable()
export class ClusterDirectory {
  constructor(private readonly db: Database) {}

  async findCluster(project: string, location: string, name: string): Promise<ClusterRecord | undefined> {
    const rows = await this.db.query<ClusterRow>(
      `SELECT ${CLUSTER_COLUMNS} FROM cluster WHERE project_id = $1 AND location = $2 AND name = $3`,
      [project, location, name],
    );
    return rows[0] && toCluster(rows[0]);
  }

  async clusterById(id: bigint): Promise<ClusterRecord | undefined> {
    return this.clusterByIdIn(this.db, id);
  }

  /** The same, read inside a caller's transaction (it sees the cluster that transaction created). */
  async clusterByIdIn(sql: Pick<SqlClient, 'query'>, id: bigint): Promise<ClusterRecord | undefined> {
    const rows = await sql.query<ClusterRow>(`SELECT ${CLUSTER_COLUMNS} FROM cluster WHERE id = $1`, [id]);
    return rows[0] && toCluster(rows[0]);
  }

  async listClusters(project?: string): Promise<ClusterRecord[]> {
    const rows = await this.db.query<ClusterRow>(
      `SELECT ${CLUSTER_COLUMNS} FROM cluster WHERE $1::text IS NULL OR project_id = $1 ORDER BY project_id, location, name`,
      [project ?? null],
    );
    return rows.map(toCluster);
  }

  /** The cluster's nodes in creation order (pool, then name). */
  async listNodes(clusterId: bigint): Promise<NodeRecord[]> {
    return this.listNodesIn(this.db, clusterId);
  }

  /** The same, read inside a caller's transaction (it sees the nodes that transaction added or removed). */
  async listNodesIn(sql: Pick<SqlClient, 'query'>, clusterId: bigint): Promise<NodeRecord[]> {
    const rows = await sql.query<NodeRow>(
      `SELECT n.id::text, n.name, n.zone, p.name AS pool, host(n.internal_ip) AS internal_ip, n.pod_cidr::text,
              p.resource #>> '{maxPodsConstraint,maxPodsPerNode}' AS max_pods,
              ARRAY(SELECT jsonb_array_elements_text(n.resource #> '{tags,items}')) AS tags, n.created_at
         FROM node n JOIN node_pool p ON p.id = n.node_pool_id
        WHERE n.cluster_id = $1
        ORDER BY n.created_at, n.name`,
      [clusterId],
    );
    return rows.map((row) => ({
      id: BigInt(row.id),
      name: row.name,
      zone: row.zone,
      nodePool: row.pool,
      internalIp: row.internal_ip,
      podCidr: row.pod_cidr,
      maxPods: Number(row.max_pods ?? 110),
      tags: row.tags ?? [],
      createdAt: row.created_at,
    }));
  }
}
