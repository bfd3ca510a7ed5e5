import { createHash } from 'node:crypto';
import { vpc } from '@gke-emulator/dataplane';
import type { VpcInputs } from './dataplane-inputs';

/** A static route Google keeps but does not use: its next-hop instance does not exist. */
export interface InactiveRoute {
  name: string;
  destRange: string;
  nextHopInstance: string;
  warnings: { code: 'NEXT_HOP_INSTANCE_NOT_FOUND'; message: string }[];
}

export interface NodeResult {
  nodeName: string;
  inputHash: string;
  routes: vpc.InstanceRoutingTable & { inactiveRoutes: InactiveRoute[] };
  firewall: vpc.InstanceFirewall;
}

/** `zone/name` of an instance URL (full or partial), or null when it names none. */
export function instanceKey(url: string): string | null {
  const match = /zones\/([^/]+)\/instances\/([^/]+)$/.exec(url);
  return match ? `${match[1]}/${match[2]}` : null;
}

/**
 * The VPC side of each node: its routing table (Google's route selection over subnet routes, static routes and
 * their tags) and its effective firewall (the network's rules that target its VM, in evaluation order, with the
 * implied rules). Pure: the same inputs give the same results, and the hash of a node's inputs tells a
 * recomputation which nodes it may skip.
 */
export function computeNodeResults(
  inputs: Pick<VpcInputs, 'nodes' | 'firewalls' | 'routes'> & { instances?: readonly string[] },
  previousHashes: ReadonlyMap<string, string>,
) {
  const networkRules = vpc.networkFirewalls(inputs.firewalls, inputs.nodes[0]?.instance.network ?? '');
  // A route whose next-hop instance is gone stays, inactive, with a warning (as Google keeps it); routing skips it.
  const known = inputs.instances ? new Set(inputs.instances) : null;
  const isInactive = (route: vpc.Route) => {
    const key = route.nextHopInstance ? instanceKey(route.nextHopInstance) : null;
    return known !== null && key !== null && !known.has(key);
  };
  const activeRoutes = inputs.routes.filter((route) => !isInactive(route));
  const inactiveRoutes: InactiveRoute[] = inputs.routes.filter(isInactive).map((route) => ({
    name: route.name,
    destRange: route.destRange,
    nextHopInstance: route.nextHopInstance as string,
    warnings: [
      {
        code: 'NEXT_HOP_INSTANCE_NOT_FOUND',
        message: `Next hop instance '${route.nextHopInstance}' does not exist.`,
      },
    ],
  }));
  const vpcHash = createHash('sha256')
    .update(JSON.stringify([networkRules, activeRoutes, inactiveRoutes]))
    .digest('hex');
  const changed: NodeResult[] = [];
  let unchanged = 0;
  for (const node of inputs.nodes) {
    const inputHash = createHash('sha256')
      .update(vpcHash)
      .update(JSON.stringify(node.instance))
      .digest('hex');
    if (previousHashes.get(node.name) === inputHash) {
      unchanged++;
      continue;
    }
    changed.push({
      nodeName: node.name,
      inputHash,
      routes: { ...vpc.buildRoutingTable(activeRoutes, node.instance), inactiveRoutes },
      firewall: vpc.buildInstanceFirewall({ firewalls: networkRules }, node.instance),
    });
  }
  return { changed, unchanged };
}
