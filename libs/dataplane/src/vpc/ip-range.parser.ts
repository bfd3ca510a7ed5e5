import { type Cidr, cidrContaining, parseIpv4 } from '@gke-emulator/netaddr';

/** A range from a firewall rule or route: IPv4 ranges are matched, IPv6 ranges are valid but never match IPv4. */
export type IpRange = { readonly family: 'ipv4'; readonly cidr: Cidr } | { readonly family: 'ipv6' };

const PREFIX = /^(?:0|[1-9][0-9]?)$/;

/**
 * Parses one range as firewall rules and routes hold them: `a.b.c.d/n`, a bare address (a /32), or any IPv6
 * text (anything with a colon). Host bits are cleared rather than rejected, as Compute normalises them.
 * Throws RangeError on anything else: the API validates ranges on write, so garbage here is a bug upstream.
 */
export function parseIpRange(text: string): IpRange {
  if (text.includes(':')) return { family: 'ipv6' };
  const [addressText = '', prefixText, extra] = text.split('/');
  const address = parseIpv4(addressText);
  const prefix = prefixText === undefined ? 32 : PREFIX.test(prefixText) ? Number(prefixText) : NaN;
  if (address === null || extra !== undefined || !(prefix >= 0 && prefix <= 32)) {
    throw new RangeError(`Not an IP range: ${text}`);
  }
  return { family: 'ipv4', cidr: cidrContaining(address, prefix) };
}

/** The IPv4 blocks of a list of ranges, IPv6 entries dropped. */
export function ipv4Blocks(texts: readonly string[] | undefined): Cidr[] {
  const blocks: Cidr[] = [];
  for (const text of texts ?? []) {
    const range = parseIpRange(text);
    if (range.family === 'ipv4') blocks.push(range.cidr);
  }
  return blocks;
}

/** Parses a single IPv4 address of a packet or endpoint. Throws RangeError when it is not one. */
export function ipv4OrThrow(text: string): number {
  const address = parseIpv4(text);
  if (address === null) throw new RangeError(`Not an IPv4 address: ${text}`);
  return address;
}
