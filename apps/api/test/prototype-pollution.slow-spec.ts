import fc from 'fast-check';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { testProject, useTestApp } from '@gke-emulator/testing';
import { createTestCluster, type TestCluster } from './support/kube-test-cluster';

// Keys that reach a prototype when code copies with `target[key] = value` (`__proto__`, also spelled with \u
// escapes) or walks `target[key][key2]` (`constructor.prototype`); values that would poison every object if they
// landed on Object.prototype.
const HOSTILE_KEYS = ['__proto__', '\\u005f_proto__', '__pr\\u006fto__', 'constructor', 'prototype'];
const HOSTILE_VALUES = [
  '{"dryRun":"All","polluted":"yes","sort":1}',
  '{"prototype":{"polluted":"yes","dryRun":"All"}}',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '[{"polluted":"yes"}]',
  '"yes"',
  'null',
];
const MARKER = 'zz-hostile-marker-zz';

const PROTOTYPES = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype };
const shape = () =>
  Object.fromEntries(
    Object.entries(PROTOTYPES).map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]),
  );
const untouched = shape();

function expectPrototypesUntouched(): void {
  expect(shape()).toEqual(untouched);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(({} as Record<string, unknown>)['dryRun']).toBeUndefined();
}

/** The JSON text of `base` with `"<hostile key>": <hostile value>` added to the object at `path`. */
function withHostileKey(
  base: unknown,
  path: readonly (string | number)[],
  key: string,
  value: string,
): string {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node: unknown = copy;
  for (const part of path) node = (node as Record<string | number, unknown>)[part];
  (node as Record<string, unknown>)[MARKER] = 0;
  return JSON.stringify(copy).replace(`"${MARKER}":0`, `"${key}":${value}`);
}

/** Object paths of a value (where a key can be added). */
function objectPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const own: (string | number)[][] = Array.isArray(value) ? [] : [prefix];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [...own, ...children.flatMap(([k, v]) => objectPaths(v, [...prefix, k]))];
}

const hostileBody = (base: unknown) =>
  fc
    .record({
      path: fc.constantFrom(...objectPaths(base)),
      key: fc.constantFrom(...HOSTILE_KEYS),
      value: fc.constantFrom(...HOSTILE_VALUES),
    })
    .map(({ path, key, value }) => withHostileKey(base, path, key, value));

const SERVICE = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { note: 'x' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
};
const RUNS = { numRuns: 60 };

