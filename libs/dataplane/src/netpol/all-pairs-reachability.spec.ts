import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allPairsReachability } from './all-pairs-reachability';
import { clusterArb, probeArb } from './netpol-test.arbitraries';
import { evaluateConnection } from './network-policy.evaluator';
import { compileCluster } from './network-policy.compiler';
import type { ClusterState, NetworkPolicy, PodInfo, Protocol } from './network-policy.types';

const pod = (namespace: string, name: string, extra: Partial<PodInfo> = {}): PodInfo => ({
  namespace,
  name,
  labels: { app: name.replace(/-\d+$/, '') },
  ...extra,
});

const keys = (state: ClusterState) => state.pods.map((p) => `${p.namespace}/${p.name}`);

/** The matrix as text rows of 1/0, for readable expectations. */
function rows(state: ClusterState, protocol: Protocol, port: number): string[] {
  const result = allPairsReachability(compileCluster(state), { pods: keys(state), protocol, port });
  return result.allowed.map((row) => row.map((cell) => (cell ? '1' : '0')).join(''));
}

/** The same matrix, pair by pair. */
function pairwise(state: ClusterState, protocol: Protocol, port: number): string[] {
  const compiled = compileCluster(state);
  return state.pods.map((src) =>
    state.pods
      .map((dst) =>
        evaluateConnection(compiled, {
          source: { pod: { namespace: src.namespace, name: src.name } },
          destination: { pod: { namespace: dst.namespace, name: dst.name } },
          protocol,
          port,
        }).allowed
          ? '1'
          : '0',
      )
      .join(''),
  );
}

const denyIngress = (namespace: string): NetworkPolicy => ({
  metadata: { name: 'deny', namespace },
  spec: { podSelector: {}, policyTypes: ['Ingress'] },
});

