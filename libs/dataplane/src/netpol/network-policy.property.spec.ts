import fc from 'fast-check';
import { cidrHasAddress, parseCidrOrThrow, parseIpv4 } from '@gke-emulator/netaddr';
import { describe, expect, it } from 'vitest';
import type { CompiledCluster } from './compiled-policy.types';
import {
  allConnections,
  connectionsContain,
  connectionsInclude,
  equalConnections,
  isEmptyConnections,
} from './connection-set.model';
import { compileSelector, matchesSelector } from './label-selector.matcher';
import { clusterArb, policyArb, probeArb } from './netpol-test.arbitraries';
import { allowedConnections, evaluateConnection } from './network-policy.evaluator';
import {
  compileCluster,
  compilePodPolicy,
  effectiveNamespaceLabels,
  formatPolicyRef,
} from './network-policy.compiler';
import type { ClusterState, LabelSelector, NetworkPolicy, PodInfo, Protocol } from './network-policy.types';

// Invariants of NetworkPolicy semantics, and a differential check against a naive reading of the spec.

const matches = (selector: LabelSelector, labels: Readonly<Record<string, string>> = {}): boolean =>
  matchesSelector(compileSelector(selector), labels);

/** The spec read literally, policy by policy, with no compilation. */
function referenceAllowed(
  state: ClusterState,
  src: PodInfo,
  dst: PodInfo,
  protocol: Protocol,
  port: number,
): boolean {
  if (src.namespace === dst.namespace && src.name === dst.name) return true;
  const namespaceLabels = (name: string) =>
    effectiveNamespaceLabels(name, state.namespaces.find((n) => n.name === name)?.labels);
  const side = (
    direction: 'Ingress' | 'Egress',
    subject: PodInfo,
    remote: PodInfo,
    server: PodInfo,
  ): boolean => {
    const selecting = state.policies.filter((p) => {
      const types = p.spec.policyTypes ?? [];
      const affects =
        types.length > 0
          ? types.includes(direction)
          : direction === 'Ingress' || (p.spec.egress ?? []).length > 0;
      return (
        p.metadata.namespace === subject.namespace && affects && matches(p.spec.podSelector, subject.labels)
      );
    });
    if (selecting.length === 0) return true;
    return selecting.some((p) => {
      const rules =
        direction === 'Ingress'
          ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports }))
          : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
      return rules.some((rule) => {
        const peerOk =
          (rule.peers ?? []).length === 0 ||
          (rule.peers ?? []).some((peer) => {
            if (peer.ipBlock !== undefined) {
              const ip = remote.ip === undefined ? null : parseIpv4(remote.ip);
              const inBlock = (cidr: string) => ip !== null && cidrHasAddress(parseCidrOrThrow(cidr), ip);
              return inBlock(peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some(inBlock);
            }
            const nsOk =
              peer.namespaceSelector === undefined
                ? remote.namespace === p.metadata.namespace
                : matches(peer.namespaceSelector, namespaceLabels(remote.namespace));
            return nsOk && (peer.podSelector === undefined || matches(peer.podSelector, remote.labels));
          });
        const portOk =
          (rule.ports ?? []).length === 0 ||
          (rule.ports ?? []).some((rp) => {
            if ((rp.protocol ?? 'TCP') !== protocol) return false;
            if (rp.port === undefined) return true;
            if (typeof rp.port === 'number') return rp.port <= port && port <= (rp.endPort ?? rp.port);
            const named = (server.containers ?? [])
              .flatMap((c) => c.ports ?? [])
              .find((cp) => cp.name === rp.port);
            return (
              named !== undefined && (named.protocol ?? 'TCP') === protocol && named.containerPort === port
            );
          });
        return peerOk && portOk;
      });
    });
  };
  return side('Egress', src, dst, dst) && side('Ingress', dst, src, dst);
}

const ref = (pod: PodInfo) => ({ pod: { namespace: pod.namespace, name: pod.name } });

function pairs(state: ClusterState): [PodInfo, PodInfo][] {
  return state.pods.flatMap((src) => state.pods.map((dst): [PodInfo, PodInfo] => [src, dst]));
}

function connectionsOf(compiled: CompiledCluster, src: PodInfo, dst: PodInfo) {
  return allowedConnections(compiled, ref(src), ref(dst));
}

