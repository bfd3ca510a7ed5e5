import { cidrHasAddress, formatIpv4, parseCidrOrThrow } from '@gke-emulator/netaddr';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { VpcInstance } from '../vpc-instance.model';
import { evaluateConnection } from './connection.evaluator';
import type { FirewallPacket, FirewallVerdict } from './effective-firewall-rule.model';
import { evaluatePacketRange } from './firewall-range.evaluator';
import type { FirewallRule } from './firewall-rule.model';
import { evaluatePacket } from './firewall.evaluator';
import { buildInstanceFirewall } from './instance-firewall.builder';
import { protocolNumber } from './ip-protocol.matcher';

// Small universes, so that rules, tags and packets collide often.
const NET = 'projects/p/global/networks/vpc';
const TAGS = ['a', 'b', 'c'];
const ACCOUNTS = ['x@p.iam.gserviceaccount.com', 'y@p.iam.gserviceaccount.com'];
const RANGES = [
  '10.0.0.0/22',
  '10.0.1.0/24',
  '10.0.1.128/25',
  '10.0.2.7/32',
  '0.0.0.0/0',
  '192.168.0.0/16',
  '::/0',
];

const tags = fc.subarray(TAGS);
const protocolPorts = fc.record(
  {
    IPProtocol: fc.constantFrom('tcp', 'udp', 'icmp', 'all', '6', '17'),
    ports: fc.subarray(['22', '80', '1-100', '50-60', '443']),
  },
  { requiredKeys: ['IPProtocol'] },
);

const firewallRule: fc.Arbitrary<FirewallRule> = fc
  .record(
    {
      name: fc.stringMatching(/^r[a-z0-9]{0,3}$/),
      priority: fc.constantFrom(0, 100, 500, 1000, 1000, 65534, 65535),
      direction: fc.constantFrom('INGRESS' as const, 'EGRESS' as const),
      deny: fc.boolean(),
      entries: fc.array(protocolPorts, { minLength: 1, maxLength: 2 }),
      sourceRanges: fc.subarray(RANGES, { maxLength: 2 }),
      destinationRanges: fc.subarray(RANGES, { maxLength: 2 }),
      sourceTags: fc.subarray(TAGS, { maxLength: 1 }),
      sourceServiceAccounts: fc.subarray(ACCOUNTS, { maxLength: 1 }),
      targetTags: fc.subarray(TAGS, { maxLength: 2 }),
      targetServiceAccounts: fc.subarray(ACCOUNTS, { maxLength: 1 }),
      disabled: fc.boolean(),
    },
    { requiredKeys: ['name', 'direction', 'deny', 'entries'] },
  )
  .map(({ deny, entries, ...rule }) => {
    // ICMP entries carry no ports, as the API requires.
    const list = entries.map((e) =>
      e.IPProtocol === 'icmp' || e.IPProtocol === 'all' ? { IPProtocol: e.IPProtocol } : e,
    );
    return { ...rule, network: NET, ...(deny ? { denied: list } : { allowed: list }) };
  });

const instance: fc.Arbitrary<VpcInstance> = fc.record({
  network: fc.constant(NET),
  tags,
  serviceAccount: fc.constantFrom(...ACCOUNTS),
  ipAddresses: fc.constant(['10.0.1.10']),
});

const address = fc.oneof(
  fc.nat(1023).map((offset) => formatIpv4(0x0a000000 + offset)),
  fc.nat(0xffff).map((offset) => formatIpv4(0xc0a80000 + offset)),
  fc.nat(0xffffffff).map(formatIpv4),
);

const packet: fc.Arbitrary<FirewallPacket> = fc
  .record({
    direction: fc.constantFrom('INGRESS' as const, 'EGRESS' as const),
    remote: address,
    protocol: fc.constantFrom('tcp', 'udp', 'icmp', 6, 17),
    port: fc.integer({ min: 1, max: 100 }),
    peer: fc.option(
      fc.record({ network: fc.constant(NET), tags, serviceAccount: fc.constantFrom(...ACCOUNTS) }),
      {
        nil: undefined,
      },
    ),
  })
  .map(({ direction, remote, protocol, port, peer }) => ({
    direction,
    srcIp: direction === 'INGRESS' ? remote : '10.0.1.10',
    dstIp: direction === 'INGRESS' ? '10.0.1.10' : remote,
    protocol,
    port: protocol === 'icmp' ? undefined : port,
    peer,
  }));

