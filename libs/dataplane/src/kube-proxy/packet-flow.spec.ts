import { readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { type IptablesDump } from './iptables-dump';
import { parseIptablesRestore } from './iptables-restore.parser';
import {
  FAKE_PROXIER_CONFIG,
  type OracleEndpointSlice,
  type OracleService,
  fakeProxierNode,
  toKubeEndpointSlice,
  toKubeService,
} from './kube-proxy-oracle.fixture';
import { type KubeProxyConfig, type ServiceProtocol } from './kube-proxy.types';
import { compileNodeRules, nodeLocalAddresses } from './node-rules.compiler';
import { compileClusterRules, type ClusterProxyInput } from './cluster-rules.compiler';
import { type PacketTrace, tracePacket } from './packet-tracer';

// Oracle 02: the runPacketFlowTests expectations of proxier_test.go, one group per Test* function. "output"
// is kube-proxy's tracer result: the comma-joined DNAT targets, ACCEPT/DROP/REJECT, or "" when nothing
// matched.

interface FlowCase {
  readonly name: string;
  readonly src: string;
  readonly dst: string;
  readonly dport: number;
  readonly protocol?: ServiceProtocol;
  readonly output: string;
  readonly masq?: boolean;
}

interface FlowGroup {
  readonly test: string;
  readonly setup?: string;
  readonly services?: readonly OracleService[];
  readonly endpoints?: readonly OracleEndpointSlice[];
  readonly cases: readonly FlowCase[];
}

interface FlowOracle {
  readonly environment: { readonly localNodeIPs: readonly string[] };
  readonly groups: readonly FlowGroup[];
}

const oracle = JSON.parse(readOracle('kube-proxy', '02_packet_flow_tests.json')) as FlowOracle;
const node = fakeProxierNode(oracle.environment.localNodeIPs);
const localAddresses = nodeLocalAddresses(node);

/** kube-proxy's output string for a trace. */
function outputOf(trace: PacketTrace): string {
  if (trace.verdict === 'DNAT') return trace.targets.join(', ');
  return trace.verdict === 'NONE' ? '' : trace.verdict;
}

/** A group's "setup" note, e.g. "nodePortAddresses = [127.0.0.0/8]", applied to the fake proxier's config. */
function configFor(group: FlowGroup): KubeProxyConfig {
  const nodePortAddresses = /nodePortAddresses = \[([^\]]*)\]/.exec(group.setup ?? '')?.[1];
  if (nodePortAddresses === undefined) return FAKE_PROXIER_CONFIG;
  return {
    ...FAKE_PROXIER_CONFIG,
    nodePortAddresses: nodePortAddresses.split(',').map((cidr) => cidr.trim()),
  };
}

function rulesFor(group: FlowGroup, withServices: boolean): IptablesDump {
  const input: ClusterProxyInput = {
    services: withServices ? (group.services ?? []).map(toKubeService) : [],
    endpointSlices: (group.endpoints ?? []).map(toKubeEndpointSlice),
    config: configFor(group),
  };
  return compileNodeRules(compileClusterRules(input), node);
}

function expectFlow(rules: IptablesDump, flow: FlowCase): void {
  const trace = tracePacket(
    rules,
    { sourceIP: flow.src, destinationIP: flow.dst, destinationPort: flow.dport, protocol: flow.protocol },
    localAddresses,
  );
  expect({ output: outputOf(trace), masq: trace.masquerade }).toEqual({
    output: flow.output,
    masq: flow.masq ?? false,
  });
  const verdict =
    flow.output === '' ? 'NONE' : /^(ACCEPT|DROP|REJECT)$/.test(flow.output) ? flow.output : 'DNAT';
  expect(trace.verdict).toBe(verdict);
  expect(trace.targets).toEqual(verdict === 'DNAT' ? flow.output.split(', ') : []);
}

const [tracePacketGroup, ...serviceGroups] = oracle.groups;

describe('TestTracePacket (oracle 02 over the dump of oracle 01)', () => {
  const overall = parse(readOracle('kube-proxy', '01_TestOverallIPTablesRules.input.yaml')) as {
    readonly services: readonly OracleService[];
    readonly endpointSlices: readonly OracleEndpointSlice[];
  };
  // The test restores oracle 01's dump without the localhost nfacct NodePort rules: the same as our rendering
  // without that counter.
  const rendered = compileNodeRules(
    compileClusterRules({
      services: overall.services.map(toKubeService),
      endpointSlices: overall.endpointSlices.map(toKubeEndpointSlice),
      config: { ...FAKE_PROXIER_CONFIG, nfacctCounters: { localhostNodePortsAcceptedPkts: false } },
    }),
    node,
  );
  const oracleDump = parseIptablesRestore(
    readOracle('kube-proxy', '01_TestOverallIPTablesRules.expected.txt'),
  );

  it('is the first group of the oracle', () => {
    expect(tracePacketGroup?.test).toBe('TestTracePacket');
  });
  it.each(tracePacketGroup?.cases ?? [])('$name, over our rules', (flow) => expectFlow(rendered, flow));
  it.each(tracePacketGroup?.cases ?? [])('$name, over the oracle text', (flow) =>
    expectFlow(oracleDump, flow),
  );
});

describe.each(serviceGroups)('$test (oracle 02)', (group) => {
  const withServices = rulesFor(group, true);
  const afterDelete = rulesFor(group, false);
  it.each(group.cases)('$name', (flow) => {
    // "after service delete" cases run against the same inputs minus the Service, as the Go test deletes it.
    expectFlow(flow.name.startsWith('after service delete') ? afterDelete : withServices, flow);
  });
});
