import {
  BackendServicesClient,
  ForwardingRulesClient,
  GlobalForwardingRulesClient,
  HealthChecksClient,
  SecurityPoliciesClient,
  TargetHttpProxiesClient,
  TargetPoolsClient,
  UrlMapsClient,
} from '@google-cloud/compute';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeClientOptions, startTestApp, type TestApp } from '@gke-emulator/testing';
import { googleError, type Lro, type Operation, slowOperationsProject } from './support/compute-sdk';

/**
 * The load-balancing chain and Cloud Armor driven by the official Node.js client (@google-cloud/compute, REST
 * transport): backend services (setSecurityPolicy), URL maps, target HTTP proxies, forwarding rules (regional and
 * global, setTarget, setLabels) and security policies (addRule/getRule/patchRule/removeRule). Each project's
 * operations stay RUNNING for 150 ms, so every write is followed to DONE through operations.wait.
 */

let app: TestApp;
let options: ReturnType<typeof computeClientOptions>;
beforeAll(async () => {
  app = await startTestApp();
  options = computeClientOptions(app);
});
afterAll(async () => {
  await app?.close();
});

async function setup(prefix: string) {
  const ok = async (op: Promise<Operation>) => {
    const done = await op;
    expect(done.error, JSON.stringify(done)).toBeFalsy();
    return done;
  };
  return {
    ...(await slowOperationsProject(app, prefix, 150)),
    ok,
    healthChecks: new HealthChecksClient(options),
    backendServices: new BackendServicesClient(options),
    urlMaps: new UrlMapsClient(options),
    proxies: new TargetHttpProxiesClient(options),
    pools: new TargetPoolsClient(options),
    rules: new ForwardingRulesClient(options),
    globalRules: new GlobalForwardingRulesClient(options),
    policies: new SecurityPoliciesClient(options),
  };
}

