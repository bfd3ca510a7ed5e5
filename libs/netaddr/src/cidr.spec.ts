import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  type Cidr,
  type CidrParseFailure,
  blockSize,
  cidrContaining,
  cidrContains,
  cidrEquals,
  cidrHasAddress,
  cidrOverlaps,
  cidrSize,
  compareCidr,
  firstAddress,
  formatCidr,
  gatewayAddress,
  isSupersetOf,
  lastAddress,
  makeCidr,
  parseCidr,
  parseCidrOrThrow,
  subnetRangeReserved,
} from './cidr';
import { formatIpv4, parseIpv4 } from './ipv4-address';
import { cidr, ipv4Number, prefixLength } from './test-arbitraries';

const c = parseCidrOrThrow;
const ip = (text: string): number => {
  const n = parseIpv4(text);
  if (n === null) throw new Error(`bad test address ${text}`);
  return n;
};

describe('parseCidr', () => {
  it.each([
    ['0.0.0.0/0', 0, 0],
    ['10.0.0.0/8', 0x0a000000, 8],
    ['10.128.0.0/9', 0x0a800000, 9],
    ['10.128.0.0/20', 0x0a800000, 20],
    ['10.0.0.0/24', 0x0a000000, 24],
    ['10.0.0.8/29', 0x0a000008, 29],
    ['10.0.0.1/32', 0x0a000001, 32],
    ['172.16.0.0/12', 0xac100000, 12],
    ['192.168.0.0/16', 0xc0a80000, 16],
    ['240.0.0.0/4', 0xf0000000, 4],
    ['128.0.0.0/1', 0x80000000, 1],
    ['255.255.255.255/32', 0xffffffff, 32],
    ['255.255.255.254/31', 0xfffffffe, 31],
    ['100.64.0.0/10', 0x64400000, 10],
  ])('parses %s', (text, network, prefix) => {
    expect(parseCidr(text)).toEqual({ ok: true, cidr: { network, prefixLength: prefix } });
  });

  it.each<[string, CidrParseFailure]>([
    ['10.0.0.0/33', 'prefix'],
    ['10.0.0.0/99', 'prefix'],
    ['10.0.0.0/100', 'prefix'],
    ['0.0.0.0/4294967296', 'prefix'],
    ['300.1.1.1/8', 'syntax'],
    ['300.1.1.1/33', 'syntax'],
    ['10.0.0.0', 'syntax'],
    ['10.0.0.0/', 'syntax'],
    ['/24', 'syntax'],
    ['', 'syntax'],
    ['/', 'syntax'],
    ['10.0.0.0/24/24', 'syntax'],
    ['10.0.0.0//24', 'syntax'],
    ['10.0.0.0/-1', 'syntax'],
    ['10.0.0.0/+8', 'syntax'],
    ['10.0.0.0/08', 'syntax'],
    ['10.0.0.0/ 8', 'syntax'],
    ['10.0.0.0 /8', 'syntax'],
    [' 10.0.0.0/8', 'syntax'],
    ['10.0.0.0/8 ', 'syntax'],
    ['10.0.0.0/8.0', 'syntax'],
    ['10.0.0.0/1e1', 'syntax'],
    ['10.0.0.0/0x8', 'syntax'],
    ['10.0.0.0/abc', 'syntax'],
    ['10.0.0/8', 'syntax'],
    ['010.0.0.0/8', 'syntax'],
    ['10.0.0.0\\8', 'syntax'],
    ['::/0', 'syntax'],
    ['10.0.0.1/24', 'host-bits'],
    ['10.0.1.0/23', 'host-bits'],
    ['10.0.0.4/29', 'host-bits'],
    ['10.0.0.1/31', 'host-bits'],
    ['10.128.0.0/8', 'host-bits'],
    ['1.0.0.0/0', 'host-bits'],
    ['192.168.1.0/16', 'host-bits'],
    ['255.255.255.255/31', 'host-bits'],
  ])('rejects %s as %s', (text, reason) => {
    expect(parseCidr(text)).toEqual({ ok: false, reason });
  });

  it('round-trips with formatCidr', () => {
    fc.assert(
      fc.property(cidr, (block) => {
        expect(parseCidr(formatCidr(block))).toEqual({ ok: true, cidr: block });
      }),
    );
  });

  it('reports host bits exactly when the address is not the block start', () => {
    fc.assert(
      fc.property(ipv4Number, prefixLength, (address, prefix) => {
        const result = parseCidr(`${formatIpv4(address)}/${prefix}`);
        if (address % blockSize(prefix) === 0) {
          expect(result).toEqual({ ok: true, cidr: { network: address, prefixLength: prefix } });
        } else {
          expect(result).toEqual({ ok: false, reason: 'host-bits' });
        }
      }),
    );
  });
});

