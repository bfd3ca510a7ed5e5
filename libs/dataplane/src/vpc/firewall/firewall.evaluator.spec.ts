import { describe, expect, it } from 'vitest';

import type { VpcInstance } from '../vpc-instance.model';
import { allowTcp, decide, denyTcp, IN, NET, OUT, rule } from './firewall.test-helpers';

describe('evaluatePacket: precedence', () => {
  it.each([
    ['implied deny for ingress', [], IN, 'deny:implied-deny-ingress'],
    ['implied allow for egress', [], OUT, 'allow:implied-allow-egress'],
    [
      'the lower priority number wins',
      [
        rule('deny-200', { priority: 200, denied: denyTcp }),
        rule('allow-100', { priority: 100, allowed: allowTcp }),
      ],
      IN,
      'allow:allow-100',
    ],
    [
      'deny beats allow at equal priority (allow listed first)',
      [
        rule('a-allow', { priority: 500, allowed: allowTcp }),
        rule('z-deny', { priority: 500, denied: denyTcp }),
      ],
      IN,
      'deny:z-deny',
    ],
    [
      'default priority is 1000',
      [rule('no-priority', { denied: denyTcp }), rule('allow-999', { priority: 999, allowed: allowTcp })],
      IN,
      'allow:allow-999',
    ],
    [
      'a disabled rule is skipped',
      [rule('off', { disabled: true, allowed: allowTcp })],
      IN,
      'deny:implied-deny-ingress',
    ],
    [
      'a written rule at 65535 precedes the implied one',
      [rule('last', { priority: 65535, allowed: allowTcp })],
      IN,
      'allow:last',
    ],
    [
      'an egress deny overrides the implied allow',
      [rule('block-out', { direction: 'EGRESS', denied: [{ IPProtocol: 'all' }] })],
      OUT,
      'deny:block-out',
    ],
    [
      'ingress rules do not apply to egress',
      [rule('in', { allowed: [{ IPProtocol: 'all' }] })],
      OUT,
      'allow:implied-allow-egress',
    ],
  ] as const)('%s', (_name, rules, probe, expected) => {
    expect(decide([...rules], probe)).toBe(expected);
  });
});

describe('evaluatePacket: protocols and ports', () => {
  const only = (IPProtocol: string, ports?: string[]) => [rule('r', { allowed: [{ IPProtocol, ports }] })];
  it.each([
    ['tcp', undefined, { protocol: 'tcp', port: 1 }, true],
    ['6', undefined, { protocol: 'tcp', port: 443 }, true],
    ['tcp', undefined, { protocol: 6, port: 443 }, true],
    ['TCP', undefined, { protocol: '6', port: 443 }, true],
    ['udp', undefined, { protocol: 'tcp', port: 53 }, false],
    ['all', undefined, { protocol: 'esp', port: undefined }, true],
    ['all', undefined, { protocol: 47, port: undefined }, true],
    ['47', undefined, { protocol: 47, port: undefined }, true],
    ['icmp', undefined, { protocol: 'icmp', port: undefined }, true],
    ['icmp', undefined, { protocol: 'tcp', port: 80 }, false],
    ['sctp', undefined, { protocol: 132, port: 9 }, true],
    ['ipip', undefined, { protocol: 4, port: undefined }, true],
    ['tcp', ['1000-2000'], { protocol: 'tcp', port: 999 }, false],
    ['tcp', ['1000-2000'], { protocol: 'tcp', port: 1000 }, true],
    ['tcp', ['1000-2000'], { protocol: 'tcp', port: 2000 }, true],
    ['tcp', ['1000-2000'], { protocol: 'tcp', port: 2001 }, false],
    ['tcp', ['22', '80', '8000-8080'], { protocol: 'tcp', port: 8080 }, true],
    ['tcp', ['22'], { protocol: 'tcp', port: undefined }, false],
    ['tcp', [], { protocol: 'tcp', port: 65535 }, true],
    ['udp', ['0-65535'], { protocol: 'udp', port: 0 }, true],
  ] as const)('rule %s %j vs packet %j → %s', (IPProtocol, ports, packet, allowed) => {
    const result = decide(only(IPProtocol, ports ? [...ports] : undefined), { ...IN, ...packet });
    expect(result).toBe(allowed ? 'allow:r' : 'deny:implied-deny-ingress');
  });

  it('rejects a packet whose protocol is not a single protocol, or whose addresses are malformed', () => {
    expect(() => decide([], { ...IN, protocol: 'all' })).toThrow(RangeError);
    expect(() => decide([], { ...IN, protocol: 'bogus' })).toThrow(RangeError);
    expect(() => decide([], { ...IN, srcIp: '10.0.0' })).toThrow(RangeError);
  });
});

