import { describe, expect, it } from 'vitest';
import { netpolChangeImpact, policyPeersMatchNamespace, policyPeersMatchPod } from './change-impact';
import type { NamespaceInfo, NetworkPolicy, PodInfo } from './network-policy.types';

const pod = (
  namespace: string,
  name: string,
  labels: Record<string, string>,
  nodeName: string,
  ip?: string,
) => ({ namespace, name, labels, nodeName, ip }) satisfies PodInfo;

const policy = (namespace: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({
  metadata: { namespace, name },
  spec,
});

const pods = [
  pod('x', 'a', { app: 'a' }, 'n1', '10.0.0.1'),
  pod('x', 'b', { app: 'b' }, 'n2', '10.0.0.2'),
  pod('y', 'c', { app: 'c' }, 'n3', '10.0.1.3'),
];
const namespaces: NamespaceInfo[] = [
  { name: 'x', labels: { team: 'red' } },
  { name: 'y', labels: { team: 'blue' } },
];
const state = (policies: NetworkPolicy[], all = pods) => ({
  policies,
  namespaces,
  podsIn: (namespace: string) => all.filter((p) => p.namespace === namespace),
});
const none = { pods: [], policies: [], namespaces: [] };

describe('which nodes a NetworkPolicy-relevant change touches', () => {
  it('a pod change touches its own nodes, before and after, when no policy refers to it', () => {
    const before = pods[0] as PodInfo;
    const after = { ...before, nodeName: 'n9' };
    const impact = netpolChangeImpact(state([]), { ...none, pods: [{ before, after }] });
    expect(impact).toEqual({ all: false, nodes: new Set(['n1', 'n9']) });
  });

  it('a policy change touches the nodes of the pods it selects, before or after', () => {
    const before = policy('x', 'p', { podSelector: { matchLabels: { app: 'a' } } });
    const after = policy('x', 'p', { podSelector: { matchLabels: { app: 'b' } } });
    const impact = netpolChangeImpact(state([after]), { ...none, policies: [{ before, after }] });
    expect([...impact.nodes].sort()).toEqual(['n1', 'n2']);
  });

  it('a pod a policy peer selects touches the nodes that enforce the policy (peer sets change there)', () => {
    const p = policy('x', 'p', {
      podSelector: { matchLabels: { app: 'a' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } }, podSelector: {} }] }],
    });
    const newcomer = pod('y', 'd', { app: 'd' }, 'n4');
    const impact = netpolChangeImpact(state([p]), { ...none, pods: [{ before: null, after: newcomer }] });
    expect([...impact.nodes].sort()).toEqual(['n1', 'n4']);
    // a pod in a namespace the peer does not select touches only its own node
    const outsider = pod('x', 'e', { app: 'e' }, 'n5');
    const other = netpolChangeImpact(state([p]), { ...none, pods: [{ before: null, after: outsider }] });
    expect([...other.nodes]).toEqual(['n5']);
  });

  it('a namespace relabelled into a namespaceSelector touches the enforcing nodes', () => {
    const p = policy('x', 'p', {
      podSelector: {},
      egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'green' } } }] }],
    });
    const impact = netpolChangeImpact(state([p]), {
      ...none,
      namespaces: [
        { before: { name: 'y', labels: { team: 'blue' } }, after: { name: 'y', labels: { team: 'green' } } },
      ],
    });
    expect([...impact.nodes].sort()).toEqual(['n1', 'n2']);
  });

  it('ipBlock peers match pods by address', () => {
    const p = policy('y', 'p', {
      podSelector: {},
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/24', except: ['10.0.0.2/32'] } }] }],
    });
    expect(policyPeersMatchPod(p, pods[0] as PodInfo, {})).toBe(true);
    expect(policyPeersMatchPod(p, pods[1] as PodInfo, {})).toBe(false);
    expect(policyPeersMatchNamespace(p, { name: 'x' })).toBe(false);
  });

  it('a policy the API server would refuse touches every node (every node reports it)', () => {
    const bad = policy('x', 'p', { podSelector: {}, policyTypes: ['Sideways'] });
    expect(netpolChangeImpact(state([]), { ...none, policies: [{ before: null, after: bad }] }).all).toBe(
      true,
    );
  });
});
