import { Injectable } from '@nestjs/common';
import { Database } from '@gke-emulator/db';

type Json = Record<string, unknown>;

export interface NodeRow {
  name: string;
  zone: string;
  internal_ip: string;
  pod_cidr: string;
  resource: Json;
  network: string;
  cluster_id: string;
  /** The generation at which the worker last wrote the node's firewall and routes; null until it has. */
  vpc_generation: string | null;
}

export interface ClusterRow {
  id: string;
  location: string;
  name: string;
  hash: string;
  network: string;
  resource: Json;
}

/** An instance group (a stored unmanaged one, or a node pool's managed one) with its instances and named ports. */
export interface GroupRow {
  link: string;
  instances: string[];
  named_ports: { name: string; port: number }[];
}

export interface LoadBalancingRow {
  kind: string;
  scope: string;
  name: string;
  resource: Json;
}

/** A node's stored VPC side, as of the generation the worker wrote it at. */
export interface NodeVpcRow {
  cluster_id: string;
  node_name: string;
  vpc_generation: string;
  firewall: Json | null;
  routes: Json | null;
}

/** What a project's trace inputs are assembled from, each list ordered (equal state, equal rows). */
export interface ProjectTraceRows {
  networks: { name: string; ranges: string[] }[];
  nodes: NodeRow[];
  clusters: ClusterRow[];
  balancing: LoadBalancingRow[];
  /** Cloud Armor policies with their rules by priority */
  armor: { name: string; rules: Json[] }[];
  groups: GroupRow[];
}

/** The SQL of `TraceInputsReader`: statements in, rows out. */
@Injectable()
export class TraceInputsRepository {
  constructor(private readonly db: Database) {}

  /**
   * The project's networks with their ranges, nodes (with the generation of their stored VPC side), clusters,
   * load-balancing resources, security policies and instance groups.
   */
  async projectRows(project: string): Promise<ProjectTraceRows> {
    const [networks, nodes, clusters, balancing, armor, groups] = await Promise.all([
      this.db.query<{ name: string; ranges: string[] }>(
        `SELECT w.name, coalesce(array_agg(r.cidr::text ORDER BY r.cidr) FILTER (WHERE r.cidr IS NOT NULL), '{}') AS ranges
           FROM network w LEFT JOIN subnet_range r ON r.network_id = w.id
          WHERE w.project_id = $1 GROUP BY w.name ORDER BY w.name`,
        [project],
      ),
      this.db.query<NodeRow>(
        `SELECT n.name, n.zone, host(n.internal_ip) AS internal_ip, n.pod_cidr::text AS pod_cidr, n.resource,
                w.name AS network, n.cluster_id::text AS cluster_id, d.vpc_generation::text AS vpc_generation
           FROM node n JOIN network w ON w.id = n.network_id
           LEFT JOIN node_dataplane d ON d.cluster_id = n.cluster_id AND d.node_name = n.name
          WHERE n.project_id = $1 ORDER BY n.name`,
        [project],
      ),
      this.db.query<ClusterRow>(
        `SELECT c.id::text AS id, c.location, c.name, c.hash, w.name AS network, c.resource
           FROM cluster c JOIN network w ON w.id = c.network_id WHERE c.project_id = $1 ORDER BY c.name`,
        [project],
      ),
      this.db.query<LoadBalancingRow>(
        `SELECT kind, scope, name, resource FROM load_balancing_resource
          WHERE project_id = $1 AND kind IN ('forwardingRules', 'targetPools', 'backendServices', 'healthChecks',
                'httpHealthChecks', 'targetHttpProxies', 'targetHttpsProxies', 'urlMaps')
          ORDER BY kind, scope, name`,
        [project],
      ),
      this.db.query<{ name: string; rules: Json[] }>(
        `SELECT p.name, coalesce(jsonb_agg(r.resource ORDER BY r.priority) FILTER (WHERE r.priority IS NOT NULL), '[]') AS rules
           FROM security_policy p LEFT JOIN security_policy_rule r ON r.policy_id = p.id
          WHERE p.project_id = $1 GROUP BY p.name ORDER BY p.name`,
        [project],
      ),
      // The unmanaged groups (a user's: the instances added to it; GKE's `k8s-ig--…`: their cluster's nodes in
      // their zone too; with their named ports) and the node pools' managed groups (the pool's nodes in the zone its
      // `instanceGroupUrls` name).
      this.db.query<GroupRow>(
        `SELECT 'projects/' || g.project_id || '/zones/' || g.zone || '/instanceGroups/' || g.name AS link,
                coalesce((SELECT array_agg(n.name ORDER BY n.name) FROM node n
                           WHERE (n.cluster_id = g.cluster_id AND n.zone = g.zone)
                              OR n.id IN (SELECT m.node_id FROM instance_group_member m WHERE m.group_id = g.id)),
                         '{}') AS instances,
                coalesce(g.resource->'namedPorts', '[]') AS named_ports
           FROM instance_group g
          WHERE g.project_id = $1
         UNION ALL
         SELECT 'projects/' || c.project_id || '/zones/' || z.zone || '/instanceGroups/' || z.name AS link,
                coalesce(array_agg(n.name ORDER BY n.name) FILTER (WHERE n.name IS NOT NULL), '{}') AS instances,
                '[]'::jsonb AS named_ports
           FROM node_pool np JOIN cluster c ON c.id = np.cluster_id
           CROSS JOIN LATERAL (
             SELECT substring(url FROM '/zones/([^/]+)/') AS zone,
                    regexp_replace(url, '^.*/instanceGroupManagers/', '') AS name
               FROM jsonb_array_elements_text(coalesce(np.resource->'instanceGroupUrls', '[]')) AS url
           ) z
           LEFT JOIN node n ON n.node_pool_id = np.id AND n.zone = z.zone
          WHERE c.project_id = $1 GROUP BY c.project_id, z.zone, z.name
         ORDER BY link`,
        [project],
      ),
    ]);
    return { networks, nodes, clusters, balancing, armor, groups };
  }

  /** The stored firewall and routing table of those nodes (a node not computed yet has no row). */
  async nodeVpcRows(nodes: readonly Pick<NodeRow, 'cluster_id' | 'name'>[]): Promise<NodeVpcRow[]> {
    return this.db.query<NodeVpcRow>(
      `SELECT d.cluster_id::text AS cluster_id, d.node_name, d.vpc_generation::text AS vpc_generation, d.firewall,
              d.routes
         FROM node_dataplane d
         JOIN unnest($1::bigint[], $2::text[]) AS wanted(cluster_id, node_name)
           ON wanted.cluster_id = d.cluster_id AND wanted.node_name = d.node_name`,
      [nodes.map((node) => node.cluster_id), nodes.map((node) => node.name)],
    );
  }
}
