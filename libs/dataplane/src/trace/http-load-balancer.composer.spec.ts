import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RateLimiter,
  type SecurityPolicyRuleInput,
  compileSecurityPolicy,
  evaluateSecurityPolicy,
  validateSecurityPolicyRules,
} from '../cloud-armor';
import type { FirewallRule } from '../vpc';
import {
  GKE_FIREWALLS,
  HC_RANGES,
  NETWORK,
  NODES,
  clusterInputs,
  slice,
  PODS,
} from './connectivity-cluster.fixture';
import { composeReachability } from './connectivity.composer';
import type { Step, Trace } from './reachability.types';
import type { TraceHttpBackendService, TraceInputs, TraceQuery } from './trace-inputs.types';

const L7_FIREWALL: FirewallRule = {
  name: 'k8s-fw-l7--c',
  network: NETWORK,
  allowed: [{ IPProtocol: 'tcp', ports: ['30000-32767'] }],
  sourceRanges: HC_RANGES,
  targetTags: ['gke-c-node'],
};
const LB_IP = '34.9.9.9';
const NODE_URIS = NODES.map((node) => `projects/p/zones/us-central1-a/instances/${node.name}`);

function policy(name: string, rules: SecurityPolicyRuleInput[]) {
  const validated = validateSecurityPolicyRules(rules);
  if (!validated.ok) throw new Error(validated.violations[0]?.message);
  return { name, uri: `projects/p/global/securityPolicies/${name}`, rules: validated.value };
}

function backend(name: string, extra: Partial<TraceHttpBackendService> = {}): TraceHttpBackendService {
  return {
    name,
    uri: `projects/p/global/backendServices/${name}`,
    port: 30010, // the NodePort of Service default/web in the fixture
    healthCheckUri: `projects/p/global/healthChecks/${name}`,
    backends: NODE_URIS,
    ...extra,
  };
}

/** The fixture cluster with an Ingress-style HTTP load balancer in front of Service web's NodePort. */
function inputs(
  services: Record<string, TraceHttpBackendService>,
  options: { firewalls?: FirewallRule[] } = {},
) {
  const base = clusterInputs({ firewalls: options.firewalls ?? [...GKE_FIREWALLS, L7_FIREWALL] });
  const withHttp: TraceInputs = {
    ...base,
    forwardingRules: [
      ...base.forwardingRules,
      {
        name: 'k8s2-fr-web',
        uri: 'projects/p/global/forwardingRules/k8s2-fr-web',
        ip: LB_IP,
        protocol: 'TCP',
        portRange: '80-80',
        scheme: 'EXTERNAL',
        target: 'projects/p/global/targetHttpProxies/k8s2-tp-web',
        loadBalancer: null,
        http: {
          loadBalancerType: 'HTTPS_LOAD_BALANCER',
          targetProxyUri: 'projects/p/global/targetHttpProxies/k8s2-tp-web',
          urlMapUri: 'projects/p/global/urlMaps/k8s2-um-web',
          urlMap: {
            defaultService: 'projects/p/global/backendServices/open',
            hostRules: [{ hosts: ['shop.example.com'], pathMatcher: 'shop' }],
            pathMatchers: [
              {
                name: 'shop',
                defaultService: 'projects/p/global/backendServices/open',
                pathRules: [
                  { paths: ['/admin/*'], service: 'projects/p/global/backendServices/guarded' },
                  { paths: ['/iap/*'], service: 'projects/p/global/backendServices/iap' },
                  { paths: ['/old'], urlRedirect: { pathRedirect: '/new', redirectResponseCode: 'FOUND' } },
                ],
              },
            ],
          },
          backendServices: Object.fromEntries(Object.values(services).map((s) => [s.uri, s])),
        },
      },
    ],
  };
  return withHttp;
}

