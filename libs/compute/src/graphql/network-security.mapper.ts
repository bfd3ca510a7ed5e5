import type { WireObject } from '../shared/compute-context';
import { lastSegment } from './compute-graphql.mapper';
import type { FirewallModel, FirewallProtocolPortsModel, RouteModel } from './network-security.models';

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const protocols = (value: unknown): FirewallProtocolPortsModel[] =>
  ((value as { IPProtocol: string; ports?: string[] }[] | undefined) ?? []).map((entry) => ({
    IPProtocol: entry.IPProtocol,
    ports: entry.ports ?? [],
  }));

export function toFirewallModel(wire: WireObject): FirewallModel {
  return {
    id: String(wire['id']),
    name: String(wire['name']),
    description: wire['description'] as string | undefined,
    network: lastSegment(wire['network']),
    priority: Number(wire['priority']),
    direction: String(wire['direction']),
    allowed: protocols(wire['allowed']),
    denied: protocols(wire['denied']),
    sourceRanges: list(wire['sourceRanges']),
    destinationRanges: list(wire['destinationRanges']),
    sourceTags: list(wire['sourceTags']),
    targetTags: list(wire['targetTags']),
    sourceServiceAccounts: list(wire['sourceServiceAccounts']),
    targetServiceAccounts: list(wire['targetServiceAccounts']),
    disabled: wire['disabled'] === true,
    logging: (wire['logConfig'] as WireObject | undefined)?.['enable'] === true,
    selfLink: String(wire['selfLink']),
    creationTimestamp: String(wire['creationTimestamp']),
  };
}

const NEXT_HOPS = [
  'nextHopGateway',
  'nextHopInstance',
  'nextHopIp',
  'nextHopIlb',
  'nextHopVpnTunnel',
  'nextHopNetwork',
];

export function toRouteModel(wire: WireObject): RouteModel {
  const hop = NEXT_HOPS.find((field) => wire[field] !== undefined);
  return {
    id: String(wire['id']),
    name: String(wire['name']),
    description: wire['description'] as string | undefined,
    network: lastSegment(wire['network']),
    destRange: String(wire['destRange']),
    priority: Number(wire['priority']),
    tags: list(wire['tags']),
    routeType: String(wire['routeType'] ?? 'STATIC'),
    nextHop: hop ? String(wire[hop]) : '',
    selfLink: String(wire['selfLink']),
  };
}
