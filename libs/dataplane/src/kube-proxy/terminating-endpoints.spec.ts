import { readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';

import { compileClusterRules } from './cluster-rules.compiler';
import { type IptablesDump, findChain, findTable } from './iptables-dump';
import { renderIptablesRestore } from './iptables-restore.renderer';
import { TERMINATING_ORACLE } from './kube-proxy-oracle-inputs.fixture';
import { compileNodeRules, nodeLocalAddresses } from './node-rules.compiler';
import { tracePacket } from './packet-tracer';

// Oracle 06: TestTerminatingEndpointsTrafficPolicyLocal, from an older kube-proxy (no nfacct counters). The
// oracle gives sub-case 1 in full and the other sub-cases as differences; their endpoints are described in
// comments, transcribed in kube-proxy-oracle-inputs.fixture.ts, while every expected rule and flow is read
// from the file itself.

const text = readOracle('kube-proxy', '06_TestTerminatingEndpointsTrafficPolicyLocal.txt');
const { node } = TERMINATING_ORACLE;
const sections = text.split(/^######## /m).slice(1);
const section = (n: number): string => {
  const found = sections.find((candidate) => candidate.startsWith(`SUB-CASE ${n}:`));
  if (found === undefined) throw new Error(`sub-case ${n} not in the oracle`);
  return found;
};

function rulesFor(subCase: number, withSlice = true): IptablesDump {
  return compileNodeRules(compileClusterRules(TERMINATING_ORACLE.input(subCase, withSlice)), node);
}

const [, podSource, externalSource] = /src (\S+) = pod; src (\S+) = external/.exec(text) ?? [];
const FLOW = /(pod|external)->([0-9.]+):([0-9]+) => ("[^"]*"|[A-Z]+)(?: masq=(true|false))?/g;

/** The "# flows:" line of a section: source kind, destination, expected output and masquerade. */
function flowsOf(body: string) {
  const line = body.split('\n').find((candidate) => candidate.startsWith('# flows:')) ?? '';
  return [...line.matchAll(FLOW)].map(([, kind, dst, port, output, masq]) => ({
    source: kind === 'pod' ? (podSource ?? '') : (externalSource ?? ''),
    kind: kind ?? '',
    dst: dst ?? '',
    port: Number(port),
    output: (output ?? '').replace(/"/g, ''),
    masq: masq === 'true',
  }));
}

function traceOutput(rules: IptablesDump, source: string, dst: string, port: number) {
  const trace = tracePacket(
    rules,
    { sourceIP: source, destinationIP: dst, destinationPort: port },
    nodeLocalAddresses(node),
  );
  const output =
    trace.verdict === 'DNAT' ? trace.targets.join(', ') : trace.verdict === 'NONE' ? '' : trace.verdict;
  return { output, masq: trace.masquerade };
}

/** The rule lines an oracle section lists, inline ("-A ...") or inside comments ("# filter adds: -A ..."). */
function ruleLinesOf(body: string, inComments: boolean): string[] {
  return body
    .split('\n')
    .filter((line) => (inComments ? line.startsWith('#') : !line.startsWith('#')))
    .map((line) => (inComments ? (/(-A .*)$/.exec(line)?.[1] ?? '') : line.trim()))
    .filter((line) => line.startsWith('-A '));
}

const chainNames = (rules: IptablesDump, table: string): string[] =>
  findTable(rules, table)?.chains.map((chain) => chain.name) ?? [];
const chainRules = (rules: IptablesDump, table: string, chain: string): readonly string[] =>
  findChain(rules, table, chain)?.rules ?? [];

describe('TestTerminatingEndpointsTrafficPolicyLocal (oracle 06)', () => {
  it('sub-case 1 "ready endpoints exist": the full dump byte for byte', () => {
    const expected = section(1)
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('SUB-CASE'))
      .map((line) => `${line}\n`)
      .join('');
    expect(renderIptablesRestore(rulesFor(1))).toBe(expected);
  });

  it('sub-case 2 "only terminating endpoints exist": SVC/SVL rules, SEP chains, same filter table', () => {
    const rules = rulesFor(2);
    const svcAndSvl = ruleLinesOf(section(2), false);
    expect(svcAndSvl).toHaveLength(7);
    const chains = [...new Set(svcAndSvl.map((line) => line.split(' ')[1] ?? ''))];
    expect(chains.flatMap((chain) => chainRules(rules, 'nat', chain))).toEqual(svcAndSvl);
    const chainsLine =
      section(2)
        .split('\n')
        .find((line) => line.includes('chains:')) ?? '';
    const expectedSeps = chainsLine.match(/KUBE-SEP-[A-Z0-9]{16}/g) ?? [];
    expect(expectedSeps).toHaveLength(3);
    expect(chainNames(rules, 'nat').filter((chain) => chain.startsWith('KUBE-SEP-'))).toEqual(expectedSeps);
    expect(findTable(rules, 'filter')).toEqual(findTable(rulesFor(1), 'filter'));
  });

  it('sub-case 3 "terminating endpoints on remote node": DROP external, no SVL, short-circuits only', () => {
    const rules = rulesFor(3);
    const filterRules = findTable(rules, 'filter')?.chains.flatMap((chain) => chain.rules) ?? [];
    const added = ruleLinesOf(section(3), true);
    expect(added).toHaveLength(1);
    for (const line of added) expect(filterRules).toContain(line);
    expect(chainNames(rules, 'nat').some((chain) => chain.startsWith('KUBE-SVL-'))).toBe(false);
    const ext = chainRules(rules, 'nat', 'KUBE-EXT-AQI2S6QIMU7PVVRP');
    expect(ext).toHaveLength(3);
    expect(ext.some((line) => line.includes('-j KUBE-SVL-'))).toBe(false);
    expect(chainRules(rules, 'nat', 'KUBE-SVC-AQI2S6QIMU7PVVRP')).toEqual([
      expect.stringContaining('-j KUBE-MARK-MASQ'),
      expect.stringMatching(/--rcheck .* -j KUBE-SEP-EQCHZ7S2PJ72OHAY$/),
      '-A KUBE-SVC-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.5:80" -j KUBE-SEP-EQCHZ7S2PJ72OHAY',
    ]);
  });

  it('sub-case 4 "no usable endpoints on any node": REJECT in filter, only the base nat chains', () => {
    const rules = rulesFor(4);
    const filterRules = findTable(rules, 'filter')?.chains.flatMap((chain) => chain.rules) ?? [];
    const added = ruleLinesOf(section(4), true);
    expect(added).toHaveLength(2);
    for (const line of added) expect(filterRules).toContain(line);
    expect(chainNames(rules, 'nat')).toEqual([
      'KUBE-NODEPORTS',
      'KUBE-SERVICES',
      'KUBE-MARK-MASQ',
      'KUBE-POSTROUTING',
    ]);
    expect(chainRules(rules, 'nat', 'KUBE-SERVICES')).toHaveLength(1);
  });

  describe.each([1, 2, 3, 4])('sub-case %i flows', (subCase) => {
    const flows = flowsOf(section(subCase));
    it('lists a pod flow and an external flow', () =>
      expect(flows.map((flow) => flow.kind)).toEqual(['pod', 'external']));
    it.each(flows)('$kind -> $dst:$port gives "$output"', (flow) => {
      expect(traceOutput(rulesFor(subCase), flow.source, flow.dst, flow.port)).toEqual({
        output: flow.output,
        masq: flow.masq,
      });
    });
    it.each(flows)('$kind -> $dst:$port is REJECTed once the EndpointSlice is deleted', (flow) => {
      expect(traceOutput(rulesFor(subCase, false), flow.source, flow.dst, flow.port).output).toBe('REJECT');
    });
  });
});