describe('allPairsReachability', () => {
  it('lets everything pass without policies', () => {
    const state: ClusterState = {
      namespaces: [],
      pods: [pod('a', 'x'), pod('a', 'y'), pod('b', 'z')],
      policies: [],
    };
    expect(rows(state, 'TCP', 80)).toEqual(['111', '111', '111']);
  });

  it('a default-deny ingress isolates its namespace; a pod still reaches itself', () => {
    const state: ClusterState = {
      namespaces: [],
      pods: [pod('a', 'x'), pod('a', 'y'), pod('b', 'z')],
      policies: [denyIngress('a')],
    };
    expect(rows(state, 'TCP', 80)).toEqual(['101', '011', '001']);
  });

  it('an ingress rule allows peers by pod labels and namespace labels, on its port only', () => {
    const state: ClusterState = {
      namespaces: [{ name: 'b', labels: { team: 'ops' } }],
      pods: [pod('a', 'web'), pod('a', 'db'), pod('b', 'tool'), pod('c', 'other')],
      policies: [
        {
          metadata: { name: 'db', namespace: 'a' },
          spec: {
            podSelector: { matchLabels: { app: 'db' } },
            ingress: [
              {
                from: [
                  { podSelector: { matchLabels: { app: 'web' } } },
                  { namespaceSelector: { matchLabels: { team: 'ops' } } },
                ],
                ports: [{ port: 5432 }],
              },
            ],
          },
        },
      ],
    };
    expect(rows(state, 'TCP', 5432)).toEqual(['1111', '1111', '1111', '1011']);
    // Rows are sources: db itself is not isolated for egress.
    expect(rows(state, 'TCP', 80)).toEqual(['1011', '1111', '1011', '1011']);
    expect(rows(state, 'UDP', 5432)).toEqual(['1011', '1111', '1011', '1011']);
  });

  it('an egress named port resolves against each destination', () => {
    const http = (port: number) => [{ ports: [{ name: 'http', containerPort: port }] }];
    const state: ClusterState = {
      namespaces: [],
      pods: [
        pod('a', 'client'),
        pod('a', 'old', { containers: http(80) }),
        pod('a', 'new', { containers: http(8080) }),
        pod('a', 'none'),
      ],
      policies: [
        {
          metadata: { name: 'out', namespace: 'a' },
          spec: {
            podSelector: { matchLabels: { app: 'client' } },
            policyTypes: ['Egress'],
            egress: [{ ports: [{ port: 'http' }] }],
          },
        },
      ],
    };
    expect(rows(state, 'TCP', 80)[0]).toBe('1100');
    expect(rows(state, 'TCP', 8080)[0]).toBe('1010');
    expect(rows(state, 'UDP', 80)[0]).toBe('1000');
  });

  it('an ingress named port resolves against the selected pod', () => {
    const state: ClusterState = {
      namespaces: [],
      pods: [
        pod('a', 'client'),
        pod('a', 'server-1', { containers: [{ ports: [{ name: 'web', containerPort: 80 }] }] }),
        pod('a', 'server-2', { containers: [{ ports: [{ name: 'web', containerPort: 81 }] }] }),
      ],
      policies: [
        {
          metadata: { name: 'web', namespace: 'a' },
          spec: { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ ports: [{ port: 'web' }] }] },
        },
      ],
    };
    // server-1 names port 80 "web", server-2 names port 81 so.
    expect(rows(state, 'TCP', 80)).toEqual(['110', '110', '111']);
    expect(rows(state, 'TCP', 81)).toEqual(['101', '111', '101']);
  });

  it('an ipBlock tells apart pods that share labels by their IPs', () => {
    const state: ClusterState = {
      namespaces: [],
      pods: [
        pod('a', 'client-1', { ip: '10.0.0.1' }),
        pod('a', 'client-2', { ip: '10.0.1.1' }),
        pod('a', 'client-3'),
        pod('a', 'server', { ip: '10.0.2.1' }),
      ],
      policies: [
        {
          metadata: { name: 'server', namespace: 'a' },
          spec: {
            podSelector: { matchLabels: { app: 'server' } },
            ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } }] }],
          },
        },
      ],
    };
    expect(rows(state, 'TCP', 80).map((row) => row[3])).toEqual(['1', '0', '0', '1']);
    const result = allPairsReachability(compileCluster(state), {
      pods: keys(state),
      protocol: 'TCP',
      port: 80,
    });
    // client-1 and client-2 share labels but not their ipBlock; client-3 (no IP) behaves as client-2: two client
    // behaviours, and the server's own.
    expect(result.classes.sources).toBe(3);
  });

  it('pods that every rule treats alike form one class', () => {
    const pods = [
      ...Array.from({ length: 50 }, (_, i) => pod('a', `web-${i}`)),
      ...Array.from({ length: 50 }, (_, i) => pod('a', `db-${i}`)),
    ];
    const state: ClusterState = {
      namespaces: [],
      pods,
      policies: [
        {
          metadata: { name: 'db', namespace: 'a' },
          spec: {
            podSelector: { matchLabels: { app: 'db' } },
            ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
          },
        },
      ],
    };
    const result = allPairsReachability(compileCluster(state), {
      pods: keys(state),
      protocol: 'TCP',
      port: 80,
    });
    expect(result.classes).toEqual({ sources: 2, destinations: 2 });
    // db pods reach each other only to themselves; web reaches everything.
    expect(result.allowed[0]?.every(Boolean)).toBe(true);
    expect(result.allowed[50]?.slice(50).filter(Boolean)).toHaveLength(1);
    expect(result.allowed[50]?.slice(0, 50).every(Boolean)).toBe(true);
  });

  it('keeps the order of the pods asked for, a pod listed twice reaching itself', () => {
    const state: ClusterState = {
      namespaces: [],
      pods: [pod('a', 'x'), pod('a', 'y')],
      policies: [denyIngress('a')],
    };
    const result = allPairsReachability(compileCluster(state), {
      pods: ['a/y', 'a/x', 'a/y'],
      protocol: 'TCP',
      port: 80,
    });
    expect(result.pods).toEqual(['a/y', 'a/x', 'a/y']);
    expect(result.allowed).toEqual([
      [true, false, true],
      [false, true, false],
      [true, false, true],
    ]);
  });

  it('refuses a pod the cluster does not have', () => {
    const state: ClusterState = { namespaces: [], pods: [pod('a', 'x')], policies: [] };
    expect(() =>
      allPairsReachability(compileCluster(state), { pods: ['a/x', 'a/missing'], protocol: 'TCP', port: 80 }),
    ).toThrow(RangeError);
  });

  it('an empty list gives an empty matrix', () => {
    const state: ClusterState = { namespaces: [], pods: [], policies: [] };
    expect(allPairsReachability(compileCluster(state), { pods: [], protocol: 'TCP', port: 80 })).toEqual({
      pods: [],
      allowed: [],
      classes: { sources: 0, destinations: 0 },
    });
  });

  it('equals evaluateConnection pair by pair, for random clusters (replicas included) and ports', () => {
    fc.assert(
      fc.property(clusterArb, probeArb, fc.integer({ min: 0, max: 3 }), (state, [protocol, port], copies) => {
        // Replicas: same namespace, labels and ports as an existing pod, another name (and no IP, or the same).
        const replicas = state.pods.slice(0, copies).map((original, i) => ({ ...original, name: `r${i}` }));
        const cluster: ClusterState = { ...state, pods: [...state.pods, ...replicas] };
        expect(rows(cluster, protocol, port)).toEqual(pairwise(cluster, protocol, port));
      }),
      { numRuns: 400 },
    );
  });
});
