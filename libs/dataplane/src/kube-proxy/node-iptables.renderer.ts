import { cidrHasAddress } from '@gke-emulator/netaddr';

import { appendRange, concatenate } from './chunked-text';
import { type ClusterKubeProxyRules } from './cluster-rules.compiler';
import { categorizeEndpoints } from './endpoint-categorizer';
import { compareChainNames } from './iptables-dump.sorter';
import { renderIptablesRestore } from './iptables-restore.renderer';
import { servicePortRuleSettings } from './kube-proxy-config.resolver';
import { type NodeContext } from './kube-proxy.types';
import {
  type NodeRenderPlan,
  type NodeSpecificPort,
  type TablePlan,
  buildNodeRenderPlan,
  declarationLine,
  linesText,
} from './node-render.plan';
import { compileNodeRules, nodePortJumps } from './node-rules.compiler';
import { type ServicePortRuleSettings, buildServicePortRules } from './service-port-rules.builder';
import { KUBE_SERVICES } from './well-known-chains';

// renderIptablesRestore(compileNodeRules(cluster, node)) builds, sorts and copies every chain of the cluster
// again for each node. Here that work is done once per cluster object (node-render.plan.ts): a node costs its
// node-specific ports' rules, and its text is a rope over the plan's chunks rather than a fresh copy. A
// node-specific port's rules are also kept per the few things of the node they depend on (which of its
// endpoints are local, the pod range, whether the node's address is among its source ranges), so that nodes
// alike in those share them.

/** One of a node-specific port's own chains, and where it goes among the plan's chains. */
interface OwnChain {
  readonly name: string;
  readonly index: number;
  readonly text: string;
}

/** A node-specific port's lines in one table, as the nodes alike for it see them. */
interface PortTableLines {
  /** Null when one of its own chains is among the plan's (possible with duplicate service ports). */
  readonly own: readonly OwnChain[] | null;
  /** Its lines in the base chains, by chain. */
  readonly slotted: ReadonlyMap<string, string>;
}

interface PortLines {
  readonly filter: PortTableLines;
  readonly nat: PortTableLines;
}

interface CachedPlan {
  readonly plan: NodeRenderPlan;
  /** Per node-specific port, its lines by what the node looks like to it (nodeKey). */
  readonly portLines: Map<string, PortLines>[];
  /** The text of every node, once rendered, when nothing depends on the node. */
  text?: string;
}

const plans = new WeakMap<ClusterKubeProxyRules, CachedPlan>();

function cachedPlan(cluster: ClusterKubeProxyRules): CachedPlan {
  let cached = plans.get(cluster);
  if (cached === undefined) {
    const plan = buildNodeRenderPlan(cluster);
    cached = { plan, portLines: plan.nodeSpecificPorts.map(() => new Map()) };
    plans.set(cluster, cached);
  }
  return cached;
}

