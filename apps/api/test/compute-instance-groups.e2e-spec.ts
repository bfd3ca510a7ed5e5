import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createGcloud,
  createTestGkeCluster,
  gcloudAvailable,
  testProject,
  useTestApp,
  type Gcloud,
} from '@gke-emulator/testing';

/**
 * Unmanaged instance groups a user makes through Compute (instanceGroups.insert, addInstances, removeInstances,
 * setNamedPorts, listInstances, delete), with the emulator's only instances, GKE nodes, as members: by REST with
 * Google's errors, and through `gcloud compute instance-groups unmanaged`.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

const app = useTestApp();
const ZONE = 'us-central1-a';
const TIMEOUT = 180_000;

async function clusterNodes() {
  const cluster = await createTestGkeCluster(app.url, { prefix: 'uig', nodes: 2 });
  const instances = (await request(app.url).get(`${cluster.compute}/zones/${ZONE}/instances`).expect(200))
    .body as Json;
  const names = (instances.items as Json[]).map((item) => String(item.name)).sort();
  expect(names).toHaveLength(2);
  return { ...cluster, nodes: names as [string, string] };
}

describe('Compute unmanaged instance groups of users (REST)', () => {
  it(
    'insert, addInstances, setNamedPorts, listInstances, removeInstances and delete, with Google’s errors',
    async () => {
      const { compute, project, nodes } = await clusterNodes();
      const groups = `${compute}/zones/${ZONE}/instanceGroups`;
      const link = (path: string) => `${app.url}/compute/v1/projects/${project}/${path}`;

      const op = await request(app.url)
        .post(groups)
        .send({ name: 'web', description: 'front', namedPorts: [{ name: 'http', port: 80 }] })
        .expect(200);
      expect(op.body).toMatchObject({
        kind: 'compute#operation',
        operationType: 'compute.instanceGroups.insert',
        targetLink: link(`zones/${ZONE}/instanceGroups/web`),
        zone: link(`zones/${ZONE}`),
      });

      // Empty: no network nor subnetwork until an instance joins.
      const empty = (await request(app.url).get(`${groups}/web`).expect(200)).body as Json;
      expect(empty).toMatchObject({
        kind: 'compute#instanceGroup',
        name: 'web',
        description: 'front',
        namedPorts: [{ name: 'http', port: 80 }],
        size: 0,
        zone: link(`zones/${ZONE}`),
        selfLink: link(`zones/${ZONE}/instanceGroups/web`),
      });
      await request(app.url).post(groups).send({ name: 'bare' }).expect(200);
      expect((await request(app.url).get(`${groups}/bare`).expect(200)).body.fingerprint).toBe(
        '42WmSpB8rSM=',
      );
      expect(empty).not.toHaveProperty('network');
      expect(empty).not.toHaveProperty('subnetwork');

      const duplicate = await request(app.url).post(groups).send({ name: 'web' }).expect(409);
      expect(duplicate.body.error.errors[0].reason).toBe('alreadyExists');

      // Bad bodies: Google's 400s, never a 500.
      for (const body of [
        { name: 'Web' },
        { name: 'p', namedPorts: [{ name: 'http', port: 0 }] },
        { name: 'p', namedPorts: [{ name: 'http' }] },
        { name: 'p', network: 'nope' },
      ]) {
        const res = await request(app.url).post(groups).send(body);
        expect([400, 404], JSON.stringify(body)).toContain(res.status);
        expect(res.body.error.code).toBe(res.status);
      }

      const added = await request(app.url)
        .post(`${groups}/web/addInstances`)
        .send({ instances: [{ instance: link(`zones/${ZONE}/instances/${nodes[0]}`) }] })
        .expect(200);
      expect(added.body.operationType).toBe('compute.instanceGroups.addInstances');
      const one = (await request(app.url).get(`${groups}/web`).expect(200)).body as Json;
      expect(one).toMatchObject({
        size: 1,
        network: link('global/networks/vpc'),
        subnetwork: link('regions/us-central1/subnetworks/s1'),
      });
      const listed = (await request(app.url).post(`${groups}/web/listInstances`).send({}).expect(200))
        .body as Json;
      await request(app.url)
        .post(`${groups}/web/listInstances`)
        .send({ instanceState: 'STOPPED' })
        .expect(400);
      expect(listed.items).toEqual([
        { instance: link(`zones/${ZONE}/instances/${nodes[0]}`), status: 'RUNNING' },
      ]);

      const again = await request(app.url)
        .post(`${groups}/web/addInstances`)
        .send({ instances: [{ instance: `zones/${ZONE}/instances/${nodes[0]}` }] })
        .expect(400);
      expect(again.body.error.errors[0]).toMatchObject({
        reason: 'memberAlreadyExists',
        message: `Resource 'projects/${project}/zones/${ZONE}/instances/${nodes[0]}' is already a member of 'projects/${project}/zones/${ZONE}/instanceGroups/web'.`,
      });
      const unknown = await request(app.url)
        .post(`${groups}/web/addInstances`)
        .send({ instances: [{ instance: `zones/${ZONE}/instances/nope` }] })
        .expect(404);
      expect(unknown.body.error.message).toBe(
        `The resource 'projects/${project}/zones/${ZONE}/instances/nope' was not found`,
      );
      await request(app.url)
        .post(`${groups}/web/addInstances`)
        .send({ instances: [{ instance: `zones/us-central1-b/instances/${nodes[1]}` }] })
        .expect(400);
      await request(app.url)
        .post(`${compute}/zones/${ZONE}/instanceGroups/nope/addInstances`)
        .send({ instances: [{ instance: nodes[1] }] })
        .expect(404);

      // setNamedPorts: the fingerprint read last, or 412.
      await request(app.url)
        .post(`${groups}/web/setNamedPorts`)
        .send({ namedPorts: [{ name: 'http', port: 8080 }], fingerprint: 'AAAAAAAAAAA=' })
        .expect(412);
      const set = await request(app.url)
        .post(`${groups}/web/setNamedPorts`)
        .send({
          namedPorts: [
            { name: 'http', port: 8080 },
            { name: 'http', port: 80 },
          ],
          fingerprint: one.fingerprint,
        })
        .expect(200);
      expect(set.body.operationType).toBe('compute.instanceGroups.setNamedPorts');
      const ported = (await request(app.url).get(`${groups}/web`).expect(200)).body as Json;
      expect(ported.namedPorts).toEqual([
        { name: 'http', port: 8080 },
        { name: 'http', port: 80 },
      ]);
      expect(ported.fingerprint).not.toBe(one.fingerprint);

      await request(app.url)
        .post(`${groups}/web/removeInstances`)
        .send({ instances: [{ instance: `zones/${ZONE}/instances/${nodes[0]}` }] })
        .expect(200);
      const none = (await request(app.url).get(`${groups}/web`).expect(200)).body as Json;
      expect(none.size).toBe(0);
      expect(none.network).toBe(link('global/networks/vpc'));

      // A node pool's group is its manager's: its instances are not the user's to change.
      const pools = (await request(app.url).get(groups).expect(200)).body as Json;
      const poolGroup = (pools.items as Json[]).find((item) => String(item.name).endsWith('-grp'));
      expect(poolGroup).toBeDefined();
      await request(app.url)
        .post(`${groups}/${poolGroup?.name}/addInstances`)
        .send({ instances: [{ instance: nodes[1] }] })
        .expect(400);

      await request(app.url).delete(`${groups}/web`).expect(200);
      await request(app.url).get(`${groups}/web`).expect(404);
    },
    TIMEOUT,
  );

  it('a member that is deleted leaves the group', async () => {
    const { compute, project, nodes } = await clusterNodes();
    const groups = `${compute}/zones/${ZONE}/instanceGroups`;
    await request(app.url).post(groups).send({ name: 'pair' }).expect(200);
    await request(app.url)
      .post(`${groups}/pair/addInstances`)
      .send({ instances: nodes.map((name) => ({ instance: name })) })
      .expect(200);
    expect((await request(app.url).get(`${groups}/pair`).expect(200)).body.size).toBe(2);
    // Resizing the pool to one node deletes one of them.
    await request(app.url)
      .post(`/v1/projects/${project}/locations/${ZONE}/clusters/c1/nodePools/default-pool:setSize`)
      .send({ nodeCount: 1 })
      .expect(200);
    const after = (await request(app.url).get(`${groups}/pair`).expect(200)).body as Json;
    expect(after.size).toBe(1);
  });

  it('answers a repeated requestId with its first operation and refuses one that is not a UUID', async () => {
    const groups = `/compute/v1/projects/${testProject()}/zones/${ZONE}/instanceGroups`;
    const requestId = randomUUID();
    const first = await request(app.url).post(groups).query({ requestId }).send({ name: 'once' }).expect(200);
    const again = await request(app.url).post(groups).query({ requestId }).send({ name: 'once' }).expect(200);
    expect(again.body.name).toBe(first.body.name);
    expect(again.body.clientOperationId).toBe(requestId);
    // As every Compute verb answers it (and Google does).
    const refused = await request(app.url)
      .post(groups)
      .query({ requestId: 'not-a-uuid' })
      .send({ name: 'other' })
      .expect(400);
    expect(refused.body.error.message).toMatch(/request ID must be a valid UUID/);
    await request(app.url).delete(`${groups}/once`).query({ requestId: 'not-a-uuid' }).expect(400);
    await request(app.url).get(`${groups}/other`).expect(404);
  });
});

describe('a user’s instance group on a network', () => {
  it('keeps the network from being deleted, naming the group, until it goes', async () => {
    const project = testProject('uignet');
    const compute = `/compute/v1/projects/${project}`;
    await request(app.url)
      .post(`${compute}/global/networks`)
      .send({ name: 'lan', autoCreateSubnetworks: false })
      .expect(200);
    await request(app.url)
      .post(`${compute}/zones/${ZONE}/instanceGroups`)
      .send({ name: 'g', network: 'global/networks/lan' })
      .expect(200);
    const group = (await request(app.url).get(`${compute}/zones/${ZONE}/instanceGroups/g`).expect(200))
      .body as Json;
    expect(group.network).toBe(`${app.url}/compute/v1/projects/${project}/global/networks/lan`);
    const refused = await request(app.url).delete(`${compute}/global/networks/lan`).expect(400);
    expect(refused.body.error.message).toBe(
      `The network resource 'projects/${project}/global/networks/lan' is already being used by 'projects/${project}/zones/${ZONE}/instanceGroups/g'`,
    );
    await request(app.url).delete(`${compute}/zones/${ZONE}/instanceGroups/g`).expect(200);
    await request(app.url).delete(`${compute}/global/networks/lan`).expect(200);
  });
});

describe.skipIf(!gcloudAvailable())('gcloud compute instance-groups unmanaged against the emulator', () => {
  const clis: Gcloud[] = [];
  afterEach(() => {
    for (const cli of clis.splice(0)) cli.dispose();
  });

  it(
    'create, add-instances, set-named-ports, list-instances, remove-instances, delete',
    async () => {
      const { project, nodes } = await clusterNodes();
      const gcloud = createGcloud(app.url, project);
      clis.push(gcloud);
      const ig = (...args: string[]) =>
        gcloud.run(['compute', 'instance-groups', 'unmanaged', ...args, `--zone=${ZONE}`]);

      const created = await ig('create', 'web', '--description=front');
      expect(created.code, created.stderr).toBe(0);
      const added = await ig('add-instances', 'web', `--instances=${nodes.join(',')}`);
      expect(added.code, added.stderr).toBe(0);
      const ports = await gcloud.run([
        'compute',
        'instance-groups',
        'unmanaged',
        'set-named-ports',
        'web',
        '--named-ports=http:80,https:443',
        `--zone=${ZONE}`,
      ]);
      expect(ports.code, ports.stderr).toBe(0);

      const described = await gcloud.json<Json>([
        'compute',
        'instance-groups',
        'unmanaged',
        'describe',
        'web',
        `--zone=${ZONE}`,
      ]);
      expect(described).toMatchObject({
        name: 'web',
        description: 'front',
        size: 2,
        namedPorts: [
          { name: 'http', port: 80 },
          { name: 'https', port: 443 },
        ],
      });
      const listed = await gcloud.json<Json[]>([
        'compute',
        'instance-groups',
        'unmanaged',
        'list-instances',
        'web',
        `--zone=${ZONE}`,
      ]);
      expect(listed.map((item) => String(item.instance).split('/').pop()).sort()).toEqual(nodes);

      const again = await ig('add-instances', 'web', `--instances=${nodes[0]}`);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain('is already a member of');

      const removed = await ig('remove-instances', 'web', `--instances=${nodes[0]}`);
      expect(removed.code, removed.stderr).toBe(0);
      const after = await gcloud.json<Json>([
        'compute',
        'instance-groups',
        'unmanaged',
        'describe',
        'web',
        `--zone=${ZONE}`,
      ]);
      expect(after.size).toBe(1);

      const deleted = await ig('delete', 'web');
      expect(deleted.code, deleted.stderr).toBe(0);
    },
    TIMEOUT,
  );
});
