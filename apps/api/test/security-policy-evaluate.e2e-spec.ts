import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { readOracle } from '@gke-emulator/test-oracles';
import { testProject, useTestApp } from '@gke-emulator/testing';

const app = useTestApp();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

interface DocCase {
  readonly expr: string;
  readonly request: Readonly<Record<string, unknown>>;
  readonly expect: unknown;
}

const oracle = JSON.parse(readOracle('cloud-armor', 'doc-examples.json')) as { cases: DocCase[] };

/** The oracle's attribute names -> the `:evaluate` request's fields. */
const FIELDS: Readonly<Record<string, string>> = {
  'origin.ip': 'sourceIp',
  'origin.user_ip': 'userIp',
  'origin.region_code': 'regionCode',
  'origin.asn': 'asn',
  'origin.tls_ja3_fingerprint': 'tlsJa3Fingerprint',
  'origin.tls_ja4_fingerprint': 'tlsJa4Fingerprint',
  headers: 'headers',
  path: 'path',
  method: 'method',
  query: 'query',
  scheme: 'scheme',
};

function toRequest(attributes: Readonly<Record<string, unknown>>): Json {
  const out: Json = { sourceIp: '203.0.113.1' };
  for (const [key, value] of Object.entries(attributes)) {
    const field = FIELDS[key];
    if (!field) throw new Error(`unknown oracle request attribute ${key}`);
    out[field] = value;
  }
  return out;
}

const DEFAULT_ALLOW = {
  priority: 2147483647,
  action: 'allow',
  match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
};

async function createPolicy(project: string, name: string, rules: Json[]) {
  await request(app.url)
    .post(`/compute/v1/projects/${project}/global/securityPolicies`)
    .send({ name, rules })
    .expect(200);
}

const evaluate = (project: string, name: string, body: unknown) =>
  request(app.url)
    .post(`/emulator/v1/projects/${project}/global/securityPolicies/${name}:evaluate`)
    .send(body as object);

