import { formatIpv4, parseCidrOrThrow } from '@gke-emulator/netaddr';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { VpcInstance } from '../vpc-instance.model';
import type {
  EffectiveFirewallRule,
  FirewallVerdict,
  InstanceFirewall,
} from './effective-firewall-rule.model';
import type { FirewallRule } from './firewall-rule.model';
import { type FirewallProbe, evaluateProbe, ruleMatches, toProbe } from './firewall.evaluator';
import { buildInstanceFirewall } from './instance-firewall.builder';
import { buildRemoteAddressIndex, candidateRules, pieceOf } from './remote-address.index';

const NET = 'projects/p/global/networks/vpc';
const VM: VpcInstance = { network: NET, tags: ['node'], ipAddresses: ['10.0.0.2'] };

function rule(partial: Partial<EffectiveFirewallRule> & { ranges?: string[] }): EffectiveFirewallRule {
  const { ranges = [], ...rest } = partial;
  return {
    origin: 'vpc-rule',
    name: 'r',
    direction: 'INGRESS',
    priority: 1000,
    action: 'allow',
    stage: 0,
    match: {
      remoteRanges: ranges.map(parseCidrOrThrow),
      remoteTags: [],
      remoteServiceAccounts: [],
      localRanges: null,
      protocols: [{ protocol: 'all', ports: null }],
    },
    ...rest,
  };
}

/** The walk without the index: every rule, in order. */
function linearVerdict(firewall: InstanceFirewall, probe: FirewallProbe): FirewallVerdict {
  const primary = probe.peer?.ipAddresses?.[0];
  const peer =
    probe.peer && probe.direction === 'INGRESS' && probe.peer.network === firewall.instance.network
      ? primary === undefined ||
        toProbe({ ...probeAsPacket(probe), srcIp: primary }).remoteIp === probe.remoteIp
        ? probe.peer
        : null
      : null;
  let skipped = -1;
  for (const candidate of firewall.rules) {
    if (candidate.stage === skipped || !ruleMatches(candidate, probe, peer)) continue;
    if (candidate.action === 'goto_next') {
      skipped = candidate.stage;
      continue;
    }
    return { action: candidate.action, rule: candidate };
  }
  throw new Error('no rule matched');
}

function probeAsPacket(probe: FirewallProbe) {
  const remote = formatIpv4(probe.remoteIp);
  const local = probe.localIp === null ? '0.0.0.0' : formatIpv4(probe.localIp);
  return {
    direction: probe.direction,
    srcIp: probe.direction === 'INGRESS' ? remote : local,
    dstIp: probe.direction === 'INGRESS' ? local : remote,
    protocol: probe.protocol,
    port: probe.port,
  };
}

describe('pieceOf', () => {
  const starts = [0, 10, 20, 4294967295];
  it.each([
    [0, 0],
    [9, 0],
    [10, 1],
    [19, 1],
    [20, 2],
    [4294967294, 2],
    [4294967295, 3],
  ])('address %i lies in piece %i', (address, piece) => {
    expect(pieceOf(starts, address)).toBe(piece);
  });
  it('a single piece holds everything', () => {
    expect(pieceOf([0], 123456)).toBe(0);
  });
});

describe('buildRemoteAddressIndex', () => {
  it('cuts at every range end of the direction and lists the rules holding each piece', () => {
    const rules = [
      rule({ name: 'a', ranges: ['10.0.0.0/8'] }),
      rule({ name: 'b', ranges: ['10.1.0.0/16', '10.1.2.0/24'] }),
      rule({ name: 'egress', direction: 'EGRESS', ranges: ['192.168.0.0/16'] }),
      rule({ name: 'all', ranges: ['0.0.0.0/0'] }),
    ];
    const index = buildRemoteAddressIndex(rules, 'INGRESS');
    expect(index?.starts.map(formatIpv4)).toEqual([
      '0.0.0.0',
      '10.0.0.0',
      '10.1.0.0',
      '10.1.2.0',
      '10.1.3.0',
      '10.2.0.0',
      '11.0.0.0',
    ]);
    const at = (ip: string) => index?.byRange[pieceOf(index.starts, parseCidrOrThrow(`${ip}/32`).network)];
    expect(at('9.255.255.255')).toEqual([3]);
    expect(at('10.0.0.1')).toEqual([0, 3]);
    // b's two ranges overlap: listed once.
    expect(at('10.1.2.3')).toEqual([0, 1, 3]);
    expect(at('10.2.0.0')).toEqual([0, 3]);
    expect(at('192.168.1.1')).toEqual([3]);
  });

  it('a range reaching 255.255.255.255 adds no cut past the end', () => {
    const index = buildRemoteAddressIndex([rule({ ranges: ['255.255.255.0/24'] })], 'INGRESS');
    expect(index?.starts).toEqual([0, parseCidrOrThrow('255.255.255.0/24').network]);
    expect(index?.byRange).toEqual([[], [0]]);
  });

  it('lists rules with source tags or service accounts apart', () => {
    const rules = [
      rule({ ranges: ['10.0.0.0/8'] }),
      rule({
        match: { ...rule({}).match, remoteTags: ['web'] },
      }),
      rule({
        ranges: ['10.0.0.0/8'],
        match: { ...rule({ ranges: ['10.0.0.0/8'] }).match, remoteServiceAccounts: ['sa@p'] },
      }),
    ];
    const index = buildRemoteAddressIndex(rules, 'INGRESS');
    expect(index?.byPeer).toEqual([1, 2]);
    if (!index) throw new Error('no index');
    const address = parseCidrOrThrow('10.9.9.9/32').network;
    expect(candidateRules(index, address, false)).toEqual([0, 2]);
    expect(candidateRules(index, address, true)).toEqual([0, 1, 2]);
    expect(candidateRules(index, parseCidrOrThrow('11.0.0.0/32').network, true)).toEqual([1, 2]);
  });
});

