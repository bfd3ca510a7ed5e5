import { createHash } from 'node:crypto';
import type { WireObject } from '../shared/compute-context';

export interface SubnetRangeRow {
  networkId: bigint;
  networkName: string;
  project: string;
  subnetworkCreated: string;
  cidr: string;
}

/**
 * Subnet routes are derived from subnet ranges when read, as Google derives them: every primary and secondary
 * range of the network is a route to the network itself, priority 0. Their names and ids are stable functions of
 * the network and the range, so a route keeps its identity for as long as its range exists.
 */
export function subnetRoute(row: SubnetRangeRow): WireObject {
  const digest = createHash('sha256').update(`${row.networkId}:${row.cidr}`).digest('hex');
  const id = (BigInt(`0x${digest.slice(0, 15)}`) % 8_000_000_000_000_000_000n) + 1_000_000_000_000_000_000n;
  const name = `default-route-${digest.slice(16, 32)}`;
  return {
    kind: 'compute#route',
    id: id.toString(),
    creationTimestamp: row.subnetworkCreated,
    name,
    description: `Default local route to the subnetwork ${row.cidr}.`,
    network: `projects/${row.project}/global/networks/${row.networkName}`,
    destRange: row.cidr,
    priority: 0,
    nextHopNetwork: `projects/${row.project}/global/networks/${row.networkName}`,
    routeType: 'SUBNET',
    selfLink: `projects/${row.project}/global/routes/${name}`,
  };
}
