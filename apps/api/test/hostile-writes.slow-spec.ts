import fc from 'fast-check';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestGkeCluster, useTestApp } from '@gke-emulator/testing';

/**
 * Issue 13's promise, as a property: whatever value lands in whatever field of a write to Compute, GKE, the
 * Kubernetes API or a GraphQL mutation, the answer is never a 5xx and the server still answers /healthz.
 * Runs once per CI run (slow-spec): about 400 hostile writes.
 */
const app = useTestApp();

type Json = Record<string, unknown>;
const DEEP = '\u0001deep\u0001';

/** Hostile values, as JSON text fragments once serialised (`DEEP` becomes 10,000 levels of nesting). */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    'a\u0000b',
    '\ud800',
    'x\udc00y',
    null,
    [null],
    [null, 'x'],
    DEEP,
    'x'.repeat(100_000),
    2 ** 31,
    2 ** 53 + 1,
    -1,
    0.5,
    '999.1.1.1/8',
    '10.0.0.0/33',
    '',
    {},
    [],
    { __proto__key: { dryRun: 'All' } },
    { constructor: { prototype: { polluted: true } } },
    Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])),
    // Names and label sets the real APIs refuse (issue 13 item 15).
    'a'.repeat(254),
    'UPPER_Case',
    { 'Bad Key': 'x' },
    { ok: '-bad-value-' },
    { ['k'.repeat(64)]: 'v'.repeat(64) },
    Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`l${i}`, ''])),
    { note: 'x'.repeat(300 * 1024) },
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** JSON text with `__proto__` keys (JSON.stringify cannot write them) and deep nesting spliced in. */
function serialise(body: unknown): string {
  return JSON.stringify(body)
    .replaceAll('"__proto__key"', '"__proto__"')
    .replaceAll(JSON.stringify(DEEP), '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000));
}

/** `base` with `value` put at one of its paths (or at a new key), chosen by `pick`. */
function mutate(base: Json, value: unknown, pick: number, extraKey: string): Json {
  const paths: string[][] = [];
  const walk = (node: unknown, path: string[]) => {
    if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        paths.push([...path, key]);
        walk(child, [...path, key]);
      }
    }
  };
  walk(base, []);
  paths.push([extraKey]);
  const path = paths[pick % paths.length] as string[];
  const copy = structuredClone(base);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1] as string] = value;
  return copy;
}

interface Endpoint {
  name: string;
  method: 'post' | 'patch' | 'put';
  path: () => string;
  body: Json;
  contentType?: string;
}

let project: string;
let kube: string;
const compute = () => `/compute/v1/projects/${project}`;
const region = () => `${compute()}/regions/us-central1`;

