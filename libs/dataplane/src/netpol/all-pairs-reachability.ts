import { parseIpv4 } from '@gke-emulator/netaddr';
import type { CompiledCluster, CompiledDirection, CompiledPeer } from './compiled-policy.types';
import { connectionsContain } from './connection-set.model';
import { ipRangesCover } from './ip-range-set.model';
import { resolveRulePorts } from './named-port.resolver';
import type { PodInfo, Protocol } from './network-policy.types';
import { type TrafficPeer, matchesPeer } from './peer.matcher';

// Every pod against every pod, for one protocol and port, without evaluating each pair: pods that every rule treats
// alike are one class, and each rule is evaluated once per class.
//
// What decides a pair (evaluateConnection): the source's egress direction and the destination's ingress direction
// (their policies and rules), how a rule's peers see the other end (namespace and its labels, pod labels, and which
// ipBlocks hold the pod's IP), and, for an egress rule's named port, which port names the destination gives the
// queried number. So a pod is keyed four ways:
//   - egress key: its compiled egress direction;
//   - ingress key: its compiled ingress direction, with which rules allow the queried port on it;
//   - peer key: namespace, labels, and the ipBlocks of the cluster's rules that hold its IP;
//   - port-name key: the names of its container ports that mean the queried protocol and port.
// allowed(s, d) = s is d, or egress[egress key of s][peer and port-name keys of d] and
// ingress[ingress key of d][peer key of s]; each table entry is computed once from one representative pod.

export interface AllPairsQuery {
  /** "namespace/name" of the pods, in the order of the matrix; every one must be a pod of the cluster. */
  readonly pods: readonly string[];
  readonly protocol: Protocol;
  readonly port: number;
}

export interface AllPairsReachability {
  readonly pods: readonly string[];
  /** allowed[i][j]: NetworkPolicy lets pods[i] open the connection to pods[j]. */
  readonly allowed: readonly (readonly boolean[])[];
  /** How many distinct behaviours the pods fell into, as sources and as destinations. */
  readonly classes: { readonly sources: number; readonly destinations: number };
}

/** Interns keys: the same key gets the same small number. */
class Classes {
  private readonly ids = new Map<string, number>();
  readonly representatives: number[] = [];
  id(key: string, pod: number): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
      this.representatives.push(pod);
    }
    return id;
  }
  get size(): number {
    return this.ids.size;
  }
}

function canonicalLabels(pod: PodInfo): string {
  const labels = pod.labels ?? {};
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((key) => [key, labels[key]]),
  );
}

/** The ipBlock peers of every rule of every pod, once each (by their ranges). */
function ipBlocks(cluster: CompiledCluster): CompiledPeer[] {
  const blocks = new Map<string, CompiledPeer>();
  for (const policy of Object.values(cluster.podPolicies)) {
    for (const direction of [policy.ingress, policy.egress]) {
      for (const rule of direction.rules) {
        for (const peer of rule.peers) {
          if (peer.kind === 'ipBlock') blocks.set(JSON.stringify(peer.ranges), peer);
        }
      }
    }
  }
  return [...blocks.values()];
}

/** The names of the pod's container ports that resolve to this protocol and port (resolveNamedPort's rule). */
function portNamesAt(pod: PodInfo, protocol: Protocol, port: number): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const container of pod.containers ?? []) {
    for (const containerPort of container.ports ?? []) {
      const name = containerPort.name;
      if (name === undefined || seen.has(name)) continue;
      // The first port of a name decides what the name means.
      seen.add(name);
      if ((containerPort.protocol ?? 'TCP') === protocol && containerPort.containerPort === port)
        names.push(name);
    }
  }
  return names.sort();
}

function directionOf(
  cluster: CompiledCluster,
  key: string,
  direction: 'ingress' | 'egress',
): CompiledDirection {
  const compiled = cluster.podPolicies[key];
  if (compiled === undefined) throw new RangeError(`pod ${key} was not compiled`);
  return compiled[direction];
}

/** Whether the direction lets the traffic pass towards/from the peer, on protocol/port (destination for named ports). */
function directionAllows(
  direction: CompiledDirection,
  remote: TrafficPeer,
  destination: PodInfo,
  protocol: Protocol,
  port: number,
): boolean {
  if (!direction.isolated) return true;
  return direction.rules.some(
    (rule) =>
      rule.peers.some((peer) => matchesPeer(peer, remote)) &&
      connectionsContain(resolveRulePorts(rule.ports, destination), protocol, port),
  );
}

