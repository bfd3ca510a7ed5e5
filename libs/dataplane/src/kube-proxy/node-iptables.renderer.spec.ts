import { readOracle } from '@gke-emulator/test-oracles';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  type ClusterKubeProxyRules,
  type ClusterProxyInput,
  LARGE_CLUSTER_ENDPOINTS,
  compileClusterRules,
} from './cluster-rules.compiler';
import { renderIptablesRestore } from './iptables-restore.renderer';
import { TEST_NODES, clusterInputArb } from './kube-proxy-cluster.arbitrary';
import { FAKE_PROXIER_CONFIG } from './kube-proxy-oracle.fixture';
import {
  TERMINATING_ORACLE,
  flowGroupInput,
  overallOracle,
  packetFlowOracle,
} from './kube-proxy-oracle-inputs.fixture';
import { type KubeEndpointSlice, type KubeService, type NodeContext } from './kube-proxy.types';
import { renderNodeIptables } from './node-iptables.renderer';
import { compileNodeRules } from './node-rules.compiler';

const OVERALL_ORACLE = overallOracle(
  readOracle('kube-proxy', '01_TestOverallIPTablesRules.input.yaml'),
  readOracle('kube-proxy', '01_TestOverallIPTablesRules.expected.txt'),
);
const PACKET_FLOW_ORACLE = packetFlowOracle(readOracle('kube-proxy', '02_packet_flow_tests.json'));

const slowPath = (cluster: ClusterKubeProxyRules, node: NodeContext): string =>
  renderIptablesRestore(compileNodeRules(cluster, node));

/** Every node, twice (the second time from the cached plan), renders as the slow path does. */
function expectSameText(cluster: ClusterKubeProxyRules, nodes: readonly NodeContext[]): void {
  for (const node of [...nodes, ...nodes])
    expect(renderNodeIptables(cluster, node)).toBe(slowPath(cluster, node));
}

const oracleInputs: [string, ClusterProxyInput, NodeContext][] = [
  ['01 TestOverallIPTablesRules', OVERALL_ORACLE.input, OVERALL_ORACLE.node],
  [
    '01 without the localhost NodePort counter (TestTracePacket)',
    {
      ...OVERALL_ORACLE.input,
      config: { ...FAKE_PROXIER_CONFIG, nfacctCounters: { localhostNodePortsAcceptedPkts: false } },
    },
    PACKET_FLOW_ORACLE.node,
  ],
  ...PACKET_FLOW_ORACLE.groups.flatMap((group, index): [string, ClusterProxyInput, NodeContext][] => [
    [`02 ${group.test} #${index}`, flowGroupInput(group, true), PACKET_FLOW_ORACLE.node],
    [
      `02 ${group.test} #${index} after service delete`,
      flowGroupInput(group, false),
      PACKET_FLOW_ORACLE.node,
    ],
  ]),
  ...TERMINATING_ORACLE.subCases.flatMap((subCase): [string, ClusterProxyInput, NodeContext][] => [
    [`06 sub-case ${subCase}`, TERMINATING_ORACLE.input(subCase), TERMINATING_ORACLE.node],
    [
      `06 sub-case ${subCase} without its slice`,
      TERMINATING_ORACLE.input(subCase, false),
      TERMINATING_ORACLE.node,
    ],
  ]),
];

