import { firstAddress, formatIpv4, lastAddress } from '@gke-emulator/netaddr';
import { ipv4OrThrow, parseIpRange } from '../ip-range.parser';
import type {
  FirewallAction,
  FirewallPacket,
  FirewallVerdict,
  InstanceFirewall,
} from './effective-firewall-rule.model';
import { evaluateProbe } from './firewall.evaluator';
import type { FirewallDirection } from './firewall-rule.model';
import { protocolNumber } from './ip-protocol.matcher';

/** "Can every address of this range reach the VM (INGRESS) / be reached from it (EGRESS)?" */
export interface FirewallRangeQuery {
  readonly direction: FirewallDirection;
  /** The remote addresses: sources for INGRESS, destinations for EGRESS (a CIDR or a single address). */
  readonly remoteRange: string;
  /** The VM's own address; defaults to its primary internal address. */
  readonly localIp?: string;
  readonly protocol: FirewallPacket['protocol'];
  readonly port?: number;
  readonly peer?: FirewallPacket['peer'];
}

/** A run of remote addresses that every rule treats alike, and their verdict. */
export interface FirewallRangeSegment {
  readonly first: string;
  readonly last: string;
  readonly verdict: FirewallVerdict;
}

export interface FirewallRangeVerdict {
  /** allow only when every address of the range is allowed. */
  readonly action: FirewallAction;
  /** Of the rules giving the overall action to some segment, the first in evaluation order. */
  readonly verdict: FirewallVerdict;
  readonly segments: readonly FirewallRangeSegment[];
}

/**
 * Cuts [first, last] where any rule's remote range, or the peer's primary address, starts or ends: inside a
 * piece every rule matches all addresses or none, so one probe per piece decides it.
 */
function cutPoints(firewall: InstanceFirewall, first: number, last: number, peerIp: number | null): number[] {
  const cuts = new Set<number>([first]);
  const add = (point: number) => {
    if (point > first && point <= last) cuts.add(point);
  };
  for (const rule of firewall.rules) {
    for (const range of rule.match.remoteRanges) {
      add(firstAddress(range));
      add(lastAddress(range) + 1);
    }
  }
  if (peerIp !== null) {
    add(peerIp);
    add(peerIp + 1);
  }
  return [...cuts].sort((a, b) => a - b);
}

/**
 * Evaluates a whole remote range exactly (unlike gcpdiag, which matches DENY rules on overlap and ALLOW rules on
 * containment): the range is allowed when each of its addresses is.
 */
export function evaluatePacketRange(
  firewall: InstanceFirewall,
  query: FirewallRangeQuery,
): FirewallRangeVerdict {
  const range = parseIpRange(query.remoteRange);
  if (range.family !== 'ipv4') throw new RangeError(`Only IPv4 ranges are evaluated: ${query.remoteRange}`);
  const protocol = protocolNumber(query.protocol);
  if (protocol === null) throw new RangeError(`Not a single IP protocol: ${query.protocol}`);
  const localText = query.localIp ?? firewall.instance.ipAddresses?.[0];
  const localIp = localText === undefined ? null : ipv4OrThrow(localText);
  const peerText = query.peer?.ipAddresses?.[0];
  const peerIp = peerText === undefined ? null : ipv4OrThrow(peerText);

  const first = firstAddress(range.cidr);
  const last = lastAddress(range.cidr);
  const cuts = cutPoints(firewall, first, last, peerIp);
  const segments = cuts.map((start, index) => {
    const end = (cuts[index + 1] ?? last + 1) - 1;
    const verdict = evaluateProbe(firewall, {
      direction: query.direction,
      remoteIp: start,
      localIp,
      protocol,
      port: query.port,
      peer: query.peer,
    });
    return { first: formatIpv4(start), last: formatIpv4(end), verdict };
  });

  const action: FirewallAction = segments.every((segment) => segment.verdict.action === 'allow')
    ? 'allow'
    : 'deny';
  const order = new Map(firewall.rules.map((rule, index) => [rule, index]));
  const deciding = segments
    .map((segment) => segment.verdict)
    .filter((verdict) => verdict.action === action)
    .sort((a, b) => (order.get(a.rule) ?? 0) - (order.get(b.rule) ?? 0));
  const [verdict] = deciding;
  if (!verdict) throw new Error('unreachable: the overall action comes from some segment');
  return { action, verdict, segments };
}
