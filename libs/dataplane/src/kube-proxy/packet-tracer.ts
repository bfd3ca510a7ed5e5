import { cidrHasAddress, formatIpv4, parseIpv4 } from '@gke-emulator/netaddr';

import type { IptablesChain, IptablesDump } from './iptables-dump';
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

/** A chain's rules parsed once, with the rules matching one exact destination address indexed by that address. */
interface CompiledChain {
  readonly rules: readonly IptablesRule[];
  /** Indices of rules whose destination is one plain address (not negated, not a range), by that address. */
  readonly byDestination: ReadonlyMap<string, readonly number[]>;
  /** Indices of every other rule. */
  readonly anyDestination: readonly number[];
}

/**
 * A dump's chains by "table:name" (a node of a cluster with 10,000 Services has some 40,000 chains: a linear search
 * per chain entered was most of a trace's time), and the chains compiled so far. Kept as long as the dump (dumps
 * are immutable, and traced many times).
 */
interface DumpIndex {
  readonly chains: ReadonlyMap<string, IptablesChain>;
  readonly compiled: Map<string, CompiledChain | null>;
}

const dumpIndexes = new WeakMap<IptablesDump, DumpIndex>();

function dumpIndex(dump: IptablesDump): DumpIndex {
  let index = dumpIndexes.get(dump);
  if (!index) {
    const chains = new Map<string, IptablesChain>();
    const tables = new Set<string>();
    for (const table of dump.tables) {
      // The first table and chain of a name win, as findChain's search does.
      if (tables.has(table.name)) continue;
      tables.add(table.name);
      for (const chain of table.chains) {
        const key = `${table.name}:${chain.name}`;
        if (!chains.has(key)) chains.set(key, chain);
      }
    }
    index = { chains, compiled: new Map() };
    dumpIndexes.set(dump, index);
  }
  return index;
}

/**
 * The address a destination match compares equal to, when that is all it does: a plain word (compared as text) or
 * a canonical IPv4 "/32" (its one address); undefined for ranges and anything a sloppy parse would read otherwise.
 */
function indexKey(value: string): string | undefined {
  if (!value.includes('/')) return value;
  if (!value.endsWith('/32')) return undefined;
  const address = value.slice(0, -3);
  const parsed = parseIpv4(address);
  return parsed !== null && formatIpv4(parsed) === address ? address : undefined;
}

/** Parsed rule lines: most lines are the same on every node of a cluster. Bounded; cleared when full. */
const parsedLines = new Map<string, IptablesRule>();
const PARSED_LINES_KEPT = 500_000;

function parseLine(line: string): IptablesRule {
  let rule = parsedLines.get(line);
  if (!rule) {
    rule = parseIptablesRule(line);
    if (parsedLines.size >= PARSED_LINES_KEPT) parsedLines.clear();
    parsedLines.set(line, rule);
  }
  return rule;
}

function compileChain(rules: readonly string[]): CompiledChain {
  const parsed = rules.map(parseLine);
  const byDestination = new Map<string, number[]>();
  const anyDestination: number[] = [];
  parsed.forEach((rule, index) => {
    const destination = rule.destinationAddress;
    const exact = destination && !destination.negated ? indexKey(destination.value) : undefined;
    if (exact === undefined) anyDestination.push(index);
    else byDestination.set(exact, [...(byDestination.get(exact) ?? []), index]);
  });
  return { rules: parsed, byDestination, anyDestination };
}

/**
 * Small chains compiled, by their text: a Service's KUBE-SVC/KUBE-SEP/KUBE-EXT chains are the same on most nodes, so
 * the first trace through them on another node reuses them. Compiled chains are immutable. Bounded; cleared when full.
 */
const compiledByText = new Map<string, CompiledChain>();
const COMPILED_TEXTS_KEPT = 200_000;
const SHARED_CHAIN_RULES = 32;

function compileShared(rules: readonly string[]): CompiledChain {
  if (rules.length > SHARED_CHAIN_RULES) return compileChain(rules);
  const text = rules.join('\n');
  let compiled = compiledByText.get(text);
  if (!compiled) {
    compiled = compileChain(rules);
    if (compiledByText.size >= COMPILED_TEXTS_KEPT) compiledByText.clear();
    compiledByText.set(text, compiled);
  }
  return compiled;
}

function chainOf(dump: IptablesDump, table: string, name: string): CompiledChain | null {
  const index = dumpIndex(dump);
  const key = `${table}:${name}`;
  let compiled = index.compiled.get(key);
  if (compiled === undefined) {
    const chain = index.chains.get(key);
    compiled = chain ? compileShared(chain.rules) : null;
    index.compiled.set(key, compiled);
  }
  return compiled;
}

/** The rules of a chain that may match a packet to `destination`, in chain order. */
function* candidates(chain: CompiledChain, destination: string): Generator<IptablesRule> {
  const exact = chain.byDestination.get(destination) ?? [];
  const rest = chain.anyDestination;
  let i = 0;
  let j = 0;
  while (i < exact.length || j < rest.length) {
    const next =
      j >= rest.length || (i < exact.length && (exact[i] as number) < (rest[j] as number))
        ? (exact[i++] as number)
        : (rest[j++] as number);
    yield chain.rules[next] as IptablesRule;
  }
}

class Tracer {
  readonly outputs: string[] = [];
  readonly chains: string[] = [];
  masquerade = false;
  /** Chains being run, so that a looping dump (which iptables would refuse) cannot recurse forever. */
  private readonly running = new Set<string>();

  constructor(
    private readonly dump: IptablesDump,
    private readonly localAddresses: ReadonlySet<string>,
  ) {}

  /** Runs a chain; true when it reached a terminal target without a probabilistic jump on the way. */
  runChain(table: string, chainName: string, packet: PacketView): boolean {
    const key = `${table}:${chainName}`;
    const chain = chainOf(this.dump, table, chainName);
    if (!chain || this.running.has(key)) return false;
    this.chains.push(key);
    this.running.add(key);
    try {
      return this.runRules(table, candidates(chain, packet.destinationIP), packet);
    } finally {
      this.running.delete(key);
    }
  }

  private runRules(table: string, rules: Iterable<IptablesRule>, packet: PacketView): boolean {
    for (const rule of rules) {
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
  const natEntry = chainOf(dump, 'nat', 'PREROUTING') ? 'PREROUTING' : KUBE_SERVICES;
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
