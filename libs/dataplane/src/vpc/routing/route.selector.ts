import { cidrHasAddress } from '@gke-emulator/netaddr';
import { ipv4OrThrow } from '../ip-range.parser';
import type { EffectiveRoute, InstanceRoutingTable, RouteSelection } from './route.model';

/**
 * Picks the route for a destination, following Google's routing order (policy-based routes are not modelled):
 * 1. subnet routes come first: if the destination is in a subnet range, a subnet route carries it, whatever the
 *    custom routes say (Compute refuses static routes as specific as a subnet route or more, and broader ones
 *    never win over it);
 * 2. otherwise, among the applicable custom routes containing the destination, the most specific prefix;
 * 3. then the lowest priority value;
 * 4. the routes still tied form an ECMP set (Google hashes each flow onto one of them).
 * No route: the packet is dropped.
 */
export function selectRoute(table: InstanceRoutingTable, destination: string): RouteSelection {
  const address = ipv4OrThrow(destination);
  const containing = table.routes.filter((route) => cidrHasAddress(route.destRange, address));
  const subnet = containing.filter((route) => route.routeClass === 'subnet');
  const pool = subnet.length > 0 ? subnet : containing;
  const [best] = pool;
  if (!best) return { kind: 'no-route' };
  // The table is in precedence order, so the equal-cost set is the run of routes tied with the first.
  const ecmp = pool.filter(
    (route: EffectiveRoute) =>
      route.destRange.prefixLength === best.destRange.prefixLength && route.priority === best.priority,
  );
  return { kind: 'routed', routeClass: best.routeClass, routes: ecmp };
}
