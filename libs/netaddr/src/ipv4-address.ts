/** Number of distinct IPv4 addresses (2^32). */
export const IPV4_ADDRESS_COUNT = 2 ** 32;

/** Largest IPv4 address as an unsigned 32-bit integer (255.255.255.255). */
export const IPV4_MAX = IPV4_ADDRESS_COUNT - 1;

// One decimal octet without leading zeros: "01" is rejected because some parsers read it as octal.
const OCTET = /^(?:0|[1-9][0-9]{0,2})$/;

/**
 * Parses a strict dotted-quad IPv4 address ("10.0.0.1") into an unsigned 32-bit integer.
 * Returns null for anything else: whitespace, leading zeros, missing or extra octets, octets above 255.
 */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    // Multiplication keeps the result unsigned; `<<` would go negative at 128.0.0.0.
    value = value * 256 + octet;
  }
  return value;
}

/** True when n is an integer in [0, 2^32 - 1], i.e. a representable IPv4 address. */
export function isIpv4Number(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= IPV4_MAX;
}

/** Formats an unsigned 32-bit integer as a dotted quad. Throws RangeError outside [0, 2^32 - 1]. */
export function formatIpv4(n: number): string {
  if (!isIpv4Number(n)) throw new RangeError(`Not an IPv4 address number: ${n}`);
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}