const ENDPOINTS: Endpoint[] = [
  {
    name: 'networks.insert',
    method: 'post',
    path: () => `${compute()}/global/networks`,
    body: { name: 'n2', autoCreateSubnetworks: false, description: 'd', mtu: 1460 },
  },
  {
    name: 'networks.patch',
    method: 'patch',
    path: () => `${compute()}/global/networks/vpc`,
    body: { routingConfig: { routingMode: 'GLOBAL' } },
  },
  {
    name: 'subnetworks.insert',
    method: 'post',
    path: () => `${region()}/subnetworks`,
    body: {
      name: 's2',
      network: 'global/networks/vpc',
      ipCidrRange: '10.1.0.0/24',
      secondaryIpRanges: [{ rangeName: 'r', ipCidrRange: '10.2.0.0/24' }],
    },
  },
  {
    name: 'firewalls.insert',
    method: 'post',
    path: () => `${compute()}/global/firewalls`,
    body: {
      name: 'f',
      network: 'global/networks/vpc',
      allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
      sourceRanges: ['0.0.0.0/0'],
      targetTags: ['t'],
      description: 'd',
    },
  },
  {
    name: 'routes.insert',
    method: 'post',
    path: () => `${compute()}/global/routes`,
    body: {
      name: 'r',
      network: 'global/networks/vpc',
      destRange: '192.168.0.0/24',
      nextHopIp: '10.0.0.5',
      priority: 100,
    },
  },
  {
    name: 'addresses.insert',
    method: 'post',
    path: () => `${region()}/addresses`,
    body: { name: 'a', addressType: 'INTERNAL', subnetwork: 'regions/us-central1/subnetworks/s1' },
  },
  {
    name: 'securityPolicies.insert',
    method: 'post',
    path: () => `${compute()}/global/securityPolicies`,
    body: {
      name: 'sp',
      rules: [
        {
          priority: 1,
          action: 'deny(403)',
          match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['1.2.3.4'] } },
        },
      ],
    },
  },
  {
    name: 'healthChecks.insert',
    method: 'post',
    path: () => `${compute()}/global/healthChecks`,
    body: { name: 'hc', type: 'TCP', tcpHealthCheck: { port: 80 } },
  },
  {
    name: 'backendServices.insert',
    method: 'post',
    path: () => `${region()}/backendServices`,
    body: {
      name: 'bs',
      loadBalancingScheme: 'INTERNAL',
      protocol: 'TCP',
      network: 'global/networks/vpc',
      healthChecks: ['global/healthChecks/base-hc'],
    },
  },
  {
    name: 'forwardingRules.insert',
    method: 'post',
    path: () => `${region()}/forwardingRules`,
    body: {
      name: 'fr',
      loadBalancingScheme: 'INTERNAL',
      backendService: 'regions/us-central1/backendServices/base-bs',
      subnetwork: 'regions/us-central1/subnetworks/s1',
      ports: ['80'],
    },
  },
  {
    name: 'clusters.create',
    method: 'post',
    path: () => `/v1/projects/${project}/locations/us-central1-a/clusters`,
    body: {
      cluster: {
        name: 'c2',
        network: 'vpc',
        subnetwork: 's1',
        initialNodeCount: 1,
        description: 'd',
        resourceLabels: { a: 'b' },
        nodeConfig: { machineType: 'e2-medium' },
      },
    },
  },
  {
    name: 'nodePools.create',
    method: 'post',
    path: () => `${kubeCluster()}/nodePools`,
    body: { nodePool: { name: 'p2', initialNodeCount: 1, config: { machineType: 'e2-medium' } } },
  },
  {
    name: 'pods.create',
    method: 'post',
    path: () => `${kube}/api/v1/namespaces/default/pods`,
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { a: 'b' }, annotations: { x: 'y' } },
      spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] },
    },
  },
  {
    name: 'services.create',
    method: 'post',
    path: () => `${kube}/api/v1/namespaces/default/services`,
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: {
        type: 'LoadBalancer',
        selector: { a: 'b' },
        ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
      },
    },
  },
  {
    name: 'deployments.create',
    method: 'post',
    path: () => `${kube}/apis/apps/v1/namespaces/default/deployments`,
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    },
  },
  {
    name: 'networkpolicies.create',
    method: 'post',
    path: () => `${kube}/apis/networking.k8s.io/v1/namespaces/default/networkpolicies`,
    body: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'np' },
      spec: {
        podSelector: {},
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 80, protocol: 'TCP' }] }],
      },
    },
  },
  {
    name: 'ingresses.create',
    method: 'post',
    path: () => `${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses`,
    body: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'i' },
      spec: { defaultBackend: { service: { name: 'base', port: { number: 80 } } } },
    },
  },
  {
    name: 'namespaces.create',
    method: 'post',
    path: () => `${kube}/api/v1/namespaces`,
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', labels: { a: 'b' } } },
  },
  {
    name: 'services.merge-patch',
    method: 'patch',
    path: () => `${kube}/api/v1/namespaces/default/services/base`,
    contentType: 'application/merge-patch+json',
    body: { metadata: { labels: { a: 'b' } }, spec: { ports: [{ port: 80 }] } },
  },
  {
    name: 'services.strategic-patch',
    method: 'patch',
    path: () => `${kube}/api/v1/namespaces/default/services/base`,
    contentType: 'application/strategic-merge-patch+json',
    body: { metadata: { annotations: { a: 'b' } }, spec: { ports: [{ port: 80, name: 'http' }] } },
  },
  {
    name: 'deployments.scale',
    method: 'patch',
    path: () => `${kube}/apis/apps/v1/namespaces/default/deployments/base/scale`,
    contentType: 'application/merge-patch+json',
    body: { spec: { replicas: 1 } },
  },
];

let clusterPath: string;
const kubeCluster = () => clusterPath;

