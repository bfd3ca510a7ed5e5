import { readOracle } from '@gke-emulator/test-oracles';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { computeProbability, formatFixedHalfEven } from './probability';

// Oracle 03: TestComputeProbability, Go's fmt.Sprintf("%0.10f", 1.0/float64(n)).

interface ProbabilityOracle {
  readonly cases: Readonly<Record<string, string>>;
  readonly example_3_endpoints: readonly string[];
}

const oracle = JSON.parse(readOracle('kube-proxy', '03_computeProbability.json')) as ProbabilityOracle;

describe('computeProbability (oracle 03)', () => {
  it.each(Object.entries(oracle.cases))('computeProbability(%s) = %s', (n, expected) => {
    expect(computeProbability(Number(n))).toBe(expected);
  });

  it('gives the --probability arguments of a three-endpoint service', () => {
    const rules = [3, 2].map((n) => `--probability ${computeProbability(n)}`);
    expect([...rules, '(no statistic match)']).toEqual(oracle.example_3_endpoints);
  });

  it('strictly increases as n goes from 100000 down to 2', () => {
    for (let n = 100000; n > 2; n--) {
      expect(Number(computeProbability(n - 1))).toBeGreaterThan(Number(computeProbability(n)));
    }
  });

  it('rounds exact ties half to even as Go does (1/2048 = 0.00048828125)', () => {
    expect(computeProbability(2048)).toBe('0.0004882812');
    expect(formatFixedHalfEven(0.125, 2)).toBe('0.12');
    expect(formatFixedHalfEven(0.375, 2)).toBe('0.38');
    expect(formatFixedHalfEven(2.5, 0)).toBe('2');
  });

  it('agrees with toFixed wherever the value is not an exact tie', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (n) => {
        fc.pre(n !== 2048);
        expect(computeProbability(n)).toBe((1 / n).toFixed(10));
      }),
    );
  });

  it('picks each of n endpoints with probability 1/n through the rule chain', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), (n) => {
        // Rule i matches with p_i = 1/(n-i) when reached; the last rule always matches.
        let reach = 1;
        for (let i = 0; i < n; i++) {
          const p = i === n - 1 ? 1 : Number(computeProbability(n - i));
          expect(Math.abs(reach * p - 1 / n)).toBeLessThan(1e-7);
          reach *= 1 - p;
        }
        expect(Math.abs(reach)).toBeLessThan(1e-7);
      }),
    );
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %s endpoints', (n) => {
    expect(() => computeProbability(n)).toThrow(RangeError);
  });
});
