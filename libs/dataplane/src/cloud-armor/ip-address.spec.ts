import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpAddress, parseIpAddress, parseIpPrefix, prefixContains, unmapIpv4 } from './ip-address';

describe('parseIpAddress / formatIpAddress', () => {
  it.each([
    ['192.168.0.1', '192.168.0.1'],
    ['2001:DB8::68', '2001:db8::68'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::', '::'],
    ['1:0:1:1:1:1:1:1', '1:0:1:1:1:1:1:1'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
    ['fe80::1%en0', 'fe80::1%en0'],
  ])('%s prints as %s', (text, printed) => {
    const address = parseIpAddress(text);
    expect(address && formatIpAddress(address)).toBe(printed);
  });

  it.each([
    '192.168.0.1.0',
    '01.2.3.4',
    '2001:db8:::68',
    '1::2::3',
    ':1',
    '1:2:3:4:5:6:7:8:9',
    '1.2.3.4::',
    'fe80::1%',
    '',
  ])('refuses %j', (text) => {
    expect(parseIpAddress(text)).toBeNull();
  });

  it('round-trips any IPv6 address through its canonical text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = formatIpAddress({ family: 6, bytes, zone: '', dottedTail: false });
        expect(Array.from(parseIpAddress(text)?.bytes ?? [])).toEqual(Array.from(bytes));
      }),
    );
  });

  it('unmaps IPv4-mapped addresses in either spelling', () => {
    for (const text of ['::ffff:192.168.0.1', '::ffff:c0a8:1']) {
      const address = parseIpAddress(text);
      expect(address && formatIpAddress(unmapIpv4(address))).toBe('192.168.0.1');
    }
  });
});

describe('parseIpPrefix / prefixContains', () => {
  it.each([
    ['198.51.100.0/24', '198.51.100.7', true],
    ['198.51.100.0/24', '198.51.101.7', false],
    ['198.51.100.9/24', '198.51.100.200', true], // host bits allowed, as Go's net.ParseCIDR
    ['0.0.0.0/0', '8.8.8.8', true],
    ['2001:db8::/32', '2001:db8:1::5', true],
    ['2001:db8::/32', '198.51.100.7', false],
    ['10.0.0.0/8', '2001:db8::1', false],
  ])('%s contains %s: %s', (range, ip, inside) => {
    const prefix = parseIpPrefix(range);
    const address = parseIpAddress(ip);
    expect(prefix !== null && address !== null && prefixContains(prefix, address)).toBe(inside);
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/08', '::/129', 'x/8'])('refuses %j', (text) => {
    expect(parseIpPrefix(text)).toBeNull();
  });
});
