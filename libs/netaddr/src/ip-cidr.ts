import { parseIpv4 } from './ipv4-address';

/** A CIDR of either family as the Kubernetes API server reads one (host bits allowed and masked off). */
export interface IpCidr {
  readonly family: 4 | 6;
  /** the first address of the block, as an unsigned integer of 32 or 128 bits */
  readonly network: bigint;
  readonly prefixLength: number;
}

const PREFIX_DIGITS = /^[0-9]{1,3}$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** Parses an IPv6 address (with `::` compression and an optional dotted IPv4 tail) into a 128-bit integer. */
export function parseIpv6(text: string): bigint | null {
  if (!text.includes(':')) return null;
  let groups: string[];
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const split = (part: string) => (part === '' ? [] : part.split(':'));
  const head = split(halves[0] as string);
  const tail = halves.length === 2 ? split(halves[1] as string) : [];
  // an IPv4 tail ("::ffff:10.0.0.1") stands for the last two groups
  const last = (halves.length === 2 ? tail : head).at(-1);
  const words: number[] = [];
  let ipv4Tail: number | null = null;
  if (last !== undefined && last.includes('.')) {
    ipv4Tail = parseIpv4(last);
    if (ipv4Tail === null) return null;
    (halves.length === 2 ? tail : head).pop();
  }
  const tailWords = ipv4Tail === null ? 0 : 2;
  const given = head.length + tail.length + tailWords;
  if (halves.length === 2) {
    if (given > 7) return null;
    groups = [...head, ...Array<string>(8 - given).fill('0'), ...tail];
  } else {
    if (given !== 8) return null;
    groups = head;
  }
  for (const group of groups) {
    if (!HEXTET.test(group)) return null;
    words.push(parseInt(group, 16));
  }
  let value = 0n;
  for (const word of words) value = (value << 16n) | BigInt(word);
  if (ipv4Tail !== null) value = (value << 32n) | BigInt(ipv4Tail);
  return value;
}

/**
 * Parses "address/prefix" of either family the way Go's `net.ParseCIDR` does: the prefix at most 32 (IPv4) or
 * 128 (IPv6), host bits allowed (masked off). Null when it is not a CIDR.
 */
export function parseIpCidr(text: string): IpCidr | null {
  const slash = text.indexOf('/');
  if (slash < 0 || text.indexOf('/', slash + 1) >= 0) return null;
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!PREFIX_DIGITS.test(prefixText)) return null;
  const prefixLength = Number(prefixText);
  const v4 = parseIpv4(addressText);
  const family = v4 !== null ? 4 : 6;
  const address = v4 !== null ? BigInt(v4) : parseIpv6(addressText);
  if (address === null) return null;
  const bits = family === 4 ? 32 : 128;
  if (prefixLength > bits) return null;
  const hostBits = BigInt(bits - prefixLength);
  return { family, network: (address >> hostBits) << hostBits, prefixLength };
}

/** True when `inner` lies inside `outer` and is strictly smaller (the API server's test for `ipBlock.except`). */
export function isStrictSubCidr(inner: IpCidr, outer: IpCidr): boolean {
  if (inner.family !== outer.family || inner.prefixLength <= outer.prefixLength) return false;
  const hostBits = BigInt((outer.family === 4 ? 32 : 128) - outer.prefixLength);
  return inner.network >> hostBits === outer.network >> hostBits;
}
