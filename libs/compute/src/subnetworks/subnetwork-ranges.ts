import { GoogleErrors } from '@gke-emulator/common';
import {
  AUTO_MODE_PARENT_RANGE,
  cidrOverlaps,
  formatCidr,
  formatIpv4,
  gatewayAddress,
  INVALID_CIDR_RANGE_MESSAGE,
  parseCidr,
  parseCidrOrThrow,
  validateSubnetRange,
  type Cidr,
} from '@gke-emulator/netaddr';
import { assertResourceName } from '../shared/names';

/** One range a subnetwork occupies in its network: the primary (rangeName null) or a secondary range. */
export interface SubnetRangeClaim {
  rangeName: string | null;
  cidr: Cidr;
}

// Google answers every malformed range, host bits set included, with the same sentence.
const CIDR_REASONS = {
  syntax: INVALID_CIDR_RANGE_MESSAGE,
  prefix: INVALID_CIDR_RANGE_MESSAGE,
  'host-bits': INVALID_CIDR_RANGE_MESSAGE,
} as const;

export function parseRange(field: string, value: unknown, kind: 'primary' | 'secondary'): Cidr {
  if (value === undefined || value === '') throw GoogleErrors.required(field);
  if (typeof value !== 'string') throw GoogleErrors.invalidFieldValue(field, value, CIDR_REASONS.syntax);
  const parsed = parseCidr(value);
  if (!parsed.ok) throw GoogleErrors.invalidFieldValue(field, value, CIDR_REASONS[parsed.reason]);
  const problem = validateSubnetRange(parsed.cidr, kind);
  if (problem) throw GoogleErrors.invalidFieldValue(field, value, problem.message);
  return parsed.cidr;
}

export interface SecondaryRangeInput {
  rangeName?: unknown;
  ipCidrRange?: unknown;
}

/** Validates secondary ranges on their own and against the request's other ranges (unique names, no overlap). */
export function parseSecondaryRanges(
  primary: Cidr,
  input: readonly SecondaryRangeInput[] | undefined,
): SubnetRangeClaim[] {
  const claims: SubnetRangeClaim[] = [];
  (input ?? []).forEach((range, index) => {
    const field = `resource.secondaryIpRanges[${index}]`;
    const rangeName = assertResourceName(range.rangeName, `${field}.rangeName`);
    const cidr = parseRange(`${field}.ipCidrRange`, range.ipCidrRange, 'secondary');
    if (claims.some((claim) => claim.rangeName === rangeName)) {
      throw GoogleErrors.invalidFieldValue(
        `${field}.rangeName`,
        rangeName,
        `Secondary range name '${rangeName}' is used more than once in the subnetwork.`,
      );
    }
    if (cidrOverlaps(primary, cidr)) {
      throw GoogleErrors.invalid(
        `Invalid IPCidrRange: ${formatCidr(cidr)} conflicts with the primary IP range ${formatCidr(primary)} of the subnetwork.`,
      );
    }
    const clash = claims.find((claim) => cidrOverlaps(claim.cidr, cidr));
    if (clash) {
      throw GoogleErrors.invalid(
        `Invalid IPCidrRange: ${formatCidr(cidr)} conflicts with secondary IP range '${clash.rangeName}' (${formatCidr(clash.cidr)}) of the subnetwork.`,
      );
    }
    claims.push({ rangeName, cidr });
  });
  return claims;
}

const AUTO_MODE_PARENT = parseCidrOrThrow(AUTO_MODE_PARENT_RANGE);

/** Auto mode networks reserve 10.128.0.0/9 for the subnets Google creates in every region. */
export function assertOutsideAutoModeBlock(claims: readonly SubnetRangeClaim[]): void {
  for (const claim of claims) {
    if (cidrOverlaps(claim.cidr, AUTO_MODE_PARENT)) {
      throw GoogleErrors.invalid(
        `Extended subnetworks in auto subnet mode networks cannot overlap with ${AUTO_MODE_PARENT_RANGE}.`,
      );
    }
  }
}

export function gatewayOf(cidr: Cidr): string {
  return formatIpv4(gatewayAddress(cidr));
}
