import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { type ClusterProxyInput, compileClusterRules } from './cluster-rules.compiler';
import { type IptablesDump, findChain } from './iptables-dump';
import { sortIptablesDump } from './iptables-dump.sorter';
import { parseIptablesRule } from './iptables-rule.parser';
import { renderIptablesRestore } from './iptables-restore.renderer';
import { parseIptablesRestore } from './iptables-restore.parser';
import { FAKE_PROXIER_CONFIG, fakeProxierNode } from './kube-proxy-oracle.fixture';
import { type KubeEndpointSlice, type KubeService, type ServiceProtocol } from './kube-proxy.types';
import { compileNodeRules, nodeLocalAddresses } from './node-rules.compiler';
import { tracePacket } from './packet-tracer';

const node = fakeProxierNode(['192.168.1.2']);
const PORT_NAMES = ['', 'http', 'dns'] as const;
const PROTOCOLS: readonly ServiceProtocol[] = ['TCP', 'UDP', 'SCTP'];

const endpointArb = fc.record({
  addresses: fc.tuple(fc.nat(3), fc.nat(12)).map(([a, b]) => [`10.180.${a}.${b}`]),
  nodeName: fc.constantFrom('test-node', 'node2', undefined),
  conditions: fc.record(
    { ready: fc.boolean(), serving: fc.boolean(), terminating: fc.boolean() },
    { requiredKeys: [] },
  ),
});

const servicePortArb = fc.record({
  name: fc.constantFrom(...PORT_NAMES),
  protocol: fc.constantFrom(...PROTOCOLS),
  port: fc.constantFrom(53, 80, 443),
  nodePort: fc.option(fc.integer({ min: 30000, max: 30100 }), { nil: undefined }),
});

/** Services ns{i}/svc{j} with random types, policies and addresses, and slices with random endpoints. */
const clusterArb: fc.Arbitrary<ClusterProxyInput> = fc
  .uniqueArray(
    fc.record({
      key: fc.tuple(fc.nat(2), fc.nat(3)),
      type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer'),
      ports: fc.uniqueArray(servicePortArb, {
        minLength: 1,
        maxLength: 3,
        selector: (port) => `${port.name}/${port.protocol}`,
      }),
      externalIPs: fc.subarray(['192.168.99.22', '192.168.99.33', '2001:db8::9']),
      lbIngress: fc.subarray(['1.2.3.4', '5.6.7.8']),
      sourceRanges: fc.subarray(['203.0.113.0/25', ' 192.168.0.0/24', '10.0.0.0/8']),
      affinity: fc.boolean(),
      externalLocal: fc.boolean(),
      internalLocal: fc.boolean(),
      endpoints: fc.uniqueArray(endpointArb, { maxLength: 5, selector: (endpoint) => endpoint.addresses[0] }),
      slicePortNames: fc.subarray([...PORT_NAMES]),
    }),
    { maxLength: 6, selector: (service) => service.key.join('/') },
  )
  .map((drafts) => {
    const services: KubeService[] = drafts.map((draft, index) => ({
      namespace: `ns${draft.key[0]}`,
      name: `svc${draft.key[1]}`,
      type: draft.type,
      clusterIP: `172.30.0.${index + 1}`,
      ports: draft.ports.map((port) => ({
        ...port,
        nodePort: draft.type === 'ClusterIP' ? undefined : port.nodePort,
      })),
      externalIPs: draft.externalIPs,
      loadBalancerIngress: draft.type === 'LoadBalancer' ? draft.lbIngress.map((ip) => ({ ip })) : [],
      loadBalancerSourceRanges: draft.sourceRanges,
      sessionAffinity: draft.affinity ? 'ClientIP' : 'None',
      externalTrafficPolicy: draft.externalLocal ? 'Local' : 'Cluster',
      internalTrafficPolicy: draft.internalLocal ? 'Local' : 'Cluster',
      healthCheckNodePort: 31000 + index,
    }));
    const endpointSlices: KubeEndpointSlice[] = drafts.map((draft) => ({
      namespace: `ns${draft.key[0]}`,
      serviceName: `svc${draft.key[1]}`,
      endpoints: draft.endpoints,
      ports: draft.slicePortNames.flatMap((name) =>
        PROTOCOLS.map((protocol) => ({ name, protocol, port: 8080 })),
      ),
    }));
    return { services, endpointSlices, config: FAKE_PROXIER_CONFIG };
  });

