import { describe, expect, it } from 'vitest';
import { GoogleApiError } from '@gke-emulator/common';
import { formatCidr, parseCidrOrThrow } from '@gke-emulator/netaddr';
import { assertOutsideAutoModeBlock, gatewayOf, parseRange, parseSecondaryRanges } from './subnetwork-ranges';

function failure(run: () => unknown): GoogleApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof GoogleApiError) return error;
    throw error;
  }
  throw new Error('expected a GoogleApiError');
}

describe('parseRange', () => {
  it.each(['10.0.0.0/24', '192.168.0.0/16', '100.64.0.0/10', '172.16.0.0/12', '203.0.113.0/29'])(
    'accepts %s',
    (cidr) => {
      expect(formatCidr(parseRange('resource.ipCidrRange', cidr, 'primary'))).toBe(cidr);
    },
  );

  it.each([
    ['10.0.0.0/33', 'Must be a CIDR address range.'],
    ['10.0.0.1/24', 'Must be a CIDR address range.'],
    ['300.1.1.1/8', 'Must be a CIDR address range.'],
    ['10.0.0.0', 'Must be a CIDR address range.'],
    ['127.0.0.0/8', 'reserved IP range'],
    ['169.254.0.0/16', 'reserved IP range'],
    ['224.0.0.0/24', 'reserved IP range'],
    ['10.0.0.0/30', 'prefix length'],
    ['0.0.0.0/0', 'prefix length'],
  ])('rejects %s', (cidr, reason) => {
    const error = failure(() => parseRange('resource.ipCidrRange', cidr, 'primary'));
    expect(error.httpStatus).toBe(400);
    expect(error.message).toBe(
      `Invalid value for field 'resource.ipCidrRange': '${cidr}'. ${error.message.split(`'. `)[1]}`,
    );
    expect(error.message).toContain(reason);
  });

  it('requires a string', () => {
    expect(failure(() => parseRange('f', undefined, 'primary')).reason).toBe('required');
    expect(failure(() => parseRange('f', 10, 'primary')).reason).toBe('invalid');
  });
});

describe('parseSecondaryRanges', () => {
  const primary = parseCidrOrThrow('10.0.0.0/24');

  it('accepts disjoint, uniquely named ranges', () => {
    const claims = parseSecondaryRanges(primary, [
      { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
      { rangeName: 'services', ipCidrRange: '10.8.0.0/20' },
    ]);
    expect(claims.map((c) => [c.rangeName, formatCidr(c.cidr)])).toEqual([
      ['pods', '10.4.0.0/14'],
      ['services', '10.8.0.0/20'],
    ]);
    expect(parseSecondaryRanges(primary, undefined)).toEqual([]);
  });

  it.each([
    [[{ rangeName: 'a', ipCidrRange: '10.0.0.0/28' }], 'primary IP range'],
    [
      [
        { rangeName: 'a', ipCidrRange: '10.4.0.0/16' },
        { rangeName: 'b', ipCidrRange: '10.4.1.0/24' },
      ],
      "secondary IP range 'a'",
    ],
    [
      [
        { rangeName: 'a', ipCidrRange: '10.4.0.0/16' },
        { rangeName: 'a', ipCidrRange: '10.5.0.0/16' },
      ],
      'more than once',
    ],
    [[{ rangeName: 'A', ipCidrRange: '10.4.0.0/16' }], 'secondaryIpRanges[0].rangeName'],
    [[{ ipCidrRange: '10.4.0.0/16' }], "Required field 'resource.secondaryIpRanges[0].rangeName'"],
    [[{ rangeName: 'a' }], "Required field 'resource.secondaryIpRanges[0].ipCidrRange'"],
    [[{ rangeName: 'a', ipCidrRange: '10.4.0.1/16' }], 'Must be a CIDR address range.'],
  ])('rejects %j', (ranges, message) => {
    expect(failure(() => parseSecondaryRanges(primary, ranges)).message).toContain(message);
  });
});

describe('auto mode block and gateway', () => {
  it('keeps custom ranges of auto mode networks out of 10.128.0.0/9', () => {
    expect(() =>
      assertOutsideAutoModeBlock([{ rangeName: null, cidr: parseCidrOrThrow('10.127.0.0/16') }]),
    ).not.toThrow();
    expect(
      failure(() => assertOutsideAutoModeBlock([{ rangeName: null, cidr: parseCidrOrThrow('10.0.0.0/8') }]))
        .message,
    ).toBe('Extended subnetworks in auto subnet mode networks cannot overlap with 10.128.0.0/9.');
  });

  it('the gateway is the first host', () => {
    expect(gatewayOf(parseCidrOrThrow('10.2.0.0/16'))).toBe('10.2.0.1');
  });
});
