import { describe, expect, it } from 'vitest';

import { nextHopLabel, parseNextHop } from './route-next-hop.parser';
import type { Route } from './route.model';
import { buildRoutingTable } from './routing-table.builder';

const NET = 'https://www.googleapis.com/compute/v1/projects/p/global/networks/vpc';
const base = { network: NET };

const routes: Route[] = [
  {
    ...base,
    name: 'default-route-0a1b',
    destRange: '10.128.0.0/20',
    priority: 0,
    nextHopNetwork: NET,
    routeType: 'SUBNET',
  },
  { ...base, name: 'default-route-pods', destRange: '10.4.0.0/14', priority: 0, nextHopNetwork: NET },
  {
    ...base,
    name: 'default-route-igw',
    destRange: '0.0.0.0/0',
    priority: 1000,
    nextHopGateway:
      'https://www.googleapis.com/compute/v1/projects/p/global/gateways/default-internet-gateway',
    routeType: 'STATIC',
  },
  {
    ...base,
    name: 'via-fw',
    destRange: '0.0.0.0/0',
    priority: 900,
    tags: ['egress-fw'],
    nextHopIp: '10.128.0.9',
  },
  {
    ...base,
    name: 'to-ilb',
    destRange: '172.16.0.0/12',
    nextHopIlb: 'projects/p/regions/us-central1/forwardingRules/ilb-1',
  },
  {
    ...base,
    name: 'v6-default',
    destRange: '::/0',
    nextHopGateway: 'projects/p/global/gateways/default-internet-gateway',
  },
  {
    ...base,
    name: 'inactive',
    destRange: '192.168.0.0/16',
    nextHopInstance: 'projects/p/zones/z/instances/gone',
    routeStatus: 'INACTIVE',
  },
  {
    name: 'other-network',
    network: 'projects/p/global/networks/other',
    destRange: '192.168.0.0/16',
    nextHopIp: '10.0.0.1',
  },
  { ...base, name: 'no-next-hop', destRange: '192.168.0.0/16' },
];

function table(tags: string[] = []) {
  return buildRoutingTable(routes, { network: 'projects/p/global/networks/vpc', tags });
}

describe('buildRoutingTable', () => {
  it('lists the routes that apply to an untagged VM: subnet routes first, then by prefix and priority', () => {
    expect(
      table().routes.map((route) => [route.name, route.routeType, route.priority, route.nextHopLabel]),
    ).toEqual([
      ['default-route-0a1b', 'SUBNET', 0, 'vpc'],
      ['default-route-pods', 'SUBNET', 0, 'vpc'],
      ['to-ilb', 'STATIC', 1000, 'us-central1/forwardingRules/ilb-1'],
      ['default-route-igw', 'STATIC', 1000, 'default-internet-gateway'],
    ]);
  });

  it('adds tagged routes for VMs with one of the tags', () => {
    expect(table(['web', 'egress-fw']).routes.map((route) => route.name)).toEqual([
      'default-route-0a1b',
      'default-route-pods',
      'to-ilb',
      'via-fw',
      'default-route-igw',
    ]);
  });

  it('applies subnet routes to every VM even if they carry tags', () => {
    const tagged: Route = {
      ...base,
      name: 's',
      destRange: '10.0.0.0/24',
      routeType: 'SUBNET',
      tags: ['x'],
      nextHopNetwork: NET,
    };
    expect(buildRoutingTable([tagged], { network: NET }).routes).toHaveLength(1);
  });
});

describe('route next hops', () => {
  it.each([
    [
      { nextHopGateway: 'projects/p/global/gateways/default-internet-gateway' },
      'internet-gateway',
      'default-internet-gateway',
    ],
    [
      {
        nextHopInstance:
          'https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a/instances/fw-1',
      },
      'instance',
      'us-central1-a/instances/fw-1',
    ],
    [{ nextHopIp: '10.128.0.9' }, 'ip', '10.128.0.9'],
    [{ nextHopIlb: '10.128.0.50' }, 'ilb', '10.128.0.50'],
    [
      { nextHopIlb: 'projects/p/regions/us-central1/forwardingRules/ilb-1' },
      'ilb',
      'us-central1/forwardingRules/ilb-1',
    ],
    [
      { nextHopVpnTunnel: 'projects/p/regions/us-east1/vpnTunnels/t1' },
      'vpn-tunnel',
      'us-east1/vpnTunnels/t1',
    ],
    [{ nextHopNetwork: 'projects/p/global/networks/vpc' }, 'network', 'vpc'],
    [{ nextHopPeering: 'peer-1' }, 'peering', 'peer-1'],
    [
      { nextHopInterconnectAttachment: 'projects/p/regions/r/interconnectAttachments/a' },
      'interconnect-attachment',
      'r/interconnectAttachments/a',
    ],
    [
      { nextHopHub: '//networkconnectivity.googleapis.com/projects/p/locations/global/hubs/h' },
      'hub',
      '//networkconnectivity.googleapis.com/projects/p/locations/global/hubs/h',
    ],
  ] as const)('%j is a %s hop shown as %s', (fields, kind, label) => {
    const hop = parseNextHop({ name: 'r', destRange: '0.0.0.0/0', ...fields });
    expect(hop?.kind).toBe(kind);
    expect(hop && nextHopLabel(hop)).toBe(label);
  });

  it('returns null for a route without a next hop', () => {
    expect(parseNextHop({ name: 'r', destRange: '0.0.0.0/0' })).toBeNull();
  });
});