describe('parseCidrOrThrow / makeCidr / cidrContaining', () => {
  it('parseCidrOrThrow throws on every failure reason', () => {
    expect(() => parseCidrOrThrow('10.0.0.0')).toThrow(RangeError);
    expect(() => parseCidrOrThrow('10.0.0.0/33')).toThrow(/prefix/);
    expect(() => parseCidrOrThrow('10.0.0.1/24')).toThrow(/host-bits/);
  });

  it.each([
    [0x0a000000, 8],
    [0, 0],
    [0xffffffff, 32],
  ])('makeCidr(%d, %d) builds the block', (network, prefix) => {
    expect(makeCidr(network, prefix)).toEqual({ network, prefixLength: prefix });
  });

  it.each([
    [0x0a000001, 24],
    [-1, 8],
    [2 ** 32, 8],
    [0, 33],
    [0, -1],
    [0, 8.5],
  ])('makeCidr(%d, %d) throws', (network, prefix) => {
    expect(() => makeCidr(network, prefix)).toThrow(RangeError);
  });

  it.each([
    ['10.1.2.3', 24, '10.1.2.0/24'],
    ['10.1.2.3', 32, '10.1.2.3/32'],
    ['10.1.2.3', 0, '0.0.0.0/0'],
    ['10.140.15.255', 20, '10.140.0.0/20'],
    ['255.255.255.255', 4, '240.0.0.0/4'],
  ])('cidrContaining(%s, %d) = %s', (address, prefix, expected) => {
    expect(formatCidr(cidrContaining(ip(address), prefix))).toBe(expected);
  });

  it('cidrContaining always yields a block holding the address', () => {
    fc.assert(
      fc.property(ipv4Number, prefixLength, (address, prefix) => {
        const block = cidrContaining(address, prefix);
        expect(cidrHasAddress(block, address)).toBe(true);
        expect(block.network % blockSize(prefix)).toBe(0);
      }),
    );
  });
});

describe('size and bounds', () => {
  it.each([
    ['0.0.0.0/0', 2 ** 32, '0.0.0.0', '255.255.255.255'],
    ['10.0.0.0/8', 2 ** 24, '10.0.0.0', '10.255.255.255'],
    ['10.128.0.0/9', 2 ** 23, '10.128.0.0', '10.255.255.255'],
    ['10.128.0.0/20', 4096, '10.128.0.0', '10.128.15.255'],
    ['192.168.1.0/24', 256, '192.168.1.0', '192.168.1.255'],
    ['10.0.0.8/29', 8, '10.0.0.8', '10.0.0.15'],
    ['10.0.0.4/30', 4, '10.0.0.4', '10.0.0.7'],
    ['10.0.0.4/31', 2, '10.0.0.4', '10.0.0.5'],
    ['10.0.0.4/32', 1, '10.0.0.4', '10.0.0.4'],
    ['240.0.0.0/4', 2 ** 28, '240.0.0.0', '255.255.255.255'],
    ['255.255.255.255/32', 1, '255.255.255.255', '255.255.255.255'],
  ])('%s has %d addresses from %s to %s', (text, size, first, last) => {
    const block = c(text);
    expect(cidrSize(block)).toBe(size);
    expect(formatIpv4(firstAddress(block))).toBe(first);
    expect(formatIpv4(lastAddress(block))).toBe(last);
  });

  it('last - first + 1 equals the size and stays in range', () => {
    fc.assert(
      fc.property(cidr, (block) => {
        expect(lastAddress(block) - firstAddress(block) + 1).toBe(cidrSize(block));
        expect(lastAddress(block)).toBeLessThanOrEqual(2 ** 32 - 1);
      }),
    );
  });
});

