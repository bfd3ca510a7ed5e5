import { cidrHasAddress, parseIpv4 } from '@gke-emulator/netaddr';

import { type IptablesDump, findChain } from './iptables-dump';
import { type IptablesRule, type IptablesValue, parseIptablesRule } from './iptables-rule.parser';
import { parseIpv4CidrSloppy } from './ipv4-sloppy.parser';
import {
  KUBE_EXTERNAL_SERVICES,
  KUBE_NODEPORTS,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
} from './well-known-chains';

// Follows a new connection's first packet through kube-proxy's rules the way kube-proxy's own tests do
// (tracePacket in proxier_test.go): nat PREROUTING (or KUBE-SERVICES when PREROUTING is not in the dump), the
// DNAT applied, then filter KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-NODEPORTS and KUBE-PROXY-FIREWALL. A
// "--probability" jump is explored without ending its chain, so every endpoint the DNAT may pick is reported.
// Rules that depend on history ("-m recent --rcheck", "--mark", "--ctstate") never match: this is a fresh
// connection with no affinity entry.

export type PacketVerdict = 'DNAT' | 'ACCEPT' | 'DROP' | 'REJECT' | 'NONE';

export interface TracedPacket {
  readonly sourceIP: string;
  readonly destinationIP: string;
  readonly destinationPort: number;
  /** Defaults to TCP. */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export interface PacketTrace {
  /** A filter verdict wins (it is applied after the DNAT); otherwise DNAT when an endpoint was chosen. */
  readonly verdict: PacketVerdict;
  /** Every "ip:port" the DNAT may pick, in rule order. */
  readonly targets: readonly string[];
  /** The packet jumped to KUBE-MARK-MASQ, so it leaves with the node's address as source. */
  readonly masquerade: boolean;
  /** Every chain entered, as "table:chain", in order. */
  readonly chains: readonly string[];
}

type FilterVerdict = 'ACCEPT' | 'DROP' | 'REJECT';

function isFilterVerdict(target: string): target is FilterVerdict {
  return target === 'ACCEPT' || target === 'DROP' || target === 'REJECT';
}

class Tracer {
  readonly outputs: string[] = [];
  readonly chains: string[] = [];
  masquerade = false;
  private readonly parsed = new Map<string, IptablesRule>();
  /** Chains being run, so that a looping dump (which iptables would refuse) cannot recurse forever. */
  private readonly running = new Set<string>();

  constructor(
    private readonly dump: IptablesDump,
    private readonly localAddresses: ReadonlySet<string>,
  ) {}

  /** Runs a chain; true when it reached a terminal target without a probabilistic jump on the way. */
  runChain(table: string, chainName: string, packet: PacketView): boolean {
    const key = `${table}:${chainName}`;
    const chain = findChain(this.dump, table, chainName);
    if (!chain || this.running.has(key)) return false;
    this.chains.push(key);
    this.running.add(key);
    try {
      return this.runRules(table, chain.rules, packet);
    } finally {
      this.running.delete(key);
    }
  }

  private runRules(table: string, rules: readonly string[], packet: PacketView): boolean {
    for (const raw of rules) {
      const rule = this.parse(raw);
      if (rule.jump === undefined || !this.matches(rule, packet)) continue;
      const target = rule.jump.value;
      if (target === 'KUBE-MARK-MASQ') {
        this.masquerade = true;
      } else if (isFilterVerdict(target)) {
        this.outputs.push(target);
        return true;
      } else if (target === 'DNAT') {
        this.outputs.push(rule.dnatDestination?.value ?? '');
        return true;
      } else if (target === 'RETURN') {
        return false;
      } else if (this.runChain(table, target, packet) && rule.probability === undefined) {
        return true;
      }
    }
    return false;
  }

  private parse(raw: string): IptablesRule {
    let rule = this.parsed.get(raw);
    if (!rule) {
      rule = parseIptablesRule(raw);
      this.parsed.set(raw, rule);
    }
    return rule;
  }

  private matches(rule: IptablesRule, packet: PacketView): boolean {
    if (rule.affinityCheck !== undefined || rule.markCheck || rule.ctStateCheck) return false;
    return (
      addressMatches(rule.sourceAddress, packet.sourceIP) &&
      this.addressTypeMatches(rule.sourceType, packet.sourceIP) &&
      valueMatches(rule.protocol, packet.protocol) &&
      addressMatches(rule.destinationAddress, packet.destinationIP) &&
      this.addressTypeMatches(rule.destinationType, packet.destinationIP) &&
      valueMatches(rule.destinationPort, packet.destinationPort)
    );
  }

  private addressTypeMatches(match: IptablesValue | undefined, address: string): boolean {
    return valueMatches(match, this.localAddresses.has(address) ? 'LOCAL' : 'not-matched');
  }
}

interface PacketView {
  readonly sourceIP: string;
  readonly destinationIP: string;
  readonly destinationPort: string;
  readonly protocol: string;
}

function valueMatches(match: IptablesValue | undefined, actual: string): boolean {
  if (match === undefined) return true;
  return (match.value === actual) !== match.negated;
}

function addressMatches(match: IptablesValue | undefined, address: string): boolean {
  if (match === undefined) return true;
  let matched: boolean;
  if (match.value.includes('/')) {
    const cidr = parseIpv4CidrSloppy(match.value);
    const ip = parseIpv4(address);
    matched = cidr !== null && ip !== null && cidrHasAddress(cidr, ip);
  } else {
    matched = match.value === address;
  }
  return matched !== match.negated;
}

/**
 * Traces a packet on a node. localAddresses are the node's own addresses ("-m addrtype LOCAL"); 127.0.0.1 is
 * always among them.
 */
export function tracePacket(
  dump: IptablesDump,
  packet: TracedPacket,
  localAddresses: readonly string[],
): PacketTrace {
  const tracer = new Tracer(dump, new Set(['127.0.0.1', '::1', ...localAddresses]));
  const view: PacketView = {
    sourceIP: packet.sourceIP,
    destinationIP: packet.destinationIP,
    destinationPort: String(packet.destinationPort),
    protocol: (packet.protocol ?? 'TCP').toLowerCase(),
  };
  const natEntry = findChain(dump, 'nat', 'PREROUTING') ? 'PREROUTING' : KUBE_SERVICES;
  tracer.runChain('nat', natEntry, view);
  const dnatTargets = [...tracer.outputs];

  // Later rules see the translated destination address (the port is left as is, as in kube-proxy's tracer).
  const firstTarget = dnatTargets[0];
  const afterNat =
    firstTarget === undefined ? view : { ...view, destinationIP: firstTarget.split(':')[0] ?? '' };
  for (const chain of [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL]) {
    tracer.runChain('filter', chain, afterNat);
  }

  const filterVerdict = tracer.outputs.slice(dnatTargets.length).find(isFilterVerdict);
  const verdict: PacketVerdict = filterVerdict ?? (dnatTargets.length > 0 ? 'DNAT' : 'NONE');
  return { verdict, targets: dnatTargets, masquerade: tracer.masquerade, chains: tracer.chains };
}
