import { parseCidrOrThrow } from '@gke-emulator/netaddr';
import { describe, expect, it } from 'vitest';

import { ipv4Blocks, ipv4OrThrow, parseIpRange } from './ip-range.parser';

describe('parseIpRange', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['34.77.103.187/32', '34.77.103.187/32'],
    ['34.77.103.187', '34.77.103.187/32'],
    ['10.1.2.3/16', '10.1.0.0/16'],
  ])('reads %s as %s', (text, cidr) => {
    expect(parseIpRange(text)).toEqual({ family: 'ipv4', cidr: parseCidrOrThrow(cidr) });
  });

  it.each(['::/0', '2600:1900::/28', '::1'])('recognises IPv6 %s', (text) => {
    expect(parseIpRange(text)).toEqual({ family: 'ipv6' });
  });

  it.each(['10.0.0.0/33', '10.0.0/8', '10.0.0.0/', '10.0.0.0/8/8', 'ten', '10.0.0.0/08', ''])(
    'rejects %j',
    (text) => {
      expect(() => parseIpRange(text)).toThrow(RangeError);
    },
  );
});

describe('ipv4Blocks', () => {
  it('keeps IPv4 blocks in order and drops IPv6 ones', () => {
    expect(ipv4Blocks(['::/0', '10.0.0.0/8', '192.168.1.1'])).toEqual([
      parseCidrOrThrow('10.0.0.0/8'),
      parseCidrOrThrow('192.168.1.1/32'),
    ]);
    expect(ipv4Blocks(undefined)).toEqual([]);
  });
});

describe('ipv4OrThrow', () => {
  it('parses addresses and rejects the rest', () => {
    expect(ipv4OrThrow('10.0.0.1')).toBe(0x0a000001);
    expect(() => ipv4OrThrow('10.0.0.1/32')).toThrow(RangeError);
  });
});
