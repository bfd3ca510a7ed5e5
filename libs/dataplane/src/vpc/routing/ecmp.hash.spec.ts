import { describe, expect, it } from 'vitest';

import { pickEcmpRoute } from './ecmp.hash';
import { buildRoutingTable } from './routing-table.builder';

const NET = 'vpc';
const table = buildRoutingTable(
  ['a', 'b', 'c', 'd'].map((name) => ({ name, network: NET, destRange: '0.0.0.0/0', nextHopIp: '10.0.0.1' })),
  { network: NET },
);

describe('pickEcmpRoute', () => {
  it('keeps a flow on one member, whatever the order of the set', () => {
    const flow = { srcIp: '10.0.0.2', dstIp: '1.1.1.1', protocol: 'tcp', srcPort: 40000, dstPort: 443 };
    const first = pickEcmpRoute(table.routes, flow);
    expect(pickEcmpRoute([...table.routes].reverse(), flow)).toBe(first);
    expect(table.routes).toContain(first);
  });

  it('spreads different flows over the members', () => {
    const used = new Set(
      Array.from(
        { length: 200 },
        (_, port) =>
          pickEcmpRoute(table.routes, {
            srcIp: '10.0.0.2',
            dstIp: '1.1.1.1',
            protocol: 6,
            srcPort: 30000 + port,
          })?.name,
      ),
    );
    expect([...used].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('returns null for an empty set', () => {
    expect(pickEcmpRoute([], { srcIp: '10.0.0.2', dstIp: '1.1.1.1', protocol: 'udp' })).toBeNull();
  });
});
