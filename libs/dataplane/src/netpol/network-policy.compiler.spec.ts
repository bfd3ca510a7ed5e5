import { describe, expect, it } from 'vitest';
import { formatConnections } from './connection-set.model';
import { formatIpRange } from './ip-range-set.model';
import { compileCluster, compilePodPolicy, policyDirections } from './network-policy.compiler';
import type { NetworkPolicy, NetworkPolicySpec, PodInfo } from './network-policy.types';

function policy(name: string, spec: Partial<NetworkPolicySpec>, namespace?: string): NetworkPolicy {
  return { metadata: { name, namespace }, spec: { podSelector: {}, ...spec } };
}

const web: PodInfo = {
  namespace: 'default',
  name: 'web',
  labels: { app: 'web' },
  containers: [
    {
      ports: [
        { name: 'http', containerPort: 8080 },
        { name: 'dns', containerPort: 53, protocol: 'UDP' },
      ],
    },
  ],
};

describe('policyDirections', () => {
  it.each([
    { name: 'no policyTypes, no egress: Ingress only', spec: {}, expected: ['ingress'] },
    { name: 'no policyTypes, egress rules: both', spec: { egress: [{}] }, expected: ['ingress', 'egress'] },
    { name: 'no policyTypes, egress: [] is no egress', spec: { egress: [] }, expected: ['ingress'] },
    {
      name: 'empty policyTypes defaults too',
      spec: { policyTypes: [], egress: [{}] },
      expected: ['ingress', 'egress'],
    },
    { name: 'explicit Egress only', spec: { policyTypes: ['Egress'], ingress: [{}] }, expected: ['egress'] },
    { name: 'explicit both', spec: { policyTypes: ['Egress', 'Ingress'] }, expected: ['ingress', 'egress'] },
  ])('$name', ({ spec, expected }) => {
    expect(policyDirections(policy('p', spec))).toEqual(expected);
  });
});

describe('compilePodPolicy', () => {
  it('leaves a pod no policy selects unisolated', () => {
    const compiled = compilePodPolicy(web, [
      policy('other', { podSelector: { matchLabels: { app: 'db' } } }),
    ]);
    expect(compiled.ingress).toEqual({ isolated: false, policies: [], rules: [] });
    expect(compiled.egress.isolated).toBe(false);
  });

  it('ignores policies of other namespaces (a missing namespace is default)', () => {
    expect(compilePodPolicy(web, [policy('p', {}, 'prod')]).ingress.isolated).toBe(false);
    expect(compilePodPolicy(web, [policy('p', {})]).ingress.policies).toEqual([
      { namespace: 'default', name: 'p' },
    ]);
  });

  it('resolves ingress named ports against the selected pod, by name and protocol', () => {
    const compiled = compilePodPolicy(web, [
      policy('named', {
        ingress: [
          {
            ports: [
              { port: 'http' },
              { port: 'dns', protocol: 'UDP' },
              { port: 'dns', protocol: 'TCP' },
              { port: 'missing' },
            ],
          },
        ],
      }),
    ]);
    expect(compiled.ingress.rules).toHaveLength(1);
    expect(
      formatConnections(compiled.ingress.rules[0]?.ports.numeric ?? { TCP: [], UDP: [], SCTP: [] }),
    ).toBe('TCP 8080,UDP 53');
    expect(compiled.ingress.rules[0]?.ports.named).toEqual([]);
  });

  it('keeps egress named ports for the destination to resolve', () => {
    const compiled = compilePodPolicy(web, [
      policy('named', { policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] }),
    ]);
    expect(compiled.egress.rules[0]?.ports).toEqual({
      numeric: { TCP: [], UDP: [], SCTP: [] },
      named: [{ name: 'http', protocol: 'TCP' }],
    });
  });

  it('compiles peers: any, own namespace, namespace selector, ipBlock minus except', () => {
    const compiled = compilePodPolicy(web, [
      policy('peers', {
        ingress: [
          {},
          {
            from: [
              { podSelector: { matchLabels: { app: 'api' } } },
              { namespaceSelector: {} },
              { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
            ],
          },
        ],
      }),
    ]);
    const [anyRule, peersRule] = compiled.ingress.rules;
    expect(anyRule?.peers).toEqual([{ kind: 'any' }]);
    expect(peersRule?.peers[0]).toEqual({
      kind: 'pods',
      namespace: { kind: 'name', name: 'default' },
      pods: { requirements: [{ key: 'app', operator: 'In', values: ['api'] }] },
    });
    expect(peersRule?.peers[1]).toEqual({
      kind: 'pods',
      namespace: { kind: 'selector', selector: { requirements: [] } },
      pods: { requirements: [] },
    });
    const block = peersRule?.peers[2];
    expect(block?.kind === 'ipBlock' ? block.ranges.map(formatIpRange) : []).toEqual([
      '10.0.0.0-10.0.255.255',
      '10.2.0.0-10.255.255.255',
    ]);
  });
});

describe('compileCluster', () => {
  it('rejects invalid policies and compiles the rest', () => {
    const compiled = compileCluster({
      namespaces: [],
      pods: [web],
      policies: [
        policy('bad', { ingress: [{ ports: [{ port: 10, endPort: 1 }] }] }),
        policy('good', { ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/16' } }] }] }),
      ],
    });
    expect(compiled.rejectedPolicies.map((r) => [r.policy.name, r.issues.map((i) => i.code)])).toEqual([
      ['bad', ['IllegalPortRange']],
    ]);
    expect(compiled.podPolicies['default/web']?.ingress.policies).toEqual([
      { namespace: 'default', name: 'good' },
    ]);
    expect(compiled.ipBlockRanges.ingress.map(formatIpRange)).toEqual(['192.168.0.0-192.168.255.255']);
    expect(compiled.namespaces['default']).toEqual({ 'kubernetes.io/metadata.name': 'default' });
  });

  it('is plain data that survives JSON', () => {
    const compiled = compileCluster({
      namespaces: [{ name: 'default', labels: { env: 'x' } }],
      pods: [web],
      policies: [],
    });
    expect(JSON.parse(JSON.stringify(compiled))).toEqual(compiled);
  });

  it('indexes pod IPs, leaving shared (hostNetwork) IPs out', () => {
    const compiled = compileCluster({
      namespaces: [],
      pods: [
        { namespace: 'a', name: 'p1', ip: '10.0.0.1' },
        { namespace: 'a', name: 'p2', ip: '10.0.0.2' },
        { namespace: 'a', name: 'p3', ip: '10.0.0.2' },
      ],
      policies: [],
    });
    expect(compiled.podKeysByIp).toEqual({ '10.0.0.1': 'a/p1' });
  });
});
