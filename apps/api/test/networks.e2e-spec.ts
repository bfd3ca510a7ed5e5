import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

const base = (project: string) => `/compute/v1/projects/${project}`;

describe('networks', () => {
  it('inserts a custom mode network and returns it with the server-filled defaults', async () => {
    const project = testProject();
    const insert = await request(app.url)
      .post(`${base(project)}/global/networks`)
      .send({ name: 'vpc', autoCreateSubnetworks: false });
    expect(insert.status).toBe(200);
    expect(insert.body).toMatchObject({
      kind: 'compute#operation',
      operationType: 'insert',
      status: 'DONE',
      progress: 100,
      targetLink: `${app.url}/compute/v1/projects/${project}/global/networks/vpc`,
    });
    const get = await request(app.url).get(`${base(project)}/global/networks/vpc`);
    expect(get.status).toBe(200);
    expect(get.body).toMatchObject({
      kind: 'compute#network',
      name: 'vpc',
      autoCreateSubnetworks: false,
      routingConfig: { routingMode: 'REGIONAL', bgpBestPathSelectionMode: 'LEGACY' },
      networkFirewallPolicyEnforcementOrder: 'AFTER_CLASSIC_FIREWALL',
      selfLink: `${app.url}/compute/v1/projects/${project}/global/networks/vpc`,
    });
    expect(get.body.id).toMatch(/^\d{19}$/);
    expect(get.body.subnetworks).toBeUndefined();
    // computenetworkbasic (real log): Google omits the default MTU unless the client set one.
    expect(get.body.mtu).toBeUndefined();
    expect(Object.keys(get.body)).toEqual([...Object.keys(get.body)].sort());
  });

  it('creates one subnetwork per region, carved from 10.128.0.0/9, for an auto mode network', async () => {
    const project = testProject();
    await request(app.url)
      .post(`${base(project)}/global/networks`)
      .send({ name: 'auto', autoCreateSubnetworks: true })
      .expect(200);
    const network = await request(app.url)
      .get(`${base(project)}/global/networks/auto`)
      .expect(200);
    expect(network.body.subnetworks.length).toBeGreaterThan(35);
    const subnet = await request(app.url)
      .get(`${base(project)}/regions/us-central1/subnetworks/auto`)
      .expect(200);
    expect(subnet.body).toMatchObject({ ipCidrRange: '10.128.0.0/20', gatewayAddress: '10.128.0.1' });
    const europe = await request(app.url)
      .get(`${base(project)}/regions/europe-west1/subnetworks/auto`)
      .expect(200);
    expect(europe.body.ipCidrRange).toBe('10.132.0.0/20');
    // Custom subnets in an auto mode network stay out of the block Google reserves for its own.
    const clash = await request(app.url)
      .post(`${base(project)}/regions/us-central1/subnetworks`)
      .send({ name: 'mine', network: 'auto', ipCidrRange: '10.200.0.0/24' });
    expect(clash.status).toBe(400);
    expect(clash.body.error.message).toBe(
      'Extended subnetworks in auto subnet mode networks cannot overlap with 10.128.0.0/9.',
    );
    // Deleting the network takes its auto subnetworks along.
    const del = await request(app.url)
      .delete(`${base(project)}/global/networks/auto`)
      .expect(200);
    expect(del.body.error).toBeUndefined();
    await request(app.url)
      .get(`${base(project)}/regions/us-central1/subnetworks/auto`)
      .expect(404);
  });

  it('answers 409 alreadyExists for a second network of the same name', async () => {
    const project = testProject();
    await request(app.url)
      .post(`${base(project)}/global/networks`)
      .send({ name: 'dup', autoCreateSubnetworks: false })
      .expect(200);
    const again = await request(app.url)
      .post(`${base(project)}/global/networks`)
      .send({ name: 'dup', autoCreateSubnetworks: false });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: {
        code: 409,
        message: `The resource 'projects/${project}/global/networks/dup' already exists`,
        errors: [
          {
            domain: 'global',
            reason: 'alreadyExists',
            message: `The resource 'projects/${project}/global/networks/dup' already exists`,
          },
        ],
      },
    });
  });

  it('answers 404 notFound in Google shape', async () => {
    const project = testProject();
    const res = await request(app.url).get(`${base(project)}/global/networks/nope`);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({
      code: 404,
      message: `The resource 'projects/${project}/global/networks/nope' was not found`,
      errors: [{ reason: 'notFound', domain: 'global' }],
    });
    expect(res.body.error.status).toBeUndefined();
  });

  it('rejects bad names, unknown fields, wrong types, legacy networks and bad MTUs with 400', async () => {
    const project = testProject();
    const cases: [unknown, string][] = [
      [{ name: 'Caps', autoCreateSubnetworks: false }, "Invalid value for field 'resource.name': 'Caps'"],
      [{ name: 'a'.repeat(64), autoCreateSubnetworks: false }, "Invalid value for field 'resource.name'"],
      [{ name: '1abc', autoCreateSubnetworks: false }, "Invalid value for field 'resource.name'"],
      [{ autoCreateSubnetworks: false }, "Required field 'resource.name' not specified"],
      [{ name: 'x', autoCreateSubnetworks: false, bogus: 1 }, 'Unknown name "bogus"'],
      [
        { name: 'x', autoCreateSubnetworks: 'yes' },
        "Invalid value at 'resource.autoCreateSubnetworks' (TYPE_BOOL)",
      ],
      [{ name: 'x', autoCreateSubnetworks: false, mtu: 9000 }, 'MTU must be between 1300 and 8896'],
      [{ name: 'x' }, 'Legacy networks are not supported'],
      [{ name: 'x', autoCreateSubnetworks: false, routingConfig: { routingMode: 'WORLD' } }, 'routingMode'],
      [[1, 2], 'Expected an object'],
    ];
    for (const [body, message] of cases) {
      const res = await request(app.url)
        .post(`${base(project)}/global/networks`)
        .send(body as object);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(res.body.error.errors[0].domain).toBe('global');
    }
  });

  it('patches routingConfig and mtu', async () => {
    const project = testProject();
    await request(app.url)
      .post(`${base(project)}/global/networks`)
      .send({ name: 'p', autoCreateSubnetworks: false })
      .expect(200);
    const op = await request(app.url)
      .patch(`${base(project)}/global/networks/p`)
      .send({ routingConfig: { routingMode: 'GLOBAL' }, mtu: 1500 })
      .expect(200);
    // computenetworkbasic (real log): a network patch's operation is `updateNetwork`.
    expect(op.body.operationType).toBe('updateNetwork');
    const get = await request(app.url)
      .get(`${base(project)}/global/networks/p`)
      .expect(200);
    expect(get.body.routingConfig.routingMode).toBe('GLOBAL');
    expect(get.body.mtu).toBe(1500);
  });

  // Google refuses the delete request itself (no operation), naming the user, as it does for backend services.
  it('refuses the delete with 400 resourceInUseByAnotherResource while subnetworks remain', async () => {
    const project = testProject();
    await request(app.url)
      .post(`${base(project)}/global/networks`)
      .send({ name: 'n', autoCreateSubnetworks: false })
      .expect(200);
    await request(app.url)
      .post(`${base(project)}/regions/us-east1/subnetworks`)
      .send({ name: 's', network: 'global/networks/n', ipCidrRange: '10.1.0.0/24' })
      .expect(200);
    const del = await request(app.url)
      .delete(`${base(project)}/global/networks/n`)
      .expect(400);
    const message = `The network resource 'projects/${project}/global/networks/n' is already being used by 'projects/${project}/regions/us-east1/subnetworks/s'`;
    expect(del.body.error).toMatchObject({
      code: 400,
      message,
      errors: [{ reason: 'resourceInUseByAnotherResource', message, domain: 'global' }],
    });
    await request(app.url)
      .get(`${base(project)}/global/networks/n`)
      .expect(200);
  });

  it('lists with filter, orderBy and paging', async () => {
    const project = testProject();
    for (const name of ['alpha', 'beta', 'gamma', 'alpha-2']) {
      await request(app.url)
        .post(`${base(project)}/global/networks`)
        .send({ name, autoCreateSubnetworks: false })
        .expect(200);
    }
    const all = await request(app.url)
      .get(`${base(project)}/global/networks`)
      .expect(200);
    expect(all.body.kind).toBe('compute#networkList');
    expect(all.body.items.map((n: { name: string }) => n.name)).toEqual([
      'alpha',
      'alpha-2',
      'beta',
      'gamma',
    ]);
    const regex = await request(app.url)
      .get(`${base(project)}/global/networks`)
      .query({ filter: 'name eq alpha.*' })
      .expect(200);
    expect(regex.body.items.map((n: { name: string }) => n.name)).toEqual(['alpha', 'alpha-2']);
    const exact = await request(app.url)
      .get(`${base(project)}/global/networks`)
      .query({ filter: 'name = "beta"' })
      .expect(200);
    expect(exact.body.items.map((n: { name: string }) => n.name)).toEqual(['beta']);
    const page1 = await request(app.url)
      .get(`${base(project)}/global/networks`)
      .query({ maxResults: 3 })
      .expect(200);
    expect(page1.body.items).toHaveLength(3);
    const page2 = await request(app.url)
      .get(`${base(project)}/global/networks`)
      .query({ maxResults: 3, pageToken: page1.body.nextPageToken })
      .expect(200);
    expect(page2.body.items.map((n: { name: string }) => n.name)).toEqual(['gamma']);
    expect(page2.body.nextPageToken).toBeUndefined();
    const empty = await request(app.url)
      .get(`${base(testProject())}/global/networks`)
      .expect(200);
    expect(empty.body.items).toBeUndefined();
    const bad = await request(app.url)
      .get(`${base(project)}/global/networks`)
      .query({ filter: 'name eq (' });
    expect(bad.status).toBe(400);
  });

  it('replays an insert with the same requestId instead of executing it twice', async () => {
    const project = testProject();
    const requestId = '3f1b6c52-8a43-4a6c-9a3e-6f6a0f3c1a11';
    const first = await request(app.url)
      .post(`${base(project)}/global/networks`)
      .query({ requestId })
      .send({ name: 'idem', autoCreateSubnetworks: false })
      .expect(200);
    const second = await request(app.url)
      .post(`${base(project)}/global/networks`)
      .query({ requestId })
      .send({ name: 'idem', autoCreateSubnetworks: false })
      .expect(200);
    expect(second.body.name).toBe(first.body.name);
    expect(second.body.clientOperationId).toBe(requestId);
    await request(app.url)
      .post(`${base(project)}/global/networks`)
      .query({ requestId: 'not-a-uuid' })
      .send({})
      .expect(400);
  });

  it('answers 501 naming an unimplemented Compute method', async () => {
    const res = await request(app.url)
      .post(`${base(testProject())}/regions/us-central1/targetVpnGateways`)
      .send({ name: 'x' });
    expect(res.status).toBe(501);
    expect(res.body.error.message).toBe(
      "Method 'compute.targetVpnGateways.insert' is not implemented by gke-emulator.",
    );
  });
});

