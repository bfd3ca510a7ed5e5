import { type Cidr, cidrContaining, parseIpv4 } from '@gke-emulator/netaddr';

// kube-proxy reads addresses and ranges with Go's lenient parsers (ParseIPSloppy, ParseCIDRSloppy): a range
// with host bits set is accepted and masked, and only ranges of the proxier's IP family are used. This model
// proxies IPv4 only, so IPv6 values are recognised and left out.

/** True when text is an IPv4 address. */
export function isIpv4Address(text: string): boolean {
  return parseIpv4(text.trim()) !== null;
}

/** Parses "a.b.c.d/n", masking host bits; null for anything else (including IPv6 ranges). */
export function parseIpv4CidrSloppy(text: string): Cidr | null {
  const parts = text.trim().split('/');
  if (parts.length !== 2) return null;
  const address = parseIpv4(parts[0] ?? '');
  const prefixText = parts[1] ?? '';
  if (address === null || !/^[0-9]{1,2}$/.test(prefixText)) return null;
  const prefixLength = Number(prefixText);
  return prefixLength > 32 ? null : cidrContaining(address, prefixLength);
}
