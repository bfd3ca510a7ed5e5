import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConnectionSet,
  type PortRange,
  allConnections,
  connectionsContain,
  connectionsInclude,
  emptyConnections,
  formatConnections,
  intersectConnections,
  normalizePortRanges,
  protocolConnections,
  unionConnections,
} from './connection-set.model';
import { PROTOCOLS } from './network-policy.types';

const tcp = (...ranges: [number, number][]): ConnectionSet =>
  protocolConnections(
    'TCP',
    ranges.map(([start, end]) => ({ start, end })),
  );

describe('connection sets', () => {
  it.each([
    { name: 'everything', set: allConnections(), text: 'All Connections' },
    { name: 'nothing', set: emptyConnections(), text: 'No Connections' },
    { name: 'one port', set: tcp([8080, 8080]), text: 'TCP 8080' },
    { name: 'a range', set: tcp([1, 100]), text: 'TCP 1-100' },
    { name: 'all ports of one protocol', set: protocolConnections('UDP'), text: 'UDP 1-65535' },
    {
      name: 'protocols sorted as strings (np-guard)',
      set: unionConnections(
        unionConnections(
          tcp([9090, 9090], [8080, 8080]),
          protocolConnections('UDP', [{ start: 8080, end: 8080 }]),
        ),
        protocolConnections('SCTP', [{ start: 5, end: 6 }]),
      ),
      text: 'SCTP 5-6,TCP 8080,9090,UDP 8080',
    },
    { name: 'adjacent ranges merge', set: tcp([1, 5], [6, 9]), text: 'TCP 1-9' },
    {
      name: 'three full protocols are all connections',
      set: unionConnections(
        unionConnections(protocolConnections('TCP'), protocolConnections('UDP')),
        protocolConnections('SCTP'),
      ),
      text: 'All Connections',
    },
  ])('formats $name as "$text"', ({ set, text }) => {
    expect(formatConnections(set)).toBe(text);
  });

  it('intersects per protocol', () => {
    expect(intersectConnections(tcp([1, 10], [20, 30]), tcp([5, 25]))).toEqual(tcp([5, 10], [20, 25]));
    expect(intersectConnections(tcp([1, 10]), protocolConnections('UDP'))).toEqual(emptyConnections());
  });

  const rangeArb = fc
    .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 6 }))
    .map(([start, length]): PortRange => ({ start, end: start + length }));
  const setArb = fc
    .array(fc.tuple(fc.constantFrom(...PROTOCOLS), fc.array(rangeArb, { maxLength: 4 })), { maxLength: 4 })
    .map((parts) =>
      parts.reduce(
        (set, [protocol, ranges]) => unionConnections(set, protocolConnections(protocol, ranges)),
        emptyConnections(),
      ),
    );
  const probeArb = fc.tuple(fc.constantFrom(...PROTOCOLS), fc.integer({ min: 1, max: 50 }));

  it('union and intersection agree with membership', () => {
    fc.assert(
      fc.property(setArb, setArb, probeArb, (a, b, [protocol, port]) => {
        const inA = connectionsContain(a, protocol, port);
        const inB = connectionsContain(b, protocol, port);
        expect(connectionsContain(unionConnections(a, b), protocol, port)).toBe(inA || inB);
        expect(connectionsContain(intersectConnections(a, b), protocol, port)).toBe(inA && inB);
      }),
    );
  });

  it('keeps ranges canonical: sorted, disjoint, never adjacent', () => {
    fc.assert(
      fc.property(fc.array(rangeArb), (ranges) => {
        const normal = normalizePortRanges(ranges);
        normal.forEach((range, index) => {
          expect(range.start).toBeLessThanOrEqual(range.end);
          const next = normal[index + 1];
          if (next !== undefined) expect(next.start).toBeGreaterThan(range.end + 1);
        });
      }),
    );
  });

  it('inclusion is the subset order', () => {
    fc.assert(
      fc.property(setArb, setArb, (a, b) => {
        expect(connectionsInclude(unionConnections(a, b), a)).toBe(true);
        expect(connectionsInclude(a, intersectConnections(a, b))).toBe(true);
      }),
    );
  });
});
