import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { oraclePath, readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { formatConnectivityLines, summarizeConnectivity } from './connectivity.summarizer';
import { readKubernetesObjects } from './kubernetes-objects.reader';
import { compileCluster } from './network-policy.compiler';
import type { NetworkPolicyIssue, NetworkPolicyIssueCode } from './network-policy.issues';
import { validateNetworkPolicy } from './network-policy.validator';

// np-guard/netpol-analyzer connlist cases: the inputs as they are, compared with expected_connlist.txt
// byte for byte, or with expected_error.json.

const ROOT = oraclePath('netpol', 'np-guard');
const CASES = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function readInputs(caseName: string): unknown[] {
  const dir = join(ROOT, caseName, 'input');
  return readdirSync(dir)
    .filter((file) => /\.(ya?ml|json)$/.test(file))
    .sort()
    .flatMap((file) => parseAllDocuments(readOracle('netpol', 'np-guard', caseName, 'input', file)))
    .map((document) => document.toJS() as unknown)
    .filter((object) => object !== null && object !== undefined);
}

/** np-guard's error names (alerts package) and the issue each one is. */
const NP_GUARD_ERRORS: Readonly<Record<string, NetworkPolicyIssueCode>> = {
  EndPortWithNamedPortErrStr: 'EndPortWithNamedPort',
  IllegalPortRangeError: 'IllegalPortRange',
};

/** "IllegalPortRangeError(10, 1): endPort < port" -> the issue code and its (port, endPort) arguments. */
function expectedIssue(expectError: string): { code: NetworkPolicyIssueCode; args: number[] } {
  const match = /^(\w+)(?:\(([^)]*)\))?:/.exec(expectError);
  const code = match?.[1] === undefined ? undefined : NP_GUARD_ERRORS[match[1]];
  if (match === null || code === undefined) throw new Error(`unknown np-guard error: ${expectError}`);
  return {
    code,
    args: (match[2] ?? '')
      .split(',')
      .filter((a) => a.trim() !== '')
      .map(Number),
  };
}

function matchesExpected(
  issue: NetworkPolicyIssue,
  expected: { code: NetworkPolicyIssueCode; args: number[] },
): boolean {
  if (issue.code !== expected.code) return false;
  return (
    expected.args.length === 0 || (issue.port === expected.args[0] && issue.endPort === expected.args[1])
  );
}

describe('np-guard connlist oracles', () => {
  it('finds the 13 copied cases', () => {
    expect(CASES).toHaveLength(13);
  });

  const connlistCases = CASES.filter((name) => existsSync(join(ROOT, name, 'expected_connlist.txt')));
  const errorCases = CASES.filter((name) => existsSync(join(ROOT, name, 'expected_error.json')));

  it('has an expectation for every case', () => {
    expect(connlistCases.length + errorCases.length).toBe(CASES.length);
  });

  it.each(connlistCases)('%s: connectivity equals expected_connlist.txt', (caseName) => {
    const { cluster } = readKubernetesObjects(readInputs(caseName));
    const compiled = compileCluster(cluster);
    expect(compiled.rejectedPolicies).toEqual([]);
    const actual = formatConnectivityLines(summarizeConnectivity(compiled));
    expect(actual).toBe(readOracle('netpol', 'np-guard', caseName, 'expected_connlist.txt'));
  });

  it.each(errorCases)('%s: validation reports expected_error.json', (caseName) => {
    const { expectError } = JSON.parse(readOracle('netpol', 'np-guard', caseName, 'expected_error.json')) as {
      expectError: string;
    };
    const expected = expectedIssue(expectError);
    const { cluster } = readKubernetesObjects(readInputs(caseName));
    const issues = cluster.policies.flatMap(validateNetworkPolicy);
    expect(issues.filter((issue) => matchesExpected(issue, expected))).toHaveLength(1);
    // The API server would refuse the policy, so the compiled cluster leaves it out.
    expect(compileCluster(cluster).rejectedPolicies.map((r) => r.issues.map((i) => i.code))).toContainEqual(
      expect.arrayContaining([expected.code]),
    );
  });
});
