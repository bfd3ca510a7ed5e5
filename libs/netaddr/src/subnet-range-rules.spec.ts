import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { type Cidr, cidrContaining, cidrContains, cidrOverlaps, parseCidrOrThrow } from './cidr';
import {
  INVALID_CIDR_RANGE_MESSAGE,
  PRIVATELY_USED_PUBLIC_RANGES,
  PROHIBITED_IPV4_SUBNET_RANGES,
  SUBNET_PREFIX_LENGTH_LIMITS,
  type SubnetRangeKind,
  type SubnetRangeProblemCode,
  VALID_SPECIAL_IPV4_RANGES,
  validateSubnetRange,
} from './subnet-range-rules';
import { cidr, ipv4Number } from './test-arbitraries';

const c = parseCidrOrThrow;
const kinds: readonly SubnetRangeKind[] = ['primary', 'secondary'];

// Note: Google's own public netblocks are also prohibited but not encoded, so "public" cases below avoid them.

describe('validateSubnetRange: allowed ranges', () => {
  it.each([
    // RFC 1918
    '10.0.0.0/8',
    '10.0.0.0/24',
    '10.0.0.0/29',
    '10.255.255.248/29',
    '10.128.0.0/9',
    '172.16.0.0/12',
    '172.31.255.248/29',
    '192.168.0.0/16',
    '192.168.1.0/24',
    // Shared address space RFC 6598
    '100.64.0.0/10',
    '100.127.255.0/24',
    // IETF protocol assignments, TEST-NETs, 6to4 relay, benchmarking
    '192.0.0.0/24',
    '192.0.0.0/29',
    '192.0.2.0/24',
    '198.51.100.0/24',
    '203.0.113.0/24',
    '192.88.99.0/24',
    '198.18.0.0/15',
    '198.19.0.0/16',
    // Class E, away from 255.255.255.255
    '240.0.0.0/8',
    '254.0.0.0/8',
    '255.255.255.240/29',
    // Privately used public IPv4 addresses
    '11.0.0.0/8',
    '44.0.0.0/8',
    '126.0.0.0/8',
    '128.0.0.0/8',
    '169.255.0.0/16',
    '169.253.0.0/16',
    '199.36.153.16/29',
    '199.36.152.0/24',
    '223.255.255.0/24',
    '1.0.0.0/8',
    '100.0.0.0/10',
    '100.128.0.0/9',
    '172.32.0.0/11',
    '192.169.0.0/16',
    '203.0.114.0/23',
  ])('%s is valid as primary and secondary', (text) => {
    for (const kind of kinds) expect(validateSubnetRange(c(text), kind)).toBeNull();
  });

  it.each(['240.0.0.0/5', '240.0.0.0/6', '44.0.0.0/7'])(
    '%s is valid only as a secondary range (broader than /8)',
    (text) => {
      expect(validateSubnetRange(c(text), 'secondary')).toBeNull();
      expect(validateSubnetRange(c(text), 'primary')?.code).toBe('prefix-length');
    },
  );
});

