import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

const base = (project: string) => `/compute/v1/projects/${project}`;
const regional = (project: string) => `${base(project)}/regions/us-central1/addresses`;

async function setup() {
  const project = testProject('addr');
  await request(app.url)
    .post(`${base(project)}/global/networks`)
    .send({ name: 'vpc', autoCreateSubnetworks: false })
    .expect(200);
  await request(app.url)
    .post(`${base(project)}/regions/us-central1/subnetworks`)
    .send({ name: 'nodes', network: 'vpc', ipCidrRange: '10.0.0.0/29' })
    .expect(200);
  return project;
}

describe('addresses', () => {
  it('reserves an external regional address from the emulated pool with Google defaults', async () => {
    const project = await setup();
    const op = await request(app.url).post(regional(project)).send({ name: 'ext' }).expect(200);
    expect(op.body).toMatchObject({ operationType: 'insert', status: 'DONE' });
    const got = await request(app.url)
      .get(`${regional(project)}/ext`)
      .expect(200);
    expect(got.body).toMatchObject({
      kind: 'compute#address',
      name: 'ext',
      addressType: 'EXTERNAL',
      networkTier: 'PREMIUM',
      status: 'RESERVED',
      region: `${app.url}/compute/v1/projects/${project}/regions/us-central1`,
      selfLink: `${app.url}/compute/v1/projects/${project}/regions/us-central1/addresses/ext`,
    });
    expect(got.body.address).toMatch(/^198\.18\.\d+\.\d+$/);
    const global = await request(app.url)
      .post(`${base(project)}/global/addresses`)
      .send({ name: 'glob' })
      .expect(200);
    expect(global.body.selfLink).toContain('/global/operations/');
    const g = await request(app.url)
      .get(`${base(project)}/global/addresses/glob`)
      .expect(200);
    expect(g.body.address).toMatch(/^198\.19\.\d+\.\d+$/);
    expect(g.body.region).toBeUndefined();
  });

  it('allocates internal addresses from the subnet, skipping reserved and taken ones, and runs out cleanly', async () => {
    const project = await setup();
    // 10.0.0.0/29: .0 network, .1 gateway, .6 second-to-last and .7 broadcast are Google's.
    const reserve = (body: object) =>
      request(app.url)
        .post(regional(project))
        .send({ addressType: 'INTERNAL', subnetwork: 'regions/us-central1/subnetworks/nodes', ...body });
    await reserve({ name: 'pinned', address: '10.0.0.3' }).expect(200);
    const names = ['a', 'b', 'c'];
    for (const name of names) await reserve({ name }).expect(200);
    const got = await Promise.all(
      names.map((n) =>
        request(app.url)
          .get(`${regional(project)}/${n}`)
          .expect(200),
      ),
    );
    expect(got.map((r) => r.body.address)).toEqual(['10.0.0.2', '10.0.0.4', '10.0.0.5']);
    expect(got[0]?.body).toMatchObject({
      purpose: 'GCE_ENDPOINT',
      subnetwork: `${app.url}/compute/v1/projects/${project}/regions/us-central1/subnetworks/nodes`,
      network: `${app.url}/compute/v1/projects/${project}/global/networks/vpc`,
    });
    expect(got[0]?.body.networkTier).toBeUndefined();
    const full = await reserve({ name: 'd' });
    expect(full.status).toBe(400);
    expect(full.body.error.message).toContain('IP_SPACE_EXHAUSTED');
    const taken = await reserve({ name: 'e', address: '10.0.0.3' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toBe("IP address '10.0.0.3' is already being used by another resource.");
    const gateway = await reserve({ name: 'f', address: '10.0.0.1' });
    expect(gateway.status).toBe(400);
    const outside = await reserve({ name: 'g', address: '10.9.0.1' });
    expect(outside.status).toBe(400);
  });

  it('never hands out one address twice under concurrency', async () => {
    const project = testProject('addr');
    await request(app.url)
      .post(`${base(project)}/global/networks`)
      .send({ name: 'vpc', autoCreateSubnetworks: false })
      .expect(200);
    await request(app.url)
      .post(`${base(project)}/regions/us-central1/subnetworks`)
      .send({ name: 'nodes', network: 'vpc', ipCidrRange: '10.0.0.0/24' })
      .expect(200);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(app.url)
          .post(regional(project))
          .send({ name: `a${i}`, addressType: 'INTERNAL', subnetwork: 'nodes' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const list = await request(app.url).get(regional(project)).expect(200);
    const addresses = list.body.items.map((a: { address: string }) => a.address);
    expect(new Set(addresses).size).toBe(20);
  });

  it('validates as Google does', async () => {
    const project = await setup();
    const cases: [string, object, number, string][] = [
      [regional(project), { name: 'Bad' }, 400, 'resource.name'],
      [regional(project), { name: 'x', addressType: 'PUBLIC' }, 400, 'resource.addressType'],
      [regional(project), { name: 'x', addressType: 'INTERNAL' }, 400, 'resource.subnetwork'],
      [
        regional(project),
        { name: 'x', addressType: 'INTERNAL', subnetwork: 'nope' },
        404,
        'subnetworks/nope',
      ],
      [
        regional(project),
        { name: 'x', addressType: 'INTERNAL', subnetwork: 'regions/europe-west1/subnetworks/nodes' },
        400,
        'resource.subnetwork',
      ],
      [regional(project), { name: 'x', address: '300.1.1.1' }, 400, 'resource.address'],
      [
        regional(project),
        { name: 'x', address: '8.8.8.8' },
        400,
        'External addresses in gke-emulator come from 198.18.0.0/16',
      ],
      [regional(project), { name: 'x', networkTier: 'GOLD' }, 400, 'resource.networkTier'],
      [`${base(project)}/global/addresses`, { name: 'x', networkTier: 'STANDARD' }, 400, 'PREMIUM'],
      [`${base(project)}/regions/mars-1/addresses`, { name: 'x' }, 404, 'regions/mars-1'],
    ];
    for (const [url, body, status, message] of cases) {
      const res = await request(app.url).post(url).send(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
    }
    await request(app.url).post(regional(project)).send({ name: 'dup' }).expect(200);
    const dup = await request(app.url).post(regional(project)).send({ name: 'dup' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe(
      `The resource 'projects/${project}/regions/us-central1/addresses/dup' already exists`,
    );
    const external = await request(app.url)
      .get(`${regional(project)}/dup`)
      .expect(200);
    const reuse = await request(app.url)
      .post(regional(project))
      .send({ name: 'again', address: external.body.address });
    expect(reuse.status).toBe(400);
  });

  it('keeps the subnetwork and network in use while an address is reserved; deleting frees it', async () => {
    const project = await setup();
    await request(app.url)
      .post(regional(project))
      .send({ name: 'vip', addressType: 'INTERNAL', subnetwork: 'nodes' })
      .expect(200);
    const delSubnet = await request(app.url)
      .delete(`${base(project)}/regions/us-central1/subnetworks/nodes`)
      .expect(400);
    expect(delSubnet.body.error.errors[0]).toEqual({
      domain: 'global',
      reason: 'resourceInUseByAnotherResource',
      message: `The subnetwork resource 'projects/${project}/regions/us-central1/subnetworks/nodes' is already being used by 'projects/${project}/regions/us-central1/addresses/vip'`,
    });
    const del = await request(app.url)
      .delete(`${regional(project)}/vip`)
      .expect(200);
    expect(del.body.error).toBeUndefined();
    await request(app.url)
      .get(`${regional(project)}/vip`)
      .expect(404);
    const ok = await request(app.url)
      .delete(`${base(project)}/regions/us-central1/subnetworks/nodes`)
      .expect(200);
    expect(ok.body.error).toBeUndefined();
  });

  it('lists per scope and aggregated', async () => {
    const project = await setup();
    await request(app.url).post(regional(project)).send({ name: 'r1' }).expect(200);
    await request(app.url)
      .post(`${base(project)}/global/addresses`)
      .send({ name: 'g1' })
      .expect(200);
    const regionalList = await request(app.url).get(regional(project)).expect(200);
    expect(regionalList.body.kind).toBe('compute#addressList');
    expect(regionalList.body.items.map((a: { name: string }) => a.name)).toEqual(['r1']);
    const agg = await request(app.url)
      .get(`${base(project)}/aggregated/addresses`)
      .expect(200);
    expect(agg.body.items.global.addresses[0].name).toBe('g1');
    expect(agg.body.items['regions/us-central1'].addresses[0].name).toBe('r1');
    expect(agg.body.items['regions/europe-west1'].warning.code).toBe('NO_RESULTS_ON_PAGE');
  });
});
