import { readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';
import { evaluateConnection } from './network-policy.evaluator';
import { compileCluster } from './network-policy.compiler';
import type { ClusterState, NetworkPolicy, PodInfo, Protocol } from './network-policy.types';

// Kubernetes e2e (test/e2e/network/netpol) truth tables: every case, every probe, every off-diagonal cell.

interface E2eProbe {
  readonly port: number;
  readonly protocol: Protocol;
  readonly matrix: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
}

interface E2eCase {
  readonly id: number;
  readonly it: string;
  readonly policies: readonly NetworkPolicy[];
  readonly probes: readonly E2eProbe[];
}

interface E2eOracle {
  readonly model: {
    readonly namespaces: readonly string[];
    readonly pods: readonly string[];
    readonly podIPs_for_ipBlock_cases: Readonly<Record<string, string>>;
  };
  readonly cases: readonly E2eCase[];
}

const oracle = JSON.parse(readOracle('netpol', 'k8s-e2e-truthtables.json')) as E2eOracle;

/** model.go: each pod serves 80 and 81 on every protocol, container ports named serve-<port>-<proto>. */
function modelPods(): PodInfo[] {
  return oracle.model.namespaces.flatMap((namespace) =>
    oracle.model.pods.map((name) => ({
      namespace,
      name,
      labels: { pod: name },
      ip: oracle.model.podIPs_for_ipBlock_cases[`${namespace}/${name}`],
      containers: [
        {
          name: `cont-${name}`,
          ports: (['TCP', 'UDP', 'SCTP'] as const).flatMap((protocol) =>
            [80, 81].map((port) => ({
              name: `serve-${port}-${protocol.toLowerCase()}`,
              containerPort: port,
              protocol,
            })),
          ),
        },
      ],
    })),
  );
}

function clusterOf(policies: readonly NetworkPolicy[]): ClusterState {
  return { namespaces: oracle.model.namespaces.map((name) => ({ name })), pods: modelPods(), policies };
}

function podRef(key: string): { namespace: string; name: string } {
  const [namespace = '', name = ''] = key.split('/');
  return { namespace, name };
}

describe('Kubernetes e2e NetworkPolicy truth tables', () => {
  it('covers the 26 cases and 32 probes of the oracle', () => {
    expect(oracle.cases).toHaveLength(26);
    expect(oracle.cases.flatMap((c) => c.probes)).toHaveLength(32);
  });

  const probes = oracle.cases.flatMap((c) =>
    c.probes.map((probe) => ({
      name: `#${c.id} ${c.it} — ${probe.protocol}/${probe.port}`,
      policies: c.policies,
      probe,
    })),
  );

  it.each(probes)('$name', ({ policies, probe }) => {
    const compiled = compileCluster(clusterOf(policies));
    expect(compiled.rejectedPolicies).toEqual([]);
    const mismatches: string[] = [];
    let compared = 0;
    for (const [from, row] of Object.entries(probe.matrix)) {
      for (const [to, expected] of Object.entries(row)) {
        // ignoreLoopback = true in network_policy.go: the diagonal is not compared.
        if (from === to) continue;
        compared++;
        const verdict = evaluateConnection(compiled, {
          source: { pod: podRef(from) },
          destination: { pod: podRef(to) },
          protocol: probe.protocol,
          port: probe.port,
        });
        if (verdict.allowed !== expected)
          mismatches.push(`${from} -> ${to}: expected ${expected}; ${verdict.explanation}`);
      }
    }
    expect(compared).toBe(72);
    expect(mismatches).toEqual([]);
  });
});