function verdictOf(rules: FirewallRule[], vm: VpcInstance, probe: FirewallPacket): FirewallVerdict {
  return evaluatePacket(buildInstanceFirewall({ firewalls: rules }, vm), probe);
}

/**
 * A second formulation of the VPC rule semantics, written from the documentation rather than from the walk:
 * among the enabled rules that target the VM and match the packet, take the lowest priority; any deny there wins.
 */
function referenceAction(rules: FirewallRule[], vm: VpcInstance, probe: FirewallPacket): 'allow' | 'deny' {
  const ingress = probe.direction === 'INGRESS';
  const remote = ingress ? probe.srcIp : probe.dstIp;
  const inRanges = (ranges: readonly string[] | undefined) =>
    (ranges ?? []).some(
      (range) => !range.includes(':') && cidrHasAddress(parseCidrOrThrow(range), ipNumber(remote)),
    );
  const matching = rules.filter((rule) => {
    if (rule.disabled || (rule.direction ?? 'INGRESS') !== probe.direction) return false;
    if (rule.targetServiceAccounts?.length) {
      if (!rule.targetServiceAccounts.includes(vm.serviceAccount ?? '')) return false;
    } else if (rule.targetTags?.length && !rule.targetTags.some((tag) => vm.tags?.includes(tag)))
      return false;
    const entries = rule.denied?.length ? rule.denied : (rule.allowed ?? []);
    const l4 = entries.some(
      (e) =>
        (e.IPProtocol === 'all' || protocolNumber(e.IPProtocol) === protocolNumber(probe.protocol)) &&
        (!e.ports?.length ||
          e.ports.some((p) => {
            const [lo, hi = lo] = p.split('-').map(Number);
            return probe.port !== undefined && probe.port >= (lo ?? 0) && probe.port <= (hi ?? 0);
          })),
    );
    if (!l4) return false;
    if (!ingress) {
      const local = rule.sourceRanges?.length ? inRangesOf(rule.sourceRanges, probe.srcIp) : true;
      return local && (rule.destinationRanges?.length ? inRanges(rule.destinationRanges) : true);
    }
    if (rule.destinationRanges?.length && !inRangesOf(rule.destinationRanges, probe.dstIp)) return false;
    const noSource =
      !rule.sourceRanges?.length && !rule.sourceTags?.length && !rule.sourceServiceAccounts?.length;
    const peer = probe.peer;
    return (
      noSource ||
      inRanges(rule.sourceRanges) ||
      (peer !== undefined && (rule.sourceTags ?? []).some((tag) => peer.tags?.includes(tag))) ||
      (peer?.serviceAccount !== undefined && (rule.sourceServiceAccounts ?? []).includes(peer.serviceAccount))
    );
  });
  if (matching.length === 0) return ingress ? 'deny' : 'allow';
  const best = Math.min(...matching.map((rule) => rule.priority ?? 1000));
  return matching.some((rule) => (rule.priority ?? 1000) === best && rule.denied?.length) ? 'deny' : 'allow';
}

function ipNumber(ip: string): number {
  const [a = 0, b = 0, c = 0, d = 0] = ip.split('.').map(Number);
  return ((a * 256 + b) * 256 + c) * 256 + d;
}

function inRangesOf(ranges: readonly string[], ip: string): boolean {
  return ranges.some(
    (range) => !range.includes(':') && cidrHasAddress(parseCidrOrThrow(range), ipNumber(ip)),
  );
}

const rules = fc.array(firewallRule, { maxLength: 8 });