describe('NetworkPolicy properties', () => {
  it('agrees with a literal reading of the spec on every pair and probe', () => {
    fc.assert(
      fc.property(clusterArb, probeArb, (state, [protocol, port]) => {
        const compiled = compileCluster(state);
        expect(compiled.rejectedPolicies).toEqual([]);
        for (const [src, dst] of pairs(state)) {
          const verdict = evaluateConnection(compiled, {
            source: ref(src),
            destination: ref(dst),
            protocol,
            port,
          });
          expect(verdict.allowed).toBe(referenceAllowed(state, src, dst, protocol, port));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of policies', () => {
    fc.assert(
      fc.property(clusterArb, (state) => {
        const forward = compileCluster(state);
        const backward = compileCluster({ ...state, policies: [...state.policies].reverse() });
        for (const [src, dst] of pairs(state)) {
          expect(equalConnections(connectionsOf(forward, src, dst), connectionsOf(backward, src, dst))).toBe(
            true,
          );
        }
      }),
    );
  });

  it('adding a policy changes nothing between pods it selects in neither direction', () => {
    fc.assert(
      fc.property(clusterArb, policyArb('added'), (state, added) => {
        const before = compileCluster(state);
        const after = compileCluster({ ...state, policies: [...state.policies, added] });
        for (const [src, dst] of pairs(state)) {
          const selected =
            compilePodPolicy(src, [added]).egress.isolated || compilePodPolicy(dst, [added]).ingress.isolated;
          if (selected) continue;
          expect(equalConnections(connectionsOf(before, src, dst), connectionsOf(after, src, dst))).toBe(
            true,
          );
        }
      }),
    );
  });

  it('adding a policy never takes away from pods that were already isolated where it selects them', () => {
    fc.assert(
      fc.property(clusterArb, policyArb('added'), (state, added) => {
        const before = compileCluster(state);
        const after = compileCluster({ ...state, policies: [...state.policies, added] });
        for (const [src, dst] of pairs(state)) {
          const newlyIsolates =
            (compilePodPolicy(src, [added]).egress.isolated &&
              !before.podPolicies[`${src.namespace}/${src.name}`]?.egress.isolated) ||
            (compilePodPolicy(dst, [added]).ingress.isolated &&
              !before.podPolicies[`${dst.namespace}/${dst.name}`]?.ingress.isolated);
          if (newlyIsolates) continue;
          expect(connectionsInclude(connectionsOf(after, src, dst), connectionsOf(before, src, dst))).toBe(
            true,
          );
        }
      }),
    );
  });

  it('an allow-all policy in every namespace opens every pair, whatever else exists', () => {
    const allowAll = (namespace: string): NetworkPolicy => ({
      metadata: { name: 'allow-all', namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] },
    });
    fc.assert(
      fc.property(clusterArb, (state) => {
        const compiled = compileCluster({
          ...state,
          policies: [...state.policies, allowAll('a'), allowAll('b')],
        });
        for (const [src, dst] of pairs(state)) {
          expect(equalConnections(connectionsOf(compiled, src, dst), allConnections())).toBe(true);
        }
      }),
    );
  });

  it('verdicts agree with allowed connections and name the deciding policies', () => {
    fc.assert(
      fc.property(clusterArb, probeArb, (state, [protocol, port]) => {
        const compiled = compileCluster(state);
        for (const [src, dst] of pairs(state)) {
          const verdict = evaluateConnection(compiled, {
            source: ref(src),
            destination: ref(dst),
            protocol,
            port,
          });
          expect(verdict.allowed).toBe(connectionsContain(connectionsOf(compiled, src, dst), protocol, port));
          const isolating = [...verdict.egress.isolatingPolicies, ...verdict.ingress.isolatingPolicies].map(
            formatPolicyRef,
          );
          for (const name of verdict.decidingPolicies) expect(isolating).toContain(name);
          // A denial always has a culprit; an allowance has one exactly when some side is isolated.
          if (!verdict.allowed) expect(verdict.decidingPolicies.length).toBeGreaterThan(0);
          if (verdict.allowed && verdict.decidingPolicies.length === 0) {
            expect(['not-isolated', 'same-pod']).toContain(verdict.egress.decision);
            expect(['not-isolated', 'same-pod']).toContain(verdict.ingress.decision);
          }
        }
      }),
    );
  });

  it('evaluates the same after a JSON round trip of the compiled form', () => {
    fc.assert(
      fc.property(clusterArb, (state) => {
        const compiled = compileCluster(state);
        const stored = JSON.parse(JSON.stringify(compiled)) as CompiledCluster;
        for (const [src, dst] of pairs(state)) {
          expect(equalConnections(connectionsOf(stored, src, dst), connectionsOf(compiled, src, dst))).toBe(
            true,
          );
        }
      }),
    );
  });

  it('a default-deny policy for both directions isolates its namespace completely', () => {
    const denyAll: NetworkPolicy = {
      metadata: { name: 'deny-all', namespace: 'a' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    };
    fc.assert(
      fc.property(clusterArb, (state) => {
        const compiled = compileCluster({ ...state, policies: [denyAll] });
        for (const [src, dst] of pairs(state)) {
          const samePod = src.namespace === dst.namespace && src.name === dst.name;
          const touchesA = src.namespace === 'a' || dst.namespace === 'a';
          expect(isEmptyConnections(connectionsOf(compiled, src, dst))).toBe(touchesA && !samePod);
        }
      }),
    );
  });
});
