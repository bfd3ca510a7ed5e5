import { compareNames } from '../compare-names';
import { parseIpRange } from '../ip-range.parser';
import { sameNetwork } from '../network-reference.matcher';
import type { VpcInstance } from '../vpc-instance.model';
import { nextHopLabel, parseNextHop } from './route-next-hop.parser';
import type { EffectiveRoute, InstanceRoutingTable, Route, RouteClass, RouteType } from './route.model';

/** Compute's default priority for a route created without one. */
export const DEFAULT_ROUTE_PRIORITY = 1000;

/** A subnet route is typed SUBNET; one read without `routeType` is recognised by its next hop, the network. */
function routeTypeOf(route: Route): RouteType {
  if (route.routeType) return route.routeType;
  return route.nextHopNetwork ? 'SUBNET' : 'STATIC';
}

/**
 * True when the route is installed for the VM: same network, ACTIVE (a route whose next hop is gone is
 * INACTIVE and carries nothing), and untagged or sharing a tag with the VM. Subnet routes apply to every VM.
 */
function appliesTo(route: Route, routeClass: RouteClass, instance: VpcInstance): boolean {
  if (!sameNetwork(route.network, instance.network)) return false;
  if (route.routeStatus !== undefined && route.routeStatus !== 'ACTIVE') return false;
  const tags = route.tags ?? [];
  return (
    routeClass === 'subnet' || tags.length === 0 || tags.some((tag) => instance.tags?.includes(tag) === true)
  );
}

/**
 * Lookup precedence, which is also the table's reading order: subnet routes before custom routes, then the
 * most specific destination, then the lowest priority, then name (equal remaining routes are an ECMP set).
 */
export function compareRoutes(a: EffectiveRoute, b: EffectiveRoute): number {
  return (
    (a.routeClass === b.routeClass ? 0 : a.routeClass === 'subnet' ? -1 : 1) ||
    b.destRange.prefixLength - a.destRange.prefixLength ||
    a.priority - b.priority ||
    compareNames(a.name, b.name)
  );
}

/** Compiles a route; null for IPv6 destinations and routes without a next hop. */
export function compileRoute(route: Route): EffectiveRoute | null {
  const destination = parseIpRange(route.destRange);
  const nextHop = parseNextHop(route);
  if (destination.family !== 'ipv4' || nextHop === null) return null;
  const routeType = routeTypeOf(route);
  return {
    name: route.name,
    routeClass: routeType === 'SUBNET' ? 'subnet' : 'custom',
    routeType,
    destRange: destination.cidr,
    priority: route.priority ?? DEFAULT_ROUTE_PRIORITY,
    nextHop,
    nextHopLabel: nextHopLabel(nextHop),
    route,
  };
}

/**
 * The VM's effective IPv4 routing table: what `gcloud compute routes list --filter=network=N` shows, narrowed
 * to the routes that apply to the VM, in lookup precedence order.
 */
export function buildRoutingTable(routes: readonly Route[], instance: VpcInstance): InstanceRoutingTable {
  const applicable: EffectiveRoute[] = [];
  for (const route of routes) {
    const compiled = compileRoute(route);
    if (compiled !== null && appliesTo(route, compiled.routeClass, instance)) applicable.push(compiled);
  }
  return { instance, routes: applicable.sort(compareRoutes) };
}
