import { describe, expect, it } from 'vitest';
import { isStrictSubCidr, parseIpCidr, parseIpv6 } from './ip-cidr';

describe('parseIpCidr', () => {
  it.each([
    ['10.0.0.0/8', 4, 8],
    ['10.0.0.1/24', 4, 24],
    ['0.0.0.0/0', 4, 0],
    ['255.255.255.255/32', 4, 32],
    ['2001:db8::/64', 6, 64],
    ['::/0', 6, 0],
    ['::ffff:10.0.0.0/120', 6, 120],
    ['fe80:0:0:0:0:0:0:1/128', 6, 128],
  ])('reads %s', (text, family, prefixLength) => {
    expect(parseIpCidr(text)).toMatchObject({ family, prefixLength });
  });
  it.each([
    '999.1.1.1/8',
    '10.0.0.0/33',
    '10.0.0.0',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    '10.0.0.0/-1',
    '10.0.0/8',
    '2001:db8::/129',
    '2001:db8:::/64',
    '1:2:3:4:5:6:7:8:9/64',
    '1::2::3/64',
    'g::/64',
    '',
    'abc',
  ])('refuses %j', (text) => {
    expect(parseIpCidr(text)).toBeNull();
  });
  it('masks host bits off', () => {
    expect(parseIpCidr('10.1.2.3/16')?.network).toBe(parseIpCidr('10.1.0.0/16')?.network);
    expect(parseIpv6('2001:db8::1')).toBe((0x20010db8n << 96n) | 1n);
  });
});

describe('isStrictSubCidr', () => {
  const cidr = (text: string) => {
    const parsed = parseIpCidr(text);
    if (!parsed) throw new Error(text);
    return parsed;
  };
  it.each([
    ['10.0.0.0/24', '10.0.0.0/8', true],
    ['10.255.255.0/24', '10.0.0.0/8', true],
    ['10.0.0.0/8', '10.0.0.0/8', false],
    ['10.0.0.0/7', '10.0.0.0/8', false],
    ['192.168.0.0/24', '10.0.0.0/8', false],
    ['2001:db8::/96', '2001:db8::/64', true],
    ['2001:db9::/96', '2001:db8::/64', false],
    ['::/96', '0.0.0.0/0', false],
  ])('%s inside %s: %s', (inner, outer, expected) => {
    expect(isStrictSubCidr(cidr(inner), cidr(outer))).toBe(expected);
  });
});
