import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createGcloud,
  gcloudAvailable,
  startTestApp,
  testProject,
  type Gcloud,
  type GcloudResult,
  type TestApp,
} from '@gke-emulator/testing';

/**
 * Cloud Armor security policies and their rules driven end to end by the real `gcloud` CLI. Each gcloud start
 * costs ~1.4 s, so each test is one scenario with a long timeout. Set GKE_EMULATOR_GCLOUD_TRANSCRIPTS=<dir> to keep
 * every invocation's HTTP exchanges (`--log-http`).
 */

type Json = Record<string, unknown>;
interface Rule extends Json {
  priority: number;
  action: string;
  description: string;
  preview: boolean;
  match: Json;
  rateLimitOptions?: Json;
}
interface Policy extends Json {
  name: string;
  rules: Rule[];
  fingerprint: string;
}

const TIMEOUT = 180_000;
const DEFAULT = 2147483647;
const srcIps = (...ranges: string[]) => ({ versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ranges } });

/** gcloud failed the way it prints a failed request, with Google's message. Soft: the scenario goes on. */
function expectFetchError(result: GcloudResult, command: string, message: string) {
  expect.soft(result.code, result.stderr).not.toBe(0);
  expect.soft(result.stderr).toContain(`ERROR: (gcloud.${command}) `);
  expect.soft(result.stderr).toContain(message);
}

/** The rule fields the scenarios compare; absent fields stay absent. */
const ruleFields = (r: Rule) => ({
  priority: r.priority,
  action: r.action,
  description: r.description,
  preview: r.preview,
  match: r.match,
  rateLimitOptions: r.rateLimitOptions,
});

