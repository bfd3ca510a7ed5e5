import { readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';

import type { Route } from './route.model';
import { selectRoute } from './route.selector';
import { buildRoutingTable } from './routing-table.builder';

// The DERIVED checklist (from Google's routing-order documentation and the GCE cloud provider): every case must
// hold. Its next hops are shorthand; they become the wire fields `routes.list` returns.
interface OracleRoute {
  readonly name: string;
  readonly type: 'SUBNET' | 'STATIC';
  readonly dest: string;
  readonly priority?: number;
  readonly tags?: string[];
  readonly nextHop: string;
}
interface OracleCase {
  readonly srcVmTags: string[];
  readonly dst: string;
  readonly expect: string[];
  readonly why: string;
}

const oracle = JSON.parse(readOracle('routing', 'gcp-route-selection.derived.json')) as {
  routes: OracleRoute[];
  cases: OracleCase[];
};

const PROJECT = 'projects/p';
const NETWORK = `${PROJECT}/global/networks/vpc`;

function nextHopFields(nextHop: string): Partial<Route> {
  const [kind, name] = nextHop.split(':');
  if (nextHop === 'network') return { nextHopNetwork: NETWORK };
  if (nextHop === 'default-internet-gateway')
    return { nextHopGateway: `${PROJECT}/global/gateways/${nextHop}` };
  if (kind === 'instance') return { nextHopInstance: `${PROJECT}/zones/us-central1-a/instances/${name}` };
  if (kind === 'vpn') return { nextHopVpnTunnel: `${PROJECT}/regions/us-central1/vpnTunnels/${name}` };
  throw new Error(`unknown next hop in the oracle: ${nextHop}`);
}

const oracleRoutes: Route[] = oracle.routes.map((route) => ({
  name: route.name,
  network: NETWORK,
  destRange: route.dest,
  routeType: route.type,
  // Subnet routes are listed at priority 0; static ones default to 1000.
  priority: route.priority ?? (route.type === 'SUBNET' ? 0 : undefined),
  tags: route.tags,
  ...nextHopFields(route.nextHop),
}));

describe('gcp-route-selection.derived.json', () => {
  it('has the 8 routes and 7 cases of the checklist', () => {
    expect(oracle.routes).toHaveLength(8);
    expect(oracle.cases).toHaveLength(7);
  });

  it.each(
    oracle.cases.map(
      (item) => [`${item.dst} from [${item.srcVmTags.join(',')}]: ${item.why}`, item] as const,
    ),
  )('%s', (_label, item) => {
    const table = buildRoutingTable(oracleRoutes, { network: NETWORK, tags: item.srcVmTags });
    const selection = selectRoute(table, item.dst);
    expect(selection.kind).toBe('routed');
    const names = selection.kind === 'routed' ? selection.routes.map((route) => route.name) : [];
    expect(names.sort()).toEqual([...item.expect].sort());
  });

  it('drops packets with no route once the default route is deleted', () => {
    const withoutDefault = oracleRoutes.filter((route) => route.destRange !== '0.0.0.0/0');
    const table = buildRoutingTable(withoutDefault, { network: NETWORK });
    expect(selectRoute(table, '8.8.8.8')).toEqual({ kind: 'no-route' });
  });
});
