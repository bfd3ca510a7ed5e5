import { describe, expect, it } from 'vitest';

import { compileClusterRules } from './cluster-rules.compiler';
import { type IptablesDump, findChain } from './iptables-dump';
import { FAKE_PROXIER_CONFIG, fakeProxierNode } from './kube-proxy-oracle.fixture';
import { type KubeEndpointSlice, type KubeProxyConfig, type KubeService } from './kube-proxy.types';
import { compileNodeRules, nodeLocalAddresses } from './node-rules.compiler';
import { tracePacket } from './packet-tracer';

const node = fakeProxierNode(['192.168.1.2', '192.168.99.11', '2001:db8::1']);
const otherNode = { nodeName: 'node2', nodeIP: '192.168.0.3' };

const nodePortService: KubeService = {
  namespace: 'ns1',
  name: 'svc1',
  type: 'NodePort',
  clusterIP: '172.30.0.41',
  ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }],
};
const slice = (
  serviceName: string,
  endpoints: [string, string?][],
  protocol: 'TCP' | 'UDP' = 'TCP',
): KubeEndpointSlice => ({
  namespace: 'ns1',
  serviceName,
  endpoints: endpoints.map(([ip, nodeName]) => ({ addresses: [ip], nodeName })),
  ports: [{ name: 'p80', port: 80, protocol }],
});
const twoEndpoints = slice('svc1', [['10.180.0.1'], ['10.180.2.1', 'test-node']]);

function rules(
  services: KubeService[],
  slices: KubeEndpointSlice[],
  config: KubeProxyConfig = {},
  on = node,
) {
  return compileNodeRules(
    compileClusterRules({ services, endpointSlices: slices, config: { ...FAKE_PROXIER_CONFIG, ...config } }),
    on,
  );
}

const chain = (dump: IptablesDump, table: string, name: string): readonly string[] =>
  findChain(dump, table, name)?.rules ?? [];

function trace(dump: IptablesDump, src: string, dst: string, port: number) {
  return tracePacket(
    dump,
    { sourceIP: src, destinationIP: dst, destinationPort: port },
    nodeLocalAddresses(node),
  );
}

describe('compileNodeRules: NodePort addresses (TestNodePorts sub-cases of oracle 02)', () => {
  it.each([
    {
      name: 'every address, localhost NodePorts on',
      config: {},
      jumps: [
        '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
      ],
      localhost: '10.180.0.1:80, 10.180.2.1:80',
      secondary: '10.180.0.1:80, 10.180.2.1:80',
    },
    {
      name: 'every address, localhost NodePorts off',
      config: { localhostNodePorts: false },
      jumps: [
        '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS',
      ],
      localhost: '',
      secondary: '10.180.0.1:80, 10.180.2.1:80',
    },
    {
      name: '192.168.0.0/24 and 127.0.0.1/32, localhost NodePorts off',
      config: { localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '127.0.0.1/32'] },
      jumps: [
        '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 192.168.0.2 -j KUBE-NODEPORTS',
      ],
      localhost: '',
      secondary: '',
    },
    {
      name: '192.168.0.0/24 and 127.0.0.1/32, localhost NodePorts on',
      config: { nodePortAddresses: ['192.168.0.0/24', '127.0.0.1/32', 'fd00::/64'] },
      jumps: [
        '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 127.0.0.1 -j KUBE-NODEPORTS',
        '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 192.168.0.2 -j KUBE-NODEPORTS',
      ],
      localhost: '10.180.0.1:80, 10.180.2.1:80',
      secondary: '',
    },
  ])('$name', ({ config, jumps, localhost, secondary }) => {
    const dump = rules([nodePortService], [twoEndpoints], config);
    expect(chain(dump, 'nat', 'KUBE-SERVICES').filter((line) => line.includes('-j KUBE-NODEPORTS'))).toEqual(
      jumps,
    );
    expect(trace(dump, '127.0.0.1', '127.0.0.1', 3001).targets.join(', ')).toBe(localhost);
    expect(trace(dump, '203.0.113.2', '192.168.1.2', 3001).targets.join(', ')).toBe(secondary);
    expect(trace(dump, '203.0.113.2', '192.168.0.2', 3001).verdict).toBe('DNAT');
    // kubelet's localnet rule is only needed while localhost NodePorts are on.
    expect(findChain(dump, 'filter', 'KUBE-FIREWALL') !== undefined).toBe(localhost !== '');
  });
});

