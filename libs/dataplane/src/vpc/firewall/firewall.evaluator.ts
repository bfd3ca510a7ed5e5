import { cidrHasAddress } from '@gke-emulator/netaddr';
import { ipv4OrThrow } from '../ip-range.parser';
import { sameNetwork } from '../network-reference.matcher';
import type { VpcInstance } from '../vpc-instance.model';
import type {
  EffectiveFirewallRule,
  FirewallPacket,
  FirewallVerdict,
  InstanceFirewall,
} from './effective-firewall-rule.model';
import type { FirewallDirection } from './firewall-rule.model';
import { matchesProtocol, protocolNumber } from './ip-protocol.matcher';
import { candidateRules, remoteAddressIndex } from './remote-address.index';

/** A packet reduced to numbers, from the VM's point of view. */
export interface FirewallProbe {
  readonly direction: FirewallDirection;
  /** The other end: the source of INGRESS, the destination of EGRESS. */
  readonly remoteIp: number;
  /** The VM's own address; null when unknown (rules filtering on it then do not match). */
  readonly localIp: number | null;
  readonly protocol: number;
  readonly port: number | undefined;
  readonly peer: VpcInstance | undefined;
}

/** Turns a packet into a probe. Throws RangeError on a malformed address or protocol (or `all`). */
export function toProbe(packet: FirewallPacket): FirewallProbe {
  const protocol = protocolNumber(packet.protocol);
  if (protocol === null) throw new RangeError(`Not a single IP protocol: ${packet.protocol}`);
  const src = ipv4OrThrow(packet.srcIp);
  const dst = ipv4OrThrow(packet.dstIp);
  const ingress = packet.direction === 'INGRESS';
  return {
    direction: packet.direction,
    remoteIp: ingress ? src : dst,
    localIp: ingress ? dst : src,
    protocol,
    port: packet.port,
    peer: packet.peer,
  };
}

/**
 * Source tags and service accounts name VMs of the same network, and identify packets sent from the primary
 * internal address of such a VM. A peer given without addresses is trusted to be the sender.
 */
function peerIsSender(firewall: InstanceFirewall, probe: FirewallProbe): VpcInstance | null {
  const peer = probe.peer;
  if (!peer || probe.direction !== 'INGRESS' || !sameNetwork(peer.network, firewall.instance.network)) {
    return null;
  }
  const primary = peer.ipAddresses?.[0];
  return primary === undefined || ipv4OrThrow(primary) === probe.remoteIp ? peer : null;
}

function remoteMatches(rule: EffectiveFirewallRule, probe: FirewallProbe, peer: VpcInstance | null): boolean {
  const { remoteRanges, remoteTags, remoteServiceAccounts } = rule.match;
  if (remoteRanges.some((range) => cidrHasAddress(range, probe.remoteIp))) return true;
  if (peer === null) return false;
  if (remoteTags.some((tag) => peer.tags?.includes(tag) === true)) return true;
  return peer.serviceAccount !== undefined && remoteServiceAccounts.includes(peer.serviceAccount);
}

/** True when the rule matches the probe (targets were settled when the rule list was built). */
export function ruleMatches(
  rule: EffectiveFirewallRule,
  probe: FirewallProbe,
  peer: VpcInstance | null,
): boolean {
  if (rule.direction !== probe.direction) return false;
  if (!matchesProtocol(rule.match.protocols, probe.protocol, probe.port)) return false;
  const local = rule.match.localRanges;
  const localIp = probe.localIp;
  if (local !== null && (localIp === null || !local.some((range) => cidrHasAddress(range, localIp)))) {
    return false;
  }
  return remoteMatches(rule, probe, peer);
}

/**
 * Walks the VM's rules in order. The first matching allow or deny decides; a matching `goto_next` skips the rest
 * of its stage (its policy). The implied rules close the list, so a verdict always exists.
 */
export function evaluateProbe(firewall: InstanceFirewall, probe: FirewallProbe): FirewallVerdict {
  const peer = peerIsSender(firewall, probe);
  // Only the rules whose remote ranges (or, with a peer, tags and service accounts) can match are walked.
  const index = remoteAddressIndex(firewall, probe.direction);
  const positions = index ? candidateRules(index, probe.remoteIp, peer !== null) : null;
  const count = positions ? positions.length : firewall.rules.length;
  let skippedStage = -1;
  for (let k = 0; k < count; k++) {
    const rule = firewall.rules[positions ? (positions[k] as number) : k] as EffectiveFirewallRule;
    if (rule.stage === skippedStage || !ruleMatches(rule, probe, peer)) continue;
    if (rule.action === 'goto_next') {
      skippedStage = rule.stage;
      continue;
    }
    return { action: rule.action, rule };
  }
  // Only reachable with a hand-made rule list that lacks the implied rules.
  throw new Error(`No firewall rule, not even an implied one, matched a ${probe.direction} packet`);
}

/** Is this packet allowed into (INGRESS) or out of (EGRESS) the VM, and by which rule? */
export function evaluatePacket(firewall: InstanceFirewall, packet: FirewallPacket): FirewallVerdict {
  return evaluateProbe(firewall, toProbe(packet));
}
