import { describe, expect, it } from 'vitest';
import { formatConnections } from './connection-set.model';
import type { Endpoint } from './connection-verdict.types';
import { allowedConnections, evaluateConnection } from './network-policy.evaluator';
import { compileCluster } from './network-policy.compiler';
import type {
  ClusterState,
  NetworkPolicy,
  NetworkPolicySpec,
  PodInfo,
  Protocol,
} from './network-policy.types';

function policy(name: string, spec: Partial<NetworkPolicySpec>, namespace = 'shop'): NetworkPolicy {
  return { metadata: { name, namespace }, spec: { podSelector: {}, ...spec } };
}

function pod(namespace: string, name: string, ip: string, extra: Partial<PodInfo> = {}): PodInfo {
  return { namespace, name, ip, labels: { app: name }, ...extra };
}

const frontend = pod('shop', 'frontend', '10.0.0.1', { nodeName: 'node-a' });
const backend = pod('shop', 'backend', '10.0.0.2', {
  nodeName: 'node-b',
  containers: [{ ports: [{ name: 'grpc', containerPort: 9090 }] }],
});
const stats = pod('ops', 'stats', '10.0.1.1');

function cluster(...policies: NetworkPolicy[]): ClusterState {
  return {
    namespaces: [{ name: 'shop' }, { name: 'ops', labels: { team: 'ops' } }],
    pods: [frontend, backend, stats],
    policies,
  };
}

const FRONTEND: Endpoint = { pod: { namespace: 'shop', name: 'frontend' } };
const BACKEND: Endpoint = { pod: { namespace: 'shop', name: 'backend' } };
const STATS: Endpoint = { pod: { namespace: 'ops', name: 'stats' } };

function evaluate(
  state: ClusterState,
  source: Endpoint,
  destination: Endpoint,
  port = 9090,
  protocol: Protocol = 'TCP',
) {
  return evaluateConnection(compileCluster(state), { source, destination, protocol, port });
}

const denyAll = policy('deny-all', { policyTypes: ['Ingress', 'Egress'] });
const backendFromFrontend = policy('backend-from-frontend', {
  podSelector: { matchLabels: { app: 'backend' } },
  ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 'grpc' }] }],
});
const frontendToBackend = policy('frontend-to-backend', {
  podSelector: { matchLabels: { app: 'frontend' } },
  policyTypes: ['Egress'],
  egress: [{ to: [{ podSelector: { matchLabels: { app: 'backend' } } }], ports: [{ port: 'grpc' }] }],
});

