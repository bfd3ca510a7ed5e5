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
