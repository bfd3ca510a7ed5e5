import { cidrHasAddress, formatCidr, formatIpv4, parseIpv4 } from '@gke-emulator/netaddr';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { VpcInstance } from '../vpc-instance.model';
import { pickEcmpRoute } from './ecmp.hash';
import type { Route } from './route.model';
import { selectRoute } from './route.selector';
import { buildRoutingTable } from './routing-table.builder';

const NET = 'projects/p/global/networks/vpc';
const TAGS = ['a', 'b', 'c'];

// Destinations and ranges packed into 10.0.0.0/16 (plus the odd wide range) so that routes overlap often.
const nearbyAddress = fc.nat(0xffff).map((offset) => 0x0a000000 + offset);
const block = fc
  .tuple(nearbyAddress, fc.oneof(fc.integer({ min: 16, max: 32 }), fc.constantFrom(0, 8)))
  .map(([address, prefix]) => {
    const size = 2 ** (32 - prefix);
    return { network: Math.floor(address / size) * size, prefixLength: prefix };
  });

const customRoute = fc
  .record({
    name: fc.stringMatching(/^r[a-z0-9]{0,4}$/),
    block,
    priority: fc.option(fc.constantFrom(0, 100, 1000, 1000, 65535), { nil: undefined }),
    tags: fc.subarray(TAGS, { maxLength: 2 }),
  })
  .map(({ name, block: cidr, priority, tags }): Route => ({
    name,
    network: NET,
    destRange: formatCidr(cidr),
    priority,
    tags,
    routeType: 'STATIC',
    nextHopIp: '10.0.0.254',
  }));

// Subnet ranges never overlap one another within a network: carve them from distinct /20s.
const subnetRoutes = fc.uniqueArray(fc.nat(15), { maxLength: 4 }).map((slots) =>
  slots.map((slot): Route => ({
    name: `subnet-${slot}`,
    network: NET,
    destRange: `10.0.${slot * 16}.0/20`,
    priority: 0,
    routeType: 'SUBNET',
    nextHopNetwork: NET,
  })),
);

const routes = fc.tuple(subnetRoutes, fc.array(customRoute, { maxLength: 10 })).map(([s, c]) => [...s, ...c]);
const instance: fc.Arbitrary<VpcInstance> = fc.record({ network: fc.constant(NET), tags: fc.subarray(TAGS) });
const destination = nearbyAddress.map(formatIpv4);

describe('route selection properties', () => {
  it('every selected route contains the destination and applies to the VM', () => {
    fc.assert(
      fc.property(routes, instance, destination, (list, vm, dst) => {
        const selection = selectRoute(buildRoutingTable(list, vm), dst);
        if (selection.kind === 'no-route') return;
        for (const route of selection.routes) {
          expect(cidrHasAddress(route.destRange, parseIpv4(dst) ?? -1)).toBe(true);
          const tags = route.route.tags ?? [];
          if (route.routeClass === 'custom' && tags.length > 0) {
            expect(tags.some((tag) => vm.tags?.includes(tag))).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('no applicable route beats the selection, and the ECMP set is exactly the tied routes', () => {
    fc.assert(
      fc.property(routes, instance, destination, (list, vm, dst) => {
        const table = buildRoutingTable(list, vm);
        const selection = selectRoute(table, dst);
        const address = parseIpv4(dst) ?? -1;
        const containing = table.routes.filter((route) => cidrHasAddress(route.destRange, address));
        if (selection.kind === 'no-route') {
          expect(containing).toEqual([]);
          return;
        }
        const [best] = selection.routes;
        if (!best) throw new Error('an ECMP set is never empty');
        const subnetCovers = containing.some((route) => route.routeClass === 'subnet');
        expect(best.routeClass).toBe(subnetCovers ? 'subnet' : 'custom');
        const rivals = containing.filter((route) => route.routeClass === best.routeClass);
        for (const rival of rivals) {
          const longer = rival.destRange.prefixLength > best.destRange.prefixLength;
          const samePrefixBetter =
            rival.destRange.prefixLength === best.destRange.prefixLength && rival.priority < best.priority;
          expect(longer || samePrefixBetter).toBe(false);
        }
        const tied = rivals.filter(
          (route) =>
            route.destRange.prefixLength === best.destRange.prefixLength && route.priority === best.priority,
        );
        expect(new Set(selection.routes)).toEqual(new Set(tied));
      }),
      { numRuns: 1000 },
    );
  });

  it('a destination inside a subnet range is always carried by that subnet route', () => {
    fc.assert(
      fc.property(routes, instance, destination, (list, vm, dst) => {
        const table = buildRoutingTable(list, vm);
        const subnet = table.routes.find(
          (route) => route.routeClass === 'subnet' && cidrHasAddress(route.destRange, parseIpv4(dst) ?? -1),
        );
        fc.pre(subnet !== undefined);
        const selection = selectRoute(table, dst);
        expect(selection.kind === 'routed' && selection.routes.map((route) => route.name)).toEqual([
          subnet?.name,
        ]);
      }),
    );
  });

  it('the selection does not depend on the order routes are listed in', () => {
    fc.assert(
      fc.property(routes, instance, destination, fc.func(fc.integer()), (list, vm, dst, key) => {
        const shuffled = [...list].sort((a, b) => key(a.name + a.destRange) - key(b.name + b.destRange));
        const names = (candidate: Route[]) => {
          const selection = selectRoute(buildRoutingTable(candidate, vm), dst);
          return selection.kind === 'routed' ? selection.routes.map((route) => route.name).sort() : [];
        };
        expect(names(shuffled)).toEqual(names(list));
      }),
    );
  });

  it('an untagged default route means every destination is routed', () => {
    const defaultRoute: Route = {
      name: 'default',
      network: NET,
      destRange: '0.0.0.0/0',
      nextHopGateway: 'default-internet-gateway',
    };
    fc.assert(
      fc.property(routes, instance, fc.nat(0xffffffff).map(formatIpv4), (list, vm, dst) => {
        expect(selectRoute(buildRoutingTable([...list, defaultRoute], vm), dst).kind).toBe('routed');
      }),
    );
  });

  it('the routing table lists subnet routes first, then non-increasing prefix lengths and non-decreasing priorities', () => {
    fc.assert(
      fc.property(routes, instance, (list, vm) => {
        const { routes: table } = buildRoutingTable(list, vm);
        table.forEach((route, index) => {
          const previous = table[index - 1];
          if (!previous || previous.routeClass !== route.routeClass) return;
          expect(route.destRange.prefixLength).toBeLessThanOrEqual(previous.destRange.prefixLength);
          if (route.destRange.prefixLength === previous.destRange.prefixLength) {
            expect(route.priority).toBeGreaterThanOrEqual(previous.priority);
          }
        });
        const firstCustom = table.findIndex((route) => route.routeClass === 'custom');
        if (firstCustom >= 0)
          expect(table.slice(firstCustom).every((route) => route.routeClass === 'custom')).toBe(true);
      }),
    );
  });

  it('the ECMP pick is a member of the set', () => {
    fc.assert(
      fc.property(
        routes,
        instance,
        destination,
        fc.integer({ min: 1024, max: 65535 }),
        (list, vm, dst, port) => {
          const selection = selectRoute(buildRoutingTable(list, vm), dst);
          fc.pre(selection.kind === 'routed');
          if (selection.kind !== 'routed') return;
          const picked = pickEcmpRoute(selection.routes, {
            srcIp: '10.0.0.2',
            dstIp: dst,
            protocol: 'tcp',
            srcPort: port,
          });
          expect(selection.routes).toContain(picked);
        },
      ),
    );
  });
});
