import { readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';

import { type IptablesDump } from './iptables-dump';
import { parseIptablesRestore } from './iptables-restore.parser';
import { FAKE_PROXIER_CONFIG } from './kube-proxy-oracle.fixture';
import {
  type FlowCase,
  type FlowGroup,
  flowGroupInput,
  overallOracle,
  packetFlowOracle,
} from './kube-proxy-oracle-inputs.fixture';
import { compileNodeRules, nodeLocalAddresses } from './node-rules.compiler';
import { compileClusterRules } from './cluster-rules.compiler';
import { type PacketTrace, tracePacket } from './packet-tracer';

// Oracle 02: the runPacketFlowTests expectations of proxier_test.go, one group per Test* function. "output"
// is kube-proxy's tracer result: the comma-joined DNAT targets, ACCEPT/DROP/REJECT, or "" when nothing
// matched.

const OVERALL_ORACLE = overallOracle(
  readOracle('kube-proxy', '01_TestOverallIPTablesRules.input.yaml'),
  readOracle('kube-proxy', '01_TestOverallIPTablesRules.expected.txt'),
);
const PACKET_FLOW_ORACLE = packetFlowOracle(readOracle('kube-proxy', '02_packet_flow_tests.json'));
const { node, groups } = PACKET_FLOW_ORACLE;
const localAddresses = nodeLocalAddresses(node);

/** kube-proxy's output string for a trace. */
function outputOf(trace: PacketTrace): string {
  if (trace.verdict === 'DNAT') return trace.targets.join(', ');
  return trace.verdict === 'NONE' ? '' : trace.verdict;
}

function rulesFor(group: FlowGroup, withServices: boolean): IptablesDump {
  return compileNodeRules(compileClusterRules(flowGroupInput(group, withServices)), node);
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

const [tracePacketGroup, ...serviceGroups] = groups;

describe('TestTracePacket (oracle 02 over the dump of oracle 01)', () => {
  // The test restores oracle 01's dump without the localhost nfacct NodePort rules: the same as our rendering
  // without that counter.
  const rendered = compileNodeRules(
    compileClusterRules({
      ...OVERALL_ORACLE.input,
      config: { ...FAKE_PROXIER_CONFIG, nfacctCounters: { localhostNodePortsAcceptedPkts: false } },
    }),
    node,
  );
  const oracleDump = parseIptablesRestore(OVERALL_ORACLE.expected);

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
