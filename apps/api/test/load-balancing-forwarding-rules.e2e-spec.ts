import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

type Json = Record<string, unknown>;
const base = (project: string) => `/compute/v1/projects/${project}`;
const regional = (project: string) => `${base(project)}/regions/us-central1/forwardingRules`;
const globalRules = (project: string) => `${base(project)}/global/forwardingRules`;
const full = (path: string) => `${app.url}/compute/v1/${path}`;

/** A link field as the client sees it: rendered against the base URL it used. */
const link = (path: string) => `${app.url}/compute/v1/${path}`;

async function insert(url: string, body: Json) {
  const res = await request(app.url).post(url).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.error, JSON.stringify(res.body)).toBeUndefined();
  return res;
}
const get = async (url: string) => (await request(app.url).get(url).expect(200)).body as Json;

function expectError(res: request.Response, status: number, message: string, reason = 'invalid') {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.errors[0].reason).toBe(reason);
  expect(res.body.error.message).toContain(message);
}

/**
 * A project with: a global HTTP load balancer chain (backend service `web` → URL map `lb` → proxy `proxy`),
 * a target pool `pool` in us-central1, and a VPC `vpc` with subnetwork `nodes` (10.0.0.0/29) holding an
 * INTERNAL TCP backend service `ilb`.
 */
async function setup(prefix = 'fr') {
  const project = testProject(prefix);
  const b = base(project);
  await insert(`${b}/global/healthChecks`, { name: 'hc', type: 'HTTP' });
  await insert(`${b}/global/backendServices`, { name: 'web', healthChecks: ['hc'] });
  await insert(`${b}/global/urlMaps`, { name: 'lb', defaultService: 'web' });
  await insert(`${b}/global/targetHttpProxies`, { name: 'proxy', urlMap: 'lb' });
  await insert(`${b}/regions/us-central1/targetPools`, { name: 'pool' });
  await insert(`${b}/global/networks`, { name: 'vpc', autoCreateSubnetworks: false });
  await insert(`${b}/regions/us-central1/subnetworks`, {
    name: 'nodes',
    network: 'vpc',
    ipCidrRange: '10.0.0.0/29',
  });
  await insert(`${b}/regions/us-central1/backendServices`, {
    name: 'ilb',
    loadBalancingScheme: 'INTERNAL',
    protocol: 'TCP',
    healthChecks: [`projects/${project}/global/healthChecks/hc`],
  });
  return project;
}

const internalRule = (extra: Json = {}) => ({
  loadBalancingScheme: 'INTERNAL',
  backendService: 'ilb',
  subnetwork: 'nodes',
  ports: ['80'],
  ...extra,
});

