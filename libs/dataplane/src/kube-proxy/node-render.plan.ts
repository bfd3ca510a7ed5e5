import { type ClusterKubeProxyRules } from './cluster-rules.compiler';
import { type ChunkedText, ChunkedTextBuilder, chunkLines } from './chunked-text';
import { chainNameRank } from './iptables-dump.sorter';
import { forwardRules, localnetFirewallRules, natBaseRules, nodePortJumps } from './node-rules.compiler';
import { type ServicePortInfo } from './service-port-info';
import { type EndpointInfo } from './service-endpoints';
import {
  FILTER_BASE_CHAINS,
  KUBE_FIREWALL,
  KUBE_FORWARD,
  KUBE_SERVICES,
  NAT_BASE_CHAINS,
} from './well-known-chains';

// What renderNodeIptables precomputes once per ClusterKubeProxyRules: everything of the text that does not
// depend on the node. The chains every node writes are laid out in canonical order with their rules already
// joined; the base chains (KUBE-SERVICES, KUBE-NODEPORTS...), into which the node-specific service ports
// write too, are kept as the segments of shared lines between which each node-specific port's lines go.
// Texts are kept in chunks (chunked-text.ts), so that a node's text is a rope over them.

export type TableName = 'filter' | 'nat';

/** A base chain: its lines around and between the node-specific ports' lines. */
export interface SlottedChain {
  readonly name: string;
  /** Position among the table's chains. */
  readonly index: number;
  /** The shared ports' lines (after the config-only lines that open the chain) before node-specific port i. */
  readonly segments: readonly (readonly string[])[];
  /** Lines after every port's; null when they depend on the node (NodePort jumps with --nodeport-addresses). */
  readonly tail: string | null;
}

export interface TablePlan {
  readonly name: TableName;
  /** Every chain declared on any node, in canonical order. */
  readonly chains: readonly string[];
  /** The declaration line of every chain; chain i's starts at declarationOffsets[i]. */
  readonly declarations: ChunkedText;
  readonly declarationOffsets: readonly number[];
  /** The rules of every chain but the slotted ones; chain i's start at ruleOffsets[i]. */
  readonly rules: ChunkedText;
  readonly ruleOffsets: readonly number[];
  /** The base chains, by name and in canonical order. */
  readonly slotted: ReadonlyMap<string, SlottedChain>;
  readonly slottedInOrder: readonly SlottedChain[];
}

/** A service port whose rules depend on the node, with what they are built from. */
export interface NodeSpecificPort {
  readonly servicePort: ServicePortInfo;
  readonly endpoints: readonly EndpointInfo[];
}

export interface NodeRenderPlan {
  /** The node-specific ports in rule order; segment i of a slotted chain precedes port i's lines. */
  readonly nodeSpecificPorts: readonly NodeSpecificPort[];
  /** Nothing depends on the node: every node's text is the same. */
  readonly nodeIndependent: boolean;
  readonly filter: TablePlan;
  readonly nat: TablePlan;
}