/** The first index whose chain sorts after name, or -1 when name is among the chains already. */
function insertionIndex(chains: readonly string[], name: string): number {
  let low = 0;
  let high = chains.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareChainNames(chains[middle] ?? '', name);
    if (order === 0) return -1;
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Everything of the node that a port's rules depend on (see buildServicePortRules and categorizeEndpoints):
 * which of its endpoints are local, the pod range rules match, and whether a source range holds the node.
 */
function nodeKey(port: NodeSpecificPort, node: NodeContext, settings: ServicePortRuleSettings): string {
  const { servicePort, endpoints } = port;
  let key = settings.localTrafficCidr ?? '';
  if (servicePort.loadBalancerVIPs.length > 0) {
    const { nodeIP } = settings;
    const allowsNode = servicePort.loadBalancerSourceRanges.some(
      (range) => nodeIP !== null && cidrHasAddress(range, nodeIP),
    );
    key += allowsNode ? '|node' : '|';
  }
  if (servicePort.usesLocalEndpoints && node.nodeName !== '') {
    endpoints.forEach((endpoint, index) => {
      if (endpoint.nodeName === node.nodeName) key += `|${index}`;
    });
  }
  return key;
}

function portTableLines(plan: TablePlan, rules: ReadonlyMap<string, readonly string[]>): PortTableLines {
  const own: OwnChain[] = [];
  const slotted = new Map<string, string>();
  for (const [chain, lines] of rules) {
    if (plan.slotted.has(chain)) {
      slotted.set(chain, linesText(lines));
      continue;
    }
    const index = insertionIndex(plan.chains, chain);
    if (index === -1) return { own: null, slotted };
    own.push({ name: chain, index, text: linesText(lines) });
  }
  return { own, slotted };
}

/**
 * Appends one table's text on one node to parts; false when a node-specific port writes into a chain the
 * shared ports write too, for the caller to take the slow path.
 */
function appendTable(
  plan: TablePlan,
  ports: readonly PortTableLines[],
  nodeTails: ReadonlyMap<string, string>,
  parts: string[],
): boolean {
  const own = new Map<string, { index: number; text: string }>();
  for (const port of ports) {
    if (port.own === null) return false;
    for (const chain of port.own) {
      const existing = own.get(chain.name);
      if (existing) existing.text += chain.text;
      else own.set(chain.name, { index: chain.index, text: chain.text });
    }
  }
  const ownChains = [...own].map(([name, { index, text }]) => ({ name, index, text }));
  ownChains.sort((a, b) => a.index - b.index || compareChainNames(a.name, b.name));

  const { declarations, declarationOffsets: declared, rules, ruleOffsets: ruled } = plan;
  const chainCount = plan.chains.length;
  parts.push(`*${plan.name}\n`);
  let position = 0;
  for (const chain of ownChains) {
    appendRange(declarations, declared[position] ?? 0, declared[chain.index] ?? 0, parts);
    parts.push(declarationLine(chain.name));
    position = chain.index;
  }
  appendRange(declarations, declared[position] ?? 0, declared[chainCount] ?? 0, parts);

  // The rules: the shared chains' in runs, the node's own chains and the base chains in their places.
  position = 0;
  let next = 0;
  const ownChainsBefore = (index: number): void => {
    for (; next < ownChains.length && (ownChains[next]?.index ?? 0) <= index; next++) {
      const chain = ownChains[next];
      if (chain === undefined) continue;
      appendRange(rules, ruled[position] ?? 0, ruled[chain.index] ?? 0, parts);
      parts.push(chain.text);
      position = chain.index;
    }
  };
  for (const slot of plan.slottedInOrder) {
    ownChainsBefore(slot.index);
    appendRange(rules, ruled[position] ?? 0, ruled[slot.index] ?? 0, parts);
    slot.segments.forEach((segment, port) => {
      parts.push(...segment);
      const text = ports[port]?.slotted.get(slot.name);
      if (text !== undefined) parts.push(text);
    });
    parts.push(slot.tail ?? nodeTails.get(slot.name) ?? '');
    position = slot.index + 1;
  }
  ownChainsBefore(chainCount);
  appendRange(rules, ruled[position] ?? 0, ruled[chainCount] ?? 0, parts);
  parts.push('COMMIT\n');
  return true;
}

/**
 * The iptables-restore text kube-proxy writes on one node: exactly renderIptablesRestore(compileNodeRules(
 * cluster, node)), with the node-independent work done once per cluster object and kept while it lives.
 */
export function renderNodeIptables(cluster: ClusterKubeProxyRules, node: NodeContext): string {
  const cached = cachedPlan(cluster);
  if (cached.text !== undefined) return cached.text;
  const { plan } = cached;
  const settings = servicePortRuleSettings(cluster.config, node, cluster.largeClusterMode);
  const ports = plan.nodeSpecificPorts.map((port, index): PortLines => {
    const byKey = cached.portLines[index];
    const key = nodeKey(port, node, settings);
    let lines = byKey?.get(key);
    if (lines === undefined) {
      const { servicePort, endpoints } = port;
      const categorized = categorizeEndpoints(endpoints, servicePort, node.nodeName);
      const rules = buildServicePortRules(servicePort, categorized, settings);
      lines = { filter: portTableLines(plan.filter, rules.filter), nat: portTableLines(plan.nat, rules.nat) };
      byKey?.set(key, lines);
    }
    return lines;
  });
  const natTails = new Map<string, string>();
  if (cluster.config.nodePortCidrs !== null)
    natTails.set(KUBE_SERVICES, linesText(nodePortJumps(cluster.config, node)));
  const parts: string[] = [];
  const written =
    appendTable(
      plan.filter,
      ports.map((port) => port.filter),
      new Map(),
      parts,
    ) &&
    appendTable(
      plan.nat,
      ports.map((port) => port.nat),
      natTails,
      parts,
    );
  if (!written) return renderIptablesRestore(compileNodeRules(cluster, node));
  const text = concatenate(parts);
  if (plan.nodeIndependent) cached.text = text;
  return text;
}
