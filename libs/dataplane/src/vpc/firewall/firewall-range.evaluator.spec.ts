import { describe, expect, it } from 'vitest';

import type { VpcInstance } from '../vpc-instance.model';
import { evaluatePacketRange } from './firewall-range.evaluator';
import type { FirewallRule } from './firewall-rule.model';
import { buildInstanceFirewall } from './instance-firewall.builder';

const NET = 'vpc';
const VM: VpcInstance = { network: NET, ipAddresses: ['10.0.0.10'] };
const tcp = [{ IPProtocol: 'tcp' }];

function query(rules: FirewallRule[], remoteRange: string, peer?: VpcInstance) {
  return evaluatePacketRange(buildInstanceFirewall({ firewalls: rules }, VM), {
    direction: 'INGRESS',
    remoteRange,
    protocol: 'tcp',
    port: 443,
    peer,
  });
}

describe('evaluatePacketRange', () => {
  it('allows a range only when every address is allowed, reporting the first deciding rule', () => {
    const rules: FirewallRule[] = [
      { name: 'low-half', network: NET, priority: 100, sourceRanges: ['10.1.0.0/25'], allowed: tcp },
      { name: 'high-half', network: NET, priority: 200, sourceRanges: ['10.1.0.128/25'], allowed: tcp },
    ];
    // gcpdiag would say deny here: neither ALLOW rule contains the whole /24.
    const verdict = query(rules, '10.1.0.0/24');
    expect(verdict.action).toBe('allow');
    expect(verdict.verdict.rule.name).toBe('low-half');
    expect(verdict.segments.map((s) => [s.first, s.last, s.verdict.rule.name])).toEqual([
      ['10.1.0.0', '10.1.0.127', 'low-half'],
      ['10.1.0.128', '10.1.0.255', 'high-half'],
    ]);
  });

  it('denies a range when some address is denied, naming the earliest denying rule', () => {
    const rules: FirewallRule[] = [
      { name: 'allow-all', network: NET, priority: 900, allowed: tcp },
      { name: 'deny-one', network: NET, priority: 800, sourceRanges: ['10.1.0.77'], denied: tcp },
    ];
    const verdict = query(rules, '10.1.0.0/24');
    expect(verdict.action).toBe('deny');
    expect(verdict.verdict.rule.name).toBe('deny-one');
    expect(verdict.segments).toHaveLength(3);
  });

  it('splits at the peer primary address, the only one its tags vouch for', () => {
    const rules: FirewallRule[] = [{ name: 'from-db', network: NET, sourceTags: ['db'], allowed: tcp }];
    const peer: VpcInstance = { network: NET, tags: ['db'], ipAddresses: ['10.2.0.5'] };
    expect(query(rules, '10.2.0.5/32', peer).action).toBe('allow');
    const wide = query(rules, '10.2.0.0/29', peer);
    expect(wide.action).toBe('deny');
    expect(wide.segments.map((s) => `${s.first}-${s.last}:${s.verdict.action}`)).toEqual([
      '10.2.0.0-10.2.0.4:deny',
      '10.2.0.5-10.2.0.5:allow',
      '10.2.0.6-10.2.0.7:deny',
    ]);
  });

  it('covers the whole address space in few segments', () => {
    const verdict = query(
      [{ name: 'rfc1918', network: NET, sourceRanges: ['10.0.0.0/8'], allowed: tcp }],
      '0.0.0.0/0',
    );
    expect(verdict.segments.map((s) => `${s.first}-${s.last}`)).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.255.255.255',
      '11.0.0.0-255.255.255.255',
    ]);
  });

  it('rejects IPv6 ranges and protocols that are not single protocols', () => {
    expect(() => query([], '::/0')).toThrow(RangeError);
    const firewall = buildInstanceFirewall({}, VM);
    expect(() =>
      evaluatePacketRange(firewall, { direction: 'EGRESS', remoteRange: '1.2.3.4', protocol: 'all' }),
    ).toThrow(RangeError);
  });
});
