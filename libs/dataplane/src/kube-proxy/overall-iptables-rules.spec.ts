import { readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';

import { compileClusterRules } from './cluster-rules.compiler';
import { sortIptablesDump } from './iptables-dump.sorter';
import { renderIptablesRestore } from './iptables-restore.renderer';
import { parseIptablesRestore } from './iptables-restore.parser';
import { overallOracle } from './kube-proxy-oracle-inputs.fixture';
import { compileNodeRules, renderKubeProxyIptables } from './node-rules.compiler';

// Oracle 01: TestOverallIPTablesRules. kube-proxy's test compares after sortIPTablesRules (tables by name,
// KUBE-NODEPORTS then KUBE-SERVICES then the other chains alphabetically, KUBE-NODEPORTS/KUBE-SERVICES rules
// by service name); the expected text is in that canonical form. Our renderer writes that form directly, so
// the output is compared byte for byte, and once more after applying the same normalisation to both sides.

const OVERALL_ORACLE = overallOracle(
  readOracle('kube-proxy', '01_TestOverallIPTablesRules.input.yaml'),
  readOracle('kube-proxy', '01_TestOverallIPTablesRules.expected.txt'),
);
const { input: clusterInput, node, expected } = OVERALL_ORACLE;

describe('TestOverallIPTablesRules (oracle 01)', () => {
  const rendered = renderKubeProxyIptables(clusterInput, node);

  it('renders the expected iptables-restore text byte for byte', () => {
    expect(rendered).toBe(expected);
  });

  it('equals the expected text under kube-proxy’s own test normalisation too', () => {
    const normalise = (text: string): string =>
      renderIptablesRestore(sortIptablesDump(parseIptablesRestore(text)));
    expect(normalise(rendered)).toBe(normalise(expected));
    expect(normalise(rendered)).toBe(rendered);
  });

  it('does not depend on the order services and slices arrive in', () => {
    const reversed = {
      ...clusterInput,
      services: [...clusterInput.services].reverse(),
      endpointSlices: [...clusterInput.endpointSlices].reverse(),
    };
    expect(renderKubeProxyIptables(reversed, node)).toBe(expected);
  });

  it.each([
    ['expected chains of the filter table', 'filter'],
    ['expected chains of the nat table', 'nat'],
  ])('declares the %s', (_label, tableName) => {
    const want = parseIptablesRestore(expected).tables.find((table) => table.name === tableName);
    const got = compileNodeRules(compileClusterRules(clusterInput), node).tables.find(
      (table) => table.name === tableName,
    );
    expect(got?.chains.map((chain) => chain.name)).toEqual(want?.chains.map((chain) => chain.name));
  });
});
