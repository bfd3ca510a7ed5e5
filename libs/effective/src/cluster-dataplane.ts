import { createHash } from 'node:crypto';
import { vpc } from '@gke-emulator/dataplane';
import type { DataplaneInputs } from './dataplane-inputs';

export interface NodeResult {
  nodeName: string;
  inputHash: string;
  routes: vpc.InstanceRoutingTable;
  firewall: vpc.InstanceFirewall;
}

/**
 * The VPC side of each node: its routing table (Google's route selection over subnet routes, static routes and
 * their tags) and its effective firewall (the network's rules that target its VM, in evaluation order, with the
 * implied rules). Pure: the same inputs give the same results, and the hash of a node's inputs tells a
 * recomputation which nodes it may skip.
 */
export function computeNodeResults(inputs: DataplaneInputs, previousHashes: ReadonlyMap<string, string>) {
  const networkRules = vpc.networkFirewalls(inputs.firewalls, inputs.nodes[0]?.instance.network ?? '');
  const vpcHash = createHash('sha256')
    .update(JSON.stringify([networkRules, inputs.routes]))
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
      routes: vpc.buildRoutingTable(inputs.routes, node.instance),
      firewall: vpc.buildInstanceFirewall({ firewalls: networkRules }, node.instance),
    });
  }
  return { changed, unchanged };
}