describe('validateSubnetRange: prefix length', () => {
  it.each<[string, SubnetRangeKind, boolean]>([
    ['10.0.0.0/8', 'primary', true],
    ['10.0.0.0/7', 'primary', false],
    ['0.0.0.0/0', 'primary', false],
    ['10.0.0.0/29', 'primary', true],
    ['10.0.0.0/30', 'primary', false],
    ['10.0.0.0/31', 'primary', false],
    ['10.0.0.1/32', 'primary', false],
    ['240.0.0.0/4', 'primary', false],
    ['240.0.0.0/5', 'secondary', true],
    ['0.0.0.0/3', 'secondary', false],
    ['0.0.0.0/0', 'secondary', false],
    ['10.0.0.0/29', 'secondary', true],
    ['10.0.0.0/30', 'secondary', false],
    ['10.0.0.1/32', 'secondary', false],
  ])('%s as %s: prefix allowed=%s', (text, kind, allowed) => {
    const problem = validateSubnetRange(c(text), kind);
    if (allowed) expect(problem?.code).not.toBe('prefix-length');
    else expect(problem?.code).toBe('prefix-length');
  });

  it('words the prefix problem with the limits of the kind', () => {
    expect(validateSubnetRange(c('10.0.0.0/30'), 'primary')).toEqual({
      code: 'prefix-length',
      message:
        'Invalid IPCidrRange: 10.0.0.0/30. The prefix length of a primary IPv4 range must be between /8 and /29.',
      ranges: [],
    });
    expect(validateSubnetRange(c('0.0.0.0/2'), 'secondary')?.message).toBe(
      'Invalid IPCidrRange: 0.0.0.0/2. The prefix length of a secondary IPv4 range must be between /4 and /29.',
    );
  });

  it('accepts exactly the documented prefix window for ranges inside 10.0.0.0/8', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 24 - 1), fc.integer({ min: 0, max: 32 }), (offset, prefix) => {
        for (const kind of kinds) {
          const { min, max } = SUBNET_PREFIX_LENGTH_LIMITS[kind];
          const block = cidrContaining(0x0a000000 + offset, prefix);
          const problem = validateSubnetRange(block, kind);
          if (prefix < min || prefix > max) expect(problem?.code).toBe('prefix-length');
          else if (prefix >= 8) expect(problem).toBeNull();
        }
      }),
    );
  });
});

describe('validateSubnetRange: prohibited ranges', () => {
  it.each<[string, string]>([
    ['0.0.0.0/8', '0.0.0.0/8'],
    ['0.1.0.0/16', '0.0.0.0/8'],
    ['0.0.0.0/29', '0.0.0.0/8'],
    ['127.0.0.0/8', '127.0.0.0/8'],
    ['127.0.0.0/24', '127.0.0.0/8'],
    ['169.254.0.0/16', '169.254.0.0/16'],
    ['169.254.169.248/29', '169.254.0.0/16'],
    ['169.0.0.0/8', '169.254.0.0/16'],
    ['169.252.0.0/14', '169.254.0.0/16'],
    ['224.0.0.0/8', '224.0.0.0/4'],
    ['239.255.255.0/24', '224.0.0.0/4'],
    ['232.0.0.0/8', '224.0.0.0/4'],
    ['255.255.255.248/29', '255.255.255.255/32'],
    ['255.0.0.0/8', '255.255.255.255/32'],
    ['199.36.153.0/29', '199.36.153.4/30'],
    ['199.36.153.8/29', '199.36.153.8/30'],
    ['199.36.153.0/24', '199.36.153.4/30'],
    ['199.36.0.0/16', '199.36.153.4/30'],
  ])('%s hits %s', (text, prohibited) => {
    for (const kind of kinds) {
      const problem = validateSubnetRange(c(text), kind);
      expect(problem?.code).toBe('prohibited');
      expect(problem?.ranges).toEqual([prohibited]);
    }
  });

  it.each<[string, string]>([
    ['224.0.0.0/4', '224.0.0.0/4'],
    ['240.0.0.0/4', '255.255.255.255/32'],
    ['248.0.0.0/5', '255.255.255.255/32'],
    ['0.0.0.0/4', '0.0.0.0/8'],
  ])('secondary %s hits %s', (text, prohibited) => {
    expect(validateSubnetRange(c(text), 'secondary')?.ranges).toEqual([prohibited]);
  });

  it('words the prohibited problem like the API does', () => {
    expect(validateSubnetRange(c('169.254.0.0/16'), 'primary')?.message).toBe(
      "Invalid IPCidrRange: 169.254.0.0/16 conflicts with reserved IP range '169.254.0.0/16' (Link-local RFC 3927).",
    );
  });

  it('flags every allowed-size block that overlaps a prohibited range', () => {
    const nearProhibited = fc
      .tuple(fc.constantFrom(...PROHIBITED_IPV4_SUBNET_RANGES), fc.integer({ min: -4096, max: 4096 }))
      .chain(([entry, delta]) =>
        fc
          .integer({ min: 8, max: 29 })
          .map((prefix) =>
            cidrContaining(Math.min(Math.max(entry.cidr.network + delta, 0), 2 ** 32 - 1), prefix),
          ),
      );
    fc.assert(
      fc.property(nearProhibited, (block) => {
        const hits = PROHIBITED_IPV4_SUBNET_RANGES.some((entry) => cidrOverlaps(entry.cidr, block));
        const problem = validateSubnetRange(block, 'primary');
        expect(problem?.code === 'prohibited').toBe(hits);
      }),
    );
  });
});

