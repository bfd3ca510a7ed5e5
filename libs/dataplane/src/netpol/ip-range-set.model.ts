import { IPV4_MAX, formatIpv4, parseIpv4 } from '@gke-emulator/netaddr';

/** An inclusive range of IPv4 addresses as unsigned 32-bit numbers. */
export interface IpRange {
  readonly start: number;
  readonly end: number;
}

export const ALL_IPV4: IpRange = { start: 0, end: IPV4_MAX };

export type IpBlockCidrParse =
  | { readonly ok: true; readonly family: 'ipv4'; readonly range: IpRange; readonly canonical: boolean }
  | { readonly ok: true; readonly family: 'ipv6' }
  | { readonly ok: false };

const PREFIX_DIGITS = /^(?:0|[1-9][0-9]{0,2})$/;
// Syntax check only: IPv6 blocks are accepted but can never hold the IPv4 addresses modelled here.
const IPV6_CIDR = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\/(?:0|[1-9][0-9]{0,2})$/;

/**
 * Parses an ipBlock CIDR the way the API server does (netutils.ParseCIDRSloppy): host bits are allowed and
 * masked, so e2e's "10.0.1.1/4" means 0.0.0.0/4. `canonical` is false when host bits were set.
 */
export function parseIpBlockCidr(text: string): IpBlockCidrParse {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false };
  if (IPV6_CIDR.test(text)) {
    return Number(text.slice(slash + 1)) <= 128 ? { ok: true, family: 'ipv6' } : { ok: false };
  }
  const address = parseIpv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === null || !PREFIX_DIGITS.test(prefixText)) return { ok: false };
  const prefix = Number(prefixText);
  if (prefix > 32) return { ok: false };
  const size = 2 ** (32 - prefix);
  const start = Math.floor(address / size) * size;
  return { ok: true, family: 'ipv4', range: { start, end: start + size - 1 }, canonical: start === address };
}

/** Sorts and merges overlapping or adjacent ranges. */
export function normalizeIpRanges(ranges: readonly IpRange[]): IpRange[] {
  const sorted = ranges.filter((r) => r.start <= r.end).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: IpRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && range.start <= last.end + 1) {
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, range.end) };
    } else {
      merged.push({ start: range.start, end: range.end });
    }
  }
  return merged;
}

/** ranges minus holes, canonical. */
export function subtractIpRanges(ranges: readonly IpRange[], holes: readonly IpRange[]): IpRange[] {
  let result = normalizeIpRanges(ranges);
  for (const hole of normalizeIpRanges(holes)) {
    result = result.flatMap((range) => {
      if (hole.end < range.start || range.end < hole.start) return [range];
      const pieces: IpRange[] = [];
      if (range.start < hole.start) pieces.push({ start: range.start, end: hole.start - 1 });
      if (hole.end < range.end) pieces.push({ start: hole.end + 1, end: range.end });
      return pieces;
    });
  }
  return result;
}

/** True when every address of range lies in the (canonical) ranges. */
export function ipRangesCover(ranges: readonly IpRange[], range: IpRange): boolean {
  // Canonical ranges are separated by gaps, so a covered range lies inside a single one.
  return ranges.some((r) => r.start <= range.start && range.end <= r.end);
}

export function formatIpRange(range: IpRange): string {
  return `${formatIpv4(range.start)}-${formatIpv4(range.end)}`;
}

/**
 * Splits the whole IPv4 space at every start and end of the given ranges: each resulting piece is either
 * inside or outside each input range. np-guard prints external peers this way ("0.0.0.0-9.255.255.255").
 */
export function partitionIpv4Space(ranges: readonly IpRange[]): IpRange[] {
  const cuts = new Set<number>([0]);
  for (const range of ranges) {
    cuts.add(range.start);
    if (range.end < IPV4_MAX) cuts.add(range.end + 1);
  }
  const starts = [...cuts].sort((a, b) => a - b);
  return starts.map((start, index) => ({ start, end: (starts[index + 1] ?? IPV4_MAX + 1) - 1 }));
}