describe('no request key reaches a prototype (every parser, patch type and API)', () => {
  const app = useTestApp();
  let cluster: TestCluster;
  let services: string;
  beforeAll(async () => {
    cluster = await createTestCluster(app.database);
    services = `${cluster.prefix}/api/v1/namespaces/default/services`;
    await request(app.url).post(services).send(SERVICE).expect(201);
  });

  const check = (status: number, text: string) => {
    expect(status, text).toBeLessThan(500);
    expectPrototypesUntouched();
  };

  it('refuses __proto__ in a strategic merge patch with 400 and keeps later writes working (the reported case)', async () => {
    const res = await request(app.url)
      .patch(`${services}/web`)
      .set('content-type', 'application/strategic-merge-patch+json')
      .send('{"metadata":{"__proto__":{"dryRun":"All"}}}');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    expect(res.body.message).toContain('unknown field "__proto__"');
    expectPrototypesUntouched();
  });

  for (const contentType of [
    'application/strategic-merge-patch+json',
    'application/merge-patch+json',
    'application/apply-patch+yaml',
  ]) {
    it(`Kubernetes PATCH ${contentType}`, async () => {
      await fc.assert(
        fc.asyncProperty(hostileBody(SERVICE), async (body) => {
          const res = await request(app.url)
            .patch(`${services}/web?fieldManager=fuzz&force=true`)
            .set('content-type', contentType)
            .send(body);
          check(res.status, res.text);
        }),
        RUNS,
      );
    });
  }

  it('Kubernetes PATCH application/apply-patch+yaml written as YAML', async () => {
    const yamlKey = fc.constantFrom(
      '__proto__',
      '"__proto__"',
      '"\\x5f_proto__"',
      'constructor',
      'prototype',
    );
    await fc.assert(
      fc.asyncProperty(yamlKey, fc.constantFrom('metadata', 'annotations', 'spec'), async (key, where) => {
        const hostile = `${key}:\n      polluted: "yes"\n      dryRun: All`;
        const body = [
          'apiVersion: v1',
          'kind: Service',
          'metadata:',
          '  name: web',
          where === 'metadata' ? `  ${hostile.replace(/\n {6}/g, '\n    ')}` : '',
          '  annotations:',
          where === 'annotations' ? `    ${hostile.replace(/\n {6}/g, '\n      ')}` : '    note: x',
          'spec:',
          '  ports: [{ name: http, port: 80 }]',
          where === 'spec' ? `  ${hostile.replace(/\n {6}/g, '\n    ')}` : '',
        ].join('\n');
        const res = await request(app.url)
          .patch(`${services}/web?fieldManager=fuzz-yaml&force=true`)
          .set('content-type', 'application/apply-patch+yaml')
          .send(body);
        check(res.status, res.text);
      }),
      { numRuns: 30 },
    );
  });

  it('Kubernetes PATCH application/json-patch+json', async () => {
    const segment = fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'metadata',
      'labels',
      'spec',
      '0',
    );
    const operation = fc.record({
      op: fc.constantFrom('add', 'replace', 'remove', 'move', 'copy', 'test'),
      path: fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
      from: fc.constantFrom('/metadata/labels', '/constructor/prototype', '/__proto__', '/spec'),
      value: fc.constantFrom(...HOSTILE_VALUES).map((text) => JSON.parse(text) as unknown),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 3 }), async (operations) => {
        const res = await request(app.url)
          .patch(`${services}/web`)
          .set('content-type', 'application/json-patch+json')
          .send(JSON.stringify(operations));
        check(res.status, res.text);
      }),
      RUNS,
    );
  });

  it('Kubernetes POST and PUT bodies', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody(SERVICE), fc.boolean(), async (body, create) => {
        const res = create
          ? await request(app.url)
              .post(services)
              .set('content-type', 'application/json')
              .send(body.replace('"name":"web"', `"name":"web-${Math.random().toString(36).slice(2, 8)}"`))
          : await request(app.url).put(`${services}/web`).set('content-type', 'application/json').send(body);
        check(res.status, res.text);
      }),
      RUNS,
    );
  });

  it('Compute, GKE and control API bodies', async () => {
    const project = testProject('proto');
    const network = { name: 'vpc', autoCreateSubnetworks: false, routingConfig: { routingMode: 'REGIONAL' } };
    const firewall = {
      name: 'fw',
      network: 'vpc',
      allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
      sourceRanges: ['0.0.0.0/0'],
    };
    const clusterBody = { cluster: { name: 'c', initialNodeCount: 1, nodePools: [{ name: 'p' }] } };
    await request(app.url).post(`/compute/v1/projects/${project}/global/networks`).send(network).expect(200);
    await request(app.url)
      .post(`/compute/v1/projects/${project}/global/firewalls`)
      .send(firewall)
      .expect(200);
    const targets = [
      { method: 'post', path: `/compute/v1/projects/${project}/global/networks`, base: network },
      { method: 'patch', path: `/compute/v1/projects/${project}/global/firewalls/fw`, base: firewall },
      { method: 'post', path: `/v1/projects/${project}/locations/us-central1-a/clusters`, base: clusterBody },
      { method: 'patch', path: `/emulator/v1/settings?project=${project}`, base: { operationDelayMs: 0 } },
      { method: 'post', path: '/emulator/v1/reset', base: { project: `${project}-other` } },
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...targets)
          .chain((target) => hostileBody(target.base).map((body) => ({ ...target, body }))),
        async ({ method, path, body }) => {
          const res = await request(app.url)[method](path).set('content-type', 'application/json').send(body);
          check(res.status, res.text);
          if (res.status >= 400) expect(res.body.error?.code, res.text).toBe(res.status);
        },
      ),
      RUNS,
    );
  });

  it('GraphQL variables, over HTTP and in a batch part', async () => {
    const project = testProject('proto-gql');
    const query =
      'mutation ($project: String!, $input: NetworkInput!) { createNetwork(project: $project, input: $input) { name } }';
    const base = { query, variables: { project, input: { name: 'gql-vpc', autoCreateSubnetworks: false } } };
    await fc.assert(
      fc.asyncProperty(hostileBody(base), async (body) => {
        const res = await request(app.url)
          .post('/graphql')
          .set('content-type', 'application/json')
          .send(body);
        check(res.status, res.text);
      }),
      RUNS,
    );
    const part = withHostileKey({ name: 'batch-vpc' }, [], '__proto__', HOSTILE_VALUES[0] as string);
    const batch = [
      '--b',
      'Content-Type: application/http',
      'Content-ID: <1>',
      '',
      `POST /compute/v1/projects/${project}/global/networks HTTP/1.1`,
      'Content-Type: application/json',
      '',
      part,
      '--b--',
      '',
    ].join('\r\n');
    const res = await request(app.url)
      .post('/batch/compute/v1')
      .set('content-type', 'multipart/mixed; boundary=b')
      .send(batch)
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => done(null, text));
      });
    check(res.status, String(res.body));
    expect(String(res.body)).toContain('Unknown name \\"__proto__\\"');
  });

  it('still stores every later write, in Kubernetes and Compute', async () => {
    const name = 'after-fuzz';
    await request(app.url)
      .post(services)
      .send({ ...SERVICE, metadata: { name } })
      .expect(201);
    const stored = await request(app.url).get(`${services}/${name}`).expect(200);
    expect(stored.body.metadata.name).toBe(name);
    const project = testProject('proto-after');
    const op = await request(app.url)
      .post(`/compute/v1/projects/${project}/global/networks`)
      .send({ name: 'after', autoCreateSubnetworks: false })
      .expect(200);
    expect(op.body.status).toBe('DONE');
    await request(app.url).get(`/compute/v1/projects/${project}/global/networks/after`).expect(200);
    expectPrototypesUntouched();
  });
});
