import { describe, expect, it } from 'vitest';

import type { VpcInstance } from '../vpc-instance.model';
import type { Route } from './route.model';
import { selectRoute } from './route.selector';
import { buildRoutingTable } from './routing-table.builder';

const NET = 'projects/p/global/networks/vpc';
const IGW = { nextHopGateway: 'projects/p/global/gateways/default-internet-gateway' };
const subnet = (name: string, destRange: string): Route => ({
  name,
  network: NET,
  destRange,
  priority: 0,
  routeType: 'SUBNET',
  nextHopNetwork: NET,
});
const custom = (name: string, destRange: string, fields: Partial<Route> = {}): Route => ({
  name,
  network: NET,
  destRange,
  routeType: 'STATIC',
  nextHopIp: '10.0.0.254',
  ...fields,
});

// A VPC-native cluster subnet (nodes, pods, services) beside an on-premises VPN, appliances and the default route.
const routes: Route[] = [
  subnet('nodes', '10.0.0.0/20'),
  subnet('pods', '10.4.0.0/14'),
  subnet('services', '10.8.0.0/20'),
  custom('default-igw', '0.0.0.0/0', { priority: 1000, ...IGW }),
  custom('wide-override', '10.0.0.0/8', { priority: 0 }),
  custom('same-as-subnet', '10.8.0.0/20', { priority: 0 }),
  custom('inside-subnet', '10.0.1.0/24', { priority: 0 }),
  custom('onprem', '172.16.0.0/12', {
    priority: 500,
    nextHopVpnTunnel: 'projects/p/regions/r/vpnTunnels/t1',
  }),
  custom('onprem-lab', '172.16.8.0/24', { priority: 65535 }),
  custom('ecmp-1', '192.168.0.0/16', { nextHopIlb: '10.0.0.50' }),
  custom('ecmp-2', '192.168.0.0/16', { nextHopIlb: '10.0.0.51' }),
  custom('ecmp-3', '192.168.0.0/16', { nextHopIlb: '10.0.0.52' }),
  custom('ecmp-worse', '192.168.0.0/16', { priority: 1001 }),
  custom('tagged-specific', '192.168.5.0/24', { tags: ['blue'] }),
  custom('tagged-default', '0.0.0.0/0', {
    priority: 100,
    tags: ['green'],
    nextHopInstance: 'projects/p/zones/z/instances/nat',
  }),
  custom('default-priority', '100.64.0.0/10', { priority: undefined }),
  custom('better-priority', '100.64.0.0/10', { priority: 999 }),
  custom('other-net', '8.8.8.0/24', { network: 'projects/p/global/networks/other' }),
  custom('inactive', '8.8.4.0/24', { routeStatus: 'INACTIVE' }),
];

function pick(destination: string, instance: Partial<VpcInstance> = {}): string[] {
  const selection = selectRoute(buildRoutingTable(routes, { network: NET, ...instance }), destination);
  return selection.kind === 'routed' ? selection.routes.map((route) => route.name) : [];
}

describe('selectRoute', () => {
  it.each([
    ['a node address uses its subnet route', '10.0.3.4', {}, ['nodes']],
    ['a pod address (secondary range) uses the pods subnet route', '10.6.0.9', {}, ['pods']],
    ['a service address (secondary range) too', '10.8.0.10', {}, ['services']],
    [
      'a broader static route never overrides a subnet route, whatever its priority',
      '10.0.15.255',
      {},
      ['nodes'],
    ],
    ['nor does one with the same destination', '10.8.0.1', {}, ['services']],
    ['nor a more specific one (Compute refuses to create it)', '10.0.1.7', {}, ['nodes']],
    ['outside the subnets, the most specific custom route wins', '10.200.0.1', {}, ['wide-override']],
    ['most specific beats better priority', '172.16.8.8', {}, ['onprem-lab']],
    ['then the lowest priority value', '172.17.0.1', {}, ['onprem']],
    ['an absent priority is 1000, losing to 999', '100.64.1.1', {}, ['better-priority']],
    ['equal prefix and priority form an ECMP set', '192.168.1.1', {}, ['ecmp-1', 'ecmp-2', 'ecmp-3']],
    ['a tagged route does not apply to an untagged VM', '192.168.5.5', {}, ['ecmp-1', 'ecmp-2', 'ecmp-3']],
    [
      'it applies to a VM with one of its tags',
      '192.168.5.5',
      { tags: ['red', 'blue'] },
      ['tagged-specific'],
    ],
    [
      'the tagged default route wins by priority for its VMs',
      '1.1.1.1',
      { tags: ['green'] },
      ['tagged-default'],
    ],
    ['others use the default internet route', '1.1.1.1', {}, ['default-igw']],
    ['routes of another network do not apply', '8.8.8.8', {}, ['default-igw']],
    ['inactive routes do not apply', '8.8.4.4', {}, ['default-igw']],
  ] as const)('%s', (_name, destination, instance, expected) => {
    expect(pick(destination, instance)).toEqual(expected);
  });

  it('reports whether a subnet or a custom route carried the packet', () => {
    const table = buildRoutingTable(routes, { network: NET });
    expect(selectRoute(table, '10.0.0.5')).toMatchObject({ kind: 'routed', routeClass: 'subnet' });
    expect(selectRoute(table, '9.9.9.9')).toMatchObject({ kind: 'routed', routeClass: 'custom' });
  });

  it('drops packets that no route covers', () => {
    const table = buildRoutingTable([subnet('nodes', '10.0.0.0/20')], { network: NET });
    expect(selectRoute(table, '10.0.16.1')).toEqual({ kind: 'no-route' });
  });

  it('routes a routes-based GKE cluster pod CIDR to its node (cloud-provider-gcp CreateRoute)', () => {
    const nodeRoutes: Route[] = ['node-a', 'node-b'].map((node, i) => ({
      name: `gke-c1-${i}f1e2d3c4`,
      network: NET,
      destRange: `10.200.${i}.0/24`,
      priority: 1000,
      description: 'k8s-node-route',
      nextHopInstance: `projects/p/zones/us-central1-a/instances/${node}`,
    }));
    const table = buildRoutingTable([...routes, ...nodeRoutes], { network: NET });
    const selection = selectRoute(table, '10.200.1.17');
    expect(selection.kind === 'routed' && selection.routes.map((r) => r.nextHopLabel)).toEqual([
      'us-central1-a/instances/node-b',
    ]);
  });

  it('rejects a destination that is not an IPv4 address', () => {
    const table = buildRoutingTable(routes, { network: NET });
    expect(() => selectRoute(table, '10.0.0.0/24')).toThrow(RangeError);
  });
});