describe('evaluateProbe with the index', () => {
  it('finds a rule far down a long list, and the implied deny elsewhere', () => {
    const rules: FirewallRule[] = Array.from({ length: 500 }, (_, i) => ({
      name: `r${i}`,
      network: NET,
      priority: 1000 + i,
      allowed: [{ IPProtocol: 'tcp' }],
      sourceRanges: [`192.0.${i % 256}.0/24`],
      targetTags: ['node'],
    }));
    const firewall = buildInstanceFirewall({ firewalls: rules }, VM);
    const verdict = evaluateProbe(
      firewall,
      toProbe({ direction: 'INGRESS', srcIp: '192.0.200.9', dstIp: '10.0.0.2', protocol: 'tcp', port: 1 }),
    );
    expect(verdict).toMatchObject({ action: 'allow', rule: { name: 'r200' } });
    const denied = evaluateProbe(
      firewall,
      toProbe({ direction: 'INGRESS', srcIp: '8.8.8.8', dstIp: '10.0.0.2', protocol: 'tcp', port: 1 }),
    );
    expect(denied).toMatchObject({ action: 'deny', rule: { name: 'implied-deny-ingress' } });
  });

  const RANGES = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32', '0.0.0.0/0', '192.168.0.0/20'];
  const TAGS = ['a', 'b'];
  const vpcRule: fc.Arbitrary<FirewallRule> = fc
    .record({
      name: fc.stringMatching(/^r[a-z0-9]{0,3}$/),
      priority: fc.constantFrom(100, 1000, 1000, 2000),
      direction: fc.constantFrom('INGRESS' as const, 'EGRESS' as const),
      deny: fc.boolean(),
      protocol: fc.constantFrom('tcp', 'udp', 'all'),
      sourceRanges: fc.subarray(RANGES, { maxLength: 3 }),
      destinationRanges: fc.subarray(RANGES, { maxLength: 2 }),
      sourceTags: fc.subarray(TAGS, { maxLength: 1 }),
    })
    .map(({ deny, protocol, ...rest }) => ({
      ...rest,
      network: NET,
      ...(deny ? { denied: [{ IPProtocol: protocol }] } : { allowed: [{ IPProtocol: protocol }] }),
    }));
  const remote = fc.oneof(
    fc.constantFrom('10.1.2.3', '10.1.2.4', '10.1.255.255', '10.2.0.0', '192.168.15.255', '192.168.16.0'),
    fc.nat(0xffffffff).map(formatIpv4),
  );

  it('decides as the rule-by-rule walk does, for random rule lists and packets', () => {
    fc.assert(
      fc.property(
        fc.array(vpcRule, { maxLength: 30 }),
        fc.array(
          fc.record({
            direction: fc.constantFrom('INGRESS' as const, 'EGRESS' as const),
            remote,
            protocol: fc.constantFrom('tcp', 'udp', 'icmp'),
            port: fc.integer({ min: 1, max: 65535 }),
            peerTags: fc.option(fc.subarray(TAGS), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        (rules, packets) => {
          const firewall = buildInstanceFirewall({ firewalls: rules }, VM);
          for (const packet of packets) {
            const probe = toProbe({
              direction: packet.direction,
              srcIp: packet.direction === 'INGRESS' ? packet.remote : '10.0.0.2',
              dstIp: packet.direction === 'INGRESS' ? '10.0.0.2' : packet.remote,
              protocol: packet.protocol,
              ...(packet.protocol === 'icmp' ? {} : { port: packet.port }),
              ...(packet.peerTags ? { peer: { network: NET, tags: packet.peerTags } } : {}),
            });
            expect(evaluateProbe(firewall, probe)).toEqual(linearVerdict(firewall, probe));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
