import { formatIpv4, isIpv4Number, parseIpv4 } from './ipv4-address';

/** An IPv4 CIDR block. `network` is the first address; its host bits are always zero. */
export interface Cidr {
  readonly network: number;
  readonly prefixLength: number;
}

/** Why a CIDR string was rejected. */
export type CidrParseFailure = 'syntax' | 'prefix' | 'host-bits';

export type CidrParseResult =
  { readonly ok: true; readonly cidr: Cidr } | { readonly ok: false; readonly reason: CidrParseFailure };

// Decimal prefix without sign, whitespace or leading zeros; range is checked separately so "/33" reads as 'prefix'.
const PREFIX_DIGITS = /^(?:0|[1-9][0-9]*)$/;

/** Number of addresses in a block of the given prefix length (2^(32 - prefixLength)). */
export function blockSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

/** True when prefixLength is an integer in [0, 32]. */
export function isPrefixLength(prefixLength: number): boolean {
  return Number.isInteger(prefixLength) && prefixLength >= 0 && prefixLength <= 32;
}

/**
 * Builds a Cidr from a network address and prefix length.
 * Throws RangeError on an invalid address or prefix, or when host bits are set.
 */
export function makeCidr(network: number, prefixLength: number): Cidr {
  if (!isIpv4Number(network)) throw new RangeError(`Not an IPv4 address number: ${network}`);
  if (!isPrefixLength(prefixLength)) throw new RangeError(`Not a prefix length: ${prefixLength}`);
  if (network % blockSize(prefixLength) !== 0) {
    throw new RangeError(`Host bits set in ${formatIpv4(network)}/${prefixLength}`);
  }
  return { network, prefixLength };
}

/** The block of the given prefix length that contains address (host bits cleared). */
export function cidrContaining(address: number, prefixLength: number): Cidr {
  if (!isIpv4Number(address)) throw new RangeError(`Not an IPv4 address number: ${address}`);
  if (!isPrefixLength(prefixLength)) throw new RangeError(`Not a prefix length: ${prefixLength}`);
  const size = blockSize(prefixLength);
  return { network: Math.floor(address / size) * size, prefixLength };
}

/**
 * Parses "a.b.c.d/n". Google rejects ranges whose host bits are set (10.0.0.1/24), so this does too
 * instead of silently masking them.
 */
export function parseCidr(text: string): CidrParseResult {
  const parts = text.split('/');
  if (parts.length !== 2) return { ok: false, reason: 'syntax' };
  const [addressText, prefixText] = parts as [string, string];
  const network = parseIpv4(addressText);
  if (network === null || !PREFIX_DIGITS.test(prefixText)) return { ok: false, reason: 'syntax' };
  const prefixLength = Number(prefixText);
  if (prefixLength > 32) return { ok: false, reason: 'prefix' };
  if (network % blockSize(prefixLength) !== 0) return { ok: false, reason: 'host-bits' };
  return { ok: true, cidr: { network, prefixLength } };
}

/** Parses a CIDR that is known to be valid (constants, tables). Throws RangeError otherwise. */
export function parseCidrOrThrow(text: string): Cidr {
  const result = parseCidr(text);
  if (!result.ok) throw new RangeError(`Invalid CIDR (${result.reason}): ${text}`);
  return result.cidr;
}

/** Formats a Cidr as "a.b.c.d/n". */
export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefixLength}`;
}

/** Number of addresses in the block. */
export function cidrSize(cidr: Cidr): number {
  return blockSize(cidr.prefixLength);
}

/** First address of the block (the network address). */
export function firstAddress(cidr: Cidr): number {
  return cidr.network;
}

/** Last address of the block (the broadcast address). */
export function lastAddress(cidr: Cidr): number {
  return cidr.network + cidrSize(cidr) - 1;
}

/** True when address lies inside the block. */
export function cidrHasAddress(cidr: Cidr, address: number): boolean {
  return address >= firstAddress(cidr) && address <= lastAddress(cidr);
}

/** True when every address of inner is also in outer (equal blocks contain each other). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return firstAddress(outer) <= firstAddress(inner) && lastAddress(inner) <= lastAddress(outer);
}

/** True when a and b share at least one address. Aligned blocks overlap only by nesting. */
export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return firstAddress(a) <= lastAddress(b) && firstAddress(b) <= lastAddress(a);
}

/** True when a ⊇ b: a contains every address of b (an equal block counts). Same as cidrContains(a, b). */
export function isSupersetOf(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b);
}

/** True when a and b are the same block. */
export function cidrEquals(a: Cidr, b: Cidr): boolean {
  return a.network === b.network && a.prefixLength === b.prefixLength;
}

/** Orders blocks by network address, then larger blocks (shorter prefixes) first. */
export function compareCidr(a: Cidr, b: Cidr): number {
  return a.network - b.network || a.prefixLength - b.prefixLength;
}

function requireHostRoom(cidr: Cidr): void {
  // A /31 or /32 has no room for network, gateway and broadcast addresses.
  if (cidr.prefixLength > 30) {
    throw new RangeError(`${formatCidr(cidr)} is too small to have a gateway (needs /30 or larger)`);
  }
}

/**
 * The subnet's default gateway: the second address of the primary range (network + 1).
 * Throws RangeError for /31 and /32.
 */
export function gatewayAddress(cidr: Cidr): number {
  requireHostRoom(cidr);
  return cidr.network + 1;
}

/**
 * The four addresses Google Cloud reserves in every subnet primary IPv4 range, in this order:
 * network, default gateway, second-to-last (reserved for future use), broadcast.
 * See "Unusable addresses in IPv4 subnet ranges", https://cloud.google.com/vpc/docs/subnets
 * Throws RangeError for /31 and /32.
 */
export function subnetRangeReserved(cidr: Cidr): readonly [number, number, number, number] {
  requireHostRoom(cidr);
  const last = lastAddress(cidr);
  return [cidr.network, cidr.network + 1, last - 1, last];
}
