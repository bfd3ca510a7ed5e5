import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  type Cidr,
  blockSize,
  cidrContaining,
  cidrContains,
  cidrOverlaps,
  formatCidr,
  parseCidrOrThrow,
} from './cidr';
import { findFreeRange } from './range-set';
import { cidr } from './test-arbitraries';

const c = parseCidrOrThrow;
const find = (parent: string, prefix: number, taken: readonly string[]): string | null => {
  const found = findFreeRange(c(parent), prefix, taken.map(c));
  return found && formatCidr(found);
};

/** Reference implementation: probe every aligned block in order. Only for small search spaces. */
function bruteForce(parent: Cidr, prefixLength: number, taken: readonly Cidr[]): Cidr | null {
  if (prefixLength < parent.prefixLength) return null;
  const size = blockSize(prefixLength);
  for (
    let network = parent.network;
    network < parent.network + blockSize(parent.prefixLength);
    network += size
  ) {
    const candidate = { network, prefixLength };
    if (!taken.some((block) => cidrOverlaps(block, candidate))) return candidate;
  }
  return null;
}

describe('findFreeRange', () => {
  it.each<[string, number, readonly string[], string | null]>([
    ['10.0.0.0/24', 24, [], '10.0.0.0/24'],
    ['10.0.0.0/24', 26, [], '10.0.0.0/26'],
    ['10.0.0.0/24', 26, ['10.0.0.0/26'], '10.0.0.64/26'],
    ['10.0.0.0/24', 26, ['10.0.0.0/26', '10.0.0.64/26'], '10.0.0.128/26'],
    ['10.0.0.0/24', 26, ['10.0.0.64/26'], '10.0.0.0/26'],
    ['10.0.0.0/24', 26, ['10.0.0.0/26', '10.0.0.64/26', '10.0.0.128/26', '10.0.0.192/26'], null],
    ['10.0.0.0/24', 26, ['10.0.0.0/24'], null],
    ['10.0.0.0/24', 26, ['10.0.0.0/16'], null],
    ['10.0.0.0/24', 24, ['10.0.0.77/32'], null],
    ['10.0.0.0/24', 23, [], null],
    ['10.0.0.0/24', 26, ['10.0.0.1/32'], '10.0.0.64/26'],
    ['10.0.0.0/24', 26, ['10.0.0.63/32'], '10.0.0.64/26'],
    ['10.0.0.0/24', 26, ['10.0.0.64/32'], '10.0.0.0/26'],
    ['10.0.0.0/24', 26, ['10.0.0.0/25'], '10.0.0.128/26'],
    ['10.0.0.0/24', 25, ['10.0.0.0/26'], '10.0.0.128/25'],
    ['10.0.0.0/24', 32, ['10.0.0.0/31', '10.0.0.3/32'], '10.0.0.2/32'],
    // Blocks outside the parent are ignored.
    ['10.0.0.0/24', 24, ['10.0.1.0/24', '9.0.0.0/8'], '10.0.0.0/24'],
    // Unsorted, duplicated and nested input.
    ['10.0.0.0/24', 27, ['10.0.0.64/27', '10.0.0.0/26', '10.0.0.32/27', '10.0.0.0/26'], '10.0.0.96/27'],
    // Huge parents: jumps instead of probing.
    ['10.0.0.0/8', 29, ['10.0.0.0/9'], '10.128.0.0/29'],
    ['0.0.0.0/0', 32, ['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3'], '224.0.0.0/32'],
    ['0.0.0.0/0', 32, ['0.0.0.0/1', '128.0.0.0/1'], null],
    ['0.0.0.0/0', 0, [], '0.0.0.0/0'],
    ['0.0.0.0/0', 1, ['0.0.0.1/32'], '128.0.0.0/1'],
    [
      '255.255.255.0/24',
      32,
      ['255.255.255.0/25', '255.255.255.128/26', '255.255.255.192/27'],
      '255.255.255.224/32',
    ],
    ['255.255.255.0/24', 25, ['255.255.255.255/32'], '255.255.255.0/25'],
    ['255.255.255.0/24', 25, ['255.255.255.0/32', '255.255.255.255/32'], null],
    // The GKE-style use: next /20 in the auto mode block after us-central1.
    ['10.128.0.0/9', 20, ['10.128.0.0/20'], '10.128.16.0/20'],
    ['10.128.0.0/9', 16, ['10.128.0.0/20', '10.129.0.0/20'], '10.130.0.0/16'],
  ])('in %s a /%d avoiding %j → %s', (parent, prefix, taken, expected) => {
    expect(find(parent, prefix, taken)).toBe(expected);
  });

  it.each([[-1], [33], [8.5], [Number.NaN]])('rejects prefix length %d', (prefix) => {
    expect(() => findFreeRange(c('10.0.0.0/8'), prefix, [])).toThrow(RangeError);
  });

  it('handles thousands of taken blocks in a /8 quickly', () => {
    // Every other /24 of 10.0.0.0/8 is taken: the first free /23 is past all of them.
    const taken = Array.from({ length: 32768 }, (_, i) => ({
      network: 0x0a000000 + i * 512,
      prefixLength: 24,
    }));
    const started = Date.now();
    expect(findFreeRange(c('10.0.0.0/8'), 23, taken)).toBeNull();
    expect(findFreeRange(c('10.0.0.0/8'), 24, taken)).toEqual({ network: 0x0a000100, prefixLength: 24 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  const parentArb = cidr.filter((block) => block.prefixLength <= 31);
  const scenario = parentArb.chain((parent) =>
    fc.tuple(
      fc.constant(parent),
      fc.integer({ min: Math.max(parent.prefixLength - 2, 0), max: Math.min(parent.prefixLength + 12, 32) }),
      fc.array(
        fc.oneof(
          cidr,
          fc
            .tuple(
              fc.nat(Math.min(blockSize(parent.prefixLength) - 1, 0x7fffffff)),
              fc.integer({ min: parent.prefixLength, max: 32 }),
            )
            .map(([offset, prefix]) => cidrContaining(parent.network + offset, prefix)),
        ),
        { maxLength: 12 },
      ),
    ),
  );

  it('returns an aligned block of the right size, inside the parent, overlapping nothing taken', () => {
    fc.assert(
      fc.property(scenario, ([parent, prefix, taken]) => {
        const found = findFreeRange(parent, prefix, taken);
        if (found === null) return;
        expect(found.prefixLength).toBe(prefix);
        expect(found.network % blockSize(prefix)).toBe(0);
        expect(cidrContains(parent, found)).toBe(true);
        for (const block of taken) expect(cidrOverlaps(block, found)).toBe(false);
      }),
    );
  });

  it('agrees with probing every block when the search space is small', () => {
    // The scenario keeps prefix within parent + 12, so at most 4096 probes.
    fc.assert(
      fc.property(scenario, ([parent, prefix, taken]) => {
        expect(findFreeRange(parent, prefix, taken)).toEqual(bruteForce(parent, prefix, taken));
      }),
    );
  });

  it('does not depend on the order of taken blocks', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), ([parent, prefix, taken], seed) => {
        const shuffled = [...taken].sort((a, b) => ((a.network ^ seed) >>> 0) - ((b.network ^ seed) >>> 0));
        expect(findFreeRange(parent, prefix, shuffled)).toEqual(findFreeRange(parent, prefix, taken));
      }),
    );
  });

  it('finds the parent start when nothing inside the parent is taken', () => {
    fc.assert(
      fc.property(parentArb, fc.integer({ min: 0, max: 32 }), (parent, prefix) => {
        const found = findFreeRange(parent, prefix, []);
        if (prefix < parent.prefixLength) expect(found).toBeNull();
        else expect(found).toEqual({ network: parent.network, prefixLength: prefix });
      }),
    );
  });
});