async function healthy(): Promise<void> {
  const started = Date.now();
  const res = await request(app.url).get('/healthz').timeout(5000);
  expect(res.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(5000);
}

beforeAll(async () => {
  const cluster = await createTestGkeCluster(app.url, { prefix: 'hostile', nodes: 1, maxPods: 8 });
  project = cluster.project;
  kube = cluster.kube;
  clusterPath = `/v1/projects/${project}/locations/us-central1-a/clusters/c1`;
  const ok = async (req: request.Test) => expect((await req).status).toBeLessThan(300);
  await ok(
    request(app.url)
      .post(`${compute()}/global/healthChecks`)
      .send({ name: 'base-hc', type: 'TCP', tcpHealthCheck: { port: 80 } }),
  );
  await ok(
    request(app.url)
      .post(`${region()}/backendServices`)
      .send({
        name: 'base-bs',
        loadBalancingScheme: 'INTERNAL',
        protocol: 'TCP',
        network: 'global/networks/vpc',
        healthChecks: ['global/healthChecks/base-hc'],
      }),
  );
  await ok(
    request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'base' },
        spec: { type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80 }] },
      }),
  );
  await ok(
    request(app.url)
      .post(`${region()}/addresses`)
      .send({ name: 'base-addr', addressType: 'INTERNAL', subnetwork: 'regions/us-central1/subnetworks/s1' }),
  );
  const deployments = `${kube}/apis/apps/v1/namespaces/default/deployments`;
  const base = ENDPOINTS.find((endpoint) => endpoint.name === 'deployments.create')?.body as Json;
  await ok(
    request(app.url)
      .post(deployments)
      .send({ ...base, metadata: { name: 'base' } }),
  );
}, 120_000);

/** Label sets Google refuses (bad keys, bad values, too many) and metadata the apiserver refuses. */
const badGceLabels: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.constantFrom<Record<string, string>>(
    { Env: 'x' },
    { '1st': '' },
    { 'a.b': '' },
    { ['k'.repeat(64)]: '' },
    { env: 'Prod' },
    { env: 'v'.repeat(64) },
    { env: 'a b' },
    Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`l${i}`, ''])),
  ),
  // any key that does not start with a lowercase letter
  fc
    .string({ minLength: 1, maxLength: 70 })
    .filter((key) => !/^[\p{Ll}\p{Lo}]/u.test(key))
    .map((key) => ({ [key]: '' })),
);

const badMetadata: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constantFrom<Record<string, unknown>>(
    { name: 'a'.repeat(254) },
    { name: 'Upper' },
    { name: 'under_score' },
    { name: 'ok', labels: { 'Bad Key': 'x' } },
    { name: 'ok', labels: { a: '-b' } },
    { name: 'ok', labels: { ['k'.repeat(64)]: '' } },
    { name: 'ok', labels: { 'a/b/c': '' } },
    { name: 'ok', annotations: { note: 'x'.repeat(300 * 1024) } },
    { name: 'ok', annotations: { 'x y': '' } },
    { generateName: 'Gen-' },
  ),
  // a name with at least one character outside the DNS-1123 subdomain alphabet
  fc
    .string({ minLength: 1, maxLength: 80 })
    // (NUL and lone surrogates are refused earlier, with a 400: item 14)
    .filter((name) => /[^-a-z0-9.]/.test(name) && !name.includes('\u0000') && !/[\ud800-\udfff]/.test(name))
    .map((name) => ({ name })),
);

