import { Injectable } from '@nestjs/common';
import { Database, type SqlClient, type Tx } from '@gke-emulator/db';

type Json = Record<string, unknown>;

/** A node as its removal needs it. */
export interface NodeRow {
  id: bigint;
  name: string;
  zone: string;
}

/** A new node's row. */
export interface NodeInsert {
  id: bigint;
  project: string;
  zone: string;
  name: string;
  clusterId: bigint;
  nodePoolId: bigint;
  networkId: bigint;
  subnetworkId: bigint;
  internalIp: string;
  podCidr: string;
  createdAt: Date;
  resource: Json;
}

/** A node with its pool and what the other API groups read of it (ids as text). */
export interface NodeDetailRow {
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

/** The SQL of cluster nodes (the `node` table) and of the addresses they take. */
@Injectable()
export class NodeRepository {
  constructor(private readonly db: Database) {}

  /** Serialises the allocation of a network's internal addresses (node IPs, reserved addresses) until commit. */
  async lockNetworkAddresses(tx: Tx, networkId: bigint): Promise<void> {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`address:network:${networkId}`}))`;
  }

  /** Addresses of `range` (a subnet's primary range) in use on the network: node IPs and reserved addresses. */
  async usedAddresses(tx: Tx, networkId: bigint, range: string): Promise<string[]> {
    const rows = await tx.$queryRawUnsafe<{ ip: string }[]>(
      `SELECT host(internal_ip) AS ip FROM node WHERE network_id = $1 AND internal_ip << $2::inet
       UNION ALL SELECT host(address) FROM address WHERE network_id = $1 AND address << $2::inet`,
      networkId,
      range,
    );
    return rows.map((row) => row.ip);
  }

  /** The same and the addresses of the internal forwarding rules of `network` (the network's link). */
  async usedAddressesWithForwardingRules(
    tx: Tx,
    networkId: bigint,
    range: string,
    network: string,
  ): Promise<string[]> {
    const rows = await tx.$queryRawUnsafe<{ ip: string }[]>(
      `SELECT host(internal_ip) AS ip FROM node WHERE network_id = $1 AND internal_ip << $2::inet
       UNION ALL SELECT host(address) FROM address WHERE network_id = $1 AND address << $2::inet
       UNION ALL SELECT resource->>'IPAddress' FROM load_balancing_resource
        WHERE kind = 'forwardingRules' AND resource->>'network' = $3
          AND resource->>'loadBalancingScheme' IN ('INTERNAL', 'INTERNAL_MANAGED')
          AND (resource->>'IPAddress')::inet << $2::inet`,
      networkId,
      range,
      network,
    );
    return rows.map((row) => row.ip);
  }

  /** The pod ranges of the cluster's nodes. */
  async podCidrs(tx: Tx, clusterId: bigint): Promise<string[]> {
    const rows = await tx.$queryRawUnsafe<{ cidr: string }[]>(
      `SELECT pod_cidr::text AS cidr FROM node WHERE cluster_id = $1`,
      clusterId,
    );
    return rows.map((row) => row.cidr);
  }

  /** `zone/name` of every node of the project. */
  async zonedNames(tx: Tx, project: string): Promise<string[]> {
    const rows = await tx.$queryRawUnsafe<{ key: string }[]>(
      `SELECT zone || '/' || name AS key FROM node WHERE project_id = $1`,
      project,
    );
    return rows.map((row) => row.key);
  }

  async insert(tx: Tx, nodes: readonly NodeInsert[]): Promise<void> {
    await tx.node.createMany({
      data: nodes.map((node) => ({
        id: node.id,
        projectId: node.project,
        zone: node.zone,
        name: node.name,
        clusterId: node.clusterId,
        nodePoolId: node.nodePoolId,
        networkId: node.networkId,
        subnetworkId: node.subnetworkId,
        internalIp: node.internalIp,
        podCidr: node.podCidr,
        createdAt: node.createdAt,
        resource: node.resource as object,
      })),
    });
  }

  async delete(tx: Tx, ids: readonly bigint[]): Promise<void> {
    await tx.node.deleteMany({ where: { id: { in: [...ids] } } });
  }

  async ofCluster(tx: Tx, clusterId: bigint): Promise<NodeRow[]> {
    return tx.node.findMany({ where: { clusterId }, select: { id: true, name: true, zone: true } });
  }

  /** The pool's nodes, oldest first. */
  async ofPool(tx: Tx, nodePoolId: bigint): Promise<NodeRow[]> {
    return tx.node.findMany({
      where: { nodePoolId },
      select: { id: true, name: true, zone: true },
      orderBy: [{ createdAt: 'asc' }, { name: 'asc' }],
    });
  }

  async countInPool(tx: Tx, nodePoolId: bigint): Promise<number> {
    return tx.node.count({ where: { nodePoolId } });
  }

  /** The cluster's nodes in creation order (then name), with their pool, on the pool or in a caller's transaction. */
  async details(clusterId: bigint, sql: Pick<SqlClient, 'query'> = this.db): Promise<NodeDetailRow[]> {
    return sql.query<NodeDetailRow>(
      `SELECT n.id::text, n.name, n.zone, p.name AS pool, host(n.internal_ip) AS internal_ip, n.pod_cidr::text,
              p.resource #>> '{maxPodsConstraint,maxPodsPerNode}' AS max_pods,
              ARRAY(SELECT jsonb_array_elements_text(n.resource #> '{tags,items}')) AS tags, n.created_at
         FROM node n JOIN node_pool p ON p.id = n.node_pool_id
        WHERE n.cluster_id = $1
        ORDER BY n.created_at, n.name`,
      [clusterId],
    );
  }
}