// Skipped only when the gcloud binary is not installed on this machine: there is then no CLI to drive.
describe.skipIf(!gcloudAvailable())('gcloud compute security-policies against the emulator', () => {
  let app: TestApp;
  const clis: Gcloud[] = [];

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterEach(() => {
    for (const cli of clis.splice(0)) cli.dispose();
  });
  afterAll(async () => {
    await app?.close();
  });

  function setup() {
    const project = testProject('gcloud-sp');
    const gcloud = createGcloud(app.url, project);
    clis.push(gcloud);
    return {
      project,
      link: (path: string) => `${app.url}/compute/v1/projects/${project}/${path}`,
      run: (args: string[]) => gcloud.run(args),
      json: <T>(args: string[]) => gcloud.json<T>(args),
      /** `describe` commands print their one resource as a one-element list. */
      describe: async <T>(args: string[]) => (await gcloud.json<T[]>(args))[0] as T,
    };
  }

  it(
    'creates, describes, lists, updates and deletes a policy',
    async () => {
      const { project, link, run, json, describe } = setup();
      const created = await run([
        'compute',
        'security-policies',
        'create',
        'armor',
        '--description=first',
        '--format=json',
      ]);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stderr).toContain(`Created [${link('global/securityPolicies/armor')}].`);
      const [policy] = JSON.parse(created.stdout) as Policy[];
      expect(policy).toMatchObject({
        kind: 'compute#securityPolicy',
        name: 'armor',
        description: 'first',
        type: 'CLOUD_ARMOR',
        selfLink: link('global/securityPolicies/armor'),
        labelFingerprint: '42WmSpB8rSM=',
      });
      // No rules given: Google adds the default allow rule.
      expect(policy?.rules.map(ruleFields)).toEqual([
        {
          priority: DEFAULT,
          action: 'allow',
          description: 'default rule',
          preview: false,
          match: srcIps('*'),
        },
      ]);

      const duplicate = await run(['compute', 'security-policies', 'create', 'armor']);
      expectFetchError(
        duplicate,
        'compute.security-policies.create',
        `The resource 'projects/${project}/global/securityPolicies/armor' already exists`,
      );

      // update reads the policy and patches it with the fingerprint it read.
      const updated = await run([
        'compute',
        'security-policies',
        'update',
        'armor',
        '--description=second',
        '--enable-layer7-ddos-defense',
      ]);
      expect(updated.code, updated.stderr).toBe(0);
      const described = await describe<Policy>(['compute', 'security-policies', 'describe', 'armor']);
      expect(described).toMatchObject({
        description: 'second',
        adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true } },
      });
      expect(described.fingerprint).not.toBe(policy?.fingerprint);
      expect(described.rules).toEqual(policy?.rules);

      await run(['compute', 'security-policies', 'create', 'other', '--type=CLOUD_ARMOR_EDGE']);
      // list goes through aggregatedList (global and regional policies).
      const listed = await json<Policy[]>(['compute', 'security-policies', 'list']);
      expect(listed.map((p) => [p.name, p['type']])).toEqual([
        ['armor', 'CLOUD_ARMOR'],
        ['other', 'CLOUD_ARMOR_EDGE'],
      ]);

      const deleted = await run(['compute', 'security-policies', 'delete', 'armor']);
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(deleted.stderr).toContain(`Deleted [${link('global/securityPolicies/armor')}].`);
      expectFetchError(
        await run(['compute', 'security-policies', 'describe', 'armor']),
        'compute.security-policies.describe',
        `The resource 'projects/${project}/global/securityPolicies/armor' was not found`,
      );
    },
    TIMEOUT,
  );

  it(
    'creates, describes, updates and deletes rules, with Google’s errors for bad CEL and duplicate priorities',
    async () => {
      const { run, describe } = setup();
      const rules = (...args: string[]) => [
        'compute',
        'security-policies',
        'rules',
        ...args,
        '--security-policy=armor',
      ];
      expect((await run(['compute', 'security-policies', 'create', 'armor'])).code).toBe(0);

      const byIp = await run([
        ...rules('create', '1000'),
        '--src-ip-ranges=10.0.0.0/8,192.168.0.0/16',
        '--action=deny-403',
        '--description=block private',
        '--preview',
      ]);
      expect(byIp.code, byIp.stderr).toBe(0);
      const byExpr = await run([
        ...rules('create', '2000'),
        "--expression=origin.region_code == 'CH'",
        '--action=allow',
      ]);
      expect(byExpr.code, byExpr.stderr).toBe(0);
      const throttled = await run([
        ...rules('create', '3000'),
        '--src-ip-ranges=*',
        '--action=throttle',
        '--rate-limit-threshold-count=100',
        '--rate-limit-threshold-interval-sec=60',
        '--conform-action=allow',
        '--exceed-action=deny-429',
        '--enforce-on-key=IP',
      ]);
      expect(throttled.code, throttled.stderr).toBe(0);

      expect(ruleFields(await describe<Rule>(rules('describe', '3000')))).toEqual({
        priority: 3000,
        action: 'throttle',
        description: '',
        preview: false,
        match: srcIps('*'),
        rateLimitOptions: {
          conformAction: 'allow',
          enforceOnKey: 'IP',
          exceedAction: 'deny(429)',
          rateLimitThreshold: { count: 100, intervalSec: 60 },
        },
      });

      // update patches only what is given; --no-preview turns preview off.
      const updated = await run([...rules('update', '1000'), '--action=deny-404', '--no-preview']);
      expect(updated.code, updated.stderr).toBe(0);
      expect(ruleFields(await describe<Rule>(rules('describe', '1000')))).toEqual({
        priority: 1000,
        action: 'deny(404)',
        description: 'block private',
        preview: false,
        match: srcIps('10.0.0.0/8', '192.168.0.0/16'),
        rateLimitOptions: undefined,
      });

      expectFetchError(
        await run([...rules('create', '1000'), '--src-ip-ranges=1.2.3.4', '--action=allow']),
        'compute.security-policies.rules.create',
        "Invalid value for field 'resource.priority': '1000'. Cannot have rules with the same priorities.",
      );
      expectFetchError(
        await run([...rules('create', '4000'), "--expression=request.path.matches('/a'", '--action=allow']),
        'compute.security-policies.rules.create',
        'Invalid value for field \'resource.match.expr\': \'{  "expression": "request.path.matches(\\u0027/a\\u0027"}\'. Error parsing Cloud Armor rule matcher expression: Syntax error',
      );
      expectFetchError(
        await run([
          ...rules('create', '4000'),
          "--expression=base64Encode(request.path) == 'x'",
          '--action=allow',
        ]),
        'compute.security-policies.rules.create',
        "Error parsing Cloud Armor rule matcher expression: undeclared reference to 'base64Encode'",
      );

      expect((await run([...rules('delete', '2000')])).code).toBe(0);
      expectFetchError(
        await run(rules('describe', '2000')),
        'compute.security-policies.rules.describe',
        "Invalid value for field 'priority': '2000'. The security policy does not contain a rule at priority 2000.",
      );
      const defaultRule = await run([...rules('update', String(DEFAULT)), '--action=deny-502']);
      expect(defaultRule.code, defaultRule.stderr).toBe(0);

      const policy = await describe<Policy>(['compute', 'security-policies', 'describe', 'armor']);
      expect(policy.rules.map((r) => [r.priority, r.action, r.kind])).toEqual([
        [1000, 'deny(404)', 'compute#securityPolicyRule'],
        [3000, 'throttle', 'compute#securityPolicyRule'],
        [DEFAULT, 'deny(502)', 'compute#securityPolicyRule'],
      ]);
      expect((await run(['compute', 'security-policies', 'delete', 'armor'])).code).toBe(0);
    },
    TIMEOUT,
  );
});