describe('what the real APIs refuse is refused (fast-check)', () => {
  it('Kubernetes creates answer 422 Invalid for metadata the apiserver refuses, and store nothing', async () => {
    const creates = ENDPOINTS.filter(
      (endpoint) => endpoint.name.endsWith('.create') && endpoint.path().startsWith(kube),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...creates), badMetadata, async (endpoint, metadata) => {
        const body = { ...endpoint.body, metadata };
        const res = await request(app.url)
          .post(endpoint.path())
          .set('content-type', 'application/json')
          .send(JSON.stringify(body));
        const what = `${endpoint.name} ${JSON.stringify(metadata).slice(0, 200)} -> ${res.text.slice(0, 300)}`;
        expect(res.status, what).toBe(422);
        expect(res.body.reason, what).toBe('Invalid');
        expect(
          res.body.details.causes.some((c: { field: string }) => c.field.startsWith('metadata.')),
          what,
        ).toBe(true);
      }),
      { numRuns: 60, endOnFailure: true },
    );
    for (const path of ['api/v1/namespaces/default/pods/ok', 'api/v1/namespaces/default/services/ok'])
      expect((await request(app.url).get(`${kube}/${path}`)).status).toBe(404);
  }, 120_000);

  it('Compute and GKE answer 400 for labels Google refuses, and change nothing', async () => {
    const writes: { name: string; send: (labels: Record<string, string>) => request.Test }[] = [
      {
        name: 'addresses.setLabels',
        send: (labels) =>
          request(app.url)
            .post(`${region()}/addresses/base-addr/setLabels`)
            .send({ labels, labelFingerprint: '42WmSpB8rSM=' }),
      },
      {
        name: 'securityPolicies.insert',
        send: (labels) =>
          request(app.url).post(`${compute()}/global/securityPolicies`).send({ name: 'sp-l', labels }),
      },
      {
        name: 'clusters.create',
        send: (labels) =>
          request(app.url)
            .post(`/v1/projects/${project}/locations/us-central1-a/clusters`)
            .send({
              cluster: {
                name: 'cl',
                network: 'vpc',
                subnetwork: 's1',
                initialNodeCount: 1,
                resourceLabels: labels,
              },
            }),
      },
      {
        name: 'clusters.setResourceLabels',
        send: (labels) =>
          request(app.url).post(`${kubeCluster()}:setResourceLabels`).send({ resourceLabels: labels }),
      },
      {
        name: 'nodePools.create',
        send: (labels) =>
          request(app.url)
            .post(`${kubeCluster()}/nodePools`)
            .send({ nodePool: { name: 'pl', initialNodeCount: 1, config: { resourceLabels: labels } } }),
      },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writes), badGceLabels, async (write, labels) => {
        const res = await write.send(labels);
        const what = `${write.name} ${JSON.stringify(labels).slice(0, 200)} -> ${res.text.slice(0, 300)}`;
        expect(res.status, what).toBe(400);
        expect(res.body.error.errors[0].reason, what).toBe('invalid');
      }),
      { numRuns: 60, endOnFailure: true },
    );
    expect((await request(app.url).get(`${region()}/addresses/base-addr`)).body.labels).toBeUndefined();
    expect((await request(app.url).get(`${compute()}/global/securityPolicies/sp-l`)).status).toBe(404);
  }, 120_000);
});

describe('hostile writes (fast-check): never a 5xx, the server stays responsive', () => {
  it('REST writes of Compute, GKE and Kubernetes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        hostile,
        fc.nat(),
        fc.constantFrom('unknownField', '__proto__key', 'constructor', 'metadata'),
        async (endpoint, value, pick, extraKey) => {
          const text = serialise(mutate(endpoint.body, value, pick, extraKey));
          const client = request(app.url);
          const res = await client[endpoint.method](endpoint.path())
            .set('content-type', endpoint.contentType ?? 'application/json')
            .send(text);
          expect(
            res.status,
            `${endpoint.name} ${text.slice(0, 300)} -> ${res.text.slice(0, 300)}`,
          ).toBeLessThan(500);
          await healthy();
        },
      ),
      { numRuns: 300, endOnFailure: true },
    );
    // Nothing reached Object.prototype.
    expect(({} as Record<string, unknown>)['dryRun']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  }, 170_000);

  it('GraphQL mutations', async () => {
    const mutations = [
      {
        query: 'mutation($p: String!, $i: NetworkInput!) { createNetwork(project: $p, input: $i) { name } }',
        input: { name: 'g', autoCreateSubnetworks: false, description: 'd' },
      },
      {
        query:
          'mutation($p: String!, $i: FirewallInput!) { createFirewall(project: $p, input: $i) { name } }',
        input: { name: 'gf', network: 'vpc', allowed: [{ IPProtocol: 'tcp' }], sourceRanges: ['0.0.0.0/0'] },
      },
      {
        query:
          'mutation($p: String!, $i: ClusterInput!) { createCluster(project: $p, location: "us-central1-a", input: $i) { name } }',
        input: { name: 'gc', network: 'vpc', subnetwork: 's1', initialNodeCount: 1 },
      },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...mutations), hostile, fc.nat(), async (mutation, value, pick) => {
        const variables = { p: project, i: mutate(mutation.input, value, pick, 'unknownField') };
        const text = serialise({ query: mutation.query, variables });
        const res = await request(app.url)
          .post('/graphql')
          .set('content-type', 'application/json')
          .send(text);
        expect(res.status, `${text.slice(0, 300)} -> ${res.text.slice(0, 300)}`).toBeLessThan(500);
        expect(res.text, text.slice(0, 300)).not.toContain('Internal error');
        await healthy();
      }),
      { numRuns: 100, endOnFailure: true },
    );
  }, 120_000);
});
