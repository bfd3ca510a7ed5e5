import { parseIpv4 } from '@gke-emulator/netaddr';
import type { CompiledCluster, CompiledDirection, PolicyDirection, RuleRef } from './compiled-policy.types';
import {
  type ConnectionSet,
  allConnections,
  connectionsContain,
  emptyConnections,
  intersectConnections,
  unionConnections,
} from './connection-set.model';
import type {
  ConnectionQuery,
  ConnectionVerdict,
  DirectionDecision,
  DirectionVerdict,
  Endpoint,
} from './connection-verdict.types';
import { resolveRulePorts } from './named-port.resolver';
import { formatPolicyRef, podKey } from './network-policy.compiler';
import type { PodInfo } from './network-policy.types';
import { type TrafficPeer, matchesPeer } from './peer.matcher';

/** An endpoint looked up in the cluster; an IP range stands for external addresses (np-guard's peers). */
export type ResolvedEndpoint = TrafficPeer & { readonly node?: string };

interface RuleAllowance {
  readonly rule: RuleRef;
  readonly connections: ConnectionSet;
}

/**
 * Resolves an endpoint: a pod reference must name a known pod (RangeError otherwise); an IP that belongs to
 * exactly one pod is that pod, since its traffic carries the pod's identity.
 */
export function resolveEndpoint(cluster: CompiledCluster, endpoint: Endpoint): ResolvedEndpoint {
  if ('pod' in endpoint) {
    const key = podKey(endpoint.pod);
    const pod = Object.hasOwn(cluster.pods, key) ? cluster.pods[key] : undefined;
    if (pod === undefined) throw new RangeError(`unknown pod ${key}`);
    return podEndpoint(cluster, pod);
  }
  const address = parseIpv4(endpoint.ip);
  if (address === null) throw new RangeError(`not an IPv4 address: ${endpoint.ip}`);
  const key = Object.hasOwn(cluster.podKeysByIp, endpoint.ip) ? cluster.podKeysByIp[endpoint.ip] : undefined;
  const pod = key === undefined ? undefined : cluster.pods[key];
  if (pod !== undefined) return podEndpoint(cluster, pod);
  return { kind: 'ip', range: { start: address, end: address }, node: endpoint.node };
}

export function podEndpoint(cluster: CompiledCluster, pod: PodInfo): ResolvedEndpoint {
  return { kind: 'pod', pod, namespaceLabels: cluster.namespaces[pod.namespace] ?? {} };
}

function compiledDirection(
  cluster: CompiledCluster,
  pod: PodInfo,
  direction: PolicyDirection,
): CompiledDirection {
  const compiled = cluster.podPolicies[podKey(pod)];
  if (compiled === undefined) throw new RangeError(`pod ${podKey(pod)} was not compiled`);
  return compiled[direction];
}

/** The rules of one direction whose peers select the remote end, with what each allows towards destination. */
function ruleAllowances(
  direction: CompiledDirection,
  remote: TrafficPeer,
  destination: PodInfo | undefined,
): RuleAllowance[] {
  return direction.rules
    .filter((rule) => rule.peers.some((peer) => matchesPeer(peer, remote)))
    .map((rule) => ({ rule: rule.ref, connections: resolveRulePorts(rule.ports, destination) }));
}

function isSamePod(source: ResolvedEndpoint, destination: ResolvedEndpoint): boolean {
  return (
    source.kind === 'pod' &&
    destination.kind === 'pod' &&
    source.pod.namespace === destination.pod.namespace &&
    source.pod.name === destination.pod.name
  );
}

interface DirectionOutcome {
  readonly decision: DirectionDecision | 'isolated';
  readonly compiled?: CompiledDirection;
  readonly allowances: readonly RuleAllowance[];
}

function egressOutcome(
  cluster: CompiledCluster,
  source: ResolvedEndpoint,
  destination: ResolvedEndpoint,
): DirectionOutcome {
  if (source.kind !== 'pod') return { decision: 'not-a-pod', allowances: [] };
  if (isSamePod(source, destination)) return { decision: 'same-pod', allowances: [] };
  const compiled = compiledDirection(cluster, source.pod, 'egress');
  if (!compiled.isolated) return { decision: 'not-isolated', compiled, allowances: [] };
  const target = destination.kind === 'pod' ? destination.pod : undefined;
  return { decision: 'isolated', compiled, allowances: ruleAllowances(compiled, destination, target) };
}

