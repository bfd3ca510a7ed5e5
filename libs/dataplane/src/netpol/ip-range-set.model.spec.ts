import fc from 'fast-check';
import { cidrContaining, cidrHasAddress, formatCidr, parseIpv4 } from '@gke-emulator/netaddr';
import { describe, expect, it } from 'vitest';
import {
  type IpRange,
  formatIpRange,
  ipRangesCover,
  parseIpBlockCidr,
  partitionIpv4Space,
  subtractIpRanges,
} from './ip-range-set.model';
import { ipBlockRanges } from './network-policy.compiler';

const ip = (text: string): number => parseIpv4(text) ?? Number.NaN;

describe('ipBlock CIDRs', () => {
  it.each([
    { text: '10.0.0.0/8', expected: { start: ip('10.0.0.0'), end: ip('10.255.255.255') }, canonical: true },
    // The API server parses sloppily: e2e's IP(x/a)/4 is 0.0.0.0/4.
    { text: '10.0.1.1/4', expected: { start: 0, end: ip('15.255.255.255') }, canonical: false },
    { text: '0.0.0.0/0', expected: { start: 0, end: ip('255.255.255.255') }, canonical: true },
    { text: '10.0.2.2/32', expected: { start: ip('10.0.2.2'), end: ip('10.0.2.2') }, canonical: true },
  ])('$text', ({ text, expected, canonical }) => {
    expect(parseIpBlockCidr(text)).toEqual({ ok: true, family: 'ipv4', range: expected, canonical });
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '10.0.0/8', 'ten/8', '10.0.0.0/08', ''])('refuses %j', (text) => {
    expect(parseIpBlockCidr(text)).toEqual({ ok: false });
  });

  it.each(['2001:db8::/64', '::/0', 'fd00::1/128'])('accepts IPv6 %s without modelling it', (text) => {
    expect(parseIpBlockCidr(text)).toEqual({ ok: true, family: 'ipv6' });
  });

  it('carves except holes out of the cidr', () => {
    expect(ipBlockRanges('10.0.0.0/8', ['10.10.0.0/16']).map(formatIpRange)).toEqual([
      '10.0.0.0-10.9.255.255',
      '10.11.0.0-10.255.255.255',
    ]);
  });

  const address = fc.nat(0xffff).map((n) => ip('10.0.0.0') + n);
  const block = fc.tuple(address, fc.integer({ min: 14, max: 32 })).map(([a, p]) => cidrContaining(a, p));

  it('an address is in an ipBlock iff it is in cidr and in no except', () => {
    fc.assert(
      fc.property(block, fc.array(block, { maxLength: 4 }), address, (cidr, excepts, probe) => {
        const ranges = ipBlockRanges(formatCidr(cidr), excepts.map(formatCidr));
        const expected = cidrHasAddress(cidr, probe) && !excepts.some((e) => cidrHasAddress(e, probe));
        expect(ipRangesCover(ranges, { start: probe, end: probe })).toBe(expected);
      }),
    );
  });

  it('partitions the address space so that every input range is a union of pieces', () => {
    const range = fc
      .tuple(address, fc.nat(5000))
      .map(([start, length]): IpRange => ({ start, end: Math.min(start + length, 0xffffffff) }));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 6 }), (ranges) => {
        const pieces = partitionIpv4Space(ranges);
        expect(pieces[0]?.start).toBe(0);
        expect(pieces.at(-1)?.end).toBe(0xffffffff);
        pieces.slice(1).forEach((piece, index) => expect(piece.start).toBe((pieces[index]?.end ?? -2) + 1));
        for (const input of ranges) {
          for (const piece of pieces) {
            const inside = input.start <= piece.start && piece.end <= input.end;
            const outside = piece.end < input.start || input.end < piece.start;
            expect(inside || outside).toBe(true);
          }
        }
      }),
    );
  });

  it('subtracting is set difference', () => {
    expect(
      subtractIpRanges(
        [{ start: 0, end: 100 }],
        [
          { start: 10, end: 20 },
          { start: 90, end: 200 },
        ],
      ),
    ).toEqual([
      { start: 0, end: 9 },
      { start: 21, end: 89 },
    ]);
  });
});