describe('validateSubnetRange: ranges spanning several kinds of space', () => {
  it.each<[string, SubnetRangeKind, readonly string[]]>([
    // The docs' two examples; their "172.16.0.0/10" has host bits set, so the block is 172.0.0.0/10.
    ['172.0.0.0/10', 'primary', ['172.16.0.0/12', PRIVATELY_USED_PUBLIC_RANGES]],
    [
      '192.0.0.0/8',
      'primary',
      ['192.168.0.0/16', '192.0.0.0/24', '192.0.2.0/24', '192.88.99.0/24', PRIVATELY_USED_PUBLIC_RANGES],
    ],
    ['192.0.0.0/22', 'primary', ['192.0.0.0/24', '192.0.2.0/24', PRIVATELY_USED_PUBLIC_RANGES]],
    ['192.0.0.0/23', 'primary', ['192.0.0.0/24', PRIVATELY_USED_PUBLIC_RANGES]],
    ['10.0.0.0/7', 'secondary', ['10.0.0.0/8', PRIVATELY_USED_PUBLIC_RANGES]],
    ['100.0.0.0/8', 'primary', ['100.64.0.0/10', PRIVATELY_USED_PUBLIC_RANGES]],
    ['198.0.0.0/8', 'primary', ['198.51.100.0/24', '198.18.0.0/15', PRIVATELY_USED_PUBLIC_RANGES]],
    ['198.16.0.0/13', 'primary', ['198.18.0.0/15', PRIVATELY_USED_PUBLIC_RANGES]],
    ['192.168.0.0/15', 'primary', ['192.168.0.0/16', PRIVATELY_USED_PUBLIC_RANGES]],
    ['203.0.112.0/23', 'primary', ['203.0.113.0/24', PRIVATELY_USED_PUBLIC_RANGES]],
    ['192.88.98.0/23', 'primary', ['192.88.99.0/24', PRIVATELY_USED_PUBLIC_RANGES]],
    ['96.0.0.0/4', 'secondary', ['100.64.0.0/10', PRIVATELY_USED_PUBLIC_RANGES]],
  ])('%s (%s) spans %j', (text, kind, ranges) => {
    const problem = validateSubnetRange(c(text), kind);
    expect(problem?.code).toBe('spans-ranges');
    expect(problem?.ranges).toEqual(ranges);
  });

  it('words the spanning problem after the docs', () => {
    expect(validateSubnetRange(c('172.0.0.0/10'), 'primary')?.message).toBe(
      'Invalid IPCidrRange: 172.0.0.0/10 spans more than one address range ' +
        '(172.16.0.0/12, privately used public IPv4 addresses). ' +
        "Subnet ranges can't span multiple RFC ranges, or an RFC range and privately used public IP addresses.",
    );
  });
});

