import fc from 'fast-check';

import { type Cidr, cidrContaining } from './cidr';

// Shared fast-check generators for the netaddr specs.

/** Any IPv4 address as an unsigned 32-bit integer, built from octets so the top bit is well covered. */
export const ipv4Number = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
  .map(([a, b, c, d]) => ((a * 256 + b) * 256 + c) * 256 + d);

export const prefixLength = fc.integer({ min: 0, max: 32 });

/** Any CIDR block. */
export const anyCidr: fc.Arbitrary<Cidr> = fc
  .tuple(ipv4Number, prefixLength)
  .map(([address, prefix]) => cidrContaining(address, prefix));

/** Blocks packed into 10.0.0.0/20 so that overlaps and nesting are common. */
export const nearbyCidr: fc.Arbitrary<Cidr> = fc
  .tuple(fc.nat(4095), fc.integer({ min: 20, max: 32 }))
  .map(([offset, prefix]) => cidrContaining(0x0a000000 + offset, prefix));

export const cidr: fc.Arbitrary<Cidr> = fc.oneof(anyCidr, nearbyCidr);
