import { type Cidr, cidrContains, cidrOverlaps, cidrSize, formatCidr, parseCidrOrThrow } from './cidr';

// Encodes "IPv4 subnet ranges" of https://cloud.google.com/vpc/docs/subnets (also served at
// https://docs.cloud.google.com/vpc/docs/subnets): "Limitations for IPv4 subnet ranges",
// "Valid IPv4 ranges" and "Prohibited IPv4 subnet ranges".

export type SubnetRangeKind = 'primary' | 'secondary';

/** A documented address range with the description Google gives it. */
export interface DocumentedRange {
  readonly range: string;
  readonly cidr: Cidr;
  readonly description: string;
}

function documented(range: string, description: string): DocumentedRange {
  return { range, cidr: parseCidrOrThrow(range), description };
}

/**
 * "Valid IPv4 ranges" that are special-purpose (RFC) ranges. Every address outside these and outside the
 * prohibited ranges is a "privately used public IPv4 address", which Google also allows.
 * These ranges are pairwise disjoint.
 */
export const VALID_SPECIAL_IPV4_RANGES: readonly DocumentedRange[] = [
  documented('10.0.0.0/8', 'Private IP addresses RFC 1918'),
  documented('172.16.0.0/12', 'Private IP addresses RFC 1918'),
  documented('192.168.0.0/16', 'Private IP addresses RFC 1918'),
  documented('100.64.0.0/10', 'Shared address space RFC 6598'),
  documented('192.0.0.0/24', 'IETF protocol assignments RFC 6890'),
  documented('192.0.2.0/24', 'Documentation RFC 5737 (TEST-NET-1)'),
  documented('198.51.100.0/24', 'Documentation RFC 5737 (TEST-NET-2)'),
  documented('203.0.113.0/24', 'Documentation RFC 5737 (TEST-NET-3)'),
  documented('192.88.99.0/24', 'IPv6 to IPv4 relay (deprecated) RFC 7526'),
  documented('198.18.0.0/15', 'Benchmark testing RFC 2544'),
  documented('240.0.0.0/4', 'Reserved for future use (Class E) as noted in RFC 5735 and RFC 1112'),
];

/**
 * "Prohibited IPv4 subnet ranges". The docs also prohibit Google's own public netblocks
 * (https://gstatic.com/ipranges/goog.txt); that list changes over time and is not encoded here.
 */
export const PROHIBITED_IPV4_SUBNET_RANGES: readonly DocumentedRange[] = [
  documented('199.36.153.4/30', 'Private Google Access-specific virtual IP addresses'),
  documented('199.36.153.8/30', 'Private Google Access-specific virtual IP addresses'),
  documented('0.0.0.0/8', 'Current (local) network RFC 1122'),
  documented('127.0.0.0/8', 'Local host RFC 1122'),
  documented('169.254.0.0/16', 'Link-local RFC 3927'),
  documented('224.0.0.0/4', 'Multicast (Class D) RFC 5771'),
  documented('255.255.255.255/32', 'Limited broadcast destination address RFC 8190 and RFC 919'),
];

/**
 * Allowed prefix lengths (inclusive). /29 is the smallest subnet range for both kinds. Primary ranges stop at
 * /8; secondary ranges may be as broad as /4.
 */
export const SUBNET_PREFIX_LENGTH_LIMITS: Readonly<
  Record<SubnetRangeKind, { readonly min: number; readonly max: number }>
> = {
  primary: { min: 8, max: 29 },
  secondary: { min: 4, max: 29 },
};

/** Label used in `ranges` when part of a range is privately used public IPv4 space. */
export const PRIVATELY_USED_PUBLIC_RANGES = 'privately used public IPv4 addresses';

/**
 * The API's detail for a range that is not a canonical CIDR block, as seen in a real 400 for a range with host
 * bits set: "Invalid value for field 'resource.ipCidrRange': '10.0.1.0/23'. Must be a CIDR address range."
 */
export const INVALID_CIDR_RANGE_MESSAGE = 'Must be a CIDR address range.';

export type SubnetRangeProblemCode = 'prefix-length' | 'prohibited' | 'spans-ranges';

export interface SubnetRangeProblem {
  readonly code: SubnetRangeProblemCode;
  /**
   * Detail worded like the Compute API. Callers put it after the field, as the API does:
   * `Invalid value for field 'resource.ipCidrRange': '<range>'. <message>`.
   */
  readonly message: string;
  /** The documented ranges involved: the prohibited range hit, or the ranges spanned. */
  readonly ranges: readonly string[];
}

/**
 * Checks one IPv4 subnet range against Google Cloud's rules: prefix length for its kind, no overlap with a
 * prohibited range ("can't match, be narrower, or be broader than a restricted range"), and no spanning of
 * several RFC ranges or of an RFC range plus privately used public addresses.
 * Returns null when the range is allowed. Overlap with other subnets is the caller's concern.
 */
export function validateSubnetRange(cidr: Cidr, kind: SubnetRangeKind): SubnetRangeProblem | null {
  const text = formatCidr(cidr);
  const limits = SUBNET_PREFIX_LENGTH_LIMITS[kind];
  if (cidr.prefixLength < limits.min || cidr.prefixLength > limits.max) {
    return {
      code: 'prefix-length',
      message:
        `Invalid IPCidrRange: ${text}. The prefix length of a ${kind} IPv4 range must be between ` +
        `/${limits.min} and /${limits.max}.`,
      ranges: [],
    };
  }

  const prohibited = PROHIBITED_IPV4_SUBNET_RANGES.find((entry) => cidrOverlaps(entry.cidr, cidr));
  if (prohibited) {
    // Same shape as the API's "conflicts with reserved IP range '<range>'" errors.
    return {
      code: 'prohibited',
      message:
        `Invalid IPCidrRange: ${text} conflicts with reserved IP range '${prohibited.range}' ` +
        `(${prohibited.description}).`,
      ranges: [prohibited.range],
    };
  }

  const touched = VALID_SPECIAL_IPV4_RANGES.filter((entry) => cidrOverlaps(entry.cidr, cidr));
  const first = touched[0];
  if (first === undefined || (touched.length === 1 && cidrContains(first.cidr, cidr))) return null;

  // Aligned blocks nest, so each touched range lies inside cidr; leftover addresses are public space.
  const coveredBySpecial = touched.reduce((sum, entry) => sum + cidrSize(entry.cidr), 0);
  const ranges = touched.map((entry) => entry.range);
  if (coveredBySpecial < cidrSize(cidr)) ranges.push(PRIVATELY_USED_PUBLIC_RANGES);
  return {
    code: 'spans-ranges',
    message:
      `Invalid IPCidrRange: ${text} spans more than one address range (${ranges.join(', ')}). ` +
      "Subnet ranges can't span multiple RFC ranges, or an RFC range and privately used public IP addresses.",
    ranges,
  };
}
