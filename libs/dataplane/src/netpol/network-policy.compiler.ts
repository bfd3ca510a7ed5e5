import type {
  CompiledCluster,
  CompiledDirection,
  CompiledPeer,
  CompiledPodPolicy,
  CompiledPorts,
  CompiledRule,
  NamedPortRef,
  PolicyDirection,
  PolicyRef,
  RejectedPolicy,
} from './compiled-policy.types';
import {
  type ConnectionSet,
  allConnections,
  emptyConnections,
  protocolConnections,
  unionConnections,
} from './connection-set.model';
import { type IpRange, parseIpBlockCidr, subtractIpRanges } from './ip-range-set.model';
import { type CompiledSelector, compileSelector, matchesSelector } from './label-selector.matcher';
import { resolveNamedPort } from './named-port.resolver';
import {
  type ClusterState,
  DEFAULT_NAMESPACE,
  type Labels,
  NAMESPACE_NAME_LABEL,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type PodInfo,
  type Protocol,
} from './network-policy.types';
import { validateNetworkPolicy } from './network-policy.validator';

export function podKey(pod: { readonly namespace: string; readonly name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

export function policyRef(policy: NetworkPolicy): PolicyRef {
  return { namespace: policy.metadata.namespace ?? DEFAULT_NAMESPACE, name: policy.metadata.name };
}

export function formatPolicyRef(ref: PolicyRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/**
 * The directions a policy isolates: its policyTypes, or by default Ingress plus Egress when it has egress
 * rules (networking/v1 NetworkPolicySpec.PolicyTypes). An egress-deny policy must therefore list Egress.
 */
export function policyDirections(policy: NetworkPolicy): readonly PolicyDirection[] {
  const { policyTypes, egress } = policy.spec;
  if (policyTypes !== undefined && policyTypes.length > 0) {
    return [
      ...(policyTypes.includes('Ingress') ? (['ingress'] as const) : []),
      ...(policyTypes.includes('Egress') ? (['egress'] as const) : []),
    ];
  }
  return (egress ?? []).length > 0 ? ['ingress', 'egress'] : ['ingress'];
}

/** Namespace labels as the API server keeps them: kubernetes.io/metadata.name is always set. */
export function effectiveNamespaceLabels(name: string, labels: Labels = {}): Labels {
  return { ...labels, [NAMESPACE_NAME_LABEL]: name };
}

/** The set an ipBlock allows: cidr minus except (nothing for IPv6 or unparsable blocks). */
export function ipBlockRanges(cidr: string, except: readonly string[] = []): IpRange[] {
  const block = parseIpBlockCidr(cidr);
  if (!block.ok || block.family !== 'ipv4') return [];
  const holes = except.flatMap((text) => {
    const hole = parseIpBlockCidr(text);
    return hole.ok && hole.family === 'ipv4' ? [hole.range] : [];
  });
  return subtractIpRanges([block.range], holes);
}

function compilePeer(peer: NetworkPolicyPeer, policyNamespace: string): CompiledPeer {
  if (peer.ipBlock !== undefined) {
    const except = peer.ipBlock.except ?? [];
    return {
      kind: 'ipBlock',
      cidr: peer.ipBlock.cidr,
      except,
      ranges: ipBlockRanges(peer.ipBlock.cidr, except),
    };
  }
  return {
    kind: 'pods',
    // Without namespaceSelector the peer means pods of the policy's own namespace.
    namespace:
      peer.namespaceSelector === undefined
        ? { kind: 'name', name: policyNamespace }
        : { kind: 'selector', selector: compileSelector(peer.namespaceSelector) },
    pods: compileSelector(peer.podSelector ?? {}),
  };
}

function ruleProtocol(port: NetworkPolicyPort): Protocol {
  return (port.protocol ?? 'TCP') as Protocol;
}

/** Ingress named ports resolve against the selected pod now; egress ones wait for the destination. */
function compilePorts(
  ports: readonly NetworkPolicyPort[] | undefined,
  direction: PolicyDirection,
  selectedPod: PodInfo,
): CompiledPorts {
  if (ports === undefined || ports.length === 0) return { numeric: allConnections(), named: [] };
  let numeric: ConnectionSet = emptyConnections();
  const named: NamedPortRef[] = [];
  for (const port of ports) {
    const protocol = ruleProtocol(port);
    if (port.port === undefined) {
      numeric = unionConnections(numeric, protocolConnections(protocol));
    } else if (typeof port.port === 'number') {
      const range = { start: port.port, end: port.endPort ?? port.port };
      numeric = unionConnections(numeric, protocolConnections(protocol, [range]));
    } else if (direction === 'egress') {
      named.push({ name: port.port, protocol });
    } else {
      const resolved = resolveNamedPort(selectedPod, { name: port.port, protocol });
      if (resolved !== undefined) {
        numeric = unionConnections(
          numeric,
          protocolConnections(protocol, [{ start: resolved, end: resolved }]),
        );
      }
    }
  }
  return { numeric, named };
}

function compileRules(
  policy: NetworkPolicy,
  direction: PolicyDirection,
  selectedPod: PodInfo,
): CompiledRule[] {
  const ref = policyRef(policy);
  const rules =
    direction === 'ingress'
      ? (policy.spec.ingress ?? []).map((rule) => ({ peers: rule.from, ports: rule.ports }))
      : (policy.spec.egress ?? []).map((rule) => ({ peers: rule.to, ports: rule.ports }));
  return rules.map((rule, ruleIndex) => ({
    ref: { policy: ref, direction, ruleIndex },
    peers:
      rule.peers === undefined || rule.peers.length === 0
        ? [{ kind: 'any' }]
        : rule.peers.map((peer) => compilePeer(peer, ref.namespace)),
    ports: compilePorts(rule.ports, direction, selectedPod),
  }));
}

export function policySelectsPod(policy: NetworkPolicy, pod: PodInfo): boolean {
  return (
    (policy.metadata.namespace ?? DEFAULT_NAMESPACE) === pod.namespace &&
    matchesSelector(compileSelector(policy.spec.podSelector), pod.labels ?? {})
  );
}

/** A policy with its podSelector compiled once. */
interface SelectingPolicy {
  readonly policy: NetworkPolicy;
  readonly namespace: string;
  readonly selector: CompiledSelector;
}

function selecting(policy: NetworkPolicy): SelectingPolicy {
  return {
    policy,
    namespace: policy.metadata.namespace ?? DEFAULT_NAMESPACE,
    selector: compileSelector(policy.spec.podSelector),
  };
}

/** The allow sets of one pod under the given (valid) policies. */
export function compilePodPolicy(pod: PodInfo, policies: readonly NetworkPolicy[]): CompiledPodPolicy {
  return compileSelectedPod(pod, policies.map(selecting));
}

function compileSelectedPod(pod: PodInfo, candidates: readonly SelectingPolicy[]): CompiledPodPolicy {
  const directions: Record<PolicyDirection, { policies: PolicyRef[]; rules: CompiledRule[] }> = {
    ingress: { policies: [], rules: [] },
    egress: { policies: [], rules: [] },
  };
  const labels = pod.labels ?? {};
  for (const { policy, namespace, selector } of candidates) {
    if (namespace !== pod.namespace || !matchesSelector(selector, labels)) continue;
    for (const direction of policyDirections(policy)) {
      directions[direction].policies.push(policyRef(policy));
      directions[direction].rules.push(...compileRules(policy, direction, pod));
    }
  }
  const finish = ({
    policies: refs,
    rules,
  }: {
    policies: PolicyRef[];
    rules: CompiledRule[];
  }): CompiledDirection => ({
    isolated: refs.length > 0,
    policies: refs,
    rules,
  });
  return {
    pod: { namespace: pod.namespace, name: pod.name },
    ingress: finish(directions.ingress),
    egress: finish(directions.egress),
  };
}

function referencedRanges(policies: readonly NetworkPolicy[], direction: PolicyDirection): IpRange[] {
  return policies.flatMap((policy) =>
    (direction === 'ingress'
      ? (policy.spec.ingress ?? []).flatMap((rule) => rule.from ?? [])
      : (policy.spec.egress ?? []).flatMap((rule) => rule.to ?? [])
    ).flatMap((peer) =>
      peer.ipBlock === undefined ? [] : ipBlockRanges(peer.ipBlock.cidr, peer.ipBlock.except),
    ),
  );
}

function uniquePodIps(pods: readonly PodInfo[]): Record<string, string> {
  const owners = new Map<string, string[]>();
  for (const pod of pods) {
    if (pod.ip !== undefined) owners.set(pod.ip, [...(owners.get(pod.ip) ?? []), podKey(pod)]);
  }
  return Object.fromEntries([...owners].flatMap(([ip, keys]) => (keys.length === 1 ? [[ip, keys[0]]] : [])));
}

/**
 * Validates every policy (refused ones are reported and left out, as the API server would never have
 * admitted them) and compiles the allow sets of every pod.
 */
export function compileCluster(cluster: ClusterState): CompiledCluster {
  const accepted: NetworkPolicy[] = [];
  const rejectedPolicies: RejectedPolicy[] = [];
  for (const policy of cluster.policies) {
    const issues = validateNetworkPolicy(policy);
    if (issues.length === 0) accepted.push(policy);
    else rejectedPolicies.push({ policy: policyRef(policy), issues });
  }
  const namespaces: Record<string, Labels> = {};
  for (const namespace of cluster.namespaces) {
    namespaces[namespace.name] = effectiveNamespaceLabels(namespace.name, namespace.labels);
  }
  // A pod's namespace exists even when the input did not list it.
  for (const pod of cluster.pods) namespaces[pod.namespace] ??= effectiveNamespaceLabels(pod.namespace);
  // A policy selects pods of its own namespace only: each pod is matched against its namespace's policies.
  const byNamespace = new Map<string, SelectingPolicy[]>();
  for (const policy of accepted) {
    const entry = selecting(policy);
    const list = byNamespace.get(entry.namespace);
    if (list) list.push(entry);
    else byNamespace.set(entry.namespace, [entry]);
  }
  const pods: Record<string, PodInfo> = {};
  const podPolicies: Record<string, CompiledPodPolicy> = {};
  for (const pod of cluster.pods) {
    pods[podKey(pod)] = pod;
    podPolicies[podKey(pod)] = compileSelectedPod(pod, byNamespace.get(pod.namespace) ?? []);
  }
  return {
    namespaces,
    pods,
    podKeysByIp: uniquePodIps(cluster.pods),
    podPolicies,
    rejectedPolicies,
    ipBlockRanges: {
      ingress: referencedRanges(accepted, 'ingress'),
      egress: referencedRanges(accepted, 'egress'),
    },
  };
}