describe('compileNodeRules: masquerading and local-traffic detection', () => {
  const svcChain = (dump: IptablesDump): readonly string[] => {
    const name = findChain(dump, 'nat', 'KUBE-SERVICES')?.rules[0]?.split(' -j ')[1] ?? '';
    return chain(dump, 'nat', name);
  };
  it.each([
    ['cluster CIDR', {}, '! -s 10.0.0.0/8 -j KUBE-MARK-MASQ'],
    ['masquerade all', { masqueradeAll: true }, '--dport 80 -j KUBE-MARK-MASQ'],
    ['node CIDR', { detectLocalMode: 'NodeCIDR' as const }, null],
    ['no detection', { clusterCidr: undefined }, null],
  ])('%s', (_name, config, masquerade) => {
    const first = svcChain(rules([nodePortService], [twoEndpoints], config))[0] ?? '';
    if (masquerade === null) expect(first).not.toContain('KUBE-MARK-MASQ');
    else expect(first).toMatch(new RegExp(`${masquerade.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
  });

  it('uses the node’s pod range with NodeCIDR detection', () => {
    const dump = rules(
      [nodePortService],
      [twoEndpoints],
      { detectLocalMode: 'NodeCIDR' },
      { ...node, podCidr: '10.1.0.0/24' },
    );
    expect(svcChain(dump)[0]).toContain('! -s 10.1.0.0/24 -j KUBE-MARK-MASQ');
  });

  it('adds --random-fully to MASQUERADE when iptables supports it', () => {
    const dump = rules([], [], { masqueradeRandomFully: true });
    expect(chain(dump, 'nat', 'KUBE-POSTROUTING')[2]).toMatch(/-j MASQUERADE --random-fully$/);
  });
});

describe('compileNodeRules: internal traffic policy Local', () => {
  const service: KubeService = {
    ...nodePortService,
    type: 'ClusterIP',
    ports: [{ name: 'p80', port: 80 }],
    internalTrafficPolicy: 'Local',
  };
  it.each([
    ['a local endpoint', twoEndpoints, '10.180.2.1:80', 'DNAT'],
    ['only remote endpoints', slice('svc1', [['10.180.0.1', 'node2']]), '', 'DROP'],
    ['no endpoints', slice('svc1', []), '', 'REJECT'],
  ])('with %s', (_name, endpoints, targets, verdict) => {
    const result = trace(rules([service], [endpoints]), '10.0.0.2', '172.30.0.41', 80);
    expect({ targets: result.targets.join(', '), verdict: result.verdict }).toEqual({ targets, verdict });
  });
});

describe('compileNodeRules: what kube-proxy does not proxy', () => {
  it.each<[string, KubeService]>([
    ['a headless service', { ...nodePortService, clusterIP: 'None' }],
    ['an ExternalName service', { ...nodePortService, type: 'ExternalName' }],
    ['an IPv6-only service', { ...nodePortService, clusterIP: 'fd00::1', clusterIPs: ['fd00::1'] }],
  ])('skips %s', (_name, service) => {
    const dump = rules([service], [twoEndpoints]);
    expect(dump).toEqual(rules([], []));
  });

  it('ignores Proxy-mode load balancers, IPv6 addresses and endpoints of another protocol', () => {
    const service: KubeService = {
      ...nodePortService,
      type: 'LoadBalancer',
      externalIPs: ['2001:db8::5', '192.168.99.33'],
      loadBalancerIngress: [
        { ip: '1.2.3.4', ipMode: 'Proxy' },
        { ip: '5.6.7.8' },
        { hostname: 'lb.example' },
      ],
    };
    const dump = rules([service], [twoEndpoints, slice('svc1', [['10.180.9.9']], 'UDP')]);
    const captured = chain(dump, 'nat', 'KUBE-SERVICES').map((line) => / -d (\S+) /.exec(line)?.[1]);
    expect(captured).toEqual(['172.30.0.41', '192.168.99.33', '5.6.7.8', undefined]);
    expect(trace(dump, '10.0.0.2', '172.30.0.41', 80).targets).toEqual(['10.180.0.1:80', '10.180.2.1:80']);
  });
});

describe('compileNodeRules: the shared part is computed once', () => {
  const localService: KubeService = {
    ...nodePortService,
    name: 'svc2',
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    healthCheckNodePort: 30000,
    loadBalancerIngress: [{ ip: '1.2.3.4' }],
  };
  const input = {
    services: [nodePortService, localService],
    endpointSlices: [twoEndpoints, { ...twoEndpoints, serviceName: 'svc2' }],
    config: FAKE_PROXIER_CONFIG,
  };
  const cluster = compileClusterRules(input);

  it('keeps Cluster-policy ports node-independent and Local-policy ports per node', () => {
    expect(cluster.servicePorts.map((port) => port.kind)).toEqual(['shared', 'per-node']);
  });

  it('gives each node its own local endpoints and the same shared rules', () => {
    const here = compileNodeRules(cluster, node);
    const there = compileNodeRules(cluster, otherNode);
    const external = (dump: IptablesDump) => trace(dump, '203.0.113.2', '1.2.3.4', 80);
    expect(external(here).targets).toEqual(['10.180.2.1:80']);
    expect(external(there).verdict).toBe('DROP');
    const sharedChains = (dump: IptablesDump) =>
      chain(dump, 'nat', 'KUBE-NODEPORTS').filter((line) => line.includes('ns1/svc1'));
    expect(sharedChains(here)).toEqual(sharedChains(there));
  });
});

describe('compileNodeRules: one address listed twice', () => {
  const endpoint = (ready: boolean, serving: boolean, terminating: boolean) => ({
    addresses: ['10.180.0.5'],
    conditions: { ready, serving, terminating },
  });
  it.each([
    [
      'a later non-terminating entry replaces a ready one',
      [endpoint(true, true, false), endpoint(false, false, false)],
      'REJECT',
    ],
    [
      'a terminating entry does not replace a ready one',
      [endpoint(true, true, false), endpoint(false, false, true)],
      'DNAT',
    ],
    [
      'a ready entry replaces a terminating one',
      [endpoint(false, false, true), endpoint(true, true, false)],
      'DNAT',
    ],
  ])('%s (as in kube-proxy’s EndpointSliceCache)', (_name, endpoints, verdict) => {
    const service: KubeService = {
      ...nodePortService,
      type: 'ClusterIP',
      ports: [{ name: 'p80', port: 80 }],
    };
    const dump = rules(
      [service],
      [{ namespace: 'ns1', serviceName: 'svc1', endpoints, ports: [{ name: 'p80', port: 80 }] }],
    );
    expect(trace(dump, '10.0.0.2', '172.30.0.41', 80).verdict).toBe(verdict);
  });
});

describe('compileClusterRules: large clusters', () => {
  const service: KubeService = { ...nodePortService, type: 'ClusterIP', ports: [{ name: 'p80', port: 80 }] };
  const endpoints = (count: number) =>
    slice(
      'svc1',
      Array.from({ length: count }, (_, i): [string] => [`10.${180 + Math.floor(i / 256)}.0.${i % 256}`]),
    );
  it.each([
    [1000, false],
    [1001, true],
  ])('with %i endpoints, drops endpoint comments: %s', (count, large) => {
    const cluster = compileClusterRules({
      services: [service],
      endpointSlices: [endpoints(count)],
      config: FAKE_PROXIER_CONFIG,
    });
    expect(cluster.largeClusterMode).toBe(large);
    const dump = compileNodeRules(cluster, node);
    const svc = findChain(dump, 'nat', 'KUBE-SVC-XPGD46QRK7WJZT7O')?.rules ?? [];
    // The cluster-IP masquerade rule keeps its comment either way.
    expect(svc[0]).toContain('"ns1/svc1:p80 cluster IP"');
    expect(svc[1]).toMatch(
      large ? /^-A KUBE-SVC-XPGD46QRK7WJZT7O -m statistic/ : /--comment "ns1\/svc1:p80 -> /,
    );
    const sep = dump.tables[1]?.chains.find((c) => c.name.startsWith('KUBE-SEP-'))?.rules[0] ?? '';
    expect(sep.includes('--comment')).toBe(!large);
    expect(trace(dump, '10.0.0.2', '172.30.0.41', 80).targets).toHaveLength(count);
  });
});