const BUILTIN_TARGETS = new Set(['ACCEPT', 'REJECT', 'DROP', 'MARK', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE']);
const ALWAYS_DECLARED = new Set([
  'KUBE-SERVICES',
  'KUBE-EXTERNAL-SERVICES',
  'KUBE-NODEPORTS',
  'KUBE-POSTROUTING',
  'KUBE-FORWARD',
  'KUBE-MARK-MASQ',
  'KUBE-PROXY-FIREWALL',
  'KUBE-FIREWALL',
]);

/** kube-proxy's checkIPTablesRuleJumps: jumps reach declared chains with rules; no chain goes unused. */
function jumpProblems(dump: IptablesDump): string[] {
  const problems: string[] = [];
  for (const table of dump.tables) {
    const declared = new Set(table.chains.map((chain) => chain.name));
    const filled = new Set(table.chains.filter((chain) => chain.rules.length > 0).map((chain) => chain.name));
    const jumped = new Set(
      table.chains
        .flatMap((chain) => chain.rules.map((rule) => parseIptablesRule(rule).jump?.value))
        .filter((target): target is string => target !== undefined && !BUILTIN_TARGETS.has(target)),
    );
    for (const target of jumped) {
      if (!declared.has(target)) problems.push(`${table.name}: ${target} is jumped to but not declared`);
      if (!filled.has(target) && target !== 'KUBE-NODEPORTS')
        problems.push(`${table.name}: ${target} has no rules`);
    }
    for (const chain of declared) {
      if (!jumped.has(chain) && !ALWAYS_DECLARED.has(chain))
        problems.push(`${table.name}: ${chain} is never used`);
    }
  }
  return problems;
}

const nodeRules = (input: ClusterProxyInput): IptablesDump =>
  compileNodeRules(compileClusterRules(input), node);

describe('kube-proxy rules, for any services and endpoints', () => {
  it('only jump to declared, non-empty chains, and declare no unused chain (every KUBE-SEP included)', () => {
    fc.assert(
      fc.property(clusterArb, (input) => {
        expect(jumpProblems(nodeRules(input))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('spread each SVC/SVL chain uniformly over its endpoints', () => {
    fc.assert(
      fc.property(clusterArb, (input) => {
        const nat = nodeRules(input).tables.find((table) => table.name === 'nat');
        for (const chain of nat?.chains ?? []) {
          if (!/^KUBE-SV[CL]-/.test(chain.name)) continue;
          const spread = chain.rules
            .map(parseIptablesRule)
            .filter((rule) => rule.jump?.value.startsWith('KUBE-SEP-') && !rule.affinityCheck);
          let reach = 1;
          spread.forEach((rule, index) => {
            const p = rule.probability === undefined ? 1 : Number(rule.probability.value);
            expect(rule.probability === undefined).toBe(index === spread.length - 1);
            expect(reach * p).toBeCloseTo(1 / spread.length, 7);
            reach *= 1 - p;
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('render text that parses back to the same rules, already in kube-proxy’s test order', () => {
    fc.assert(
      fc.property(clusterArb, (input) => {
        const dump = nodeRules(input);
        const text = renderIptablesRestore(dump);
        expect(parseIptablesRestore(text)).toEqual(dump);
        expect(renderIptablesRestore(sortIptablesDump(dump))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('do not depend on the order Services and EndpointSlices are listed in', () => {
    fc.assert(
      fc.property(clusterArb, fc.boolean(), (input, reverseSlices) => {
        const shuffled = {
          ...input,
          services: [...input.services].reverse(),
          endpointSlices: reverseSlices ? [...input.endpointSlices].reverse() : input.endpointSlices,
        };
        expect(renderIptablesRestore(nodeRules(shuffled))).toBe(renderIptablesRestore(nodeRules(input)));
      }),
      { numRuns: 100 },
    );
  });

  it('come out the same whether the shared part is reused or every port is built for the node', () => {
    fc.assert(
      fc.property(clusterArb, (input) => {
        // NodeCIDR detection makes every port node-specific; with the node's range equal to the cluster's,
        // the rules must not change.
        const perNode = compileClusterRules({
          ...input,
          config: { ...input.config, detectLocalMode: 'NodeCIDR' },
        });
        expect(perNode.servicePorts.every((port) => port.kind === 'per-node')).toBe(true);
        const built = compileNodeRules(perNode, { ...node, podCidr: '10.0.0.0/8' });
        expect(built).toEqual(nodeRules(input));
      }),
      { numRuns: 200 },
    );
  });

  it('send pod traffic for a cluster IP to exactly its ready endpoints (when any are ready)', () => {
    fc.assert(
      fc.property(clusterArb, (input) => {
        const dump = nodeRules(input);
        for (const service of input.services) {
          if (service.internalTrafficPolicy === 'Local') continue;
          for (const port of service.ports) {
            const slice = input.endpointSlices.find(
              (candidate) =>
                candidate.serviceName === service.name && candidate.namespace === service.namespace,
            );
            const hasPort =
              slice?.ports.some((p) => p.name === (port.name ?? '') && p.protocol === port.protocol) ?? false;
            const ready = hasPort
              ? [
                  ...new Set(
                    (slice?.endpoints ?? [])
                      .filter((ep) => ep.conditions?.ready ?? true)
                      .map((ep) => `${ep.addresses[0]}:8080`),
                  ),
                ].sort()
              : [];
            if (ready.length === 0) continue;
            const trace = tracePacket(
              dump,
              {
                sourceIP: '10.0.0.2',
                destinationIP: service.clusterIP ?? '',
                destinationPort: port.port,
                protocol: port.protocol,
              },
              nodeLocalAddresses(node),
            );
            expect(trace.verdict).toBe('DNAT');
            expect(trace.targets).toEqual(ready);
            expect(trace.masquerade).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never let the INVALID-state or masquerade-mark rules match a fresh packet', () => {
    const dump = nodeRules({ services: [], endpointSlices: [], config: FAKE_PROXIER_CONFIG });
    expect(findChain(dump, 'filter', 'KUBE-FORWARD')?.rules).toHaveLength(3);
    expect(
      tracePacket(dump, { sourceIP: '10.0.0.2', destinationIP: '10.0.0.3', destinationPort: 80 }, []).verdict,
    ).toBe('NONE');
  });
});