describe('forwardingRules', () => {
  it('creates a global rule for an HTTP proxy with an ephemeral address and Google defaults', async () => {
    const project = await setup();
    const op = await insert(globalRules(project), { name: 'http', target: 'proxy', portRange: '80' });
    expect(op.body).toMatchObject({ operationType: 'insert', status: 'DONE' });
    const got = await get(`${globalRules(project)}/http`);
    expect(got).toEqual({
      kind: 'compute#forwardingRule',
      id: got['id'],
      creationTimestamp: got['creationTimestamp'],
      name: 'http',
      description: '',
      IPAddress: expect.stringMatching(/^198\.19\.\d+\.\d+$/),
      IPProtocol: 'TCP',
      portRange: '80-80',
      loadBalancingScheme: 'EXTERNAL',
      networkTier: 'PREMIUM',
      target: link(`projects/${project}/global/targetHttpProxies/proxy`),
      labelFingerprint: '42WmSpB8rSM=',
      fingerprint: expect.stringMatching(/^[-_A-Za-z0-9]{11}=$/),
      selfLink: full(`projects/${project}/global/forwardingRules/http`),
    });
    // A second rule gets another ephemeral address; no port given means 80 for an HTTP proxy.
    await insert(globalRules(project), { name: 'other', target: 'proxy' });
    const other = await get(`${globalRules(project)}/other`);
    expect(other['portRange']).toBe('80-80');
    expect(other['IPAddress']).not.toBe(got['IPAddress']);

    const list = await request(app.url).get(globalRules(project)).expect(200);
    expect(list.body.kind).toBe('compute#forwardingRuleList');
    expect(list.body.items.map((r: Json) => r['name'])).toEqual(['http', 'other']);
  });

  it('uses a reserved address by name, link or value; the address shows IN_USE until the rules go', async () => {
    const project = await setup();
    const addresses = `${base(project)}/regions/us-central1/addresses`;
    await insert(addresses, { name: 'vip' });
    const vip = String((await get(`${addresses}/vip`))['address']);
    await insert(regional(project), { name: 'by-name', IPAddress: 'vip', target: 'pool', portRange: '80' });
    await insert(regional(project), {
      name: 'by-value',
      IPAddress: vip,
      target: `projects/${project}/regions/us-central1/targetPools/pool`,
      portRange: '443',
    });
    await insert(regional(project), {
      name: 'by-link',
      IPAddress: `https://www.googleapis.com/compute/v1/projects/${project}/regions/us-central1/addresses/vip`,
      IPProtocol: 'UDP',
      target: 'pool',
    });
    const rule = await get(`${regional(project)}/by-name`);
    expect(rule).toMatchObject({
      IPAddress: vip,
      portRange: '80-80',
      target: link(`projects/${project}/regions/us-central1/targetPools/pool`),
      region: full(`projects/${project}/regions/us-central1`),
    });
    expect((await get(`${regional(project)}/by-link`))['portRange']).toBe('1-65535');
    const address = await get(`${addresses}/vip`);
    expect(address).toMatchObject({
      status: 'IN_USE',
      users: ['by-name', 'by-value', 'by-link'].map((n) =>
        full(`projects/${project}/regions/us-central1/forwardingRules/${n}`),
      ),
    });
    const del = await request(app.url).delete(`${addresses}/vip`).expect(400);
    expect(del.body.error.errors[0]).toEqual({
      domain: 'global',
      reason: 'resourceInUseByAnotherResource',
      message: `The address resource 'projects/${project}/regions/us-central1/addresses/vip' is already being used by 'projects/${project}/regions/us-central1/forwardingRules/by-name'`,
    });
    // The target pool is in use too.
    const pool = await request(app.url)
      .delete(`${base(project)}/regions/us-central1/targetPools/pool`)
      .expect(400);
    expect(pool.body.error.errors[0].reason).toBe('resourceInUseByAnotherResource');

    for (const name of ['by-name', 'by-value', 'by-link']) {
      const gone = await request(app.url)
        .delete(`${regional(project)}/${name}`)
        .expect(200);
      expect(gone.body.error).toBeUndefined();
    }
    const freed = await get(`${addresses}/vip`);
    expect(freed['status']).toBe('RESERVED');
    expect(freed['users']).toBeUndefined();
    expect((await request(app.url).delete(`${addresses}/vip`)).body.error).toBeUndefined();
  });

  it('creates internal passthrough rules with the lowest free subnet address, avoiding reserved ones', async () => {
    const project = await setup();
    // The reservation takes 10.0.0.2 (.0, .1, .6 and .7 are Google's).
    await insert(`${base(project)}/regions/us-central1/addresses`, {
      name: 'reserved',
      addressType: 'INTERNAL',
      subnetwork: 'nodes',
    });
    await insert(regional(project), {
      name: 'ilb-a',
      ...internalRule({ ports: ['80', '443'], allowGlobalAccess: true }),
    });
    await insert(regional(project), {
      name: 'ilb-b',
      ...internalRule({ ports: undefined, allPorts: true }),
    });
    const a = await get(`${regional(project)}/ilb-a`);
    expect(a).toMatchObject({
      IPAddress: '10.0.0.3',
      IPProtocol: 'TCP',
      ports: ['80', '443'],
      loadBalancingScheme: 'INTERNAL',
      backendService: link(`projects/${project}/regions/us-central1/backendServices/ilb`),
      network: full(`projects/${project}/global/networks/vpc`),
      subnetwork: full(`projects/${project}/regions/us-central1/subnetworks/nodes`),
      networkTier: 'PREMIUM',
      allowGlobalAccess: true,
    });
    expect(a['portRange']).toBeUndefined();
    expect(await get(`${regional(project)}/ilb-b`)).toMatchObject({ IPAddress: '10.0.0.4', allPorts: true });
    await insert(regional(project), { name: 'ilb-c', ...internalRule({ ports: ['8080'] }) });
    expect((await get(`${regional(project)}/ilb-c`))['IPAddress']).toBe('10.0.0.5');
    const exhausted = await request(app.url)
      .post(regional(project))
      .send({ name: 'ilb-d', ...internalRule() });
    expectError(exhausted, 400, 'IP_SPACE_EXHAUSTED');

    // Sharing 10.0.0.3 on other ports or another protocol is fine; overlapping ports are not.
    await insert(regional(project), {
      name: 'share',
      ...internalRule({ IPAddress: '10.0.0.3', ports: ['8080'] }),
    });
    expectError(
      await request(app.url)
        .post(regional(project))
        .send({ name: 'clash', ...internalRule({ IPAddress: '10.0.0.3', ports: ['443', '9000'] }) }),
      400,
      "Invalid value for field 'resource.IPAddress': '10.0.0.3'. Specified IP address is in-use and would result in a conflict.",
    );
    // The subnetwork and the backend service are in use.
    const subnet = await request(app.url)
      .delete(`${base(project)}/regions/us-central1/subnetworks/nodes`)
      .expect(400);
    expect(subnet.body.error.errors[0].reason).toBe('resourceInUseByAnotherResource');
    const ilb = await request(app.url)
      .delete(`${base(project)}/regions/us-central1/backendServices/ilb`)
      .expect(400);
    expect(ilb.body.error.message).toContain(`projects/${project}/regions/us-central1/forwardingRules/ilb-a`);
  });

  it('hands concurrent ephemeral allocations distinct addresses', async () => {
    const project = await setup();
    await insert(`${base(project)}/regions/us-central1/subnetworks`, {
      name: 'wide',
      network: 'vpc',
      ipCidrRange: '10.0.1.0/28',
    });
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    await Promise.all(
      names.map((name) => insert(regional(project), { name, ...internalRule({ subnetwork: 'wide' }) })),
    );
    await Promise.all(names.map((name) => insert(globalRules(project), { name, target: 'proxy' })));
    const internal = await Promise.all(names.map((n) => get(`${regional(project)}/${n}`)));
    const external = await Promise.all(names.map((n) => get(`${globalRules(project)}/${n}`)));
    expect(new Set(internal.map((r) => r['IPAddress'])).size).toBe(names.length);
    expect(internal.map((r) => r['IPAddress']).sort()).toEqual(
      ['10.0.1.2', '10.0.1.3', '10.0.1.4', '10.0.1.5', '10.0.1.6', '10.0.1.7'].sort(),
    );
    expect(new Set(external.map((r) => r['IPAddress'])).size).toBe(names.length);
  });

  it('refuses rules sharing IP, protocol and ports among the external rules of a scope', async () => {
    const project = await setup();
    await insert(`${base(project)}/global/addresses`, { name: 'lb-ip' });
    await insert(globalRules(project), {
      name: 'http',
      IPAddress: 'lb-ip',
      target: 'proxy',
      portRange: '80',
    });
    const clash = await request(app.url)
      .post(globalRules(project))
      .send({ name: 'again', IPAddress: 'lb-ip', target: 'proxy', portRange: '80' });
    expectError(clash, 400, 'Specified IP address is in-use and would result in a conflict.');
    await insert(globalRules(project), {
      name: 'alt',
      IPAddress: 'lb-ip',
      target: 'proxy',
      portRange: '8080',
    });

    await insert(regional(project), { name: 'range', target: 'pool', portRange: '8000-8100' });
    const ip = String((await get(`${regional(project)}/range`))['IPAddress']);
    expect(ip).toMatch(/^198\.18\.\d+\.\d+$/);
    expectError(
      await request(app.url)
        .post(regional(project))
        .send({ name: 'inside', IPAddress: ip, target: 'pool', portRange: '8100-8200' }),
      400,
      `Invalid value for field 'resource.IPAddress': '${ip}'. Specified IP address is in-use`,
    );
    await insert(regional(project), {
      name: 'udp',
      IPAddress: ip,
      IPProtocol: 'UDP',
      target: 'pool',
      portRange: '8000',
    });
    await insert(regional(project), { name: 'above', IPAddress: ip, target: 'pool', portRange: '8101-8200' });
    // Another project cannot take the IP by value.
    const other = testProject('fr-other');
    await insert(`${base(other)}/regions/us-central1/targetPools`, { name: 'pool' });
    const elsewhere = await request(app.url)
      .post(regional(other))
      .send({ name: 'steal', IPAddress: ip, target: 'pool' });
    expect(elsewhere.status).toBe(400);
  });

  it('validates as Google does', async () => {
    const project = await setup();
    await insert(`${base(project)}/regions/us-central1/backendServices`, {
      name: 'udp',
      loadBalancingScheme: 'INTERNAL',
      protocol: 'UDP',
    });
    await insert(`${base(project)}/regions/us-central1/backendServices`, {
      name: 'any',
      loadBalancingScheme: 'INTERNAL',
      protocol: 'UNSPECIFIED',
    });
    await insert(`${base(project)}/global/backendServices`, {
      name: 'managed',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
    });
    await insert(`${base(project)}/global/urlMaps`, { name: 'managed', defaultService: 'managed' });
    await insert(`${base(project)}/global/targetHttpProxies`, { name: 'managed', urlMap: 'managed' });
    const pool = { target: 'pool' };
    const regionalCases: [Json, number, string][] = [
      [{ ...pool, portRange: '80', ports: ['80'] }, 400, 'portRange and ports are mutually exclusive.'],
      [
        { ...pool, ports: ['80'] },
        400,
        "Invalid value for field 'resource.ports': ''. ports can only be used with a backendService",
      ],
      [{ ...pool, portRange: '0' }, 400, "Invalid value for field 'resource.portRange': '0'."],
      [{ ...pool, portRange: '90-80' }, 400, "Invalid value for field 'resource.portRange': '90-80'."],
      [{ ...pool, portRange: 'http' }, 400, "Invalid value for field 'resource.portRange': 'http'."],
      [
        { ...pool, IPProtocol: 'ICMP', portRange: '80' },
        400,
        'Ports cannot be specified for IP protocol ICMP.',
      ],
      [
        { ...pool, IPProtocol: 'GRE' },
        400,
        "Invalid value for field 'resource.IPProtocol': 'GRE'. Must be one of [",
      ],
      [
        { ...pool, loadBalancingScheme: 'EXTERNAL_MANAGED' },
        400,
        'Target pools serve EXTERNAL forwarding rules only.',
      ],
      [{ ...pool, backendService: 'ilb' }, 400, 'A forwarding rule has either a target or a backendService.'],
      [{}, 400, "Required field 'resource.target' not specified"],
      [
        { target: 'nope' },
        404,
        `The resource 'projects/${project}/regions/us-central1/targetPools/nope' was not found`,
      ],
      [
        { ...pool, IPAddress: 'nope' },
        404,
        `The resource 'projects/${project}/regions/us-central1/addresses/nope' was not found`,
      ],
      [
        { ...pool, IPAddress: '198.18.0.1', ipVersion: 'IPV4' },
        400,
        'Both IP Version and IP Address cannot be specified.',
      ],
      [{ ...pool, subnetwork: 'nodes' }, 400, "Invalid value for field 'resource.subnetwork': 'nodes'."],
      [{ ...pool, allowGlobalAccess: true }, 400, "Invalid value for field 'resource.allowGlobalAccess'"],
      [
        { loadBalancingScheme: 'INTERNAL', subnetwork: 'nodes', ports: ['80'] },
        400,
        "Required field 'resource.backendService' not specified",
      ],
      [internalRule({ subnetwork: undefined }), 400, "Required field 'resource.subnetwork' not specified"],
      [internalRule({ ports: undefined }), 400, 'INTERNAL forwarding rules must specify ports or allPorts.'],
      [
        internalRule({ portRange: '80', ports: undefined }),
        400,
        'INTERNAL forwarding rules take ports or allPorts, not portRange.',
      ],
      [internalRule({ ports: ['1', '2', '3', '4', '5', '6'] }), 400, 'At most five ports can be specified.'],
      [
        internalRule({ IPProtocol: 'UDP' }),
        400,
        "Invalid value for field 'resource.IPProtocol': 'UDP'. Must match the protocol of the backend service (TCP).",
      ],
      [
        internalRule({ IPProtocol: 'L3_DEFAULT', backendService: 'any' }),
        400,
        'The L3_DEFAULT protocol requires allPorts to be true.',
      ],
      [internalRule({ backendService: 'udp' }), 400, 'Must match the protocol of the backend service (UDP).'],
      [
        internalRule({ IPAddress: '10.0.1.5' }),
        400,
        "The IP address must be a usable address of the subnetwork's range 10.0.0.0/29.",
      ],
      [
        internalRule({ IPAddress: '10.0.0.1' }),
        400,
        "Invalid value for field 'resource.IPAddress': '10.0.0.1'.",
      ],
      [
        internalRule({ networkTier: 'STANDARD' }),
        400,
        'Internal forwarding rules must use the PREMIUM network tier.',
      ],
      [
        internalRule({ target: 'pool', backendService: undefined }),
        400,
        'INTERNAL forwarding rules send traffic to a backendService',
      ],
      [internalRule({ network: 'default' }), 404, `projects/${project}/global/networks/default`],
    ];
    for (const [body, status, message] of regionalCases) {
      const res = await request(app.url)
        .post(regional(project))
        .send({ name: 'x', ...body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
    }
    const globalCases: [Json, number, string][] = [
      [
        { target: 'proxy', networkTier: 'STANDARD' },
        400,
        'Global forwarding rules must use the PREMIUM network tier.',
      ],
      [{ target: 'proxy', loadBalancingScheme: 'INTERNAL' }, 400, 'INTERNAL forwarding rules are regional.'],
      [
        { target: 'proxy', portRange: '81' },
        400,
        "Invalid value for field 'resource.portRange': '81'. Ports for a TargetHttpProxy must be 80 or 8080.",
      ],
      [{ target: 'proxy', portRange: '80-81' }, 400, 'A target HTTP proxy takes a single port.'],
      [{ target: 'proxy', IPProtocol: 'UDP' }, 400, 'A target proxy takes TCP traffic only.'],
      [
        { target: 'proxy', loadBalancingScheme: 'EXTERNAL_MANAGED' },
        400,
        'use load balancing scheme EXTERNAL; the forwarding rule must use the same.',
      ],
      [
        { target: 'regions/us-central1/targetPools/pool' },
        400,
        'Must be a link to one of: targetHttpProxies, targetHttpsProxies, targetTcpProxies, targetSslProxies, targetGrpcProxies.',
      ],
      [{ backendService: 'web' }, 400, "Invalid value for field 'resource.backendService': 'web'."],
      [{ target: 'proxy', bogus: true }, 400, 'Unknown name "bogus"'],
    ];
    for (const [body, status, message] of globalCases) {
      const res = await request(app.url)
        .post(globalRules(project))
        .send({ name: 'x', ...body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
    }
    await insert(globalRules(project), {
      name: 'managed',
      target: 'managed',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      portRange: '8081',
    });
    expectError(
      await request(app.url)
        .post(globalRules(project))
        .send({ name: 'managed', target: 'managed', loadBalancingScheme: 'EXTERNAL_MANAGED' }),
      409,
      `The resource 'projects/${project}/global/forwardingRules/managed' already exists`,
      'alreadyExists',
    );
  });

  it('switches targets with setTarget, labels with setLabels, and patches only what Google allows', async () => {
    const project = await setup();
    const b = base(project);
    await insert(`${b}/regions/us-central1/targetPools`, { name: 'pool2' });
    await insert(regional(project), { name: 'nlb', target: 'pool', portRange: '80', labels: { app: 'web' } });
    // Labels are set by setLabels only: an insert ignores them (real logs of 2024, mock-aligned ones of 2026).
    const inserted = await get(`${regional(project)}/nlb`);
    expect(inserted['labels']).toBeUndefined();
    expect(inserted['labelFingerprint']).toBe('42WmSpB8rSM=');
    expectError(
      await request(app.url)
        .post(`${regional(project)}/nlb/setLabels`)
        .send({ labels: { Bad: 'x' }, labelFingerprint: '42WmSpB8rSM=' }),
      400,
      "Invalid value for field 'labels': ''. Label key 'Bad' violates format constraints. The key must start with a lowercase character, can only contain lowercase letters, numeric characters, underscores and dashes. The key can be at most 63 characters long. International characters are allowed.",
      'invalid',
    );
    await request(app.url)
      .post(`${regional(project)}/nlb/setLabels`)
      .send({ labels: { app: 'web' }, labelFingerprint: '42WmSpB8rSM=' })
      .expect(200);
    const before = await get(`${regional(project)}/nlb`);
    expect(before['labels']).toEqual({ app: 'web' });
    expect(before['labelFingerprint']).not.toBe('42WmSpB8rSM=');

    const op = await request(app.url)
      .post(`${regional(project)}/nlb/setTarget`)
      .send({ target: 'pool2' })
      .expect(200);
    // computeforwardingrule (real logs): Google names this operation `SetTarget`.
    expect(op.body).toMatchObject({ operationType: 'SetTarget', status: 'DONE' });
    const moved = await get(`${regional(project)}/nlb`);
    expect(moved['target']).toEqual(link(`projects/${project}/regions/us-central1/targetPools/pool2`));
    expect(moved['IPAddress']).toBe(before['IPAddress']);
    expect(
      (await request(app.url).delete(`${b}/regions/us-central1/targetPools/pool`)).body.error,
    ).toBeUndefined();
    expectError(
      await request(app.url)
        .post(`${regional(project)}/nlb/setTarget`)
        .send({ target: 'nope' }),
      404,
      `projects/${project}/regions/us-central1/targetPools/nope`,
      'notFound',
    );

    const stale = await request(app.url)
      .post(`${regional(project)}/nlb/setLabels`)
      .send({ labels: { app: 'api' }, labelFingerprint: '42WmSpB8rSM=' });
    expectError(
      stale,
      412,
      'Labels fingerprint either invalid or resource labels have changed',
      'conditionNotMet',
    );
    await request(app.url)
      .post(`${regional(project)}/nlb/setLabels`)
      .send({ labels: { app: 'api', tier: 'gold' }, labelFingerprint: moved['labelFingerprint'] })
      .expect(200);
    const labelled = await get(`${regional(project)}/nlb`);
    expect(labelled['labels']).toEqual({ app: 'api', tier: 'gold' });
    expect(labelled['labelFingerprint']).not.toBe(moved['labelFingerprint']);

    const tier = await request(app.url)
      .patch(`${regional(project)}/nlb`)
      .send({ networkTier: 'STANDARD' });
    expect(tier.status, JSON.stringify(tier.body)).toBe(200);
    expect((await get(`${regional(project)}/nlb`))['networkTier']).toBe('STANDARD');
    expectError(
      await request(app.url)
        .patch(`${regional(project)}/nlb`)
        .send({ portRange: '81' }),
      400,
      "Invalid value for field 'resource.portRange': '81-81'. This field cannot be changed by a patch request.",
    );
    expectError(
      await request(app.url)
        .patch(`${regional(project)}/nlb`)
        .send({ labels: {} }),
      400,
      "Invalid value for field 'resource.labels'",
    );
    await request(app.url)
      .put(`${regional(project)}/nlb`)
      .send({ name: 'nlb', target: 'pool2' })
      .expect(501);

    const agg = await request(app.url).get(`${b}/aggregated/forwardingRules`).expect(200);
    expect(agg.body.kind).toBe('compute#forwardingRuleAggregatedList');
    expect(agg.body.items['regions/us-central1'].forwardingRules.map((r: Json) => r['name'])).toEqual([
      'nlb',
    ]);
    expect(agg.body.items.global.warning.code).toBe('NO_RESULTS_ON_PAGE');
  });
});