const ARMOR = policy('edge', [
  {
    priority: 100,
    action: 'deny(403)',
    match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['203.0.113.0/24'] } },
  },
  {
    priority: 200,
    action: 'deny(404)',
    match: { expr: { expression: "request.path.startsWith('/admin/secret')" } },
    preview: true,
  },
  {
    priority: 300,
    action: 'redirect',
    redirectOptions: { type: 'EXTERNAL_302', target: 'https://example.com/blocked' },
    match: { expr: { expression: "has(request.headers['x-bot'])" } },
  },
  {
    priority: 400,
    action: 'throttle',
    match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['198.51.100.0/24'] } },
    rateLimitOptions: {
      conformAction: 'allow',
      exceedAction: 'deny(429)',
      rateLimitThreshold: { count: 10, intervalSec: 60 },
      enforceOnKey: 'IP',
    },
  },
  {
    priority: 2147483647,
    action: 'allow',
    match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
  },
]);

const SERVICES = {
  open: backend('open'),
  guarded: backend('guarded', { securityPolicy: ARMOR }),
  iap: backend('iap', { iap: { enabled: true } }),
};

function query(source: string, http: TraceQuery['http'] = {}): TraceQuery {
  return {
    source: { ipAddress: source },
    destination: { ipAddress: LB_IP, port: 80 },
    protocol: 'TCP',
    http,
  };
}

const states = (trace: Trace) => trace.steps.map((step) => step.state);
const last = (trace: Trace) => trace.steps[trace.steps.length - 1] as Step;
const deciding = (trace: Trace) => trace.steps.find((step) => step.causesDrop);