/** Lines as rendered: each followed by a newline. */
export function linesText(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function declarationLine(chain: string): string {
  return `:${chain} - [0:0]\n`;
}

/** The characters of a declaration line besides the chain's name. */
const DECLARATION_OVERHEAD = declarationLine('').length;

/** How many declarations are joined at a time. */
const DECLARATIONS_PER_CHUNK = 1024;

class TablePlanBuilder {
  private readonly slotted = new Map<
    string,
    { lines: string[]; segments: string[][]; tail: string | null }
  >();
  /**
   * The chains only shared ports write, and their lines, as they come (a chain twice if two ports write it).
   * Arrays rather than a map: at tens of thousands of chains, a map costs more than the sort.
   */
  private readonly ownedNames: string[] = [];
  private readonly ownedLines: (readonly string[])[] = [];

  constructor(
    private readonly name: TableName,
    baseChains: readonly string[],
    heads: ReadonlyMap<string, readonly string[]>,
    tails: ReadonlyMap<string, readonly string[] | null>,
  ) {
    for (const chain of baseChains) {
      const tail = tails.get(chain);
      this.slotted.set(chain, {
        lines: [...(heads.get(chain) ?? [])],
        segments: [],
        tail: tail === null ? null : linesText(tail ?? []),
      });
    }
  }

  addShared(rules: ReadonlyMap<string, readonly string[]>): void {
    for (const [chain, lines] of rules) {
      const slot = this.slotted.get(chain);
      if (slot) {
        for (const line of lines) slot.lines.push(line);
        continue;
      }
      this.ownedNames.push(chain);
      this.ownedLines.push(lines);
    }
  }

  /** A node-specific port comes next: close the current segment of every base chain. */
  addNodeSpecific(): void {
    for (const slot of this.slotted.values()) {
      slot.segments.push(slot.lines);
      slot.lines = [];
    }
  }

  build(): TablePlan {
    const names = [...this.ownedNames, ...this.slotted.keys()];
    const ranks = names.map(chainNameRank);
    // Canonical order (compareChainNames), and arrival order among one chain's entries.
    const order = names.map((_, index) => index);
    order.sort((a, b) => {
      const nameA = names[a] ?? '';
      const nameB = names[b] ?? '';
      return (ranks[a] ?? 0) - (ranks[b] ?? 0) || (nameA < nameB ? -1 : nameA > nameB ? 1 : a - b);
    });
    const chains: string[] = [];
    const rules = new ChunkedTextBuilder();
    const ruleOffsets: number[] = [0];
    const slotted = new Map<string, SlottedChain>();
    order.forEach((entry, position) => {
      const chain = names[entry] ?? '';
      const slot = this.slotted.get(chain);
      if (slot) {
        const segments = [...slot.segments, slot.lines].map(chunkLines);
        slotted.set(chain, { name: chain, index: chains.length, segments, tail: slot.tail });
      } else {
        rules.addLines(this.ownedLines[entry] ?? []);
      }
      // A chain's entries are adjacent: it ends where the next entry's chain differs.
      if (names[order[position + 1] ?? -1] === chain) return;
      chains.push(chain);
      ruleOffsets.push(rules.length);
    });
    const declarations = new ChunkedTextBuilder();
    const declarationOffsets: number[] = [0];
    let declarationLength = 0;
    for (let start = 0; start < chains.length; start += DECLARATIONS_PER_CHUNK) {
      const group = chains.slice(start, start + DECLARATIONS_PER_CHUNK);
      declarations.addText(`:${group.join(' - [0:0]\n:')} - [0:0]\n`);
      for (const chain of group) {
        declarationLength += DECLARATION_OVERHEAD + chain.length;
        declarationOffsets.push(declarationLength);
      }
    }
    return {
      name: this.name,
      chains,
      declarations: declarations.build(),
      declarationOffsets,
      rules: rules.build(),
      ruleOffsets,
      slotted,
      slottedInOrder: [...slotted.values()],
    };
  }
}

/** Builds the node-independent part of every node's text (see above). */
export function buildNodeRenderPlan(cluster: ClusterKubeProxyRules): NodeRenderPlan {
  const { config } = cluster;
  const filterBase = [...FILTER_BASE_CHAINS, ...(config.localhostNodePorts ? [KUBE_FIREWALL] : [])];
  const filter = new TablePlanBuilder(
    'filter',
    filterBase,
    new Map([[KUBE_FIREWALL, localnetFirewallRules(config)]]),
    new Map([[KUBE_FORWARD, forwardRules(config)]]),
  );
  // Without --nodeport-addresses the NodePort jump is the same on every node.
  const nodePortJump =
    config.nodePortCidrs === null ? nodePortJumps(config, { nodeName: '', nodeIP: '' }) : null;
  const nat = new TablePlanBuilder(
    'nat',
    NAT_BASE_CHAINS,
    natBaseRules(config),
    new Map([[KUBE_SERVICES, nodePortJump]]),
  );
  const nodeSpecificPorts: NodeSpecificPort[] = [];
  for (const compiled of cluster.servicePorts) {
    if (compiled.kind === 'shared') {
      filter.addShared(compiled.rules.filter);
      nat.addShared(compiled.rules.nat);
    } else {
      filter.addNodeSpecific();
      nat.addNodeSpecific();
      nodeSpecificPorts.push({ servicePort: compiled.servicePort, endpoints: compiled.endpoints });
    }
  }
  return {
    nodeSpecificPorts,
    nodeIndependent: nodeSpecificPorts.length === 0 && nodePortJump !== null,
    filter: filter.build(),
    nat: nat.build(),
  };
}
