import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp, testProject } from '@gke-emulator/testing';

const app = useTestApp();

type Json = Record<string, unknown>;
const DEFAULT = 2147483647;
const base = (project: string) => `/compute/v1/projects/${project}`;
const policies = (project: string) => `${base(project)}/global/securityPolicies`;
const srcIps = (...ranges: string[]) => ({ versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ranges } });
const expr = (expression: string) => ({ expr: { expression } });
const threshold = { count: 10, intervalSec: 60 };
const throttle = { conformAction: 'allow', exceedAction: 'deny(429)', rateLimitThreshold: threshold };

const createPolicy = (project: string, body: Json) => request(app.url).post(policies(project)).send(body);

/** A fresh project holding policy `p` (default rule only). */
async function projectWithPolicy(prefix = 'sp') {
  const project = testProject(prefix);
  await createPolicy(project, { name: 'p' }).expect(200);
  return project;
}

const addRule = (project: string, rule: Json, policy = 'p') =>
  request(app.url)
    .post(`${policies(project)}/${policy}/addRule`)
    .send(rule);

const getPolicy = (project: string, name = 'p') => request(app.url).get(`${policies(project)}/${name}`);
const getRule = (project: string, priority: number) =>
  request(app.url).get(`${policies(project)}/p/getRule?priority=${priority}`);
const patchRule = (project: string, priority: number, rule: Json, query = '') =>
  request(app.url)
    .post(`${policies(project)}/p/patchRule?priority=${priority}${query}`)
    .send(rule);
const removeRule = (project: string, priority: number) =>
  request(app.url).post(`${policies(project)}/p/removeRule?priority=${priority}`);
/** A rule as Google returns it: what was sent, plus `kind`, `description: ""` and `preview: false`. */
const returned = (rule: Json) => ({
  kind: 'compute#securityPolicyRule',
  description: '',
  preview: false,
  ...rule,
});
const missing = (p: number) =>
  `Invalid value for field 'priority': '${p}'. The security policy does not contain a rule at priority ${p}.`;
const duplicate = (p: number) =>
  `Invalid value for field 'resource.priority': '${p}'. Cannot have rules with the same priorities.`;

/** Google's 400 for a bad rule: status, reason and message. */
function expectInvalid(res: request.Response, message: string | RegExp, reason = 'invalid') {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.errors[0].reason).toBe(reason);
  if (typeof message === 'string') expect(res.body.error.message).toBe(message);
  else expect(res.body.error.message).toMatch(message);
}

