import { appendRange, concatenate } from './chunked-text';
import { type ClusterKubeProxyRules } from './cluster-rules.compiler';
import { categorizeEndpoints } from './endpoint-categorizer';
import { compareChainNames } from './iptables-dump.sorter';
import { renderIptablesRestore } from './iptables-restore.renderer';
import { servicePortRuleSettings } from './kube-proxy-config.resolver';
import { type NodeContext } from './kube-proxy.types';
import {
  type NodeRenderPlan,
  type TablePlan,
  buildNodeRenderPlan,
  declarationLine,
  linesText,
  sortChainNames,
} from './node-render.plan';
import { compileNodeRules, nodePortJumps } from './node-rules.compiler';
import { buildServicePortRules } from './service-port-rules.builder';
import { KUBE_SERVICES } from './well-known-chains';

// renderIptablesRestore(compileNodeRules(cluster, node)) builds, sorts and copies every chain of the cluster
// again for each node. Here that work is done once per cluster object (node-render.plan.ts): a node costs its
// node-specific ports' rules, and its text is a rope over the plan's chunks rather than a fresh copy.

interface CachedPlan {
  readonly plan: NodeRenderPlan;
  /** The text of every node, once rendered, when nothing depends on the node. */
  text?: string;
}

const plans = new WeakMap<ClusterKubeProxyRules, CachedPlan>();

function cachedPlan(cluster: ClusterKubeProxyRules): CachedPlan {
  let cached = plans.get(cluster);
  if (cached === undefined) {
    cached = { plan: buildNodeRenderPlan(cluster) };
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
 * Appends one table's text on one node to parts; false when a node-specific port writes into a chain the
 * shared ports write too (only possible with duplicate service ports), for the caller to take the slow path.
 */
function appendTable(
  plan: TablePlan,
  portRules: readonly ReadonlyMap<string, readonly string[]>[],
  nodeTails: ReadonlyMap<string, string>,
  parts: string[],
): boolean {
  const own = new Map<string, string>();
  for (const rules of portRules) {
    for (const [chain, lines] of rules) {
      if (plan.slotted.has(chain)) continue;
      own.set(chain, (own.get(chain) ?? '') + linesText(lines));
    }
  }
  const ownChains = sortChainNames(own.keys()).map((name) => ({
    name,
    index: insertionIndex(plan.chains, name),
  }));
  if (ownChains.some((chain) => chain.index === -1)) return false;

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
      parts.push(own.get(chain.name) ?? '');
      position = chain.index;
    }
  };
  for (const slot of plan.slottedInOrder) {
    ownChainsBefore(slot.index);
    appendRange(rules, ruled[position] ?? 0, ruled[slot.index] ?? 0, parts);
    slot.segments.forEach((segment, port) => {
      parts.push(...segment);
      const lines = portRules[port]?.get(slot.name);
      if (lines) parts.push(linesText(lines));
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
  const rules = plan.nodeSpecificPorts.map(({ servicePort, endpoints }) =>
    buildServicePortRules(servicePort, categorizeEndpoints(endpoints, servicePort, node.nodeName), settings),
  );
  const natTails = new Map<string, string>();
  if (cluster.config.nodePortCidrs !== null)
    natTails.set(KUBE_SERVICES, linesText(nodePortJumps(cluster.config, node)));
  const parts: string[] = [];
  const written =
    appendTable(
      plan.filter,
      rules.map((port) => port.filter),
      new Map(),
      parts,
    ) &&
    appendTable(
      plan.nat,
      rules.map((port) => port.nat),
      natTails,
      parts,
    );
  if (!written) return renderIptablesRestore(compileNodeRules(cluster, node));
  const text = concatenate(parts);
  if (plan.nodeIndependent) cached.text = text;
  return text;
}
