import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { testProject, useTestApp } from '@gke-emulator/testing';

const app = useTestApp();

const compute = (project: string) => `/compute/v1/projects/${project}`;
const gke = (project: string, location: string) => `/v1/projects/${project}/locations/${location}`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

/** What Config Connector sends to create a cluster in the recorded logs (containercluster-*). */
function kccCluster(name: string, extra: Json = {}): Json {
  return {
    autopilot: { enabled: false },
    initialNodeCount: 1,
    ipAllocationPolicy: { stackType: 'IPV4', useIpAliases: false },
    legacyAbac: { enabled: false },
    maintenancePolicy: { window: {} },
    name,
    network: 'projects/P/global/networks/default',
    networkConfig: {},
    networkPolicy: {},
    nodeConfig: { machineType: 'e2-medium' },
    shieldedNodes: { enabled: true },
    ...extra,
  };
}

async function defaultNetwork() {
  const project = testProject('gkeig');
  await request(app.url)
    .post(`${compute(project)}/global/networks`)
    .send({ name: 'default', autoCreateSubnetworks: true })
    .expect(200);
  return project;
}

describe('GKE node pools as Google answers them (recorded KCC traffic)', () => {
  it('containercluster-containerdconfigupdateignored: a regional cluster has one instance group per zone, following resizes', async () => {
    const project = await defaultNetwork();
    const name = 'containercluster-abcdefghij';
    const op = await request(app.url)
      .post(`${gke(project, 'us-west2')}/clusters`)
      .send({ cluster: kccCluster(name, { network: `projects/${project}/global/networks/default` }) })
      .expect(200);
    // Regional: `locations/` in the links, the project by number.
    expect(op.body.selfLink).toMatch(/\/v1\/projects\/\d{12}\/locations\/us-west2\/operations\/operation-/);
    expect(op.body).not.toHaveProperty('location');

    const cluster = (
      await request(app.url)
        .get(`${gke(project, 'us-west2')}/clusters/${name}`)
        .expect(200)
    ).body as Json;
    expect(cluster.instanceGroupUrls).toHaveLength(3);
    for (const url of cluster.instanceGroupUrls as string[]) {
      expect(url).toMatch(
        new RegExp(
          `/projects/${project}/zones/us-west2-[abc]/instanceGroupManagers/gke-containercluster-abc-default-pool-[0-9a-f]{8}-grp$`,
        ),
      );
    }
    const [, zone, group] = (cluster.instanceGroupUrls[0] as string).match(
      /\/zones\/([^/]+)\/instanceGroupManagers\/([^/]+)$/,
    ) as RegExpMatchArray as [string, string, string];

    const igm = (
      await request(app.url)
        .get(`${compute(project)}/zones/${zone}/instanceGroupManagers/${group}`)
        .expect(200)
    ).body as Json;
    expect(igm).toMatchObject({
      kind: 'compute#instanceGroupManager',
      name: group,
      baseInstanceName: group.replace(/-grp$/, ''),
      targetSize: 1,
      currentActions: { none: 1, creating: 0 },
      status: { isStable: true },
      listManagedInstancesResults: 'PAGINATED',
    });
    expect(igm.serviceAccount).toMatch(/^service-\d{12}@container-engine-robot\.iam\.gserviceaccount\.com$/);
    expect(igm.instanceGroup).toMatch(new RegExp(`/zones/${zone}/instanceGroups/${group}$`));

    const ig = (
      await request(app.url)
        .get(`${compute(project)}/zones/${zone}/instanceGroups/${group}`)
        .expect(200)
    ).body as Json;
    expect(ig).toMatchObject({ kind: 'compute#instanceGroup', name: group, size: 1 });
    expect(ig.network).toMatch(new RegExp(`/projects/${project}/global/networks/default$`));

    // Resize: 3 nodes per zone, the groups follow.
    await request(app.url)
      .post(`${gke(project, 'us-west2')}/clusters/${name}/nodePools/default-pool:setSize`)
      .send({ nodeCount: 3 })
      .expect(200);
    const managed = await request(app.url)
      .post(`${compute(project)}/zones/${zone}/instanceGroupManagers/${group}/listManagedInstances`)
      .expect(200);
    expect(managed.body.managedInstances).toHaveLength(3);
    for (const instance of managed.body.managedInstances as Json[]) {
      expect(instance).toMatchObject({ instanceStatus: 'RUNNING', currentAction: 'NONE' });
      expect(instance.name).toMatch(new RegExp(`^${group.replace(/-grp$/, '')}-[a-z0-9]{4}$`));
      await request(app.url)
        .get(`${compute(project)}/zones/${zone}/instances/${instance.name}`)
        .expect(200);
    }
    const listed = await request(app.url)
      .post(`${compute(project)}/zones/${zone}/instanceGroups/${group}/listInstances`)
      .expect(200);
    expect(listed.body.kind).toBe('compute#instanceGroupsListInstances');
    expect(listed.body.items).toHaveLength(3);
    const inZone = await request(app.url)
      .get(`${compute(project)}/zones/${zone}/instanceGroupManagers`)
      .expect(200);
    expect((inZone.body.items as Json[]).map((item) => [item.name, item.targetSize])).toEqual([[group, 3]]);
    const aggregated = await request(app.url)
      .get(`${compute(project)}/aggregated/instanceGroupManagers`)
      .expect(200);
    const scopes = Object.entries(aggregated.body.items as Record<string, Json>).filter(
      ([, scope]) => scope.instanceGroupManagers,
    );
    expect(scopes.map(([scope]) => scope).sort()).toEqual([
      'zones/us-west2-a',
      'zones/us-west2-b',
      'zones/us-west2-c',
    ]);
    const groups = await request(app.url)
      .get(`${compute(project)}/aggregated/instanceGroups`)
      .expect(200);
    expect(groups.body.items[`zones/${zone}`].instanceGroups).toHaveLength(1);

    // Gone with the cluster.
    await request(app.url)
      .delete(`${gke(project, 'us-west2')}/clusters/${name}`)
      .expect(200);
    const gone = await request(app.url)
      .get(`${compute(project)}/zones/${zone}/instanceGroupManagers/${group}`)
      .expect(404);
    expect(gone.body.error.message).toContain(`instanceGroupManagers/${group}`);
  });

  it('containercluster-swap: useIpAliases false is VPC-native on GKE ranges; UpdateNodePool turns swap off in place', async () => {
    const project = await defaultNetwork();
    const name = 'containercluster-swap1';
    const missing = await request(app.url)
      .get(`${gke(project, 'us-central1-a')}/clusters/${name}`)
      .expect(404);
    expect(missing.body.error.message).toBe(
      `Not found: projects/${project}/zones/us-central1-a/clusters/${name}.`,
    );
    const swap = {
      cgroupMode: 'CGROUP_MODE_V2',
      swapConfig: { enabled: true, bootDiskProfile: { swapSizePercent: 10 } },
    };
    await request(app.url)
      .post(`${gke(project, 'us-central1-a')}/clusters`)
      .send({
        cluster: kccCluster(name, { nodeConfig: { machineType: 'e2-medium', linuxNodeConfig: swap } }),
      })
      .expect(200);
    const cluster = (
      await request(app.url)
        .get(`${gke(project, 'us-central1-a')}/clusters/${name}`)
        .expect(200)
    ).body as Json;
    expect(cluster.ipAllocationPolicy).toMatchObject({
      useIpAliases: true,
      clusterSecondaryRangeName: expect.stringMatching(new RegExp(`^gke-${name}-pods-[0-9a-f]{8}$`)),
      servicesIpv4CidrBlock: '34.118.224.0/20',
      stackType: 'IPV4',
      defaultPodIpv4RangeUtilization: 0.001,
    });
    expect(cluster.servicesIpv4Cidr).toBe('34.118.224.0/20');
    expect(cluster.selfLink).toMatch(
      new RegExp(`/v1/projects/${project}/zones/us-central1-a/clusters/${name}$`),
    );
    expect(cluster).not.toHaveProperty('nodeTag');
    expect(cluster.maintenancePolicy).not.toHaveProperty('window');
    expect(cluster.nodeConfig.linuxNodeConfig).toEqual(swap);
    expect(cluster.nodePools[0].config.nodeImageConfig.image).toBe(
      'gke-1356-gke1250000-cos-125-19216-395-109-c-pre',
    );
    const podRange = cluster.ipAllocationPolicy.clusterSecondaryRangeName as string;
    const subnet = await request(app.url)
      .get(`${compute(project)}/regions/us-central1/subnetworks/default`)
      .expect(200);
    expect((subnet.body.secondaryIpRanges as Json[]).map((range) => range.rangeName)).toEqual([podRange]);

    const update = await request(app.url)
      .put(`${gke(project, 'us-central1-a')}/clusters/${name}/nodePools/default-pool`)
      .send({
        name: 'default-pool',
        linuxNodeConfig: { cgroupMode: 'CGROUP_MODE_V2', swapConfig: { enabled: false } },
      })
      .expect(200);
    expect(update.body.operationType).toBe('UPGRADE_NODES');
    const opPath = (update.body.selfLink as string).replace(/^https?:\/\/[^/]+/, '');
    const done = await request(app.url).get(opPath).expect(200);
    expect(done.body).toMatchObject({
      status: 'DONE',
      progress: { metrics: expect.arrayContaining([{ name: 'NODES_TOTAL', intValue: '1' }]) },
    });
    const pool = await request(app.url)
      .get(`${gke(project, 'us-central1-a')}/clusters/${name}/nodePools/default-pool`)
      .expect(200);
    expect(pool.body.config.linuxNodeConfig).toEqual({
      cgroupMode: 'CGROUP_MODE_V2',
      swapConfig: { enabled: false },
    });
    const notThere = await request(app.url)
      .get(`${gke(project, 'us-central1-a')}/clusters/${name}/nodePools/nope`)
      .expect(404);
    expect(notThere.body.error.message).toBe('Not found: node pool "nope" not found.');

    // Cluster updates GKE applies in place: containerd config on every pool, in-transit encryption.
    const containerdConfig = { writableCgroups: { enabled: true } };
    await request(app.url)
      .put(`${gke(project, 'us-central1-a')}/clusters/${name}`)
      .send({
        update: {
          desiredContainerdConfig: containerdConfig,
          desiredInTransitEncryptionConfig: 'IN_TRANSIT_ENCRYPTION_INTER_NODE_TRANSPARENT',
        },
      })
      .expect(200);
    const updated = (
      await request(app.url)
        .get(`${gke(project, 'us-central1-a')}/clusters/${name}`)
        .expect(200)
    ).body as Json;
    expect(updated.nodePools[0].config.containerdConfig).toEqual(containerdConfig);
    expect(updated.nodePoolDefaults.nodeConfigDefaults.containerdConfig).toEqual(containerdConfig);
    expect(updated.networkConfig.inTransitEncryptionConfig).toBe(
      'IN_TRANSIT_ENCRYPTION_INTER_NODE_TRANSPARENT',
    );
  });
});