describe('firewall properties', () => {
  it('agrees with a reference "lowest matching priority, deny wins ties" formulation', () => {
    fc.assert(
      fc.property(rules, instance, packet, (list, vm, probe) => {
        expect(verdictOf(list, vm, probe).action).toBe(referenceAction(list, vm, probe));
      }),
      { numRuns: 2000 },
    );
  });

  it('adding an allow rule never turns an allowed packet into a denied one', () => {
    fc.assert(
      fc.property(rules, firewallRule, instance, packet, (list, extra, vm, probe) => {
        const allow: FirewallRule = { ...extra, denied: undefined, allowed: extra.allowed ?? extra.denied };
        fc.pre(verdictOf(list, vm, probe).action === 'allow');
        expect(verdictOf([...list, allow], vm, probe).action).toBe('allow');
      }),
      { numRuns: 1000 },
    );
  });

  it('adding a deny rule never turns a denied packet into an allowed one', () => {
    fc.assert(
      fc.property(rules, firewallRule, instance, packet, (list, extra, vm, probe) => {
        const deny: FirewallRule = { ...extra, allowed: undefined, denied: extra.denied ?? extra.allowed };
        fc.pre(verdictOf(list, vm, probe).action === 'deny');
        expect(verdictOf([...list, deny], vm, probe).action).toBe('deny');
      }),
      { numRuns: 1000 },
    );
  });

  it('a rule with a larger priority number than the deciding rule changes nothing', () => {
    fc.assert(
      fc.property(rules, firewallRule, instance, packet, (list, extra, vm, probe) => {
        const before = verdictOf(list, vm, probe);
        fc.pre(before.rule.origin === 'vpc-rule' && before.rule.priority < 65535);
        const after = verdictOf([...list, { ...extra, priority: before.rule.priority + 1 }], vm, probe);
        expect(after).toEqual(before);
      }),
      { numRuns: 1000 },
    );
  });

  it('disabled rules change nothing', () => {
    fc.assert(
      fc.property(rules, firewallRule, instance, packet, (list, extra, vm, probe) => {
        const after = verdictOf([...list, { ...extra, disabled: true }], vm, probe);
        expect(after).toEqual(verdictOf(list, vm, probe));
      }),
    );
  });

  it('the verdict does not depend on the order rules are listed in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(firewallRule, { selector: (rule) => rule.name, maxLength: 8 }),
        instance,
        packet,
        fc.func(fc.integer()),
        (list, vm, probe, key) => {
          const shuffled = [...list].sort((a, b) => key(a.name) - key(b.name));
          const before = verdictOf(list, vm, probe);
          const after = verdictOf(shuffled, vm, probe);
          expect([after.action, after.rule.name]).toEqual([before.action, before.rule.name]);
        },
      ),
    );
  });

  it('a range is allowed exactly when every address in it is', () => {
    const range = fc.constantFrom(
      '10.0.0.0/22',
      '10.0.1.0/24',
      '10.0.1.128/26',
      '10.0.2.0/29',
      '10.0.2.7/32',
    );
    fc.assert(
      fc.property(
        rules,
        instance,
        range,
        fc.constantFrom('INGRESS' as const, 'EGRESS' as const),
        (list, vm, cidr, direction) => {
          const firewall = buildInstanceFirewall({ firewalls: list }, vm);
          const result = evaluatePacketRange(firewall, {
            direction,
            remoteRange: cidr,
            protocol: 'tcp',
            port: 80,
          });
          const block = parseCidrOrThrow(cidr);
          const size = 2 ** (32 - block.prefixLength);
          const everyAddress = Array.from({ length: size }, (_, i) => formatIpv4(block.network + i));
          const actions = everyAddress.map(
            (ip) =>
              evaluatePacket(firewall, {
                direction,
                srcIp: direction === 'INGRESS' ? ip : '10.0.1.10',
                dstIp: direction === 'INGRESS' ? '10.0.1.10' : ip,
                protocol: 'tcp',
                port: 80,
              }).action,
          );
          expect(result.action).toBe(actions.every((action) => action === 'allow') ? 'allow' : 'deny');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a connection is allowed exactly when the source egress and the destination ingress both are', () => {
    fc.assert(
      fc.property(
        rules,
        instance,
        instance,
        fc.constantFrom('tcp', 'udp'),
        fc.integer({ min: 1, max: 100 }),
        (list, a, b, protocol, port) => {
          const source = { ip: '10.0.1.10', firewall: buildInstanceFirewall({ firewalls: list }, a) };
          const destination = { ip: '10.0.2.7', firewall: buildInstanceFirewall({ firewalls: list }, b) };
          const verdict = evaluateConnection({ source, destination, protocol, port });
          const both = verdict.egress?.action === 'allow' && verdict.ingress?.action === 'allow';
          expect(verdict.allowed).toBe(both);
          expect(verdict.replyAllowed).toBe(both);
        },
      ),
    );
  });
});
