import { GoogleErrors, renderWire } from '@gke-emulator/common';
import { vpc } from '@gke-emulator/dataplane';
import { parseIpv4 } from '@gke-emulator/netaddr';

/** The query of `…/nodes/{n}/firewall/evaluate`, as the wire sends it (names as in `iptables/trace`). */
export interface FirewallEvaluationQuery {
  direction?: unknown;
  src?: unknown;
  dst?: unknown;
  protocol?: unknown;
  dport?: unknown;
}

/** A packet at the node's VM, validated; the side left out is the node's own address. */
export interface FirewallQuestion {
  direction: vpc.FirewallDirection;
  src?: string;
  dst?: string;
  /** lower-case name when it has one (`tcp`), else the protocol number */
  protocol: string;
  dport?: number;
}

/** A rule as an evaluation names it: what decided, without the compiled match. */
export interface FirewallRuleSummary {
  name: string;
  origin: vpc.FirewallRuleOrigin;
  priority: number;
  action: vpc.FirewallAction | 'goto_next';
  direction: vpc.FirewallDirection;
  policy?: string;
  /** The wire rule, its links in full (absent for the implied rules). */
  source?: unknown;
}

const PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  1: 'icmp',
  4: 'ipip',
  6: 'tcp',
  17: 'udp',
  50: 'esp',
  51: 'ah',
  132: 'sctp',
};
/** The protocols whose packets carry a destination port (the only ones firewall rules give ports for). */
const WITH_PORTS = new Set([6, 17, 132]);

/** `tcp`, `6`… as a firewall rule's `IPProtocol` names it: the name when it has one, else the number. */
export function protocolName(protocol: number | 'all'): string {
  return protocol === 'all' ? 'all' : (PROTOCOL_NAMES[protocol] ?? String(protocol));
}

/** A parameter's text; absent or empty is undefined, a repeated parameter is a mistake. */
function text(query: FirewallEvaluationQuery, name: keyof FirewallEvaluationQuery): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw GoogleErrors.invalidFieldValue(name, value, 'Must be given once.');
  return value;
}

function address(query: FirewallEvaluationQuery, name: 'src' | 'dst'): string | undefined {
  const value = text(query, name);
  if (value === undefined) return undefined;
  if (parseIpv4(value) === null)
    throw GoogleErrors.invalidFieldValue(name, value, 'Must be an IPv4 address.');
  return value;
}

/**
 * Validates the query; every mistake is a 400 naming its parameter. INGRESS needs `src` (the remote end), EGRESS
 * needs `dst`; the other side defaults to the node. tcp, udp and sctp need `dport`, other protocols take none.
 */
export function parseFirewallQuestion(query: FirewallEvaluationQuery): FirewallQuestion {
  const directionText = text(query, 'direction');
  if (directionText === undefined) throw GoogleErrors.required('direction');
  const direction = directionText.toUpperCase();
  if (direction !== 'INGRESS' && direction !== 'EGRESS') {
    throw GoogleErrors.invalidFieldValue('direction', directionText, 'Must be INGRESS or EGRESS.');
  }
  const src = address(query, 'src');
  const dst = address(query, 'dst');
  if (direction === 'INGRESS' && src === undefined) throw GoogleErrors.required('src');
  if (direction === 'EGRESS' && dst === undefined) throw GoogleErrors.required('dst');
  const protocolText = text(query, 'protocol') ?? 'tcp';
  const number = protocolText.trim().toLowerCase() === 'all' ? null : vpc.protocolNumber(protocolText);
  if (number === null) {
    throw GoogleErrors.invalidFieldValue(
      'protocol',
      protocolText,
      'Must be one protocol: tcp, udp, icmp, esp, ah, sctp, ipip or a number from 0 to 255.',
    );
  }
  const protocol = protocolName(number);
  const dportText = text(query, 'dport');
  let dport: number | undefined;
  if (WITH_PORTS.has(number)) {
    const port = Number(dportText);
    if (dportText === undefined || !/^\d+$/.test(dportText) || port < 1 || port > 65535) {
      throw GoogleErrors.invalidFieldValue(
        'dport',
        dportText ?? '',
        'Must be a port number from 1 to 65535.',
      );
    }
    dport = port;
  } else if (dportText !== undefined) {
    throw GoogleErrors.invalidFieldValue('dport', dportText, `Protocol ${protocol} has no ports.`);
  }
  return {
    direction,
    ...(src ? { src } : {}),
    ...(dst ? { dst } : {}),
    protocol,
    ...(dport ? { dport } : {}),
  };
}

/** The question as a packet at the VM whose primary address is `nodeIp`. */
export function toFirewallPacket(
  question: FirewallQuestion,
  nodeIp: string,
  peer?: vpc.VpcInstance,
): vpc.FirewallPacket {
  return {
    direction: question.direction,
    srcIp: question.src ?? nodeIp,
    dstIp: question.dst ?? nodeIp,
    protocol: question.protocol,
    ...(question.dport !== undefined ? { port: question.dport } : {}),
    ...(peer ? { peer } : {}),
  };
}

/** The rule that decided; its wire rule with links in full against `base` (the API root the client used). */
export function summarizeRule(rule: vpc.EffectiveFirewallRule, base: string): FirewallRuleSummary {
  return {
    name: rule.name,
    origin: rule.origin,
    priority: rule.priority,
    action: rule.action,
    direction: rule.direction,
    ...(rule.policy !== undefined ? { policy: rule.policy } : {}),
    ...(rule.source !== undefined ? { source: renderWire(rule.source, base) } : {}),
  };
}

/** The outcome of one question: the packet as evaluated, the verdict, and the peer VM recognised. */
export interface FirewallEvaluation {
  packet: { direction: vpc.FirewallDirection; src: string; dst: string; protocol: string; dport?: number };
  verdict: vpc.FirewallVerdict;
  /** the VM of the network recognised as the INGRESS source, whose tags and service account source rules see */
  peer: string | null;
}

/**
 * Evaluates the packet against the VM's effective rules (stored in evaluation order: deny before allow at equal
 * priority, disabled rules left out, the implied rules last).
 */
export function evaluateFirewallQuestion(
  firewall: vpc.InstanceFirewall,
  question: FirewallQuestion,
  nodeIp: string,
  peer?: vpc.VpcInstance,
): FirewallEvaluation {
  const packet = toFirewallPacket(question, nodeIp, peer);
  return {
    packet: {
      direction: question.direction,
      src: packet.srcIp,
      dst: packet.dstIp,
      protocol: question.protocol,
      ...(question.dport !== undefined ? { dport: question.dport } : {}),
    },
    verdict: vpc.evaluatePacket(firewall, packet),
    peer: peer?.name ?? null,
  };
}

/**
 * The REST answer. Firewalls are stateful: the replies of an allowed connection pass whatever the rules of the
 * other direction say (`returnTrafficAllowed`).
 */
export function toFirewallEvaluationBody(evaluation: FirewallEvaluation, base: string) {
  const allowed = evaluation.verdict.action === 'allow';
  return {
    packet: evaluation.packet,
    allowed,
    action: evaluation.verdict.action,
    rule: summarizeRule(evaluation.verdict.rule, base),
    peer: evaluation.peer,
    returnTrafficAllowed: allowed,
  };
}
