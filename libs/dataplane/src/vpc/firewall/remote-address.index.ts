import { firstAddress, lastAddress } from '@gke-emulator/netaddr';
import type { EffectiveFirewallRule, InstanceFirewall } from './effective-firewall-rule.model';
import type { FirewallDirection } from './firewall-rule.model';

// Which of a VM's rules can match a given remote address, without testing each: the address space is cut at every
// rule's remote-range ends, so inside one piece each rule's ranges hold every address or none, and each piece lists
// the rules (in evaluation order) whose ranges hold it. A rule naming source tags or service accounts may also match
// by its peer: those are listed apart and merged in when the packet has a peer. The evaluator still tests every
// candidate in full (protocol, ports, local ranges, stage skips), so the index only leaves out rules that cannot match.

/** One direction's index: piece k covers [starts[k], starts[k + 1] - 1]; starts[0] is 0. */
export interface RemoteAddressIndex {
  readonly starts: readonly number[];
  /** Per piece: positions in `InstanceFirewall.rules`, ascending, of the rules whose remote ranges hold the piece. */
  readonly byRange: readonly (readonly number[])[];
  /** Positions, ascending, of the rules that may match by peer tag or service account. */
  readonly byPeer: readonly number[];
}

/** Past this many listed positions a direction is left unindexed (walked rule by rule), to bound memory. */
const MAX_ENTRIES = 2_000_000;

const indexes = new WeakMap<InstanceFirewall, Map<FirewallDirection, RemoteAddressIndex | null>>();

function matchesByPeer(rule: EffectiveFirewallRule): boolean {
  return rule.match.remoteTags.length > 0 || rule.match.remoteServiceAccounts.length > 0;
}

/** The piece holding address: the last start at or below it. */
export function pieceOf(starts: readonly number[], address: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((starts[middle] as number) <= address) low = middle;
    else high = middle - 1;
  }
  return low;
}

export function buildRemoteAddressIndex(
  rules: readonly EffectiveFirewallRule[],
  direction: FirewallDirection,
): RemoteAddressIndex | null {
  const cuts = new Set<number>([0]);
  for (const rule of rules) {
    if (rule.direction !== direction) continue;
    for (const range of rule.match.remoteRanges) {
      cuts.add(firstAddress(range));
      const after = lastAddress(range) + 1;
      if (after <= 0xffffffff) cuts.add(after);
    }
  }
  const starts = [...cuts].sort((a, b) => a - b);
  const byRange: number[][] = starts.map(() => []);
  const byPeer: number[] = [];
  let entries = 0;
  rules.forEach((rule, position) => {
    if (rule.direction !== direction) return;
    if (matchesByPeer(rule)) byPeer.push(position);
    for (const range of rule.match.remoteRanges) {
      const from = pieceOf(starts, firstAddress(range));
      const to = pieceOf(starts, lastAddress(range));
      for (let piece = from; piece <= to; piece++) {
        const list = byRange[piece] as number[];
        // Rules are visited in order, so a list only ever repeats its last position (overlapping ranges of one rule).
        if (list[list.length - 1] !== position) {
          list.push(position);
          entries++;
        }
      }
    }
  });
  return entries > MAX_ENTRIES ? null : { starts, byRange, byPeer };
}

/** The index of one direction of a VM's rules, built on first use and kept as long as the rule list. */
export function remoteAddressIndex(
  firewall: InstanceFirewall,
  direction: FirewallDirection,
): RemoteAddressIndex | null {
  let byDirection = indexes.get(firewall);
  if (!byDirection) {
    byDirection = new Map();
    indexes.set(firewall, byDirection);
  }
  let index = byDirection.get(direction);
  if (index === undefined) {
    index = buildRemoteAddressIndex(firewall.rules, direction);
    byDirection.set(direction, index);
  }
  return index;
}

/** Positions of the rules that may match a packet from/to remoteIp, ascending; with a peer, its rules merged in. */
export function candidateRules(index: RemoteAddressIndex, remoteIp: number, withPeer: boolean): number[] {
  const byRange = index.byRange[pieceOf(index.starts, remoteIp)] ?? [];
  if (!withPeer || index.byPeer.length === 0) return byRange as number[];
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  const peer = index.byPeer;
  while (i < byRange.length || j < peer.length) {
    const a = byRange[i];
    const b = peer[j];
    if (b === undefined || (a !== undefined && a < b)) {
      merged.push(a as number);
      i++;
    } else if (a === undefined || b < a) {
      merged.push(b);
      j++;
    } else {
      merged.push(a);
      i++;
      j++;
    }
  }
  return merged;
}
