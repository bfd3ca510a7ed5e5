import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { testProject, useTestApp } from '@gke-emulator/testing';

const app = useTestApp();

const compute = (project: string) => `/compute/v1/projects/${project}`;
const gke = (project: string, location = 'us-central1-a') => `/v1/projects/${project}/locations/${location}`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

async function vpc(secondary: { rangeName: string; ipCidrRange: string }[] = [], primary = '10.0.0.0/24') {
  const project = testProject('gke');
  await request(app.url)
    .post(`${compute(project)}/global/networks`)
    .send({ name: 'vpc', autoCreateSubnetworks: false })
    .expect(200);
  await request(app.url)
    .post(`${compute(project)}/regions/us-central1/subnetworks`)
    .send({ name: 's1', network: 'vpc', ipCidrRange: primary, secondaryIpRanges: secondary })
    .expect(200);
  return project;
}

function createCluster(project: string, cluster: Json, location = 'us-central1-a') {
  return request(app.url)
    .post(`${gke(project, location)}/clusters`)
    .send({ cluster });
}

describe('container v1 clusters', () => {
  it('creates a VPC-native cluster on named secondary ranges: nodes, pod ranges, firewall rules, instances', async () => {
    const project = await vpc([
      { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
      { rangeName: 'svc', ipCidrRange: '10.8.0.0/20' },
    ]);
    const op = await createCluster(project, {
      name: 'c1',
      network: 'vpc',
      subnetwork: 's1',
      initialNodeCount: 3,
      ipAllocationPolicy: {
        useIpAliases: true,
        clusterSecondaryRangeName: 'pods',
        servicesSecondaryRangeName: 'svc',
      },
    }).expect(200);
    expect(op.body).toMatchObject({ operationType: 'CREATE_CLUSTER', status: 'DONE', zone: 'us-central1-a' });
    // GKE's operation links name the project by number and a zone with the older `zones/` path.
    expect(op.body.targetLink).toMatch(
      new RegExp(`^${app.url}/v1/projects/\\d{12}/zones/us-central1-a/clusters/c1$`),
    );

    const got = await request(app.url)
      .get(`${gke(project)}/clusters/c1`)
      .expect(200);
    const cluster = got.body as Json;
    expect(cluster).toMatchObject({
      name: 'c1',
      status: 'RUNNING',
      currentNodeCount: 3,
      clusterIpv4Cidr: '10.4.0.0/14',
      servicesIpv4Cidr: '10.8.0.0/20',
      ipAllocationPolicy: {
        useIpAliases: true,
        clusterSecondaryRangeName: 'pods',
        servicesSecondaryRangeName: 'svc',
      },
      defaultMaxPodsConstraint: { maxPodsPerNode: '110' },
      location: 'us-central1-a',
      locations: ['us-central1-a'],
    });
    expect(Buffer.from(cluster.masterAuth.clusterCaCertificate, 'base64').toString()).toContain(
      'BEGIN CERTIFICATE',
    );
    expect(cluster.nodePools).toHaveLength(1);
    expect(cluster.nodePools[0]).toMatchObject({
      name: 'default-pool',
      initialNodeCount: 3,
      podIpv4CidrSize: 24,
    });

    const instances = await request(app.url)
      .get(`${compute(project)}/zones/us-central1-a/instances`)
      .expect(200);
    const items = instances.body.items as Json[];
    expect(items).toHaveLength(3);
    const nics = items
      .map((i) => i.networkInterfaces[0])
      .sort((a, b) => a.networkIP.localeCompare(b.networkIP));
    expect(nics.map((n) => n.networkIP)).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4']);
    expect(nics.map((n) => n.aliasIpRanges[0].ipCidrRange).sort()).toEqual([
      '10.4.0.0/24',
      '10.4.1.0/24',
      '10.4.2.0/24',
    ]);
    expect(nics[0].aliasIpRanges[0].subnetworkRangeName).toBe('pods');
    for (const item of items) expect(item.name).toMatch(/^gke-c1-default-pool-[0-9a-f]{8}-[a-z0-9]{4}$/);

    const firewalls = await request(app.url)
      .get(`${compute(project)}/global/firewalls`)
      .expect(200);
    const byName = Object.fromEntries(
      (firewalls.body.items as Json[]).map((f) => [f.name.replace(/^gke-c1-[0-9a-f]{8}-/, ''), f]),
    );
    expect(Object.keys(byName).sort()).toEqual(['all', 'exkubelet', 'inkubelet', 'ssh', 'vms']);
    const tag = items[0]?.tags.items[0];
    expect(tag).toMatch(/^gke-c1-[0-9a-f]{8}-node$/);
    expect(byName['all']).toMatchObject({ sourceRanges: ['10.4.0.0/14'], targetTags: [tag], priority: 1000 });
    expect(byName['vms']).toMatchObject({ sourceRanges: ['10.0.0.0/24'] });
    expect(byName['inkubelet']).toMatchObject({
      priority: 999,
      sourceTags: [tag],
      allowed: [{ IPProtocol: 'tcp', ports: ['10255'] }],
    });
    expect(byName['exkubelet']).toMatchObject({
      denied: [{ IPProtocol: 'tcp', ports: ['10255'] }],
      sourceRanges: ['0.0.0.0/0'],
    });
  });

  it('creates ranges on the subnet from sizes, resizes and deletes everything it made', async () => {
    const project = await vpc();
    await createCluster(project, {
      name: 'sized',
      network: `projects/${project}/global/networks/vpc`,
      subnetwork: `projects/${project}/regions/us-central1/subnetworks/s1`,
      initialNodeCount: 2,
      defaultMaxPodsConstraint: { maxPodsPerNode: 32 },
      ipAllocationPolicy: { useIpAliases: true, clusterIpv4CidrBlock: '/16', servicesIpv4CidrBlock: '' },
    }).expect(200);
    const subnet = await request(app.url)
      .get(`${compute(project)}/regions/us-central1/subnetworks/s1`)
      .expect(200);
    const ranges = subnet.body.secondaryIpRanges as Json[];
    // A blank services range is no range: GKE serves ClusterIPs from the range it manages, 34.118.224.0/20.
    expect(ranges.map((r) => r.rangeName)).toEqual([expect.stringMatching(/^gke-sized-pods-[0-9a-f]{8}$/)]);
    expect(ranges.map((r) => r.ipCidrRange)).toEqual(['10.1.0.0/16']);

    const pool = await request(app.url)
      .get(`${gke(project)}/clusters/sized/nodePools/default-pool`)
      .expect(200);
    expect(pool.body).toMatchObject({ podIpv4CidrSize: 26, maxPodsConstraint: { maxPodsPerNode: '32' } });

    await request(app.url)
      .post(`${gke(project)}/clusters/sized/nodePools/default-pool:setSize`)
      .send({ nodeCount: 5 })
      .expect(200);
    let cluster = await request(app.url)
      .get(`${gke(project)}/clusters/sized`)
      .expect(200);
    expect(cluster.body.currentNodeCount).toBe(5);
    await request(app.url)
      .post(`${gke(project)}/clusters/sized/nodePools/default-pool:setSize`)
      .send({ nodeCount: 1 })
      .expect(200);
    cluster = await request(app.url)
      .get(`${gke(project)}/clusters/sized`)
      .expect(200);
    expect(cluster.body.currentNodeCount).toBe(1);

    await request(app.url)
      .post(`${gke(project)}/clusters/sized/nodePools`)
      .send({ nodePool: { name: 'small', initialNodeCount: 2, maxPodsConstraint: { maxPodsPerNode: 8 } } })
      .expect(200);
    const instances = await request(app.url)
      .get(`${compute(project)}/zones/us-central1-a/instances`)
      .expect(200);
    const cidrs = (instances.body.items as Json[]).map(
      (i) => i.networkInterfaces[0].aliasIpRanges[0].ipCidrRange as string,
    );
    expect(cidrs.filter((c) => c.endsWith('/28'))).toHaveLength(2);

    const deleted = await request(app.url)
      .delete(`${gke(project)}/clusters/sized`)
      .expect(200);
    expect(deleted.body).toMatchObject({ operationType: 'DELETE_CLUSTER', status: 'DONE' });
    await request(app.url)
      .get(`${gke(project)}/clusters/sized`)
      .expect(404);
    const after = await request(app.url)
      .get(`${compute(project)}/regions/us-central1/subnetworks/s1`)
      .expect(200);
    expect(after.body.secondaryIpRanges).toBeUndefined();
    const fw = await request(app.url)
      .get(`${compute(project)}/global/firewalls`)
      .expect(200);
    expect(fw.body.items ?? []).toEqual([]);
    const left = await request(app.url)
      .get(`${compute(project)}/zones/us-central1-a/instances`)
      .expect(200);
    expect(left.body.items ?? []).toEqual([]);
  });

  it('routes-based clusters get one route per node', async () => {
    const project = await vpc();
    await createCluster(project, {
      name: 'routes',
      network: 'vpc',
      subnetwork: 's1',
      initialNodeCount: 2,
      ipAllocationPolicy: { useRoutes: true },
    }).expect(200);
    const routes = await request(app.url)
      .get(`${compute(project)}/global/routes`)
      .expect(200);
    const nodeRoutes = (routes.body.items as Json[]).filter((r) => r.nextHopInstance);
    expect(nodeRoutes).toHaveLength(2);
    expect(nodeRoutes.map((r) => r.destRange).sort()).toEqual(
      ['10.0.0.0/24', '10.0.1.0/24']
        .map((c) => c.replace('10.0.', '10.4.'))
        .sort()
        .map(() => expect.stringMatching(/^10\.\d+\.\d+\.0\/24$/)),
    );
    await request(app.url)
      .delete(`${gke(project)}/clusters/routes`)
      .expect(200);
    const after = await request(app.url)
      .get(`${compute(project)}/global/routes`)
      .expect(200);
    expect((after.body.items as Json[]).filter((r) => r.nextHopInstance)).toEqual([]);
  });

  it('accepts enums as numbers, as the Node client sends them', async () => {
    const project = await vpc([
      { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
      { rangeName: 'svc', ipCidrRange: '10.8.0.0/20' },
    ]);
    await createCluster(project, {
      name: 'numeric',
      network: 'vpc',
      subnetwork: 's1',
      initialNodeCount: 1,
      networkPolicy: { provider: 1, enabled: true },
      ipAllocationPolicy: {
        useIpAliases: true,
        clusterSecondaryRangeName: 'pods',
        servicesSecondaryRangeName: 'svc',
        stackType: 1,
      },
    }).expect(200);
    const got = await request(app.url)
      .get(`${gke(project)}/clusters/numeric`)
      .expect(200);
    expect(got.body.networkPolicy).toEqual({ provider: 'CALICO', enabled: true });
    const bad = await createCluster(project, {
      name: 'bad',
      network: 'vpc',
      subnetwork: 's1',
      initialNodeCount: 1,
      networkPolicy: { provider: 99 },
    }).expect(400);
    expect(bad.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(bad.body.error.message).toContain('network_policy.provider');
  });

  it('answers bad input as GKE does', async () => {
    const project = await vpc([{ rangeName: 'pods', ipCidrRange: '10.4.0.0/14' }]);
    // Cluster c of one node on vpc/s1, but for the fields of a case.
    const cluster = (fields: object) => ({
      name: 'c',
      network: 'vpc',
      subnetwork: 's1',
      initialNodeCount: 1,
      ...fields,
    });
    const missing = await createCluster(
      project,
      cluster({
        ipAllocationPolicy: {
          useIpAliases: true,
          clusterSecondaryRangeName: 'nope',
          servicesSecondaryRangeName: 'pods2',
        },
      }),
    ).expect(400);
    expect(missing.body.error.message).toContain('"nope"');
    const overlap = await createCluster(
      project,
      cluster({ ipAllocationPolicy: { useIpAliases: true, clusterIpv4CidrBlock: '10.5.0.0/16' } }),
    ).expect(400);
    expect(overlap.body.error.message).toContain('overlaps');
    const maxPods = await createCluster(
      project,
      cluster({ defaultMaxPodsConstraint: { maxPodsPerNode: 300 } }),
    ).expect(400);
    expect(maxPods.body.error.message).toContain('between 8 and 256');
    const tooSmall = await createCluster(
      project,
      cluster({ ipAllocationPolicy: { useIpAliases: true, clusterIpv4CidrBlock: '/28' } }),
    ).expect(400);
    expect(tooSmall.body.error.message).toContain('/28');
    // a 1 MB machine type is not a Compute name: refused, and the answer does not echo it whole
    const hugeMachine = await createCluster(
      project,
      cluster({ nodeConfig: { machineType: 'n'.repeat(1_000_000) } }),
    ).expect(400);
    expect(hugeMachine.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(hugeMachine.body.error.message).toMatch(
      /^Invalid value for field "cluster\.nodeConfig\.machineType": "n{64}…"\. machine type "n{64}…" does not exist\.$/,
    );
    const hugePoolMachine = await createCluster(project, {
      name: 'c',
      network: 'vpc',
      subnetwork: 's1',
      nodePools: [
        {
          name: 'p',
          initialNodeCount: 1,
          config: { machineType: 'e2-medium', imageType: 'I'.repeat(1_000_000) },
        },
      ],
    }).expect(400);
    expect(hugePoolMachine.body.error.message).toContain('"cluster.nodePools[0].config.imageType"');
    await createCluster(project, cluster({ name: 'Bad_Name' })).expect(400);
    await createCluster(project, cluster({ network: 'nope' })).expect(400);
    await createCluster(project, { name: 'c', network: 'vpc', subnetwork: 's1' }).expect(400);
    await request(app.url)
      .get(`${gke(project)}/clusters/none`)
      .expect(404);
  });

  it('refuses to grow a pool past the pod range, saying why, and keeps node pod ranges disjoint under concurrency', async () => {
    const project = await vpc([
      { rangeName: 'pods', ipCidrRange: '10.4.0.0/22' },
      { rangeName: 'svc', ipCidrRange: '10.8.0.0/20' },
    ]);
    await createCluster(project, {
      name: 'tight',
      network: 'vpc',
      subnetwork: 's1',
      initialNodeCount: 2,
      ipAllocationPolicy: {
        useIpAliases: true,
        clusterSecondaryRangeName: 'pods',
        servicesSecondaryRangeName: 'svc',
      },
    }).expect(200);
    const full = await request(app.url)
      .post(`${gke(project)}/clusters/tight/nodePools/default-pool:setSize`)
      .send({ nodeCount: 5 })
      .expect(400);
    expect(full.body.error).toMatchObject({ status: 'FAILED_PRECONDITION' });
    expect(full.body.error.message).toMatch(/pod range 10\.4\.0\.0\/22 \("pods"\) has room for 2/);

    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) =>
        request(app.url)
          .post(`${gke(project)}/clusters/tight/nodePools`)
          .send({ nodePool: { name, initialNodeCount: 1 } }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(results.filter((r) => r.status === 400)).toHaveLength(2);
    const rows = await app.database.query<{ overlaps: number }>(
      `SELECT count(*)::int AS overlaps FROM node a JOIN node b ON a.cluster_id = b.cluster_id AND a.id < b.id AND a.pod_cidr && b.pod_cidr`,
    );
    expect(rows[0]?.overlaps).toBe(0);
  });

  it("refuses unknown fields and wrong JSON types as Google's front end does, and creates nothing", async () => {
    const project = await vpc();
    const unknown = `Invalid JSON payload received. Unknown name "foo" at 'cluster': Cannot find field.`;
    const refused = await createCluster(project, {
      name: 'strict',
      network: 'vpc',
      subnetwork: 's1',
      foo: 1,
    }).expect(400);
    expect(refused.body).toEqual({
      error: {
        code: 400,
        message: unknown,
        errors: [{ message: unknown, domain: 'global', reason: 'invalid' }],
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [{ field: 'cluster', description: unknown }],
          },
        ],
      },
    });
    const nested = await createCluster(project, {
      name: 'strict',
      nodePools: [{ name: 'p', initialNodeCount: 1, config: { machineType: 'e2-small', colour: 'blue' } }],
    }).expect(400);
    expect(nested.body.error.details[0].fieldViolations).toEqual([
      {
        field: 'cluster.node_pools[0].config',
        description: `Invalid JSON payload received. Unknown name "colour" at 'cluster.node_pools[0].config': Cannot find field.`,
      },
    ]);
    const typed = await createCluster(project, { name: 'strict', initialNodeCount: 'x' }).expect(400);
    expect(typed.body.error).toMatchObject({
      message: `Invalid value at 'cluster.initial_node_count' (TYPE_INT32), "x"`,
      status: 'INVALID_ARGUMENT',
      details: [{ fieldViolations: [{ field: 'cluster.initial_node_count' }] }],
    });
    const topLevel = await request(app.url)
      .post(`${gke(project)}/clusters`)
      .send({ cluster: { name: 'strict' }, dryRun: true })
      .expect(400);
    expect(topLevel.body.error.message).toBe(
      `Invalid JSON payload received. Unknown name "dryRun": Cannot find field.`,
    );
    const list = await request(app.url)
      .get(`${gke(project)}/clusters`)
      .expect(200);
    expect(list.body.clusters ?? []).toEqual([]);

    // Node pools and updates too, with the proto (snake_case) names accepted as Google's parser accepts them.
    await createCluster(project, {
      name: 'strict',
      network: 'vpc',
      subnetwork: 's1',
      initial_node_count: 1,
    }).expect(200);
    const pools = `${gke(project)}/clusters/strict/nodePools`;
    const pool = await request(app.url)
      .post(pools)
      .send({ nodePool: { name: 'p2', initialNodeCount: 1, autoscaling: { enabled: 'yes' } } })
      .expect(400);
    expect(pool.body.error.message).toBe(
      `Invalid value at 'node_pool.autoscaling.enabled' (TYPE_BOOL), "yes"`,
    );
    const update = await request(app.url)
      .put(`${gke(project)}/clusters/strict`)
      .send({ update: { desiredLoggingService: 'none', desiredColour: 'red' } })
      .expect(400);
    expect(update.body.error.message).toBe(
      `Invalid JSON payload received. Unknown name "desiredColour" at 'update': Cannot find field.`,
    );
    const poolUpdate = await request(app.url).put(`${pools}/default-pool`).send({ nodeCount: 2 }).expect(400);
    expect(poolUpdate.body.error.message).toBe(
      `Invalid JSON payload received. Unknown name "nodeCount": Cannot find field.`,
    );
    const got = await request(app.url)
      .get(`${gke(project)}/clusters/strict`)
      .expect(200);
    expect(got.body.nodePools.map((p: Json) => p.name)).toEqual(['default-pool']);
  });
});