describe('evaluateConnection', () => {
  it('allows everything without policies', () => {
    const verdict = evaluate(cluster(), FRONTEND, BACKEND);
    expect(verdict).toMatchObject({ allowed: true, decidingPolicies: [] });
    expect(verdict.egress.decision).toBe('not-isolated');
    expect(verdict.ingress.decision).toBe('not-isolated');
  });

  it('names the isolating policies when nothing matches', () => {
    const verdict = evaluate(cluster(denyAll), FRONTEND, BACKEND);
    expect(verdict.allowed).toBe(false);
    expect(verdict.decidingPolicies).toEqual(['shop/deny-all']);
    expect(verdict.egress).toMatchObject({ allowed: false, decision: 'no-matching-rule', allowingRules: [] });
    expect(verdict.explanation).toBe(
      'egress of shop/frontend: denied, isolated by shop/deny-all and no rule matches; ' +
        'ingress of shop/backend: denied, isolated by shop/deny-all and no rule matches',
    );
  });

  it('names the allowing rules, resolving named ports on the destination in both directions', () => {
    const verdict = evaluate(cluster(denyAll, backendFromFrontend, frontendToBackend), FRONTEND, BACKEND);
    expect(verdict.allowed).toBe(true);
    expect(verdict.decidingPolicies).toEqual(['shop/frontend-to-backend', 'shop/backend-from-frontend']);
    expect(verdict.ingress.allowingRules).toEqual([
      { policy: { namespace: 'shop', name: 'backend-from-frontend' }, direction: 'ingress', ruleIndex: 0 },
    ]);
    expect(verdict.ingress.isolatingPolicies.map((p) => p.name)).toEqual([
      'deny-all',
      'backend-from-frontend',
    ]);
  });

  it('only names the denying direction when one side allows', () => {
    const verdict = evaluate(cluster(denyAll, backendFromFrontend), FRONTEND, BACKEND);
    expect(verdict.allowed).toBe(false);
    expect(verdict.ingress.allowed).toBe(true);
    expect(verdict.decidingPolicies).toEqual(['shop/deny-all']);
  });

  it('denies another port of the same rule', () => {
    expect(evaluate(cluster(backendFromFrontend), FRONTEND, BACKEND, 9091).allowed).toBe(false);
    expect(evaluate(cluster(backendFromFrontend), FRONTEND, BACKEND, 9090, 'UDP').allowed).toBe(false);
  });

  it('treats a pod IP as that pod and other IPs as external', () => {
    expect(evaluate(cluster(backendFromFrontend), { ip: '10.0.0.1' }, BACKEND).allowed).toBe(true);
    const external = evaluate(cluster(backendFromFrontend), { ip: '203.0.113.9' }, BACKEND);
    expect(external.allowed).toBe(false);
    expect(external.egress.decision).toBe('not-a-pod');
  });

  it('matches ipBlocks against pod IPs and external IPs alike', () => {
    const fromCidr = policy('from-cidr', {
      podSelector: { matchLabels: { app: 'backend' } },
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } }] }],
    });
    expect(evaluate(cluster(fromCidr), FRONTEND, BACKEND).allowed).toBe(true);
    expect(evaluate(cluster(fromCidr), STATS, BACKEND).allowed).toBe(false);
    expect(evaluate(cluster(fromCidr), { ip: '10.0.200.7' }, BACKEND).allowed).toBe(true);
  });

  it('allows ingress from the pod’s own node only', () => {
    const state = cluster(denyAll);
    expect(evaluate(state, { ip: '192.168.0.2', node: 'node-b' }, BACKEND).ingress.decision).toBe(
      'local-node',
    );
    expect(evaluate(state, { ip: '192.168.0.2', node: 'node-a' }, BACKEND).allowed).toBe(false);
  });

  it('always lets a pod reach itself', () => {
    const verdict = evaluate(cluster(denyAll), BACKEND, BACKEND);
    expect(verdict.allowed).toBe(true);
    expect(verdict.ingress.decision).toBe('same-pod');
  });

  it('scopes a podSelector-only peer to the policy namespace, and ANDs namespace and pod selectors', () => {
    const fromOps = policy('from-ops', {
      podSelector: { matchLabels: { app: 'backend' } },
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { team: 'ops' } },
              podSelector: { matchLabels: { app: 'stats' } },
            },
          ],
        },
      ],
    });
    const fromStatsHere = policy('from-stats-here', {
      podSelector: { matchLabels: { app: 'backend' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'stats' } } }] }],
    });
    expect(evaluate(cluster(fromOps), STATS, BACKEND).allowed).toBe(true);
    expect(evaluate(cluster(fromOps), FRONTEND, BACKEND).allowed).toBe(false);
    expect(evaluate(cluster(fromStatsHere), STATS, BACKEND).allowed).toBe(false);
  });

  it('refuses unknown pods and malformed IPs', () => {
    const compiled = compileCluster(cluster());
    const query = { destination: BACKEND, protocol: 'TCP', port: 1 } as const;
    expect(() =>
      evaluateConnection(compiled, { ...query, source: { pod: { namespace: 'x', name: 'y' } } }),
    ).toThrow(RangeError);
    expect(() => evaluateConnection(compiled, { ...query, source: { ip: '10.0.0' } })).toThrow(RangeError);
  });
});

describe('allowedConnections', () => {
  it.each([
    { name: 'no policies', policies: [], text: 'All Connections' },
    {
      name: 'named port on both sides',
      policies: [denyAll, backendFromFrontend, frontendToBackend],
      text: 'TCP 9090',
    },
    {
      name: 'egress range ∩ ingress protocol',
      policies: [
        policy('range', {
          podSelector: { matchLabels: { app: 'frontend' } },
          policyTypes: ['Egress'],
          egress: [
            {
              ports: [
                { port: 8000, endPort: 9999 },
                { port: 53, protocol: 'UDP' },
              ],
            },
          ],
        }),
        policy('tcp-only', {
          podSelector: { matchLabels: { app: 'backend' } },
          ingress: [{ ports: [{ protocol: 'TCP' }] }],
        }),
      ],
      text: 'TCP 8000-9999',
    },
  ])('$name: $text', ({ policies, text }) => {
    expect(
      formatConnections(allowedConnections(compileCluster(cluster(...policies)), FRONTEND, BACKEND)),
    ).toBe(text);
  });
});
