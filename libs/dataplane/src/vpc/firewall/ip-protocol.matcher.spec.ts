import { describe, expect, it } from 'vitest';

import { compileProtocols, matchesProtocol, parsePortRange, protocolNumber } from './ip-protocol.matcher';

describe('protocolNumber', () => {
  it.each([
    ['tcp', 6],
    ['TCP', 6],
    ['udp', 17],
    ['icmp', 1],
    ['esp', 50],
    ['ah', 51],
    ['sctp', 132],
    ['ipip', 4],
    ['6', 6],
    ['47', 47],
    ['0', 0],
    ['255', 255],
    [17, 17],
  ] as const)('%j → %d', (text, number) => {
    expect(protocolNumber(text)).toBe(number);
  });

  it.each(['all', 'gre', '256', '-1', '06', '', 6.5, 300])('%j is not a single protocol', (text) => {
    expect(protocolNumber(text)).toBeNull();
  });
});

describe('parsePortRange', () => {
  it.each([
    ['22', 22, 22],
    ['0-65535', 0, 65535],
    ['1000-2000', 1000, 2000],
    [' 80 ', 80, 80],
  ])('%j', (text, first, last) => {
    expect(parsePortRange(text)).toEqual({ first, last });
  });

  it.each(['65536', '2000-1000', '1-', '-1', 'http', '1-2-3', ''])('rejects %j', (text) => {
    expect(() => parsePortRange(text)).toThrow(RangeError);
  });
});

describe('compileProtocols / matchesProtocol', () => {
  it('drops unknown protocol names instead of widening them', () => {
    expect(
      compileProtocols([{ protocol: 'gre' }, { protocol: 'all' }, { protocol: 'tcp', ports: [] }]),
    ).toEqual([
      { protocol: 'all', ports: null },
      { protocol: 6, ports: null },
    ]);
  });

  it('matches any entry of the list', () => {
    const matchers = compileProtocols([
      { protocol: 'icmp' },
      { protocol: 'tcp', ports: ['22', '8000-8080'] },
    ]);
    expect(matchesProtocol(matchers, 1, undefined)).toBe(true);
    expect(matchesProtocol(matchers, 6, 8042)).toBe(true);
    expect(matchesProtocol(matchers, 6, 443)).toBe(false);
    expect(matchesProtocol(matchers, 17, 22)).toBe(false);
    expect(matchesProtocol([], 6, 22)).toBe(false);
  });
});
