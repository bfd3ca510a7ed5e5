/** IPv4 addresses and CIDR ranges as the topology page needs them: membership and sizes. */

export interface Range {
  cidr: string;
  /** First address, as an unsigned 32-bit number. */
  base: number;
  prefix: number;
  /** Addresses in the range. */
  size: number;
}

export function parseIp(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const parts = text.trim().split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function parseRange(text: string | null | undefined): Range | undefined {
  if (!text) return undefined;
  const [address, length, extra] = text.trim().split('/');
  if (extra !== undefined || length === undefined || !/^\d{1,2}$/.test(length)) return undefined;
  const prefix = Number(length);
  const ip = parseIp(address);
  if (ip === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { cidr: text.trim(), base: ip - (ip % size), prefix, size };
}

export function rangeContainsIp(range: Range, ip: string | null | undefined): boolean {
  const value = parseIp(ip);
  return value !== undefined && value >= range.base && value < range.base + range.size;
}

/** `inner` lies wholly inside `outer`. */
export function rangeContainsRange(outer: Range, inner: Range): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}
