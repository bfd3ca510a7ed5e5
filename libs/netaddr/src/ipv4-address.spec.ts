import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { IPV4_MAX, formatIpv4, isIpv4Number, parseIpv4 } from './ipv4-address';
import { ipv4Number } from './test-arbitraries';

describe('parseIpv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['0.0.0.1', 1],
    ['0.0.1.0', 256],
    ['0.1.0.0', 65536],
    ['1.0.0.0', 16777216],
    ['10.0.0.1', 0x0a000001],
    ['10.128.0.0', 0x0a800000],
    ['127.0.0.1', 0x7f000001],
    ['127.255.255.255', 0x7fffffff],
    ['128.0.0.0', 0x80000000],
    ['169.254.169.254', 0xa9fea9fe],
    ['172.16.0.0', 0xac100000],
    ['192.168.1.1', 0xc0a80101],
    ['200.100.50.25', 0xc8643219],
    ['224.0.0.0', 0xe0000000],
    ['240.0.0.0', 0xf0000000],
    ['255.255.255.254', 0xfffffffe],
    ['255.255.255.255', 0xffffffff],
    ['1.2.3.4', 0x01020304],
    ['9.99.199.0', 0x0963c700],
  ])('parses %s', (text, expected) => {
    expect(parseIpv4(text)).toBe(expected);
  });

  it.each([
    [''],
    ['.'],
    ['...'],
    ['1'],
    ['1.2'],
    ['1.2.3'],
    ['1.2.3.4.5'],
    ['1.2.3.'],
    ['.1.2.3'],
    ['1..2.3'],
    ['256.0.0.0'],
    ['0.256.0.0'],
    ['0.0.256.0'],
    ['0.0.0.256'],
    ['300.1.1.1'],
    ['999.999.999.999'],
    ['1000.0.0.0'],
    ['01.2.3.4'],
    ['1.02.3.4'],
    ['1.2.003.4'],
    ['1.2.3.00'],
    ['00.0.0.0'],
    [' 1.2.3.4'],
    ['1.2.3.4 '],
    ['1.2. 3.4'],
    ['1.2.3.4\n'],
    ['\t1.2.3.4'],
    ['+1.2.3.4'],
    ['-1.2.3.4'],
    ['1.2.3.-0'],
    ['0x1.2.3.4'],
    ['1e2.0.0.0'],
    ['1.2.3.4/24'],
    ['a.b.c.d'],
    ['1.2.3.4a'],
    ['１.2.3.4'],
    ['1,2,3,4'],
    ['::1'],
    ['::ffff:1.2.3.4'],
    ['16909060'],
  ])('rejects %j', (text) => {
    expect(parseIpv4(text)).toBeNull();
  });

  it('round-trips with formatIpv4 for every address', () => {
    fc.assert(
      fc.property(ipv4Number, (n) => {
        expect(parseIpv4(formatIpv4(n))).toBe(n);
      }),
    );
  });

  it('accepts exactly the canonical dotted quads', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(300), { minLength: 4, maxLength: 4 }), (octets) => {
        const parsed = parseIpv4(octets.join('.'));
        if (octets.every((o) => o <= 255)) {
          expect(parsed).toBe(octets.reduce((acc, octet) => acc * 256 + octet, 0));
        } else {
          expect(parsed).toBeNull();
        }
      }),
    );
  });

  it('never returns a value outside the unsigned 32-bit range', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseIpv4(text);
        expect(parsed === null || isIpv4Number(parsed)).toBe(true);
      }),
    );
  });
});

describe('formatIpv4', () => {
  it.each([
    [0, '0.0.0.0'],
    [1, '0.0.0.1'],
    [255, '0.0.0.255'],
    [256, '0.0.1.0'],
    [0x0a800000, '10.128.0.0'],
    [0x7fffffff, '127.255.255.255'],
    [0x80000000, '128.0.0.0'],
    [0xc0a80101, '192.168.1.1'],
    [0xffffffff, '255.255.255.255'],
  ])('formats %d as %s', (n, expected) => {
    expect(formatIpv4(n)).toBe(expected);
  });

  it.each([[-1], [IPV4_MAX + 1], [2 ** 40], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    'rejects %d',
    (n) => {
      expect(() => formatIpv4(n)).toThrow(RangeError);
    },
  );

  it('always produces four canonical decimal octets', () => {
    fc.assert(
      fc.property(ipv4Number, (n) => {
        expect(formatIpv4(n)).toMatch(/^(?:(?:0|[1-9][0-9]{0,2})\.){3}(?:0|[1-9][0-9]{0,2})$/);
      }),
    );
  });
});

describe('isIpv4Number', () => {
  it.each([
    [0, true],
    [IPV4_MAX, true],
    [12345, true],
    [-1, false],
    [IPV4_MAX + 1, false],
    [0.5, false],
    [Number.NaN, false],
  ])('%d → %s', (n, expected) => {
    expect(isIpv4Number(n)).toBe(expected);
  });
});
