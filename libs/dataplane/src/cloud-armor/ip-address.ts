import { formatIpv4, parseIpv4 } from '@gke-emulator/netaddr';

/**
 * IPv4/IPv6 addresses as bytes, for `inIpRange`, `srcIpRanges` and the CEL network extension. IPv4 parsing is
 * `@gke-emulator/netaddr`'s strict dotted quad; IPv6 follows RFC 4291 text forms (with an optional embedded IPv4
 * tail and an optional `%zone`, which callers decide whether to accept).
 */
export interface IpAddress {
  readonly family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array;
  /** IPv6 scope zone (`fe80::1%en0`), '' when absent. */
  readonly zone: string;
  /** True when the IPv6 text ended in a dotted IPv4 part (`::ffff:1.2.3.4`). */
  readonly dottedTail: boolean;
}

export interface IpPrefix {
  readonly address: IpAddress;
  readonly prefixLength: number;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const PREFIX_DIGITS = /^(?:0|[1-9][0-9]{0,2})$/;

export function parseIpAddress(text: string): IpAddress | null {
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 === null ? null : { family: 4, bytes: ipv4Bytes(v4), zone: '', dottedTail: false };
  }
  const percent = text.indexOf('%');
  const zone = percent >= 0 ? text.slice(percent + 1) : '';
  if (percent >= 0 && zone === '') return null;
  const body = percent >= 0 ? text.slice(0, percent) : text;
  const parsed = parseIpv6Groups(body);
  return parsed === null ? null : { family: 6, bytes: parsed.bytes, zone, dottedTail: parsed.dottedTail };
}

function ipv4Bytes(value: number): Uint8Array {
  return new Uint8Array([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

function parseIpv6Groups(body: string): { bytes: Uint8Array; dottedTail: boolean } | null {
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const head = parseGroupList(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroupList(halves[1] ?? '') : [];
  if (head === null || tail === null) return null;
  // Only the very last group of the address may be a dotted IPv4 part.
  const compressed = halves.length === 2;
  if (!dottedOnlyLast(head, !compressed) || !dottedOnlyLast(tail, true)) return null;
  const dottedTail = (compressed ? tail : head).at(-1)?.length === 2;
  const words = [...head.flat(), ...tail.flat()];
  if (halves.length === 1 ? words.length !== 8 : words.length > 7) return null;
  const all = [...head.flat(), ...new Array<number>(8 - words.length).fill(0), ...tail.flat()];
  const bytes = new Uint8Array(16);
  all.forEach((word, i) => {
    bytes[2 * i] = word >>> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return { bytes, dottedTail };
}

function dottedOnlyLast(groups: number[][], isFinal: boolean): boolean {
  return groups.every((group, i) => group.length === 1 || (isFinal && i === groups.length - 1));
}

/** Each group is one 16-bit word, or two words for a dotted IPv4 tail. */
function parseGroupList(text: string): number[][] | null {
  if (text === '') return [];
  const groups: number[][] = [];
  for (const part of text.split(':')) {
    if (HEX_GROUP.test(part)) {
      groups.push([parseInt(part, 16)]);
      continue;
    }
    const v4 = part.includes('.') ? parseIpv4(part) : null;
    if (v4 === null) return null;
    groups.push([v4 >>> 16, v4 & 0xffff]);
  }
  return groups;
}

/** `::ffff:a.b.c.d` (in either spelling) as the IPv4 address it embeds; other addresses unchanged. */
export function unmapIpv4(address: IpAddress): IpAddress {
  if (address.family === 4 || !isIpv4Mapped(address.bytes)) return address;
  return { family: 4, bytes: address.bytes.slice(12), zone: '', dottedTail: false };
}

function isIpv4Mapped(bytes: Uint8Array): boolean {
  return bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

/** IPv4 dotted quad; IPv6 in RFC 5952 canonical form (lowercase, longest zero run of 2+ groups as '::'). */
export function formatIpAddress(address: IpAddress): string {
  const b = address.bytes;
  if (address.family === 4) return formatIpv4(new DataView(b.buffer, b.byteOffset, 4).getUint32(0));
  const words = Array.from({ length: 8 }, (_, i) => ((b[2 * i] ?? 0) << 8) | (b[2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((w) => w.toString(16));
  const text =
    bestStart < 0
      ? hex.join(':')
      : `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
  return address.zone === '' ? text : `${text}%${address.zone}`;
}

/** `addr/len`; host bits may be set (as Go's net.ParseCIDR, which Google's Cloud Armor CEL library uses). */
export function parseIpPrefix(text: string): IpPrefix | null {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return null;
  const address = parseIpAddress(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (address === null || !PREFIX_DIGITS.test(lengthText)) return null;
  const prefixLength = Number(lengthText);
  return prefixLength > address.bytes.length * 8 ? null : { address, prefixLength };
}

export function maskAddress(address: IpAddress, prefixLength: number): IpAddress {
  const bytes = address.bytes.map((byte, i) => {
    const keep = Math.min(8, Math.max(0, prefixLength - 8 * i));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
  return { ...address, bytes, zone: '' };
}

export function sameAddress(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.bytes.every((byte, i) => byte === b.bytes[i]);
}

/** Same family and equal under the prefix's mask. */
export function prefixContains(prefix: IpPrefix, address: IpAddress): boolean {
  if (prefix.address.family !== address.family) return false;
  return sameAddress(
    maskAddress(prefix.address, prefix.prefixLength),
    maskAddress(address, prefix.prefixLength),
  );
}
