import { formatIpv4, parseIpv4, parseIpv6 } from '@gke-emulator/netaddr';

/**
 * IPv4/IPv6 addresses as bytes, for `inIpRange`, `srcIpRanges` and the CEL network extension. Parsing is
 * `@gke-emulator/netaddr`'s: IPv4 its strict dotted quad, IPv6 the RFC 4291 text forms (with an optional embedded
 * IPv4 tail); an optional `%zone` is read here, and callers decide whether to accept it.
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
  const value = parseIpv6(body);
  // netaddr accepts a dot only in a valid IPv4 tail, so a parsed address with one has that tail.
  return value === null ? null : { family: 6, bytes: ipv6Bytes(value), zone, dottedTail: body.includes('.') };
}

function ipv4Bytes(value: number): Uint8Array {
  return new Uint8Array([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

function ipv6Bytes(value: bigint): Uint8Array {
  const bytes = new Uint8Array(16);
  for (let i = 15, rest = value; i >= 0; i--, rest >>= 8n) bytes[i] = Number(rest & 0xffn);
  return bytes;
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