function ingressOutcome(
  cluster: CompiledCluster,
  source: ResolvedEndpoint,
  destination: ResolvedEndpoint,
): DirectionOutcome {
  if (destination.kind !== 'pod') return { decision: 'not-a-pod', allowances: [] };
  if (isSamePod(source, destination)) return { decision: 'same-pod', allowances: [] };
  const compiled = compiledDirection(cluster, destination.pod, 'ingress');
  // networking/v1: ingress is allowed "if the traffic source is the pod's local node".
  if (source.kind === 'ip' && source.node !== undefined && source.node === destination.pod.nodeName) {
    return { decision: 'local-node', compiled, allowances: [] };
  }
  if (!compiled.isolated) return { decision: 'not-isolated', compiled, allowances: [] };
  return { decision: 'isolated', compiled, allowances: ruleAllowances(compiled, source, destination.pod) };
}

function outcomeConnections(outcome: DirectionOutcome): ConnectionSet {
  if (outcome.decision !== 'isolated') return allConnections();
  return outcome.allowances.reduce(
    (set, allowance) => unionConnections(set, allowance.connections),
    emptyConnections(),
  );
}

/** Everything the source may open towards the destination: its egress allow set ∩ the destination's ingress. */
export function connectionsBetween(
  cluster: CompiledCluster,
  source: ResolvedEndpoint,
  destination: ResolvedEndpoint,
): ConnectionSet {
  const egress = outcomeConnections(egressOutcome(cluster, source, destination));
  const ingress = outcomeConnections(ingressOutcome(cluster, source, destination));
  return intersectConnections(egress, ingress);
}

/** Like connectionsBetween, for endpoints given by pod reference or IP. */
export function allowedConnections(
  cluster: CompiledCluster,
  source: Endpoint,
  destination: Endpoint,
): ConnectionSet {
  return connectionsBetween(cluster, resolveEndpoint(cluster, source), resolveEndpoint(cluster, destination));
}

function directionVerdict(
  direction: PolicyDirection,
  outcome: DirectionOutcome,
  query: Pick<ConnectionQuery, 'protocol' | 'port'>,
): DirectionVerdict {
  const isolatingPolicies = outcome.compiled?.isolated === true ? outcome.compiled.policies : [];
  if (outcome.decision !== 'isolated') {
    return { direction, allowed: true, decision: outcome.decision, isolatingPolicies, allowingRules: [] };
  }
  const allowingRules = outcome.allowances
    .filter((allowance) => connectionsContain(allowance.connections, query.protocol, query.port))
    .map((allowance) => allowance.rule);
  const allowed = allowingRules.length > 0;
  return {
    direction,
    allowed,
    decision: allowed ? 'allowed-by-rule' : 'no-matching-rule',
    isolatingPolicies,
    allowingRules,
  };
}

function describeEndpoint(endpoint: ResolvedEndpoint): string {
  return endpoint.kind === 'pod' ? podKey(endpoint.pod) : 'the external address';
}

function formatRule(rule: RuleRef): string {
  return `${formatPolicyRef(rule.policy)} ${rule.direction}[${rule.ruleIndex}]`;
}

function describeVerdict(verdict: DirectionVerdict, endpoint: ResolvedEndpoint): string {
  const subject = `${verdict.direction} of ${describeEndpoint(endpoint)}`;
  switch (verdict.decision) {
    case 'not-a-pod':
      return `${subject}: not a pod, no policy applies`;
    case 'not-isolated':
      return `${subject}: allowed, no policy selects it`;
    case 'local-node':
      return `${subject}: allowed, traffic from the pod's own node`;
    case 'same-pod':
      return `${subject}: allowed, traffic to itself`;
    case 'allowed-by-rule':
      return `${subject}: allowed by ${verdict.allowingRules.map(formatRule).join(', ')}`;
    case 'no-matching-rule':
      return `${subject}: denied, isolated by ${verdict.isolatingPolicies.map(formatPolicyRef).join(', ')} and no rule matches`;
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Is this connection allowed, and which policies decide? Egress of the source AND ingress of the
 * destination must both allow it.
 */
export function evaluateConnection(cluster: CompiledCluster, query: ConnectionQuery): ConnectionVerdict {
  const source = resolveEndpoint(cluster, query.source);
  const destination = resolveEndpoint(cluster, query.destination);
  const egress = directionVerdict('egress', egressOutcome(cluster, source, destination), query);
  const ingress = directionVerdict('ingress', ingressOutcome(cluster, source, destination), query);
  const allowed = egress.allowed && ingress.allowed;
  const decidingPolicies = allowed
    ? unique([...egress.allowingRules, ...ingress.allowingRules].map((rule) => formatPolicyRef(rule.policy)))
    : unique(
        [egress, ingress]
          .filter((verdict) => !verdict.allowed)
          .flatMap((verdict) => verdict.isolatingPolicies.map(formatPolicyRef)),
      );
  const explanation = `${describeVerdict(egress, source)}; ${describeVerdict(ingress, destination)}`;
  return { allowed, egress, ingress, decidingPolicies, explanation };
}
