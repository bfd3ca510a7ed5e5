import { randomInt } from 'node:crypto';
import type { Database } from '@gke-emulator/db';

export interface TestCluster {
  project: string;
  location: string;
  name: string;
  id: bigint;
  nodes: string[];
  /** `/k8s/<project>/<location>/<cluster>` */
  prefix: string;
}

function id(): bigint {
  return BigInt(randomInt(1, 2 ** 47)) * 1000n + BigInt(randomInt(0, 1000));
}

/**
 * A cluster with a pool of nodes, written as rows (project, network, subnetwork, cluster, node pool, nodes) for tests
 * of the Kubernetes API that do not go through the container API.
 */
export async function createTestCluster(
  db: Database,
  options: { project?: string; location?: string; name?: string; nodeCount?: number } = {},
): Promise<TestCluster> {
  const project = options.project ?? `kube-${randomInt(1, 2 ** 40).toString(36)}`;
  const location = options.location ?? 'us-central1-a';
  const name = options.name ?? 'c1';
  const [networkId, subnetworkId, clusterId, poolId] = [id(), id(), id(), id()];
  await db.query(`INSERT INTO project (id, number) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [project, id()]);
  await db.query(`INSERT INTO network (id, project_id, name, resource) VALUES ($1, $2, 'default', '{}')`, [
    networkId,
    project,
  ]);
  await db.query(
    `INSERT INTO subnetwork (id, project_id, region, name, network_id, fingerprint, resource) VALUES ($1, $2, 'us-central1', 'default', $3, 'x', '{}')`,
    [subnetworkId, project, networkId],
  );
  await db.query(
    `INSERT INTO cluster (id, project_id, location, name, hash, network_id, subnetwork_id, pod_range, services_range, routes_based, resource)
     VALUES ($1, $2, $3, $4, 'a1b2c3d4', $5, $6, '10.4.0.0/14', '10.8.0.0/20', false, '{}')`,
    [clusterId, project, location, name, networkId, subnetworkId],
  );
  await db.query(
    `INSERT INTO node_pool (id, cluster_id, name, resource) VALUES ($1, $2, 'default-pool', '{"maxPodsConstraint":{"maxPodsPerNode":"110"}}')`,
    [poolId, clusterId],
  );
  const nodes: string[] = [];
  for (let i = 0; i < (options.nodeCount ?? 2); i++) {
    const node = `gke-${name}-default-pool-a1b2c3d4-${String.fromCharCode(97 + i)}xyz`;
    await db.query(
      `INSERT INTO node (id, project_id, zone, name, cluster_id, node_pool_id, network_id, subnetwork_id, internal_ip, pod_cidr, resource)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '{"tags":{"items":["gke-c1-a1b2c3d4-node"]}}')`,
      [
        id(),
        project,
        location,
        node,
        clusterId,
        poolId,
        networkId,
        subnetworkId,
        `10.128.0.${i + 2}`,
        `10.4.${i}.0/24`,
      ],
    );
    nodes.push(node);
  }
  return { project, location, name, id: clusterId, nodes, prefix: `/k8s/${project}/${location}/${name}` };
}
