import {
  type Cidr,
  cidrHasAddress,
  findFreeRange,
  formatIpv4,
  makeCidr,
  parseCidrOrThrow,
  subnetRangeReserved,
} from '@gke-emulator/netaddr';

/**
 * Where external addresses come from. Google hands out its own public addresses; the emulator uses the
 * benchmarking block 198.18.0.0/15 (RFC 2544), which is never routed on the internet: regional addresses from
 * 198.18.0.0/16, global ones from 198.19.0.0/16. Documented in README ("Addresses").
 */
export const EXTERNAL_POOLS = {
  regional: parseCidrOrThrow('198.18.0.0/16'),
  global: parseCidrOrThrow('198.19.0.0/16'),
} as const;

/** The lowest address of `range` that is neither taken nor one of `reserved`. */
export function lowestFreeAddress(
  range: Cidr,
  taken: readonly number[],
  reserved: readonly number[] = [],
): string | null {
  const blocked = [...taken, ...reserved]
    .filter((address) => cidrHasAddress(range, address))
    .map((a) => makeCidr(a, 32));
  const free = findFreeRange(range, 32, blocked);
  return free ? formatIpv4(free.network) : null;
}

/** The four addresses Google keeps in every subnet primary range. */
export function reservedInSubnet(range: Cidr): number[] {
  return [...subnetRangeReserved(range)];
}