/**
 * NetworkPolicy's verdict for every ordered pair of the given pods on one protocol and port, as
 * `evaluateConnection(...).allowed` would give it pair by pair (a pod reaches itself). Enforcement is the caller's:
 * a cluster that does not enforce NetworkPolicy lets everything pass.
 */
export function allPairsReachability(cluster: CompiledCluster, query: AllPairsQuery): AllPairsReachability {
  const { protocol, port } = query;
  const pods = query.pods.map((key) => {
    const pod = Object.hasOwn(cluster.pods, key) ? cluster.pods[key] : undefined;
    if (pod === undefined) throw new RangeError(`unknown pod ${key}`);
    return pod;
  });
  const blocks = ipBlocks(cluster);
  const egressClasses = new Classes();
  const ingressClasses = new Classes();
  const peerClasses = new Classes();
  const destinationPeerClasses = new Classes();
  const sourceClasses = new Set<string>();
  const destinationClasses = new Set<string>();
  const egressOf: number[] = [];
  const ingressOf: number[] = [];
  const peerOf: number[] = [];
  const destinationPeerOf: number[] = [];
  const peers: TrafficPeer[] = [];
  pods.forEach((pod, i) => {
    const key = query.pods[i] as string;
    const peer: TrafficPeer = { kind: 'pod', pod, namespaceLabels: cluster.namespaces[pod.namespace] ?? {} };
    peers.push(peer);
    const address = pod.ip === undefined ? null : parseIpv4(pod.ip);
    const inBlocks = blocks
      .map((block) =>
        block.kind === 'ipBlock' && address !== null
          ? ipRangesCover(block.ranges, { start: address, end: address })
            ? '1'
            : '0'
          : '0',
      )
      .join('');
    const peerKey = `${pod.namespace}\u0000${canonicalLabels(pod)}\u0000${inBlocks}`;
    const ingress = directionOf(cluster, key, 'ingress');
    // An ingress rule's ports were resolved against this pod when compiled: which rules allow the port is kept.
    const ingressPorts = ingress.rules
      .map((rule) => (connectionsContain(resolveRulePorts(rule.ports, pod), protocol, port) ? '1' : '0'))
      .join('');
    const egressKey = JSON.stringify(directionOf(cluster, key, 'egress'));
    const ingressKey = `${JSON.stringify({ ...ingress, rules: ingress.rules.map((rule) => ({ ...rule, ports: null })) })}\u0000${ingressPorts}`;
    const namedKey = portNamesAt(pod, protocol, port).join(',');
    egressOf.push(egressClasses.id(egressKey, i));
    ingressOf.push(ingressClasses.id(ingressKey, i));
    peerOf.push(peerClasses.id(peerKey, i));
    destinationPeerOf.push(destinationPeerClasses.id(`${peerKey}\u0000${namedKey}`, i));
    sourceClasses.add(`${egressOf[i]}/${peerOf[i]}`);
    destinationClasses.add(`${ingressOf[i]}/${destinationPeerOf[i]}`);
  });

  // egress[e][d]: egress class e lets traffic out to destinations of (peer + port-name) class d.
  const egress = egressClasses.representatives.map((source) => {
    const direction = directionOf(cluster, query.pods[source] as string, 'egress');
    return destinationPeerClasses.representatives.map((destination) =>
      directionAllows(
        direction,
        peers[destination] as TrafficPeer,
        pods[destination] as PodInfo,
        protocol,
        port,
      ),
    );
  });
  // ingress[n][s]: ingress class n lets traffic in from sources of peer class s.
  const ingress = ingressClasses.representatives.map((destination) => {
    const direction = directionOf(cluster, query.pods[destination] as string, 'ingress');
    return peerClasses.representatives.map((source) =>
      directionAllows(direction, peers[source] as TrafficPeer, pods[destination] as PodInfo, protocol, port),
    );
  });

  const allowed = pods.map((_, s) => {
    const out = egress[egressOf[s] as number] as boolean[];
    const from = peerOf[s] as number;
    const self = query.pods[s];
    return pods.map(
      (__, d) =>
        // Traffic from a pod to itself never crosses the policy data plane.
        query.pods[d] === self ||
        ((out[destinationPeerOf[d] as number] as boolean) &&
          ((ingress[ingressOf[d] as number] as boolean[])[from] as boolean)),
    );
  });
  return {
    pods: query.pods,
    allowed,
    classes: { sources: sourceClasses.size, destinations: destinationClasses.size },
  };
}
