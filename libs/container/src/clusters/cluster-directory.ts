import { Injectable } from '@nestjs/common';
import type { SqlClient } from '@gke-emulator/db';
import { type ClusterRecord, type ClusterRow, ClusterRepository } from './cluster.repository';
import { MAX_PODS_RANGE } from './cluster-plan';
import { type NodeDetailRow, NodeRepository } from './node.repository';

export type { ClusterRecord } from './cluster.repository';

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

function toCluster(row: ClusterRow): ClusterRecord {
  return {
    id: row.id,
    project: row.project_id,
    location: row.location,
    name: row.name,
    hash: row.hash,
    networkId: row.network_id,
    subnetworkId: row.subnetwork_id,
    podRange: row.pod_range,
    servicesRange: row.services_range,
    routesBased: row.routes_based,
    createdAt: row.created_at,
    resource: row.resource,
  };
}

function toNode(row: NodeDetailRow): NodeRecord {
  return {
    id: BigInt(row.id),
    name: row.name,
    zone: row.zone,
    nodePool: row.pool,
    internalIp: row.internal_ip,
    podCidr: row.pod_cidr,
    maxPods: Number(row.max_pods ?? MAX_PODS_RANGE.default),
    tags: row.tags ?? [],
    createdAt: row.created_at,
  };
}

/** Read-only lookups of clusters and their nodes, for the other API groups. */
@Injectable()
export class ClusterDirectory {
  constructor(
    private readonly clusters: ClusterRepository,
    private readonly nodes: NodeRepository,
  ) {}

  async findCluster(project: string, location: string, name: string): Promise<ClusterRecord | undefined> {
    const row = await this.clusters.findIn(project, location, name);
    return row && toCluster(row);
  }

  async clusterById(id: bigint): Promise<ClusterRecord | undefined> {
    const row = await this.clusters.byId(id);
    return row && toCluster(row);
  }

  /** The same, read inside a caller's transaction (it sees the cluster that transaction created). */
  async clusterByIdIn(sql: Pick<SqlClient, 'query'>, id: bigint): Promise<ClusterRecord | undefined> {
    const row = await this.clusters.byId(id, sql);
    return row && toCluster(row);
  }

  async listClusters(project?: string): Promise<ClusterRecord[]> {
    return (await this.clusters.listAll(project)).map(toCluster);
  }

  /** The cluster's nodes in creation order (pool, then name). */
  async listNodes(clusterId: bigint): Promise<NodeRecord[]> {
    return (await this.nodes.details(clusterId)).map(toNode);
  }

  /** The same, read inside a caller's transaction (it sees the nodes that transaction added or removed). */
  async listNodesIn(sql: Pick<SqlClient, 'query'>, clusterId: bigint): Promise<NodeRecord[]> {
    return (await this.nodes.details(clusterId, sql)).map(toNode);
  }
}