describe('evaluatePacket: sources (OR of ranges, tags, service accounts)', () => {
  const peer: VpcInstance = {
    network: NET,
    tags: ['db'],
    serviceAccount: 'db@p.iam.gserviceaccount.com',
    ipAddresses: ['10.0.1.5', '10.8.0.5'],
  };
  const rules = [
    rule('from-range', { priority: 100, sourceRanges: ['192.168.0.0/16'], allowed: allowTcp }),
    rule('from-tag', { priority: 200, sourceTags: ['db'], allowed: allowTcp }),
    rule('from-sa', {
      priority: 300,
      sourceServiceAccounts: ['db@p.iam.gserviceaccount.com'],
      allowed: allowTcp,
    }),
  ];
  it.each([
    ['a source range', { srcIp: '192.168.3.4' }, 'allow:from-range'],
    ['a source tag of the peer VM', { srcIp: '10.0.1.5', peer }, 'allow:from-tag'],
    [
      'a source service account of the peer VM',
      { srcIp: '10.0.1.5', peer: { ...peer, tags: [] } },
      'allow:from-sa',
    ],
    ['no peer: tags cannot match', { srcIp: '10.0.1.5' }, 'deny:implied-deny-ingress'],
    [
      'a peer in another network: tags cannot match',
      { srcIp: '10.0.1.5', peer: { ...peer, network: 'projects/p/global/networks/other' } },
      'deny:implied-deny-ingress',
    ],
    [
      'a packet from the peer alias range: tags only identify the primary internal address',
      { srcIp: '10.8.0.5', peer },
      'deny:implied-deny-ingress',
    ],
    [
      'a peer given without addresses is trusted as the sender',
      { srcIp: '10.9.9.9', peer: { network: NET, tags: ['db'] } },
      'allow:from-tag',
    ],
  ] as const)('matches %s', (_name, packet, expected) => {
    expect(decide(rules, { ...IN, ...packet })).toBe(expected);
  });

  it.each([
    ['no source at all means 0.0.0.0/0 (the API default)', rule('any', { allowed: allowTcp }), 'allow:any'],
    [
      'a bare address is a /32',
      rule('one', { sourceRanges: ['203.0.113.7'], allowed: allowTcp }),
      'allow:one',
    ],
    [
      'host bits are cleared',
      rule('masked', { sourceRanges: ['203.0.113.9/24'], allowed: allowTcp }),
      'allow:masked',
    ],
    [
      'IPv6 ranges never match IPv4',
      rule('v6', { sourceRanges: ['::/0'], allowed: allowTcp }),
      'deny:implied-deny-ingress',
    ],
    [
      'tags alone do not match an outside address',
      rule('tags-only', { sourceTags: ['db'], allowed: allowTcp }),
      'deny:implied-deny-ingress',
    ],
  ] as const)('%s', (_name, firewall, expected) => {
    expect(decide([firewall], IN)).toBe(expected);
  });
});

describe('evaluatePacket: targets', () => {
  it.each([
    ['no target: every instance', {}, 'allow:t'],
    ['a target tag the VM has', { targetTags: ['db', 'web'] }, 'allow:t'],
    ['a target tag the VM lacks', { targetTags: ['db'] }, 'deny:implied-deny-ingress'],
    ['the VM service account', { targetServiceAccounts: ['web@p.iam.gserviceaccount.com'] }, 'allow:t'],
    [
      'another service account',
      { targetServiceAccounts: ['db@p.iam.gserviceaccount.com'] },
      'deny:implied-deny-ingress',
    ],
  ] as const)('%s', (_name, targets, expected) => {
    expect(decide([rule('t', { ...targets, allowed: allowTcp })], IN)).toBe(expected);
  });

  it('matches networks given as URL, path or name', () => {
    const url = 'https://compute.googleapis.com/compute/v1/projects/p/global/networks/vpc';
    expect(decide([{ name: 'u', network: url, allowed: allowTcp }], IN)).toBe('allow:u');
    expect(decide([{ name: 'n', network: 'vpc', allowed: allowTcp }], IN)).toBe('allow:n');
    expect(decide([{ name: 'd', allowed: allowTcp }], IN)).toBe('deny:implied-deny-ingress');
    expect(decide([{ name: 'd', allowed: allowTcp }], IN, { network: 'default' })).toBe('allow:d');
  });
});

describe('evaluatePacket: egress destinations and the VM own address', () => {
  it.each([
    ['destinationRanges', { destinationRanges: ['203.0.113.0/24'] }, 'deny:e'],
    ['a destination elsewhere', { destinationRanges: ['198.51.100.0/24'] }, 'allow:implied-allow-egress'],
    ['no destination means 0.0.0.0/0', {}, 'deny:e'],
    ['source tags are ignored on egress (the API rejects them)', { sourceTags: ['nope'] }, 'deny:e'],
    ['sourceRanges filter the VM own address', { sourceRanges: ['10.0.0.0/24'] }, 'deny:e'],
    ['… and skip other VM addresses', { sourceRanges: ['10.9.0.0/24'] }, 'allow:implied-allow-egress'],
  ] as const)('%s', (_name, fields, expected) => {
    expect(
      decide([rule('e', { direction: 'EGRESS', denied: [{ IPProtocol: 'all' }], ...fields })], OUT),
    ).toBe(expected);
  });

  it('filters ingress on destinationRanges (the VM address the packet is sent to)', () => {
    const firewall = rule('to-primary', { destinationRanges: ['10.0.0.10/32'], allowed: allowTcp });
    expect(decide([firewall], IN)).toBe('allow:to-primary');
    expect(decide([firewall], { ...IN, dstIp: '10.0.0.11' })).toBe('deny:implied-deny-ingress');
  });
});