describe('securityPolicies', () => {
  it('inserts rules given in any order and returns them sorted, default last, with Google defaults', async () => {
    const project = testProject('sp');
    const op = await createPolicy(project, {
      name: 'armor',
      description: 'edge rules',
      adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true, ruleVisibility: 'STANDARD' } },
      rules: [
        { priority: DEFAULT, action: 'deny(403)', match: srcIps('*') },
        { priority: '2000', action: 'throttle', match: srcIps('192.168.0.0/16'), rateLimitOptions: throttle },
        { priority: 1000, action: 'allow', match: expr("origin.region_code == 'CH'"), preview: true },
      ],
    }).expect(200);
    expect(op.body).toMatchObject({ kind: 'compute#operation', operationType: 'insert', status: 'DONE' });
    const selfLink = `${app.url}${policies(project)}/armor`;
    expect(op.body.targetLink).toBe(selfLink);

    const get = await getPolicy(project, 'armor').expect(200);
    expect(get.body).toEqual({
      kind: 'compute#securityPolicy',
      id: op.body.targetId,
      creationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*-08:00$/),
      name: 'armor',
      description: 'edge rules',
      type: 'CLOUD_ARMOR',
      fingerprint: expect.stringMatching(/^[\w-]{11}=$/),
      labelFingerprint: '42WmSpB8rSM=',
      adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true, ruleVisibility: 'STANDARD' } },
      selfLink,
      rules: [
        returned({
          action: 'allow',
          match: expr("origin.region_code == 'CH'"),
          preview: true,
          priority: 1000,
        }),
        returned({
          action: 'throttle',
          match: srcIps('192.168.0.0/16'),
          priority: 2000,
          rateLimitOptions: throttle,
        }),
        returned({ action: 'deny(403)', match: srcIps('*'), priority: DEFAULT }),
      ],
    });
  });

  it('adds the default allow rule when created without rules, and accepts the other policy types', async () => {
    const project = await projectWithPolicy();
    const get = await getPolicy(project).expect(200);
    expect(get.body.rules).toEqual([
      returned({ action: 'allow', description: 'default rule', match: srcIps('*'), priority: DEFAULT }),
    ]);
    expect(get.body.description).toBeUndefined();
    await createPolicy(project, { name: 'edge', type: 'CLOUD_ARMOR_EDGE' }).expect(200);
    expect((await getPolicy(project, 'edge')).body.type).toBe('CLOUD_ARMOR_EDGE');
    const bad = await createPolicy(project, { name: 'x', type: 'FIREWALL' });
    expectInvalid(bad, /^Invalid value at 'resource.type' .*"FIREWALL"$/);
  });

  it('adds, reads, patches and removes rules by priority, changing the policy fingerprint', async () => {
    const project = await projectWithPolicy();
    const before = (await getPolicy(project)).body.fingerprint as string;
    const ranges = srcIps('10.0.0.0/8', '2001:db8::/32');
    const rule = { priority: 100, action: 'deny(404)', description: 'block', match: ranges, preview: true };
    const op = await addRule(project, rule).expect(200);
    expect(op.body).toMatchObject({
      operationType: 'addRule',
      targetLink: `${app.url}${policies(project)}/p`,
    });
    expect((await getRule(project, 100).expect(200)).body).toEqual(returned(rule));
    const after = (await getPolicy(project)).body;
    expect(after.fingerprint).not.toBe(before);
    expect(after.rules.map((r: Json) => r['priority'])).toEqual([100, DEFAULT]);

    // patchRule merges: only the action and preview change; updateMask clears the description.
    await patchRule(
      project,
      100,
      { priority: 100, action: 'deny(502)', preview: false },
      '&updateMask=description',
    );
    const patched = (await getRule(project, 100).expect(200)).body;
    expect(patched).toEqual(returned({ priority: 100, action: 'deny(502)', match: ranges }));

    // A new matcher kind replaces the old one; the rule may move to a free priority.
    const admin = expr("request.path.startsWith('/admin')");
    await patchRule(project, 100, { priority: 200, match: admin }).expect(200);
    expect((await getRule(project, 200).expect(200)).body.match).toEqual(admin);
    expectInvalid(await getRule(project, 100), missing(100));

    // The default rule can change its action, not its match, and cannot be removed.
    await patchRule(project, DEFAULT, { action: 'deny(403)' }).expect(200);
    expectInvalid(
      await patchRule(project, DEFAULT, { match: srcIps('10.0.0.0/8') }),
      /^Invalid value for field 'resource.match'/,
    );
    expectInvalid(await removeRule(project, DEFAULT), /^Invalid value for field 'priority': '2147483647'\./);

    await removeRule(project, 200).expect(200);
    expectInvalid(await removeRule(project, 200), missing(200));
    expectInvalid(await patchRule(project, 7, { action: 'allow' }), missing(7));
    expect((await getPolicy(project)).body.rules).toEqual([
      returned({ action: 'deny(403)', description: 'default rule', match: srcIps('*'), priority: DEFAULT }),
    ]);
  });

  it('answers Google’s 400 for duplicate priorities, at addRule and when a rule moves', async () => {
    const project = await projectWithPolicy();
    await addRule(project, { priority: 10, action: 'allow', match: srcIps('1.2.3.4') }).expect(200);
    await addRule(project, { priority: 20, action: 'allow', match: srcIps('1.2.3.5') }).expect(200);
    expectInvalid(
      await addRule(project, { priority: 10, action: 'allow', match: srcIps('5.6.7.8') }),
      duplicate(10),
    );
    expectInvalid(await patchRule(project, 20, { priority: 10 }), duplicate(10));
    const rules = [
      { priority: 5, action: 'allow', match: srcIps('1.1.1.1') },
      { priority: 5, action: 'allow', match: srcIps('2.2.2.2') },
      { priority: DEFAULT, action: 'allow', match: srcIps('*') },
    ];
    expectInvalid(
      await createPolicy(project, { name: 'dups', rules }),
      /^Invalid value for field 'resource.rules\[1\].priority': '5'\./,
    );
  });

  it('lets exactly one of 20 concurrent addRule calls at one priority win', async () => {
    const project = await projectWithPolicy('sp-race');
    const add = (i: number) =>
      addRule(project, { priority: 500, action: 'allow', match: srcIps(`10.0.0.${i}`) });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => add(i)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const loser of results.filter((r) => r.status !== 200)) expectInvalid(loser, duplicate(500));
    const rules = (await getPolicy(project)).body.rules as Json[];
    expect(rules.map((r) => r['priority'])).toEqual([500, DEFAULT]);
  });

  it('validates matchers as Cloud Armor does', async () => {
    const project = await projectWithPolicy();
    const allow = (priority: number, match: Json) => addRule(project, { priority, action: 'allow', match });
    const eleven = Array.from({ length: 11 }, (_, i) => `10.0.${i}.0/24`);
    expectInvalid(
      await allow(1, srcIps(...eleven)),
      /^Invalid value for field 'resource.match.config.srcIpRanges': .*Maximum number of src_ip_ranges allowed is 10\.$/,
    );
    await allow(1, srcIps(...eleven.slice(0, 10))).expect(200);
    const celError =
      "^Invalid value for field 'resource.match.expr': .*Error parsing Cloud Armor rule matcher expression: ";
    expectInvalid(await allow(2, expr("request.path.matches('/a'")), new RegExp(`${celError}Syntax error`));
    expectInvalid(
      await allow(2, expr("base64Encode(request.path) == 'x'")),
      new RegExp(`${celError}undeclared reference to 'base64Encode'`),
    );
    const noRanges = await allow(2, { versionedExpr: 'SRC_IPS_V1' });
    expectInvalid(noRanges, "Required field 'resource.match.config.srcIpRanges' not specified", 'required');
    // The same checks run on the rules of an insert, with their index in the field path.
    const rules = [{ priority: DEFAULT, action: 'allow', match: expr('1 +') }];
    expectInvalid(
      await createPolicy(project, { name: 'bad-cel', rules }),
      /^Invalid value for field 'resource.rules\[0\].match.expr'/,
    );
  });

  it('validates actions, redirects and rate limits', async () => {
    const project = await projectWithPolicy();
    const rule = (priority: number, action: string, extra: Json = {}) =>
      addRule(project, { priority, action, match: srcIps('*'), ...extra });
    await rule(1, 'deny(403)').expect(200);
    await rule(2, 'deny(404)').expect(200);
    await rule(3, 'deny(502)').expect(200);
    expectInvalid(await rule(4, 'deny(500)'), /^Invalid value for field 'resource.action': 'deny\(500\)'\./);
    expectInvalid(
      await rule(4, 'redirect'),
      "Required field 'resource.redirectOptions' not specified",
      'required',
    );
    await rule(4, 'redirect', {
      redirectOptions: { type: 'EXTERNAL_302', target: 'https://example.com/x' },
    }).expect(200);
    await rule(5, 'throttle', { rateLimitOptions: throttle }).expect(200);
    expectInvalid(
      await rule(6, 'throttle'),
      "Invalid value for field 'resource.rateLimitOptions': ''. Rate limit options must be specified if the action is 'fairshare', 'rate_based_ban' or 'throttle'. It cannot be specified for any other actions",
    );
    const badInterval = { ...throttle, rateLimitThreshold: { count: 10, intervalSec: 7 } };
    expectInvalid(
      await rule(6, 'throttle', { rateLimitOptions: badInterval }),
      /^Invalid value for field 'resource.rateLimitOptions.rateLimitThreshold.intervalSec': '7'\./,
    );
    expectInvalid(
      await rule(6, 'rate_based_ban', { rateLimitOptions: throttle }),
      "Required field 'resource.rateLimitOptions.banDurationSec' not specified",
      'required',
    );
    expectInvalid(
      await rule(6, 'rate_based_ban', {
        rateLimitOptions: { ...throttle, exceedAction: 'allow', banDurationSec: 600 },
      }),
      /^Invalid value for field 'resource.rateLimitOptions.exceedAction': 'allow'\./,
    );
    const ban = { ...throttle, banDurationSec: '600', enforceOnKey: 'IP' };
    await rule(6, 'rate_based_ban', { rateLimitOptions: ban }).expect(200);
    const stored = (await getRule(project, 6).expect(200)).body.rateLimitOptions;
    expect(stored).toEqual({ ...ban, banDurationSec: 600 });
  });

  it('patches a policy with its current fingerprint only, and replaces the rules when given', async () => {
    const project = await projectWithPolicy();
    const patch = (body: Json) =>
      request(app.url)
        .patch(`${policies(project)}/p`)
        .send(body);
    await addRule(project, { priority: 10, action: 'allow', match: srcIps('1.2.3.4') }).expect(200);
    const current = (await getPolicy(project)).body;
    expectInvalid(
      await patch({ description: 'x' }),
      "Required field 'resource.fingerprint' not specified",
      'required',
    );
    const stale = await patch({ description: 'x', fingerprint: 'AAAAAAAAAAA=' });
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({ code: 412, errors: [{ reason: 'conditionNotMet' }] });

    // Clients send back what they read (output-only fields too); a fingerprint in the other base64 alphabet is
    // the same bytes. Without `rules` the rules stay.
    const { rules: _rules, ...read } = current;
    const fingerprint = (current.fingerprint as string).replace(/-/g, '+').replace(/_/g, '/');
    const op = await patch({ ...read, description: 'patched', fingerprint }).expect(200);
    expect(op.body.operationType).toBe('patch');
    const patched = (await getPolicy(project)).body;
    expect(patched).toMatchObject({ description: 'patched', rules: current.rules });
    expect(patched.fingerprint).not.toBe(current.fingerprint);
    expect((await patch({ description: 'y', fingerprint: current.fingerprint })).status).toBe(412);

    // With `rules`, the rule set is replaced (validated as at insert).
    const rules = [{ priority: DEFAULT, action: 'deny(404)', match: srcIps('*') }];
    await patch({ fingerprint: patched.fingerprint, rules }).expect(200);
    const replaced = (await getPolicy(project)).body;
    expect(replaced.rules).toEqual(rules.map(returned));

    // updateMask clears client fields (gcloud spells them in proto style); the name is not the client's to clear.
    await request(app.url)
      .patch(`${policies(project)}/p?updateMask=description,name`)
      .send({ fingerprint: replaced.fingerprint })
      .expect(200);
    const cleared = (await getPolicy(project)).body;
    expect([cleared.name, 'description' in cleared]).toEqual(['p', false]);
  });

  it('answers 409 for a duplicate name, 404 for a missing policy, and replays requestIds', async () => {
    const project = await projectWithPolicy();
    const path = (name: string) => `projects/${project}/global/securityPolicies/${name}`;
    const dup = await createPolicy(project, { name: 'p' });
    expect([dup.status, dup.body.error.message]).toEqual([409, `The resource '${path('p')}' already exists`]);
    const nope = await getPolicy(project, 'nope');
    expect([nope.status, nope.body.error.message]).toEqual([
      404,
      `The resource '${path('nope')}' was not found`,
    ]);
    expect(
      (await addRule(project, { priority: 1, action: 'allow', match: srcIps('*') }, 'nope')).status,
    ).toBe(404);

    const requestId = '6b3e2f4c-1d2a-4c5b-9e8f-0a1b2c3d4e5f';
    const insert = () =>
      request(app.url)
        .post(`${policies(project)}?requestId=${requestId}`)
        .send({ name: 'q' });
    const first = await insert().expect(200);
    expect((await insert().expect(200)).body.name).toBe(first.body.name);

    // validateOnly runs every check and changes nothing.
    await request(app.url)
      .post(`${policies(project)}/p/addRule?validateOnly=true`)
      .send({ priority: 3, action: 'allow', match: srcIps('*') })
      .expect(200);
    expectInvalid(await getRule(project, 3), missing(3));

    await request(app.url)
      .delete(`${policies(project)}/q`)
      .expect(200);
    expect((await getPolicy(project, 'q')).status).toBe(404);
    expect((await request(app.url).delete(`${policies(project)}/q`)).status).toBe(404);
  });

  it('fails the delete operation while a backend service uses the policy', async () => {
    const project = await projectWithPolicy();
    const policy = `projects/${project}/global/securityPolicies/p`;
    const backend = `projects/${project}/global/backendServices/web`;
    // Backend services have no REST kind yet: record the attachment the way their references are stored.
    await app.database.prisma.loadBalancingResource.create({
      data: {
        id: BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000)),
        projectId: project,
        kind: 'backendServices',
        scope: 'global',
        name: 'web',
        resource: { selfLink: backend },
        references: {
          create: { targetLink: policy, securityPolicyId: BigInt((await getPolicy(project)).body.id) },
        },
      },
    });
    const op = await request(app.url)
      .delete(`${policies(project)}/p`)
      .expect(200);
    expect(op.body).toMatchObject({
      operationType: 'delete',
      status: 'DONE',
      httpErrorStatusCode: 400,
      error: {
        errors: [
          {
            code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE',
            message: `The security_policy resource '${policy}' is already being used by '${backend}'`,
          },
        ],
      },
    });
    await getPolicy(project).expect(200);
  });

  it('lists with filter, orderBy and pages, and aggregates under global with empty regions', async () => {
    const project = testProject('sp-list');
    for (const name of ['b-policy', 'a-policy', 'c-other']) await createPolicy(project, { name }).expect(200);
    const list = (query: string) => request(app.url).get(`${policies(project)}?${query}`);
    const names = (res: request.Response) => (res.body.items as Json[]).map((p) => p['name']);
    const page1 = await list('maxResults=2').expect(200);
    expect(page1.body).toMatchObject({
      kind: 'compute#securityPolicyList',
      id: `projects/${project}/global/securityPolicies`,
    });
    expect(names(page1)).toEqual(['a-policy', 'b-policy']);
    const page2 = await list(`maxResults=2&pageToken=${encodeURIComponent(page1.body.nextPageToken)}`).expect(
      200,
    );
    expect(names(page2)).toEqual(['c-other']);
    const filter = encodeURIComponent('name eq .*-policy');
    const filtered = await list(`filter=${filter}&orderBy=creationTimestamp%20desc`).expect(200);
    expect(names(filtered)).toEqual(['a-policy', 'b-policy']);
    expect((await list(`filter=${encodeURIComponent('name eq (')}`)).status).toBe(400);

    const aggregated = await request(app.url)
      .get(`${base(project)}/aggregated/securityPolicies`)
      .expect(200);
    expect(aggregated.body.kind).toBe('compute#securityPoliciesAggregatedList');
    expect(aggregated.body.items.global.securityPolicies).toHaveLength(3);
    expect(aggregated.body.items['regions/us-central1']).toEqual({
      warning: {
        code: 'NO_RESULTS_ON_PAGE',
        message: "There are no results for scope 'regions/us-central1' on this page.",
        data: [{ key: 'scope', value: 'regions/us-central1' }],
      },
    });
    // The same routes without the compute/v1 prefix.
    const short = await request(app.url)
      .get(`/projects/${project}/global/securityPolicies/a-policy`)
      .expect(200);
    expect(short.body.name).toBe('a-policy');
  });

  it('lists the preconfigured WAF expression sets', async () => {
    const res = await request(app.url)
      .get(`${policies(testProject('sp'))}/listPreconfiguredExpressionSets`)
      .expect(200);
    const sets = res.body.preconfiguredExpressionSets.wafRules.expressionSets as Json[];
    expect(sets.map((s) => s['id'])).toEqual(
      expect.arrayContaining(['sqli-stable', 'xss-v33-stable', 'cve-canary']),
    );
    const sqli = sets.find((s) => s['id'] === 'sqli-v33-stable');
    expect(sqli).toMatchObject({ aliases: [], expressions: expect.any(Array) });
    expect((sqli?.['expressions'] as Json[])[0]).toMatchObject({
      id: expect.stringMatching(/^owasp-crs-v030301-id\d+-sqli$/),
    });
  });

  it('answers bad bodies and parameters with clean 400 errors', async () => {
    const project = await projectWithPolicy();
    const any = srcIps('*');
    const cases: [request.Test, RegExp][] = [
      [createPolicy(project, { name: 'x', bogus: 1 }), /Unknown name "bogus" at 'resource'/],
      [createPolicy(project, { name: 'Caps' }), /^Invalid value for field 'resource.name': 'Caps'/],
      [createPolicy(project, {}), /^Required field 'resource.name' not specified$/],
      [createPolicy(project, { name: 'x', rules: 'all' }), /^Invalid value at 'resource.rules'/],
      [
        createPolicy(project, { name: 'x', rules: [{ priority: 'hi' }] }),
        /'resource.rules\[0\].priority' \(TYPE_INT32\)/,
      ],
      [
        addRule(project, { priority: 1, action: 'allow', match: { expr: { expression: 5 } } }),
        /'resource.match.expr.expression'/,
      ],
      [
        addRule(project, { action: 'allow', match: any }),
        /^Required field 'resource.priority' not specified$/,
      ],
      [
        addRule(project, { priority: -1, action: 'allow', match: any }),
        /^Invalid value for field 'resource.priority': '-1'/,
      ],
      [
        request(app.url).get(`${policies(project)}/p/getRule?priority=abc`),
        /^Invalid value at 'priority' \(TYPE_INT32\), "abc"$/,
      ],
      [
        request(app.url)
          .post(`${policies(project)}/p/addRule`)
          .set('content-type', 'application/json')
          .send('{"p":'),
        /Invalid JSON payload/,
      ],
      [
        request(app.url)
          .post(`${policies(project)}?requestId=nope`)
          .send({ name: 'x' }),
        /request ID must be a valid UUID/,
      ],
    ];
    for (const [pending, message] of cases) {
      const res = await pending;
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
  });
});
