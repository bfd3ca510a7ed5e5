import { firstAddress, formatIpv4, lastAddress, parseCidrOrThrow, parseIpv4 } from '@gke-emulator/netaddr';

/**
 * The lowest free pod IP of a node's pod range, as the node's IPAM hands them out: the range's first address is
 * the network, the second the node's bridge (gateway), the last the broadcast; pods get the rest.
 */
export function allocatePodIp(podCidr: string, taken: ReadonlySet<string>): string | null {
  const range = parseCidrOrThrow(podCidr);
  for (let address = firstAddress(range) + 2; address < lastAddress(range); address++) {
    const text = formatIpv4(address);
    if (!taken.has(text)) return text;
  }
  return null;
}

export interface SchedulableNode {
  name: string;
  maxPods: number;
  /** pods already bound to it */
  pods: number;
}

/**
 * The scheduler's choice for one pod: the node with the fewest pods that still has room (max pods per node),
 * ties broken by the nodes' order, which spreads a Deployment's pods evenly as the default scheduler's
 * balanced-allocation scoring does for identical pods. Null when every node is full.
 */
export function pickNode(nodes: readonly SchedulableNode[]): SchedulableNode | null {
  let best: SchedulableNode | null = null;
  for (const node of nodes) {
    if (node.pods >= node.maxPods) continue;
    if (!best || node.pods < best.pods) best = node;
  }
  return best;
}

/** Whether `ip` lies in `cidr`. */
export function inRange(cidr: string, ip: string): boolean {
  const range = parseCidrOrThrow(cidr);
  const address = parseIpv4(ip);
  return address !== null && address >= firstAddress(range) && address <= lastAddress(range);
}

/**
 * Pods per node and the pod IPs each node's range has handed out, from the cluster's pod IP allocations: each
 * address bucketed into the node whose pod range holds it (binary search over the ranges in address order).
 * Addresses in no node's range (a node gone) count for none.
 */
export function podIpsByNode(
  nodes: readonly { name: string; podCidr: string }[],
  addresses: readonly string[],
): { counts: Map<string, number>; taken: Map<string, Set<string>> } {
  const ranges = nodes
    .map((node) => {
      const range = parseCidrOrThrow(node.podCidr);
      return { name: node.name, first: firstAddress(range), last: lastAddress(range) };
    })
    .sort((a, b) => a.first - b.first);
  const counts = new Map<string, number>();
  const taken = new Map<string, Set<string>>(nodes.map((node) => [node.name, new Set<string>()]));
  for (const value of addresses) {
    const address = parseIpv4(value);
    if (address === null) continue;
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const range = ranges[middle] as (typeof ranges)[number];
      if (address < range.first) high = middle - 1;
      else if (address > range.last) low = middle + 1;
      else {
        counts.set(range.name, (counts.get(range.name) ?? 0) + 1);
        taken.get(range.name)?.add(value);
        break;
      }
    }
  }
  return { counts, taken };
}

/** The scheduler's message when no node has room (every node is full of pods, and nothing can be preempted). */
export function unschedulableMessage(nodes: number): string {
  if (nodes === 0) return 'no nodes available to schedule pods';
  return `0/${nodes} nodes are available: ${nodes} Too many pods. preemption: 0/${nodes} nodes are available: ${nodes} No preemption victims found for incoming pod.`;
}

/** A pod's status when no node has room: Pending and unscheduled, as the real scheduler leaves it. */
export function unschedulableStatus(nodes: number, now: Date): Record<string, unknown> {
  return {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        reason: 'Unschedulable',
        message: unschedulableMessage(nodes),
      },
    ],
    qosClass: 'BestEffort',
  };
}
