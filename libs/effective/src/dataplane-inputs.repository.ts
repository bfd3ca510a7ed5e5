import type { SqlClient } from '@gke-emulator/db';

type Json = Record<string, unknown>;

/** What a computation needs of the cluster's own row, with the generation its changes have reached. */
export interface InputsCluster {
  projectId: string;
  networkId: string;
  network: string;
  podRange: string;
  /** 0 before any change */
  generation: bigint;
}

export interface NodeInputRow {
  name: string;
  zone: string;
  ip: string;
  pod_cidr: string;
  resource: Json;
}

/** The rows a cluster's VPC side is computed from. */
export interface VpcInputRows {
  nodes: NodeInputRow[];
  /** the network's firewall rules, by priority and name */
  firewalls: Json[];
  /** the network's static routes, by name */
  routes: Json[];
  /** the network's subnet ranges (primary and secondary) with their subnetwork's creation time */
  ranges: { cidr: string; created: string }[];
  /** `zone/name` of every node on the network, sorted */
  instances: string[];
}

/** A Kubernetes object as the API stores it. */
export interface KubeObjectRow<R extends string = string> {
  resource: R;
  namespace: string;
  name: string;
  body: Json;
}

/**
 * The statements that read what the data plane is computed from (the cluster, its network's VPC rows, its
 * Kubernetes objects): on the worker's snapshot, on a test's transaction, or on the pool for a read.
 */
export class DataplaneInputsRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The cluster, its network and its generation; undefined when it is gone. */
  async cluster(clusterId: bigint): Promise<InputsCluster | undefined> {
    const [row] = await this.sql.query<{
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
    return (
      row && {
        projectId: row.project_id,
        networkId: row.network_id,
        network: row.network,
        podRange: row.pod_range,
        generation: BigInt(row.generation ?? '0'),
      }
    );
  }

  /** The cluster's nodes and its network's firewall rules, routes, ranges and instances. */
  async vpcRows(clusterId: bigint, networkId: string): Promise<VpcInputRows> {
    // One after the other: on a transaction they share its connection.
    const nodes = await this.sql.query<NodeInputRow>(
      `SELECT name, zone, host(internal_ip) AS ip, pod_cidr::text, resource FROM node WHERE cluster_id = $1 ORDER BY name`,
      [clusterId],
    );
    const firewalls = await this.sql.query<{ resource: Json }>(
      `SELECT resource FROM firewall WHERE network_id = $1 ORDER BY priority, name`,
      [networkId],
    );
    const routes = await this.sql.query<{ resource: Json }>(
      `SELECT resource FROM route WHERE network_id = $1 ORDER BY name`,
      [networkId],
    );
    const ranges = await this.sql.query<{ cidr: string; created: string }>(
      `SELECT r.cidr::text, s.resource->>'creationTimestamp' AS created FROM subnet_range r
         JOIN subnetwork s ON s.id = r.subnetwork_id WHERE r.network_id = $1 ORDER BY r.cidr`,
      [networkId],
    );
    const instances = await this.sql.query<{ key: string }>(
      `SELECT n.zone || '/' || n.name AS key FROM node n JOIN cluster c ON c.id = n.cluster_id
        WHERE c.network_id = $1 ORDER BY 1`,
      [networkId],
    );
    return {
      nodes,
      firewalls: firewalls.map((row) => row.resource),
      routes: routes.map((row) => row.resource),
      ranges,
      instances: instances.map((row) => row.key),
    };
  }

  /**
   * The cluster's stored objects of those kinds, by kind, namespace and name; `{ ordered: false }` leaves them in
   * the order the table is read, for a caller that keys them itself: ordering 70,000 objects walks the index and
   * costs about 70 ms more than a sequential scan (bench/dataplane-latency.mjs's full computation).
   */
  async kubeObjects<R extends string>(
    clusterId: bigint,
    resources: readonly R[],
    { ordered = true }: { ordered?: boolean } = {},
  ): Promise<KubeObjectRow<R>[]> {
    return this.sql.query<KubeObjectRow<R>>(
      `SELECT resource, namespace, name, body FROM kube_object
        WHERE cluster_id = $1 AND resource = ANY($2::text[])${ordered ? ' ORDER BY resource, namespace, name' : ''}`,
      [clusterId, [...resources]],
    );
  }
}
