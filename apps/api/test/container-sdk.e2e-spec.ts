import { ClusterManagerClient, protos } from '@google-cloud/container';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeClientOptions, testProject, useTestApp } from '@gke-emulator/testing';

/**
 * `@google-cloud/container` 7.2.0 over REST (`fallback: true`): the client sends `$alt=json;enum-encoding=int` and
 * enums as numbers (NetworkPolicy.Provider.CALICO is 1); it hands enums back to the caller as names.
 */

const app = useTestApp();
const { Operation, NetworkPolicy } = protos.google.container.v1;
const location = 'us-central1-a';

let client: ClusterManagerClient;
beforeAll(() => {
  client = new ClusterManagerClient(computeClientOptions(app));
});
afterAll(async () => {
  await client?.close();
});

type IOperation = protos.google.container.v1.IOperation;

/** Polls the operation until DONE, with a deadline; returns the final operation. */
async function done(project: string, started: IOperation): Promise<IOperation> {
  const deadline = Date.now() + 30_000;
  let op = started;
  while (op.status !== Operation.Status.DONE && op.status !== 'DONE') {
    if (Date.now() > deadline) throw new Error(`operation ${op.name} not DONE in time: ${op.status}`);
    [op] = await client.getOperation({
      name: `projects/${project}/locations/${location}/operations/${op.name}`,
    });
  }
  expect(op.error ?? null).toBeNull();
  return op;
}

async function vpc(project: string) {
  const compute = `/compute/v1/projects/${project}`;
  await request(app.url)
    .post(`${compute}/global/networks`)
    .send({ name: 'vpc', autoCreateSubnetworks: false })
    .expect(200);
  await request(app.url)
    .post(`${compute}/regions/us-central1/subnetworks`)
    .send({ name: 's1', network: 'vpc', ipCidrRange: '10.0.0.0/24' })
    .expect(200);
}

describe('@google-cloud/container ClusterManagerClient (REST, numeric enums)', () => {
  it('creates a cluster, polls its operation, reads, lists, manages a node pool and deletes it', async () => {
    const project = testProject('csdk');
    await vpc(project);
    // Operations of this project stay RUNNING for a while, so the polling is exercised.
    await request(app.url)
      .patch('/emulator/v1/settings')
      .query({ project })
      .send({ operationDelayMs: 300 })
      .expect(200);
    const parent = `projects/${project}/locations/${location}`;

    const [created] = await client.createCluster({
      parent,
      cluster: {
        name: 'sdk1',
        network: 'vpc',
        subnetwork: 's1',
        initialNodeCount: 2,
        ipAllocationPolicy: { useIpAliases: true, clusterIpv4CidrBlock: '/16', servicesIpv4CidrBlock: '/22' },
        networkPolicy: { enabled: true, provider: NetworkPolicy.Provider.CALICO },
        addonsConfig: { networkPolicyConfig: { disabled: false } },
      },
    });
    expect(created.operationType).toBe('CREATE_CLUSTER');
    expect(created.status).toBe('RUNNING');
    expect(created.targetLink).toMatch(new RegExp(`/projects/\\d{12}/zones/${location}/clusters/sdk1$`));
    const finished = await done(project, created);
    expect(finished.status).toBe('DONE');

    const [cluster] = await client.getCluster({ name: `${parent}/clusters/sdk1` });
    expect(cluster).toMatchObject({
      name: 'sdk1',
      location,
      status: 'RUNNING',
      currentNodeCount: 2,
      networkPolicy: { enabled: true, provider: 'CALICO' },
      ipAllocationPolicy: { useIpAliases: true },
    });
    expect(cluster.endpoint).toMatch(new RegExp(`^127\\.0\\.0\\.1:\\d+/k8s/${project}/${location}/sdk1$`));
    expect(cluster.masterAuth?.clusterCaCertificate).toBeTruthy();
    expect(cluster.nodePools?.map((p) => p.name)).toEqual(['default-pool']);

    const [listed] = await client.listClusters({ parent: `projects/${project}/locations/-` });
    expect(listed.clusters?.map((c) => [c.name, c.location])).toEqual([['sdk1', location]]);

    const [poolOp] = await client.createNodePool({
      parent: `${parent}/clusters/sdk1`,
      nodePool: { name: 'extra', initialNodeCount: 1, config: { machineType: 'e2-small' } },
    });
    expect(poolOp.operationType).toBe('CREATE_NODE_POOL');
    await done(project, poolOp);
    const [resize] = await client.setNodePoolSize({
      name: `${parent}/clusters/sdk1/nodePools/extra`,
      nodeCount: 3,
    });
    expect(resize.operationType).toBe('SET_NODE_POOL_SIZE');
    await done(project, resize);
    const [pool] = await client.getNodePool({ name: `${parent}/clusters/sdk1/nodePools/extra` });
    expect(pool).toMatchObject({
      name: 'extra',
      status: 'RUNNING',
      config: { machineType: 'e2-small' },
    });
    const [afterResize] = await client.getCluster({ name: `${parent}/clusters/sdk1` });
    expect(afterResize.currentNodeCount).toBe(5);

    const [poolDelete] = await client.deleteNodePool({ name: `${parent}/clusters/sdk1/nodePools/extra` });
    expect(poolDelete.operationType).toBe('DELETE_NODE_POOL');
    await done(project, poolDelete);
    const [pools] = await client.listNodePools({ parent: `${parent}/clusters/sdk1` });
    expect(pools.nodePools?.map((p) => p.name)).toEqual(['default-pool']);

    const [deleting] = await client.deleteCluster({ name: `${parent}/clusters/sdk1` });
    expect(deleting.operationType).toBe('DELETE_CLUSTER');
    await done(project, deleting);
    const [empty] = await client.listClusters({ parent: `projects/${project}/locations/-` });
    expect(empty.clusters ?? []).toEqual([]);
    // @google-cloud/container 6 (google-gax 4, the Node 20 line) reports the HTTP status over REST, 7 the gRPC code.
    await expect(client.getCluster({ name: `${parent}/clusters/sdk1` })).rejects.toMatchObject({
      code: expect.toSatisfy((code: number) => code === 5 || code === 404),
    });
  });

  it('answers bad input with INVALID_ARGUMENT (code 3)', async () => {
    const project = testProject('csdk');
    await vpc(project);
    const parent = `projects/${project}/locations/${location}`;
    await expect(
      client.createCluster({
        parent,
        cluster: { name: 'Bad_Name', network: 'vpc', subnetwork: 's1', initialNodeCount: 1 },
      }),
    ).rejects.toMatchObject({ code: expect.toSatisfy((code: number) => code === 3 || code === 400) });
    await expect(
      client.createCluster({
        parent,
        cluster: { name: 'neg', network: 'vpc', subnetwork: 's1', initialNodeCount: -1 },
      }),
    ).rejects.toMatchObject({ code: expect.toSatisfy((code: number) => code === 3 || code === 400) });
    const [none] = await client.listClusters({ parent });
    expect(none.clusters ?? []).toEqual([]);
  });
});
