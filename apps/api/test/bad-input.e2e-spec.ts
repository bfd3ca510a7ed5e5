import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, testProject, type TestApp } from '@gke-emulator/testing';

let app: TestApp;
let project: string;
beforeAll(async () => {
  app = await startTestApp();
  project = testProject('fuzz');
  await request(app.url)
    .post(`/compute/v1/projects/${project}/global/networks`)
    .send({ name: 'vpc', autoCreateSubnetworks: false });
  await request(app.url)
    .post(`/compute/v1/projects/${project}/regions/us-central1/subnetworks`)
    .send({ name: 'base', network: 'vpc', ipCidrRange: '10.0.0.0/24' });
  await request(app.url)
    .post(`/compute/v1/projects/${project}/global/firewalls`)
    .send({ name: 'base-fw', network: 'vpc', allowed: [{ IPProtocol: 'tcp' }] });
  await request(app.url)
    .post(`/compute/v1/projects/${project}/global/securityPolicies`)
    .send({ name: 'base-sp' });
});
afterAll(async () => {
  await app?.close();
});

const cidrish = fc.oneof(
  fc.constantFrom(
    '10.0.0.0/33',
    '10.0.0.1/24',
    '300.1.1.1/8',
    '10.0.0.0/24',
    '0.0.0.0/0',
    '',
    '/',
    '10.0.0.0/-1',
    '::1/128',
  ),
  fc
    .tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300), fc.integer({ min: -2, max: 40 }))
    .map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`),
  fc.string(),
);
const name = fc.oneof(fc.constantFrom('ok-name', 'Caps', 'a'.repeat(64), '-x', '1x', ''), fc.string());
const anyJson = fc.jsonValue({ maxDepth: 3 });
const field = <T>(arb: fc.Arbitrary<T>) =>
  fc.option(fc.oneof(arb, anyJson as fc.Arbitrary<unknown>), { nil: undefined });

const subnetBody = fc.record(
  {
    name: field(name),
    network: field(
      fc.constantFrom('vpc', 'global/networks/vpc', 'nope', 'projects/x/global/networks/vpc', 'http://[::1'),
    ),
    ipCidrRange: field(cidrish),
    secondaryIpRanges: field(
      fc.array(fc.record({ rangeName: field(name), ipCidrRange: field(cidrish) }), { maxLength: 4 }),
    ),
    privateIpGoogleAccess: field(fc.boolean()),
    fingerprint: field(fc.string()),
    purpose: field(fc.constantFrom('PRIVATE', 'NOPE')),
  },
  { requiredKeys: [] },
);
const networkBody = fc.record(
  {
    name: field(name),
    autoCreateSubnetworks: field(fc.boolean()),
    mtu: field(fc.integer({ min: -10, max: 10000 })),
    routingConfig: field(
      fc.record({ routingMode: field(fc.constantFrom('REGIONAL', 'GLOBAL', 'X')) }, { requiredKeys: [] }),
    ),
  },
  { requiredKeys: [] },
);
const addressBody = fc.record(
  {
    name: field(name),
    addressType: field(fc.constantFrom('EXTERNAL', 'INTERNAL', 'X')),
    subnetwork: field(
      fc.constantFrom('base', 'regions/us-central1/subnetworks/base', 'nope', 'regions/x/subnetworks/base'),
    ),
    address: field(fc.constantFrom('10.0.0.5', '10.0.0.0', '198.18.0.9', '8.8.8.8', 'x')),
    networkTier: field(fc.constantFrom('PREMIUM', 'STANDARD', 'GOLD')),
    purpose: field(fc.constantFrom('GCE_ENDPOINT', 'VPC_PEERING')),
  },
  { requiredKeys: [] },
);
const armorRule = fc.record(
  {
    priority: field(fc.oneof(fc.integer({ min: -5, max: 2147483647 }), fc.constant(2147483648))),
    action: field(
      fc.constantFrom('allow', 'deny(403)', 'deny(418)', 'throttle', 'rate_based_ban', 'redirect', 'x'),
    ),
    preview: field(fc.boolean()),
    match: field(
      fc.oneof(
        fc.record({
          versionedExpr: fc.constantFrom('SRC_IPS_V1', 'X'),
          config: fc.record({ srcIpRanges: fc.array(cidrish, { maxLength: 12 }) }),
        }),
        fc.record({
          expr: fc.record({
            expression: fc.oneof(
              fc.constantFrom(
                "inIpRange(origin.ip, '1.2.3.0/24')",
                'nope(',
                "request.path.matches('[')",
                'origin.region_code == "US"',
              ),
              fc.string(),
            ),
          }),
        }),
      ),
    ),
    rateLimitOptions: field(
      fc.record(
        {
          rateLimitThreshold: fc.record({
            count: fc.integer({ min: -1, max: 10 }),
            intervalSec: fc.constantFrom(10, 7, 60),
          }),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);
const healthCheckBody = fc.record(
  {
    name: field(name),
    type: field(fc.constantFrom('HTTP', 'TCP', 'GRPC', 'ICMP')),
    checkIntervalSec: field(fc.integer({ min: -1, max: 400 })),
    timeoutSec: field(fc.integer({ min: -1, max: 400 })),
    httpHealthCheck: field(
      fc.record(
        {
          port: field(fc.integer({ min: -1, max: 70000 })),
          requestPath: field(fc.constantFrom('/', 'x', '')),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);
const loadBalancingBody = fc.record(
  {
    name: field(name),
    loadBalancingScheme: field(fc.constantFrom('EXTERNAL', 'INTERNAL', 'INTERNAL_MANAGED', 'X')),
    protocol: field(fc.constantFrom('HTTP', 'TCP', 'UDP', 'X')),
    healthChecks: field(
      fc.array(fc.constantFrom('base-hc', 'global/healthChecks/base-hc', 'nope', ''), { maxLength: 2 }),
    ),
    defaultService: field(fc.constantFrom('base-bs', 'global/backendServices/base-bs', 'nope')),
    backendService: field(fc.constantFrom('base-bs', 'nope')),
    target: field(fc.constantFrom('global/targetHttpProxies/x', 'regions/us-central1/targetPools/x', 'nope')),
    IPAddress: field(fc.constantFrom('10.0.0.7', '198.18.1.1', 'base-ip', 'x', '::1')),
    IPProtocol: field(fc.constantFrom('TCP', 'UDP', 'ICMP', 'X')),
    portRange: field(fc.constantFrom('80', '80-90', '90-80', 'x')),
    ports: field(fc.array(fc.constantFrom('80', '443', '70000'), { maxLength: 6 })),
    allPorts: field(fc.boolean()),
    subnetwork: field(fc.constantFrom('base', 'nope')),
    hostRules: field(
      fc.array(fc.record({ hosts: fc.array(fc.string(), { maxLength: 2 }), pathMatcher: fc.string() }), {
        maxLength: 2,
      }),
    ),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  loadBalancingBody,
  addressBody,
  armorRule,
  healthCheckBody,
  fc.record({ name: field(name), rules: field(fc.array(armorRule, { maxLength: 3 })) }, { requiredKeys: [] }),
  subnetBody as fc.Arbitrary<unknown>,
  networkBody,
  anyJson,
  fc.dictionary(fc.string(), anyJson),
);

/** Every answer is a success or a Google-shaped 4xx: never a 5xx, never a stack trace. */
function assertCleanAnswer(res: request.Response): void {
  expect(res.status, res.text).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.body.error.code).toBe(res.status);
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.errors[0].domain).toBe('global');
    expect(res.text).not.toMatch(/\n\s+at /);
  }
}

describe('random bodies', () => {
  it('insert and patch of subnetworks and networks answer 2xx or a clean 4xx', async () => {
    const base = `/compute/v1/projects/${project}`;
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom(
          'insertSubnet',
          'patchSubnet',
          'insertNetwork',
          'patchNetwork',
          'expand',
          'insertFirewall',
          'patchFirewall',
          'updateFirewall',
          'insertRoute',
          'insertAddress',
          'insertHealthCheck',
          'insertSecurityPolicy',
          'addSecurityPolicyRule',
          'insertBackendService',
          'insertRegionalBackendService',
          'insertUrlMap',
          'insertTargetPool',
          'insertForwardingRule',
          'insertGlobalForwardingRule',
        ),
        async (b, target) => {
          const send = {
            insertSubnet: () => request(app.url).post(`${base}/regions/us-central1/subnetworks`),
            patchSubnet: () => request(app.url).patch(`${base}/regions/us-central1/subnetworks/base`),
            insertNetwork: () => request(app.url).post(`${base}/global/networks`),
            patchNetwork: () => request(app.url).patch(`${base}/global/networks/vpc`),
            expand: () =>
              request(app.url).post(`${base}/regions/us-central1/subnetworks/base/expandIpCidrRange`),
            insertFirewall: () => request(app.url).post(`${base}/global/firewalls`),
            patchFirewall: () => request(app.url).patch(`${base}/global/firewalls/base-fw`),
            updateFirewall: () => request(app.url).put(`${base}/global/firewalls/base-fw`),
            insertRoute: () => request(app.url).post(`${base}/global/routes`),
            insertAddress: () => request(app.url).post(`${base}/regions/us-central1/addresses`),
            insertHealthCheck: () => request(app.url).post(`${base}/global/healthChecks`),
            insertSecurityPolicy: () => request(app.url).post(`${base}/global/securityPolicies`),
            addSecurityPolicyRule: () =>
              request(app.url).post(`${base}/global/securityPolicies/base-sp/addRule`),
            insertBackendService: () => request(app.url).post(`${base}/global/backendServices`),
            insertRegionalBackendService: () =>
              request(app.url).post(`${base}/regions/us-central1/backendServices`),
            insertUrlMap: () => request(app.url).post(`${base}/global/urlMaps`),
            insertTargetPool: () => request(app.url).post(`${base}/regions/us-central1/targetPools`),
            insertForwardingRule: () => request(app.url).post(`${base}/regions/us-central1/forwardingRules`),
            insertGlobalForwardingRule: () => request(app.url).post(`${base}/global/forwardingRules`),
          }[target]();
          assertCleanAnswer(await send.set('content-type', 'application/json').send(JSON.stringify(b)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('random raw payloads (not JSON) answer a clean 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const res = await request(app.url)
          .post(`/compute/v1/projects/${project}/regions/us-central1/subnetworks`)
          .set('content-type', 'application/json')
          .send(text);
        assertCleanAnswer(res);
      }),
      { numRuns: 100 },
    );
  });

  it('odd path parameters answer a clean 4xx', async () => {
    for (const path of [
      `/compute/v1/projects/${project}/regions/us-central1/subnetworks/%FF`,
      `/compute/v1/projects/${project}/regions/${'x'.repeat(600)}/subnetworks`,
      `/compute/v1/projects/${project}/global/networks/${encodeURIComponent('a b')}`,
      `/compute/v1/projects/${project}/global/operations/nope/wait`,
    ]) {
      assertCleanAnswer(await request(app.url).get(path));
      assertCleanAnswer(await request(app.url).post(path).send({}));
    }
  });
});

describe('names of Object.prototype in requests', () => {
  // Each of these once reached a lookup that found Object.prototype's member and answered 500.
  it('are unknown fields, types, functions, verbs and assets like any other name', async () => {
    const base = `/compute/v1/projects/${project}`;
    const bodies: object[] = [
      { valueOf: { '': false } },
      { constructor: 1 },
      { toString: 'x' },
      { hasOwnProperty: [] },
    ];
    for (const body of bodies) {
      const res = await request(app.url).post(`${base}/regions/us-central1/subnetworks`).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const healthCheck = await request(app.url)
      .post(`${base}/global/healthChecks`)
      .send({ name: 'x', type: 'constructor' });
    expect(healthCheck.status).toBe(400);
    const cel = await request(app.url)
      .post(`${base}/global/securityPolicies/base-sp/addRule`)
      .send({ priority: 10, action: 'allow', match: { expr: { expression: 'constructor(1)' } } });
    expect(cel.status).toBe(400);
    const attribute = await request(app.url)
      .post(`${base}/global/securityPolicies/base-sp/addRule`)
      .send({ priority: 11, action: 'allow', match: { expr: { expression: 'toString == 1' } } });
    expect(attribute.status).toBe(400);
    await request(app.url).post(`${base}/regions/us-central1/targetPools`).send({ name: 'pool' }).expect(200);
    const verb = await request(app.url)
      .post(`${base}/regions/us-central1/targetPools/pool/constructor`)
      .send({});
    expect(verb.status).toBe(501);
    const asset = await request(app.url).get('/playground/assets/constructor');
    expect(asset.status).toBe(404);
  });
});