describe('traces through an HTTP(S) load balancer', () => {
  it('routes by host and path, proxies from a GFE to a healthy node NodePort, then kube-proxy to a pod', () => {
    const details = composeReachability(
      inputs(SERVICES),
      query('192.0.2.1', { host: 'shop.example.com', path: '/' }),
    );
    expect(details.result).toBe('REACHABLE');
    // Two healthy nodes, each DNATs to one of two web pods.
    expect(details.traces).toHaveLength(4);
    const [trace] = details.traces as [Trace];
    expect(states(trace).slice(0, 6)).toEqual([
      'START_FROM_INTERNET',
      'APPLY_FORWARDING_RULE',
      'ARRIVE_AT_EXTERNAL_LOAD_BALANCER',
      'PROXY_CONNECTION',
      'APPLY_INGRESS_FIREWALL_RULE',
      'ARRIVE_AT_INSTANCE',
    ]);
    const lb = trace.steps[2] as Step;
    expect(lb.http).toMatchObject({
      request: { method: 'GET', host: 'shop.example.com', path: '/', scheme: 'http', sourceIp: '192.0.2.1' },
      hostRule: 'hostRules[0] shop.example.com',
      pathMatcher: 'shop',
      matched: 'pathMatcher shop defaultService',
      backendService: 'projects/p/global/backendServices/open',
    });
    expect(lb.loadBalancer?.loadBalancerType).toBe('HTTP_PROXY');
    expect(lb.loadBalancer?.backends.map((b) => b.healthState)).toEqual(['HEALTHY', 'HEALTHY']);
    expect(trace.steps[3]?.proxyConnection).toMatchObject({
      oldSourceIp: '192.0.2.1',
      newSourceIp: '35.191.0.1',
      newDestinationPort: 30010,
    });
    expect(trace.steps[4]?.firewall?.displayName).toBe('k8s-fw-l7--c');
    expect(last(trace)).toMatchObject({ state: 'DELIVER', pod: { name: expect.stringMatching(/^web-/) } });
    expect(details.traces.reduce((sum, t) => sum + (t.probability ?? 0), 0)).toBeCloseTo(1);
  });

  it('defaults to GET / with the address as Host: the map default', () => {
    const details = composeReachability(inputs(SERVICES), query('192.0.2.1', undefined));
    expect(details.traces[0]?.steps[2]?.http).toMatchObject({
      request: { method: 'GET', host: LB_IP, path: '/' },
      matched: 'defaultService',
    });
  });

  it('Cloud Armor deny: the deciding step names the policy and rule; the drop is inside the load balancer', () => {
    const details = composeReachability(
      inputs(SERVICES),
      query('203.0.113.9', { host: 'shop.example.com', path: '/admin/x' }),
    );
    expect(details.result).toBe('UNREACHABLE');
    expect(details.traces).toHaveLength(1);
    const [trace] = details.traces as [Trace];
    expect(deciding(trace)).toMatchObject({
      state: 'APPLY_INGRESS_FIREWALL_RULE',
      cloudArmor: {
        securityPolicy: 'projects/p/global/securityPolicies/edge',
        outcome: 'deny',
        status: 403,
        matchedRule: { priority: 100, action: 'deny(403)', match: 'srcIpRanges: 203.0.113.0/24' },
      },
    });
    expect(last(trace).drop?.cause).toBe('DROPPED_INSIDE_GOOGLE_MANAGED_SERVICE');
  });

  it('reports preview matches without applying them, and redirect and throttle actions', () => {
    const preview = composeReachability(
      inputs(SERVICES),
      query('192.0.2.1', { host: 'shop.example.com', path: '/admin/secret' }),
    );
    expect(preview.result).toBe('REACHABLE');
    const armor = preview.traces[0]?.steps.find((step) => step.cloudArmor)?.cloudArmor;
    expect(armor).toMatchObject({
      outcome: 'allow',
      matchedRule: { priority: 2147483647 },
      previewMatches: [{ priority: 200, action: 'deny(404)', outcome: 'deny', status: 404, preview: true }],
    });

    const redirected = composeReachability(
      inputs(SERVICES),
      query('192.0.2.1', { host: 'shop.example.com', path: '/admin/', headers: { 'X-Bot': '1' } }),
    );
    expect(redirected.result).toBe('UNREACHABLE');
    expect(deciding(redirected.traces[0] as Trace)?.cloudArmor).toMatchObject({
      outcome: 'redirect',
      redirect: { type: 'EXTERNAL_302', target: 'https://example.com/blocked' },
      matchedRule: { priority: 300 },
    });

    const throttled = composeReachability(
      inputs(SERVICES),
      query('198.51.100.4', { host: 'shop.example.com', path: '/admin/' }),
    );
    expect(throttled.result).toBe('REACHABLE');
    expect(throttled.traces[0]?.steps.find((step) => step.cloudArmor)?.cloudArmor?.matchedRule).toMatchObject(
      {
        priority: 400,
        action: 'throttle',
        rateLimit: { verdict: 'conform', count: 1, threshold: 10, intervalSec: 60, keyTypes: ['IP'] },
      },
    );
  });

  it('IAP refuses a request without identity and passes one with it', () => {
    const refused = composeReachability(
      inputs(SERVICES),
      query('192.0.2.1', { host: 'shop.example.com', path: '/iap/x' }),
    );
    expect(refused.result).toBe('UNREACHABLE');
    expect(deciding(refused.traces[0] as Trace)).toMatchObject({
      state: 'ANALYZE_LOAD_BALANCER_BACKEND',
      iap: { enabled: true, allowed: false },
    });
    const signedIn = composeReachability(
      inputs(SERVICES),
      query('192.0.2.1', { host: 'shop.example.com', path: '/iap/x', identity: 'user:alice@example.com' }),
    );
    expect(signedIn.result).toBe('REACHABLE');
  });

  it('answers a URL-map redirect at the load balancer', () => {
    const details = composeReachability(
      inputs(SERVICES),
      query('192.0.2.1', { host: 'shop.example.com', path: '/old?q=1' }),
    );
    expect(details.result).toBe('UNREACHABLE');
    expect(deciding(details.traces[0] as Trace)?.http?.redirect).toEqual({
      location: 'http://shop.example.com/new?q=1',
      responseCode: '302',
    });
  });

  it('without the L7 firewall rule every backend fails its health check: 502 at the load balancer', () => {
    const details = composeReachability(inputs(SERVICES, { firewalls: GKE_FIREWALLS }), query('192.0.2.1'));
    expect(details.result).toBe('UNREACHABLE');
    const [trace] = details.traces as [Trace];
    expect(trace.steps[2]?.loadBalancer?.backends.every((b) => b.healthState === 'UNHEALTHY')).toBe(true);
    expect(last(trace).drop?.cause).toBe('DROPPED_INSIDE_GOOGLE_MANAGED_SERVICE');
  });

  it('a forwarding-rule port mismatch stops before the proxy', () => {
    const details = composeReachability(inputs(SERVICES), {
      ...query('192.0.2.1'),
      destination: { ipAddress: LB_IP, port: 443 },
    });
    expect(last(details.traces[0] as Trace).drop?.cause).toBe('FORWARDING_RULE_MISMATCH');
  });

  it('with externalTrafficPolicy Local behind the NodePort, only nodes with a local endpoint are healthy', () => {
    const base = inputs(SERVICES);
    const [cluster] = base.clusters;
    if (!cluster) throw new Error('no cluster');
    const web = cluster.services.find((s) => s.name === 'web');
    if (!web) throw new Error('no web');
    const local = { ...web, externalTrafficPolicy: 'Local' as const };
    const onlyN1 = slice('web', [PODS[0] as (typeof PODS)[number]]);
    const details = composeReachability(
      {
        ...base,
        clusters: [
          {
            ...cluster,
            services: cluster.services.map((s) => (s.name === 'web' ? local : s)),
            endpointSlices: cluster.endpointSlices.map((s) => (s.serviceName === 'web' ? onlyN1 : s)),
          },
        ],
      },
      query('192.0.2.1'),
    );
    const backends = details.traces[0]?.steps[2]?.loadBalancer?.backends ?? [];
    expect(backends.map((b) => [b.displayName, b.healthState])).toEqual([
      ['n1', 'HEALTHY'],
      ['n2', 'UNHEALTHY'],
    ]);
  });

  it('property: the trace passes Cloud Armor exactly when the policy evaluated on its own allows the request', () => {
    const compiled = compileSecurityPolicy(ARMOR.rules, { name: 'edge' });
    const octet = fc.integer({ min: 0, max: 255 });
    const source = fc.oneof(
      fc.tuple(octet, octet).map(([a, b]) => `203.0.113.${a % 2 === 0 ? b : 7}`),
      fc.tuple(octet, octet).map(([a, b]) => `198.51.${a % 3 === 0 ? 100 : a}.${b}`),
      fc.tuple(octet, octet).map(([a, b]) => `192.0.${a}.${b}`),
    );
    const path = fc.constantFrom('/admin/', '/admin/secret', '/admin/x?y=1', '/admin/a/b');
    const bot = fc.boolean();
    fc.assert(
      fc.property(source, path, bot, (ip, requestPath, isBot) => {
        const headers: Record<string, string> = isBot ? { 'x-bot': '1' } : {};
        const details = composeReachability(
          inputs(SERVICES),
          query(ip, { host: 'shop.example.com', path: requestPath, headers }),
        );
        const own = evaluateSecurityPolicy(
          compiled,
          {
            sourceIp: ip,
            method: 'GET',
            path: requestPath.split('?')[0] ?? '/',
            headers: { ...headers, host: 'shop.example.com' },
          },
          { rateLimiter: new RateLimiter({ now: () => 0 }) },
        );
        const armor = details.traces[0]?.steps.find((step) => step.cloudArmor)?.cloudArmor;
        expect(armor?.outcome).toBe(own.action.kind);
        expect(armor?.matchedRule?.priority).toBe(own.rule?.priority);
        expect(details.result).toBe(own.action.kind === 'allow' ? 'REACHABLE' : 'UNREACHABLE');
      }),
      { numRuns: 60 },
    );
  });
});