describe('containment and overlap', () => {
  it.each<[string, string, boolean, boolean]>([
    // outer, inner, contains, overlaps
    ['10.0.0.0/8', '10.1.2.0/24', true, true],
    ['10.0.0.0/8', '10.0.0.0/8', true, true],
    ['10.0.0.0/8', '10.0.0.0/7', false, true],
    ['10.0.0.0/8', '11.0.0.0/8', false, false],
    ['10.0.0.0/8', '9.255.255.255/32', false, false],
    ['10.0.0.0/8', '10.255.255.255/32', true, true],
    ['10.128.0.0/9', '10.128.0.0/20', true, true],
    ['10.128.0.0/9', '10.127.240.0/20', false, false],
    ['10.128.0.0/9', '10.0.0.0/8', false, true],
    ['0.0.0.0/0', '255.255.255.255/32', true, true],
    ['0.0.0.0/0', '0.0.0.0/0', true, true],
    ['192.168.0.0/16', '192.168.255.0/24', true, true],
    ['192.168.0.0/24', '192.168.1.0/24', false, false],
    ['192.168.0.0/23', '192.168.1.0/24', true, true],
    ['192.168.1.0/24', '192.168.0.0/23', false, true],
    ['10.0.0.0/30', '10.0.0.4/30', false, false],
    ['240.0.0.0/4', '255.255.255.255/32', true, true],
    ['224.0.0.0/4', '240.0.0.0/4', false, false],
  ])('outer %s, inner %s: contains=%s overlaps=%s', (outer, inner, contains, overlaps) => {
    expect(cidrContains(c(outer), c(inner))).toBe(contains);
    expect(isSupersetOf(c(outer), c(inner))).toBe(contains);
    expect(cidrOverlaps(c(outer), c(inner))).toBe(overlaps);
    expect(cidrOverlaps(c(inner), c(outer))).toBe(overlaps);
  });

  it('overlap is symmetric', () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        expect(cidrOverlaps(a, b)).toBe(cidrOverlaps(b, a));
      }),
    );
  });

  it('containment implies overlap', () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        if (cidrContains(a, b)) expect(cidrOverlaps(a, b)).toBe(true);
      }),
    );
  });

  it('aligned blocks overlap only by nesting', () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        expect(cidrOverlaps(a, b)).toBe(cidrContains(a, b) || cidrContains(b, a));
      }),
    );
  });

  it('containment both ways means equality', () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        expect(cidrContains(a, b) && cidrContains(b, a)).toBe(cidrEquals(a, b));
      }),
    );
  });

  it('every block contains itself and is inside 0.0.0.0/0', () => {
    fc.assert(
      fc.property(cidr, (a) => {
        expect(cidrContains(a, a)).toBe(true);
        expect(cidrContains(c('0.0.0.0/0'), a)).toBe(true);
      }),
    );
  });

  it('containment is transitive', () => {
    fc.assert(
      fc.property(ipv4Number, fc.nat(32), fc.nat(32), fc.nat(32), (address, p1, p2, p3) => {
        const [x, y, z] = [p1, p2, p3].sort((m, n) => m - n) as [number, number, number];
        const outer = cidrContaining(address, x);
        const middle = cidrContaining(address, y);
        const inner = cidrContaining(address, z);
        expect(cidrContains(outer, middle) && cidrContains(middle, inner)).toBe(true);
        expect(cidrContains(outer, inner)).toBe(true);
      }),
    );
  });

  it('cidrHasAddress agrees with a /32 containment', () => {
    fc.assert(
      fc.property(cidr, ipv4Number, (block, address) => {
        expect(cidrHasAddress(block, address)).toBe(cidrContains(block, cidrContaining(address, 32)));
      }),
    );
  });
});

describe('compareCidr', () => {
  it('sorts by network, then broader blocks first', () => {
    const sorted = ['10.0.1.0/24', '10.0.0.0/24', '10.0.0.0/16', '9.0.0.0/8', '10.0.0.0/32']
      .map(c)
      .sort(compareCidr)
      .map(formatCidr);
    expect(sorted).toEqual(['9.0.0.0/8', '10.0.0.0/16', '10.0.0.0/24', '10.0.0.0/32', '10.0.1.0/24']);
  });

  it('is zero only for equal blocks', () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        expect(compareCidr(a, b) === 0).toBe(cidrEquals(a, b));
        expect(Math.sign(compareCidr(a, b)) + Math.sign(compareCidr(b, a))).toBe(0);
      }),
    );
  });
});

describe('gateway and reserved addresses', () => {
  it.each([
    ['10.1.2.0/24', '10.1.2.1', ['10.1.2.0', '10.1.2.1', '10.1.2.254', '10.1.2.255']],
    ['10.128.0.0/20', '10.128.0.1', ['10.128.0.0', '10.128.0.1', '10.128.15.254', '10.128.15.255']],
    ['10.0.0.0/8', '10.0.0.1', ['10.0.0.0', '10.0.0.1', '10.255.255.254', '10.255.255.255']],
    ['192.168.0.8/29', '192.168.0.9', ['192.168.0.8', '192.168.0.9', '192.168.0.14', '192.168.0.15']],
    ['172.16.0.0/30', '172.16.0.1', ['172.16.0.0', '172.16.0.1', '172.16.0.2', '172.16.0.3']],
    ['240.0.0.0/4', '240.0.0.1', ['240.0.0.0', '240.0.0.1', '255.255.255.254', '255.255.255.255']],
  ])('%s: gateway %s, reserved %j', (text, gateway, reserved) => {
    const block = c(text);
    expect(formatIpv4(gatewayAddress(block))).toBe(gateway);
    expect(subnetRangeReserved(block).map(formatIpv4)).toEqual(reserved);
  });

  it.each([['10.0.0.0/31'], ['10.0.0.1/32']])('%s has no gateway', (text) => {
    expect(() => gatewayAddress(c(text))).toThrow(RangeError);
    expect(() => subnetRangeReserved(c(text))).toThrow(RangeError);
  });

  it('reserves four distinct addresses inside the block, the gateway second', () => {
    const subnet: fc.Arbitrary<Cidr> = fc
      .tuple(ipv4Number, fc.integer({ min: 0, max: 30 }))
      .map(([address, prefix]) => cidrContaining(address, prefix));
    fc.assert(
      fc.property(subnet, (block) => {
        const reserved = subnetRangeReserved(block);
        expect(new Set(reserved).size).toBe(4);
        for (const address of reserved) expect(cidrHasAddress(block, address)).toBe(true);
        expect(reserved[0]).toBe(firstAddress(block));
        expect(reserved[1]).toBe(gatewayAddress(block));
        expect(reserved[3]).toBe(lastAddress(block));
        expect(cidrSize(block) - reserved.length).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