describe('@google-cloud/compute: load balancing and Cloud Armor', () => {
  it('builds an HTTP load balancer: backend services with a security policy, URL map, proxies and global rules', async () => {
    const c = await setup('sdk-lb');
    const { project, link, ok, waitGlobal } = c;
    await ok(
      waitGlobal(
        await c.healthChecks.insert({
          project,
          healthCheckResource: {
            name: 'hc',
            type: 'HTTP',
            httpHealthCheck: { port: 8080, requestPath: '/healthz' },
          },
        }),
      ),
    );
    for (const name of ['web', 'api']) {
      await ok(
        waitGlobal(
          await c.backendServices.insert({
            project,
            backendServiceResource: {
              name,
              protocol: 'HTTP',
              portName: 'http',
              healthChecks: [`projects/${project}/global/healthChecks/hc`],
            },
          }),
        ),
      );
    }
    await ok(waitGlobal(await c.policies.insert({ project, securityPolicyResource: { name: 'armor' } })));
    const attached = await ok(
      waitGlobal(
        await c.backendServices.setSecurityPolicy({
          project,
          backendService: 'web',
          securityPolicyReferenceResource: {
            securityPolicy: `projects/${project}/global/securityPolicies/armor`,
          },
        }),
      ),
    );
    expect(attached).toMatchObject({
      operationType: 'setSecurityPolicy',
      targetLink: link('global/backendServices/web'),
    });
    const [web] = await c.backendServices.get({ project, backendService: 'web' });
    expect(web).toMatchObject({
      name: 'web',
      protocol: 'HTTP',
      portName: 'http',
      loadBalancingScheme: 'EXTERNAL',
      healthChecks: [link('global/healthChecks/hc')],
      securityPolicy: link('global/securityPolicies/armor'),
    });

    await ok(
      waitGlobal(
        await c.urlMaps.insert({
          project,
          urlMapResource: {
            name: 'lb',
            defaultService: 'global/backendServices/web',
            hostRules: [{ hosts: ['api.example.com'], pathMatcher: 'api' }],
            pathMatchers: [
              {
                name: 'api',
                defaultService: `projects/${project}/global/backendServices/api`,
                pathRules: [{ paths: ['/v1/*'], service: 'global/backendServices/web' }],
              },
            ],
          },
        }),
      ),
    );
    const [map] = await c.urlMaps.get({ project, urlMap: 'lb' });
    expect(map).toMatchObject({
      defaultService: link('global/backendServices/web'),
      hostRules: [{ hosts: ['api.example.com'], pathMatcher: 'api' }],
      pathMatchers: [
        {
          name: 'api',
          defaultService: link('global/backendServices/api'),
          pathRules: [{ paths: ['/v1/*'], service: link('global/backendServices/web') }],
        },
      ],
    });
    for (const name of ['proxy', 'proxy-2']) {
      await ok(
        waitGlobal(
          await c.proxies.insert({ project, targetHttpProxyResource: { name, urlMap: 'global/urlMaps/lb' } }),
        ),
      );
    }
    expect((await c.proxies.get({ project, targetHttpProxy: 'proxy' }))[0].urlMap).toBe(
      link('global/urlMaps/lb'),
    );

    // A global rule with an ephemeral address from the emulator's global pool, then moved to the other proxy.
    await ok(
      waitGlobal(
        await c.globalRules.insert({
          project,
          forwardingRuleResource: {
            name: 'http',
            target: 'global/targetHttpProxies/proxy',
            portRange: '80',
            loadBalancingScheme: 'EXTERNAL',
          },
        }),
      ),
    );
    const [rule] = await c.globalRules.get({ project, forwardingRule: 'http' });
    expect(rule).toMatchObject({
      name: 'http',
      IPProtocol: 'TCP',
      portRange: '80-80',
      loadBalancingScheme: 'EXTERNAL',
      networkTier: 'PREMIUM',
      target: link('global/targetHttpProxies/proxy'),
    });
    expect(rule.IPAddress).toMatch(/^198\.19\./);
    const moved = await ok(
      waitGlobal(
        await c.globalRules.setTarget({
          project,
          forwardingRule: 'http',
          targetReferenceResource: { target: `projects/${project}/global/targetHttpProxies/proxy-2` },
        }),
      ),
    );
    expect(moved.operationType).toBe('SetTarget'); // as Google names it (real logs)
    const labelled = await ok(
      waitGlobal(
        await c.globalRules.setLabels({
          project,
          resource: 'http',
          globalSetLabelsRequestResource: {
            labels: { team: 'edge' },
            labelFingerprint: rule.labelFingerprint,
          },
        }),
      ),
    );
    expect(labelled.operationType).toBe('setLabels');
    const [after] = await c.globalRules.get({ project, forwardingRule: 'http' });
    expect(after).toMatchObject({
      IPAddress: rule.IPAddress,
      target: link('global/targetHttpProxies/proxy-2'),
      labels: { team: 'edge' },
    });
    expect(after.labelFingerprint).not.toBe(rule.labelFingerprint);
    // A stale label fingerprint is refused with 412.
    expect(
      await googleError(
        c.globalRules.setLabels({
          project,
          resource: 'http',
          globalSetLabelsRequestResource: { labels: {}, labelFingerprint: rule.labelFingerprint },
        }),
      ),
    ).toMatchObject({
      status: 412,
      message: 'Labels fingerprint either invalid or resource labels have changed',
    });

    // Everything in the chain is held by what uses it; the failures come inside DONE operations.
    const inUse = async (call: Promise<[Lro, ...unknown[]]>, user: string) => {
      const op = await waitGlobal(await call);
      expect(op.error?.errors?.[0]?.code).toBe('RESOURCE_IN_USE_BY_ANOTHER_RESOURCE');
      expect(op.error?.errors?.[0]?.message).toContain(`projects/${project}/global/${user}`);
    };
    await inUse(c.policies.delete({ project, securityPolicy: 'armor' }), 'backendServices/web');
    // Load-balancing resources in use are refused at once with 400 (computeurlmap, real log).
    expect(await googleError(c.backendServices.delete({ project, backendService: 'web' }))).toMatchObject({
      status: 400,
      message: expect.stringContaining(`projects/${project}/global/urlMaps/lb`),
    });
    expect(await googleError(c.urlMaps.delete({ project, urlMap: 'lb' }))).toMatchObject({
      status: 400,
      message: expect.stringContaining(`projects/${project}/global/targetHttpProxies/proxy`),
    });
    expect(await googleError(c.proxies.delete({ project, targetHttpProxy: 'proxy-2' }))).toMatchObject({
      status: 400,
      message: expect.stringContaining(`projects/${project}/global/forwardingRules/http`),
    });

    // Torn down from the front, each delete succeeds.
    await ok(waitGlobal(await c.globalRules.delete({ project, forwardingRule: 'http' })));
    for (const proxy of ['proxy', 'proxy-2'])
      await ok(waitGlobal(await c.proxies.delete({ project, targetHttpProxy: proxy })));
    await ok(waitGlobal(await c.urlMaps.delete({ project, urlMap: 'lb' })));
    await ok(
      waitGlobal(
        await c.backendServices.setSecurityPolicy({
          project,
          backendService: 'web',
          securityPolicyReferenceResource: {},
        }),
      ),
    );
    expect((await c.backendServices.get({ project, backendService: 'web' }))[0].securityPolicy).toBeFalsy();
    await ok(waitGlobal(await c.policies.delete({ project, securityPolicy: 'armor' })));
    const names = [];
    for await (const service of c.backendServices.listAsync({ project })) names.push(service.name);
    expect(names.sort()).toEqual(['api', 'web']);
  });

  it('runs regional forwarding rules to a target pool through insert, setTarget, setLabels and aggregated lists', async () => {
    const c = await setup('sdk-frr');
    const { project, link, ok, waitRegion } = c;
    const region = 'us-central1';
    for (const name of ['pool-a', 'pool-b']) {
      await ok(waitRegion(await c.pools.insert({ project, region, targetPoolResource: { name } })));
    }
    await ok(
      waitRegion(
        await c.rules.insert({
          project,
          region,
          forwardingRuleResource: {
            name: 'tcp',
            IPProtocol: 'TCP',
            portRange: '8000-8010',
            target: `regions/${region}/targetPools/pool-a`,
            labels: { app: 'shop' },
          },
        }),
      ),
    );
    const [rule] = await c.rules.get({ project, region, forwardingRule: 'tcp' });
    expect(rule).toMatchObject({
      name: 'tcp',
      region: `${app.url}/compute/v1/projects/${project}/regions/${region}`,
      IPProtocol: 'TCP',
      portRange: '8000-8010',
      loadBalancingScheme: 'EXTERNAL',
      target: link(`regions/${region}/targetPools/pool-a`),
    });
    // Insert ignores labels: setLabels sets them (compute.proto; real and mock-aligned logs).
    expect(rule.labels ?? {}).toEqual({});
    expect(rule.IPAddress).toMatch(/^198\.18\./);

    await ok(
      waitRegion(
        await c.rules.setTarget({
          project,
          region,
          forwardingRule: 'tcp',
          targetReferenceResource: { target: link(`regions/${region}/targetPools/pool-b`) },
        }),
      ),
    );
    await ok(
      waitRegion(
        await c.rules.setLabels({
          project,
          region,
          resource: 'tcp',
          regionSetLabelsRequestResource: {
            labels: { app: 'shop', tier: 'gold' },
            labelFingerprint: rule.labelFingerprint,
          },
        }),
      ),
    );
    const [after] = await c.rules.get({ project, region, forwardingRule: 'tcp' });
    expect(after).toMatchObject({
      IPAddress: rule.IPAddress,
      target: link(`regions/${region}/targetPools/pool-b`),
      labels: { app: 'shop', tier: 'gold' },
    });
    // The pool in use cannot go.
    expect(await googleError(c.pools.delete({ project, region, targetPool: 'pool-b' }))).toMatchObject({
      status: 400,
    });

    const scopes: Record<string, string[]> = {};
    for await (const [scope, list] of c.rules.aggregatedListAsync({ project })) {
      scopes[scope] = (list.forwardingRules ?? []).map((r) => String(r.name));
    }
    expect(scopes[`regions/${region}`]).toEqual(['tcp']);
    const missing = await googleError(c.rules.get({ project, region, forwardingRule: 'nope' }));
    expect(missing).toEqual({
      status: 404,
      message: `The resource 'projects/${project}/regions/${region}/forwardingRules/nope' was not found`,
    });
    await ok(waitRegion(await c.rules.delete({ project, region, forwardingRule: 'tcp' })));
    await ok(waitRegion(await c.pools.delete({ project, region, targetPool: 'pool-b' })));
  });

  it('edits security policy rules with addRule, getRule, patchRule and removeRule', async () => {
    const c = await setup('sdk-armor');
    const { project, ok, waitGlobal } = c;
    await ok(
      waitGlobal(
        await c.policies.insert({
          project,
          securityPolicyResource: {
            name: 'armor',
            description: 'edge rules',
            rules: [
              {
                priority: 2147483647,
                action: 'allow',
                match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
              },
              {
                priority: 1000,
                action: 'deny(403)',
                match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['203.0.113.0/24'] } },
              },
            ],
          },
        }),
      ),
    );
    const added = await ok(
      waitGlobal(
        await c.policies.addRule({
          project,
          securityPolicy: 'armor',
          securityPolicyRuleResource: {
            priority: 500,
            action: 'deny(404)',
            description: 'no admin from abroad',
            match: {
              expr: { expression: "request.path.startsWith('/admin') && origin.region_code != 'CH'" },
            },
          },
        }),
      ),
    );
    expect(added.operationType).toBe('addRule');
    const [rule] = await c.policies.getRule({ project, securityPolicy: 'armor', priority: 500 });
    expect(rule).toMatchObject({
      kind: 'compute#securityPolicyRule',
      priority: 500,
      action: 'deny(404)',
      preview: false,
      match: { expr: { expression: "request.path.startsWith('/admin') && origin.region_code != 'CH'" } },
    });

    await ok(
      waitGlobal(
        await c.policies.patchRule({
          project,
          securityPolicy: 'armor',
          priority: 500,
          securityPolicyRuleResource: { action: 'deny(502)', preview: true },
        }),
      ),
    );
    expect((await c.policies.getRule({ project, securityPolicy: 'armor', priority: 500 }))[0]).toMatchObject({
      action: 'deny(502)',
      preview: true,
      description: 'no admin from abroad',
    });

    // Bad CEL and a taken priority are refused on the call itself, with Google's shape.
    const badCel = await googleError(
      c.policies.addRule({
        project,
        securityPolicy: 'armor',
        securityPolicyRuleResource: {
          priority: 600,
          action: 'allow',
          match: { expr: { expression: "request.path.exists(p, p == '/')" } },
        },
      }),
    );
    expect(badCel.status).toBe(400);
    expect(badCel.message).toContain("Invalid value for field 'resource.match.expr'");
    const taken = await googleError(
      c.policies.addRule({
        project,
        securityPolicy: 'armor',
        securityPolicyRuleResource: {
          priority: 1000,
          action: 'allow',
          match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['10.0.0.0/8'] } },
        },
      }),
    );
    expect(taken.status).toBe(400);

    await ok(waitGlobal(await c.policies.removeRule({ project, securityPolicy: 'armor', priority: 1000 })));
    const [policy] = await c.policies.get({ project, securityPolicy: 'armor' });
    expect(policy.rules?.map((r) => [r.priority, r.action])).toEqual([
      [500, 'deny(502)'],
      [2147483647, 'allow'],
    ]);
    const gone = await googleError(c.policies.getRule({ project, securityPolicy: 'armor', priority: 1000 }));
    expect(gone.status).toBe(400);
  });
});