describe('POST …/securityPolicies/{name}:evaluate', () => {
  it('agrees with every documented rules-language example (doc-examples.json)', async () => {
    const project = testProject('armor-eval');
    const cases = oracle.cases.filter((c) => typeof c.expect === 'boolean');
    expect(cases.length).toBeGreaterThan(0);
    for (const [index, docCase] of cases.entries()) {
      const name = `doc-${index}`;
      await createPolicy(project, name, [
        { priority: 1000, action: 'deny(403)', match: { expr: { expression: docCase.expr } } },
        DEFAULT_ALLOW,
      ]);
      const answer = (await evaluate(project, name, { request: toRequest(docCase.request) }).expect(200))
        .body;
      const label = `${docCase.expr} on ${JSON.stringify(docCase.request)}`;
      if (docCase.expect) {
        expect(answer, label).toMatchObject({
          outcome: 'deny',
          status: 403,
          matchedRule: { priority: 1000 },
        });
      } else {
        expect(answer, label).toMatchObject({ outcome: 'allow', matchedRule: { priority: 2147483647 } });
      }
    }
  });

  it('names the matched rule, its action, and every preview match; redirects and throttles', async () => {
    const project = testProject('armor-eval');
    await createPolicy(project, 'edge', [
      {
        priority: 10,
        action: 'deny(404)',
        preview: true,
        match: { expr: { expression: "request.path == '/x'" } },
      },
      {
        priority: 15,
        action: 'deny(403)',
        preview: true,
        match: { expr: { expression: "request.method == 'GET'" } },
      },
      { priority: 20, action: 'deny(502)', match: { expr: { expression: "request.path == '/x'" } } },
      {
        priority: 30,
        action: 'redirect',
        redirectOptions: { type: 'EXTERNAL_302', target: 'https://example.com/go' },
        match: { expr: { expression: "request.headers['host'] == 'old.example.com'" } },
      },
      {
        priority: 40,
        action: 'throttle',
        match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['198.51.100.0/24'] } },
        rateLimitOptions: {
          conformAction: 'allow',
          exceedAction: 'deny(429)',
          rateLimitThreshold: { count: 1, intervalSec: 60 },
          enforceOnKey: 'IP',
        },
      },
      DEFAULT_ALLOW,
    ]);
    const denied = (
      await evaluate(project, 'edge', { request: { sourceIp: '192.0.2.1', path: '/x' } }).expect(200)
    ).body;
    expect(denied).toMatchObject({
      securityPolicy: `projects/${project}/global/securityPolicies/edge`,
      outcome: 'deny',
      status: 502,
      matchedRule: { priority: 20, action: 'deny(502)', preview: false, match: "expr: request.path == '/x'" },
    });
    expect(denied.previewMatches.map((hit: Json) => [hit.priority, hit.action, hit.preview])).toEqual([
      [10, 'deny(404)', true],
      [15, 'deny(403)', true],
    ]);

    const redirected = (
      await evaluate(project, 'edge', {
        request: { sourceIp: '192.0.2.1', method: 'POST', host: 'old.example.com', path: '/' },
      }).expect(200)
    ).body;
    expect(redirected).toMatchObject({
      outcome: 'redirect',
      redirect: { type: 'EXTERNAL_302', target: 'https://example.com/go' },
      matchedRule: { priority: 30 },
      previewMatches: [],
    });

    // The process counts evaluated requests per key: the second in the window exceeds a threshold of one.
    const body = { request: { sourceIp: '198.51.100.9', method: 'POST', path: '/api' } };
    const first = (await evaluate(project, 'edge', body).expect(200)).body;
    expect(first).toMatchObject({
      outcome: 'allow',
      matchedRule: {
        priority: 40,
        action: 'throttle',
        rateLimit: { verdict: 'conform', count: 1, threshold: 1 },
      },
    });
    const second = (await evaluate(project, 'edge', body).expect(200)).body;
    expect(second).toMatchObject({
      outcome: 'deny',
      status: 429,
      matchedRule: { priority: 40, rateLimit: { verdict: 'exceed', count: 2 } },
    });
  });

  it('evaluates a regional policy under its region, and only there', async () => {
    const project = testProject('armor-eval');
    await request(app.url)
      .post(`/compute/v1/projects/${project}/regions/europe-west1/securityPolicies`)
      .send({
        name: 'regional',
        rules: [
          {
            priority: 10,
            action: 'deny(404)',
            match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['198.51.100.0/24'] } },
          },
          DEFAULT_ALLOW,
        ],
      })
      .expect(200);
    const regional = (path: string, sourceIp: string) =>
      request(app.url)
        .post(`/emulator/v1/projects/${project}/${path}/securityPolicies/regional:evaluate`)
        .send({ request: { sourceIp } });
    expect((await regional('regions/europe-west1', '198.51.100.9').expect(200)).body).toMatchObject({
      securityPolicy: `projects/${project}/regions/europe-west1/securityPolicies/regional`,
      outcome: 'deny',
      status: 404,
      matchedRule: { priority: 10 },
    });
    expect((await regional('regions/europe-west1', '203.0.113.1').expect(200)).body).toMatchObject({
      outcome: 'allow',
    });
    await regional('regions/us-central1', '198.51.100.9').expect(404);
    await regional('global', '198.51.100.9').expect(404);
  });

  it('answers bad input with 400 naming the field, an unknown policy or region with 404', async () => {
    const project = testProject('armor-eval');
    await createPolicy(project, 'p', [DEFAULT_ALLOW]);
    const bad = async (body: unknown, field: string) => {
      const res = await evaluate(project, 'p', body).expect(400);
      expect(res.body.error.message).toContain(field);
      expect(res.body.error.code).toBe(400);
    };
    await bad({}, 'request');
    await bad({ request: {} }, 'request.sourceIp');
    await bad({ request: { sourceIp: 'nope' } }, 'request.sourceIp');
    await bad({ request: { sourceIp: '1.2.3.4', path: 'x' } }, 'request.path');
    await bad({ request: { sourceIp: '1.2.3.4', headers: { a: 1 } } }, 'request.headers.a');
    await bad({ request: { sourceIp: '1.2.3.4' }, extra: 1 }, 'extra');
    await bad([1], 'request');

    const missing = await evaluate(project, 'ghost', { request: { sourceIp: '1.2.3.4' } }).expect(404);
    expect(missing.body.error).toMatchObject({
      code: 404,
      message: `The resource 'projects/${project}/global/securityPolicies/ghost' was not found`,
      errors: [{ reason: 'notFound' }],
    });
    await request(app.url)
      .post(`/emulator/v1/projects/${project}/regions/us-central1/securityPolicies/p:evaluate`)
      .send({ request: { sourceIp: '1.2.3.4' } })
      .expect(404);
    await request(app.url)
      .post(`/emulator/v1/projects/${project}/global/securityPolicies/p:judge`)
      .send({ request: { sourceIp: '1.2.3.4' } })
      .expect(404);
  });
});