describe('renderNodeIptables', () => {
  it('writes oracle 01’s expected text byte for byte', () => {
    expect(renderNodeIptables(compileClusterRules(OVERALL_ORACLE.input), OVERALL_ORACLE.node)).toBe(
      OVERALL_ORACLE.expected,
    );
  });

  it.each(oracleInputs)(
    'equals the slow path on the oracle input %s, on its node and others',
    (_name, input, node) => {
      expectSameText(compileClusterRules(input), [node, ...TEST_NODES]);
    },
  );

  it('equals the slow path for any cluster, config and node, in and out of large-cluster mode', () => {
    fc.assert(
      fc.property(clusterInputArb, fc.constantFrom(LARGE_CLUSTER_ENDPOINTS, 2), (input, threshold) => {
        expectSameText(compileClusterRules(input, threshold), TEST_NODES);
      }),
      { numRuns: 400 },
    );
  });

  it('equals the slow path when a Service is listed twice with other policies (chains written by both)', () => {
    const flipped = (service: KubeService): KubeService => ({
      ...service,
      internalTrafficPolicy: service.internalTrafficPolicy === 'Local' ? 'Cluster' : 'Local',
      externalTrafficPolicy: service.externalTrafficPolicy === 'Local' ? 'Cluster' : 'Local',
    });
    fc.assert(
      fc.property(clusterInputArb, fc.nat(), (input, pick) => {
        const twice = input.services[pick % Math.max(1, input.services.length)];
        const services = twice === undefined ? input.services : [...input.services, flipped(twice)];
        expectSameText(compileClusterRules({ ...input, services }), TEST_NODES);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['ClusterCIDR detection', { clusterCidr: '10.0.0.0/8' }],
    [
      'NodePort addresses and no localhost NodePorts',
      { clusterCidr: '10.0.0.0/8', nodePortAddresses: ['192.168.0.0/16'], localhostNodePorts: false },
    ],
  ])('equals the slow path on a cluster of 1,500 services (a text of many chunks), %s', (_name, config) => {
    const nodeNames = [...TEST_NODES.map((node) => node.nodeName), 'elsewhere'];
    const services: KubeService[] = [];
    const endpointSlices: KubeEndpointSlice[] = [];
    for (let s = 0; s < 1500; s++) {
      const type = (['ClusterIP', 'NodePort', 'LoadBalancer'] as const)[s % 3] ?? 'ClusterIP';
      services.push({
        namespace: `ns${s % 7}`,
        name: `svc${s}`,
        type,
        clusterIP: `172.30.${s >> 8}.${s & 255}`,
        ports: [{ name: 'http', port: 80, ...(type === 'ClusterIP' ? {} : { nodePort: 30000 + s }) }],
        loadBalancerIngress: type === 'LoadBalancer' ? [{ ip: `1.2.${s >> 8}.${s & 255}` }] : [],
        loadBalancerSourceRanges: s % 13 === 2 ? ['203.0.113.0/25'] : [],
        externalTrafficPolicy: s % 7 === 1 ? 'Local' : 'Cluster',
        internalTrafficPolicy: s % 11 === 3 ? 'Local' : 'Cluster',
        sessionAffinity: s % 5 === 0 ? 'ClientIP' : 'None',
        healthCheckNodePort: 32000 + s,
      });
      endpointSlices.push({
        namespace: `ns${s % 7}`,
        name: `svc${s}-a`,
        serviceName: `svc${s}`,
        endpoints: Array.from({ length: s % 6 }, (_, e) => ({
          addresses: [`10.${(s >> 8) + 1}.${s & 255}.${e}`],
          nodeName: nodeNames[(s + e) % nodeNames.length],
          conditions: { ready: (s + e) % 9 !== 0, serving: true, terminating: (s + e) % 9 === 0 },
        })),
        ports: [{ name: 'http', port: 8080 }],
      });
    }
    const cluster = compileClusterRules({ services, endpointSlices, config });
    expect(cluster.servicePorts.some((port) => port.kind === 'per-node')).toBe(true);
    expect(slowPath(cluster, OVERALL_ORACLE.node).length).toBeGreaterThan(1_000_000);
    expectSameText(cluster, TEST_NODES);
  });

  it('renders from a plan kept per cluster object, which a new object replaces', () => {
    const cluster = compileClusterRules(OVERALL_ORACLE.input);
    const first = renderNodeIptables(cluster, OVERALL_ORACLE.node);
    const changed = compileClusterRules({
      ...OVERALL_ORACLE.input,
      services: OVERALL_ORACLE.input.services.slice(1),
    });
    expect(renderNodeIptables(changed, OVERALL_ORACLE.node)).toBe(slowPath(changed, OVERALL_ORACLE.node));
    expect(renderNodeIptables(changed, OVERALL_ORACLE.node)).not.toBe(first);
    expect(renderNodeIptables(cluster, OVERALL_ORACLE.node)).toBe(first);
  });
});