describe('bad bodies', () => {
  it('answers malformed JSON, wrong shapes and huge bodies with Google-shaped 4xx', async () => {
    const url = `${base(testProject())}/global/networks`;
    const malformed = await request(app.url)
      .post(url)
      .set('content-type', 'application/json')
      .send('{"name": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.errors[0].reason).toBe('parseError');
    const huge = await request(app.url)
      .post(url)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name: 'x', description: 'y'.repeat(5 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe(413);
    // text/plain needs no CORS preflight, so a web page could send it: refused before it is read.
    const text = await request(app.url).post(url).set('content-type', 'text/plain').send('not json');
    expect(text.status).toBe(415);
    const empty = await request(app.url).post(url).set('content-type', 'application/json').send('');
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain("Required field 'resource.name'");
  });
});

describe('operations', () => {
  it('stay RUNNING for the project delay, then wait returns DONE', async () => {
    const project = testProject();
    await request(app.url)
      .patch('/emulator/v1/settings')
      .query({ project })
      .send({ operationDelayMs: 400 })
      .expect(200);
    const op = await request(app.url)
      .post(`${base(project)}/global/networks`)
      .send({ name: 'slow', autoCreateSubnetworks: false })
      .expect(200);
    expect(op.body).toMatchObject({ status: 'RUNNING', progress: 0 });
    expect(op.body.endTime).toBeUndefined();
    const running = await request(app.url)
      .get(`${base(project)}/global/operations/${op.body.name}`)
      .expect(200);
    expect(running.body.status).toBe('RUNNING');
    const waited = await request(app.url)
      .post(`${base(project)}/global/operations/${op.body.name}/wait`)
      .expect(200);
    expect(waited.body).toMatchObject({ status: 'DONE', progress: 100 });
    expect(waited.body.endTime).toBeDefined();
    const list = await request(app.url)
      .get(`${base(project)}/global/operations`)
      .expect(200);
    expect(list.body.kind).toBe('compute#operationList');
    expect(list.body.items.map((o: { name: string }) => o.name)).toContain(op.body.name);
    await request(app.url)
      .delete(`${base(project)}/global/operations/${op.body.name}`)
      .expect(200);
    await request(app.url)
      .get(`${base(project)}/global/operations/${op.body.name}`)
      .expect(404);
    // Other projects keep the emulator-wide timing.
    const other = testProject();
    const fast = await request(app.url)
      .post(`${base(other)}/global/networks`)
      .send({ name: 'fast', autoCreateSubnetworks: false })
      .expect(200);
    expect(fast.body.status).toBe('DONE');
  });

  it('reset forgets one project and nothing else', async () => {
    const keep = testProject();
    const drop = testProject();
    for (const project of [keep, drop]) {
      await request(app.url)
        .post(`${base(project)}/global/networks`)
        .send({ name: 'n', autoCreateSubnetworks: false })
        .expect(200);
    }
    const reset = await request(app.url).post('/emulator/v1/reset').send({ project: drop }).expect(200);
    expect(reset.body).toEqual({ projectsDeleted: 1 });
    await request(app.url)
      .get(`${base(drop)}/global/networks/n`)
      .expect(404);
    await request(app.url)
      .get(`${base(keep)}/global/networks/n`)
      .expect(200);
    await request(app.url).post('/emulator/v1/reset').send({ project: 'Not_Valid' }).expect(400);
    await request(app.url).patch('/emulator/v1/settings').send({ operationDelayMs: -1 }).expect(400);
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    await request(app.url).get('/healthz').expect(200, { status: 'ok' });
    await request(app.url).get('/readyz').expect(200, { status: 'ready' });
  });
});

describe('switchToCustomMode and aggregated operations', () => {
  it('turns an auto mode network into a custom one whose subnetworks now block its deletion', async () => {
    const project = testProject();
    await request(app.url)
      .post(`${base(project)}/global/networks`)
      .send({ name: 'auto', autoCreateSubnetworks: true })
      .expect(200);
    const op = await request(app.url)
      .post(`${base(project)}/global/networks/auto/switchToCustomMode`)
      .expect(200);
    expect(op.body.operationType).toBe('switchToCustomMode');
    const network = await request(app.url)
      .get(`${base(project)}/global/networks/auto`)
      .expect(200);
    expect(network.body.autoCreateSubnetworks).toBe(false);
    const again = await request(app.url).post(`${base(project)}/global/networks/auto/switchToCustomMode`);
    expect(again.status).toBe(400);
    const del = await request(app.url)
      .delete(`${base(project)}/global/networks/auto`)
      .expect(400);
    expect(del.body.error.errors[0].reason).toBe('resourceInUseByAnotherResource');
    // The reserved block no longer applies to a custom mode network.
    await request(app.url)
      .post(`${base(project)}/regions/us-central1/subnetworks`)
      .send({ name: 'mine', network: 'auto', ipCidrRange: '10.250.0.0/24' })
      .expect(200);
  });

  it('lists every operation of the project by scope', async () => {
    const project = testProject();
    await request(app.url)
      .post(`${base(project)}/global/networks`)
      .send({ name: 'n', autoCreateSubnetworks: false })
      .expect(200);
    await request(app.url)
      .post(`${base(project)}/regions/us-east1/subnetworks`)
      .send({ name: 's', network: 'n', ipCidrRange: '10.0.0.0/24' })
      .expect(200);
    const agg = await request(app.url)
      .get(`${base(project)}/aggregated/operations`)
      .query({ returnPartialSuccess: true })
      .expect(200);
    expect(agg.body.kind).toBe('compute#operationAggregatedList');
    expect(agg.body.items.global.operations).toHaveLength(1);
    expect(agg.body.items['regions/us-east1'].operations).toHaveLength(1);
    expect(agg.body.items['regions/us-central1'].warning.code).toBe('NO_RESULTS_ON_PAGE');
  });
});