describe('validateSubnetRange: properties', () => {
  const allowedSize = (kind: SubnetRangeKind): fc.Arbitrary<Cidr> =>
    fc
      .tuple(ipv4Number, fc.integer(SUBNET_PREFIX_LENGTH_LIMITS[kind]))
      .map(([address, prefix]) => cidrContaining(address, prefix));

  it('accepts a block exactly when it touches no prohibited range and sits in at most one RFC range', () => {
    for (const kind of kinds) {
      fc.assert(
        fc.property(allowedSize(kind), (block) => {
          const prohibited = PROHIBITED_IPV4_SUBNET_RANGES.some((entry) => cidrOverlaps(entry.cidr, block));
          const touched = VALID_SPECIAL_IPV4_RANGES.filter((entry) => cidrOverlaps(entry.cidr, block));
          const single =
            touched.length === 0 || (touched.length === 1 && cidrContains(touched[0]?.cidr ?? block, block));
          const expected: SubnetRangeProblemCode | null = prohibited
            ? 'prohibited'
            : single
              ? null
              : 'spans-ranges';
          expect(validateSubnetRange(block, kind)?.code ?? null).toBe(expected);
        }),
      );
    }
  });

  it('accepts every allowed-size block inside a valid special range that avoids prohibited ranges', () => {
    const inside = fc
      .constantFrom(...VALID_SPECIAL_IPV4_RANGES)
      .chain((entry) =>
        fc
          .tuple(
            fc.nat(2 ** (32 - entry.cidr.prefixLength) - 1),
            fc.integer({ min: Math.max(entry.cidr.prefixLength, 8), max: 29 }),
          )
          .map(([offset, prefix]) => cidrContaining(entry.cidr.network + offset, prefix)),
      );
    fc.assert(
      fc.property(inside, (block) => {
        const prohibited = PROHIBITED_IPV4_SUBNET_RANGES.some((entry) => cidrOverlaps(entry.cidr, block));
        expect(validateSubnetRange(block, 'primary')?.code ?? null).toBe(prohibited ? 'prohibited' : null);
      }),
    );
  });

  it('anything valid as a primary range is valid as a secondary range', () => {
    fc.assert(
      fc.property(cidr, (block) => {
        if (validateSubnetRange(block, 'primary') === null) {
          expect(validateSubnetRange(block, 'secondary')).toBeNull();
        }
      }),
    );
  });

  it('lists only ranges that the block overlaps', () => {
    fc.assert(
      fc.property(allowedSize('secondary'), (block) => {
        const problem = validateSubnetRange(block, 'secondary');
        const documented = [...VALID_SPECIAL_IPV4_RANGES, ...PROHIBITED_IPV4_SUBNET_RANGES];
        for (const range of problem?.ranges ?? []) {
          if (range === PRIVATELY_USED_PUBLIC_RANGES) continue;
          const entry = documented.find((candidate) => candidate.range === range);
          expect(entry && cidrOverlaps(entry.cidr, block)).toBe(true);
        }
      }),
    );
  });
});

describe('INVALID_CIDR_RANGE_MESSAGE', () => {
  it('is the API detail for a range with host bits set', () => {
    expect(INVALID_CIDR_RANGE_MESSAGE).toBe('Must be a CIDR address range.');
  });
});

describe('range tables', () => {
  it('valid special ranges are pairwise disjoint', () => {
    for (const [i, a] of VALID_SPECIAL_IPV4_RANGES.entries()) {
      for (const b of VALID_SPECIAL_IPV4_RANGES.slice(i + 1)) {
        expect(cidrOverlaps(a.cidr, b.cidr), `${a.range} vs ${b.range}`).toBe(false);
      }
    }
  });

  it('192.0.0.0/4 is prohibited before it is spanning: it holds the Private Google Access VIPs', () => {
    expect(validateSubnetRange(c('192.0.0.0/4'), 'secondary')?.ranges).toEqual(['199.36.153.4/30']);
  });

  it('prohibited ranges meet valid ones only where broadcast sits inside Class E', () => {
    const clashes = PROHIBITED_IPV4_SUBNET_RANGES.flatMap((bad) =>
      VALID_SPECIAL_IPV4_RANGES.filter((good) => cidrOverlaps(bad.cidr, good.cidr)).map(
        (good) => `${bad.range} in ${good.range}`,
      ),
    );
    expect(clashes).toEqual(['255.255.255.255/32 in 240.0.0.0/4']);
  });

  it('every table entry parses back to its own text', () => {
    for (const entry of [...VALID_SPECIAL_IPV4_RANGES, ...PROHIBITED_IPV4_SUBNET_RANGES]) {
      expect(parseCidrOrThrow(entry.range)).toEqual(entry.cidr);
      expect(entry.description.length).toBeGreaterThan(0);
    }
  });
});
