import { GoogleErrors } from '@gke-emulator/common';
import { cidrContains, formatCidr, parseCidrOrThrow, type Cidr } from '@gke-emulator/netaddr';
import type { StoredNetwork } from '../networks/network.repository';
import type { WireObject } from '../shared/compute-context';
import { computeTimestamp } from '../shared/timestamps';
import { gatewayOf, type SecondaryRangeInput, type SubnetRangeClaim } from './subnetwork-ranges';
import type { StoredSubnetwork } from './subnetwork.repository';

// The wire object of a subnetwork and the small rules around it, apart from the use cases.

export interface SubnetworkBody {
  name?: string;
  description?: string;
  network?: string;
  region?: string;
  ipCidrRange?: string;
  secondaryIpRanges?: SecondaryRangeInput[];
  privateIpGoogleAccess?: boolean;
  privateIpv6GoogleAccess?: string;
  purpose?: string;
  role?: string;
  stackType?: string;
  fingerprint?: string;
  enableFlowLogs?: boolean;
  logConfig?: WireObject;
  reservedInternalRange?: string;
  allowSubnetCidrRoutesOverlap?: boolean;
}

export const PURPOSES = [
  'PRIVATE',
  'PRIVATE_RFC_1918',
  'REGIONAL_MANAGED_PROXY',
  'GLOBAL_MANAGED_PROXY',
  'PRIVATE_SERVICE_CONNECT',
  'PRIVATE_NAT',
  'INTERNAL_HTTPS_LOAD_BALANCER',
  'PEER_MIGRATION',
];
export const PRIVATE_IPV6_ACCESS = [
  'DISABLE_GOOGLE_ACCESS',
  'ENABLE_BIDIRECTIONAL_ACCESS_TO_GOOGLE',
  'ENABLE_OUTBOUND_VM_ACCESS_TO_GOOGLE',
];

export function subnetworkPath(project: string, region: string, name: string): string {
  return `projects/${project}/regions/${region}/subnetworks/${name}`;
}

export function rangesOf(resource: WireObject): SubnetRangeClaim[] {
  const primary: SubnetRangeClaim = {
    rangeName: null,
    cidr: parseCidrOrThrow(String(resource['ipCidrRange'])),
  };
  const secondary = (
    (resource['secondaryIpRanges'] as { rangeName: string; ipCidrRange: string }[] | undefined) ?? []
  ).map((range) => ({ rangeName: range.rangeName, cidr: parseCidrOrThrow(range.ipCidrRange) }));
  return [primary, ...secondary];
}

export function assertEnum(field: string, value: string | undefined, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value)) {
    throw GoogleErrors.invalidFieldValue(field, value, `Must be one of [${allowed.join(', ')}].`);
  }
}

export function overlapsText(cidr: Cidr, other: string): boolean {
  const parsed = parseCidrOrThrow(other);
  return cidrContains(cidr, parsed) || cidrContains(parsed, cidr);
}

export function staleFingerprint() {
  return GoogleErrors.conditionNotMet('Supplied fingerprint does not match current metadata fingerprint.');
}

export function networkNameFromLink(subnet: StoredSubnetwork): string {
  return String(subnet.resource['network']).split('/').pop() as string;
}

export function sortKeys(item: WireObject) {
  return { name: String(item['name']), creationTimestamp: String(item['creationTimestamp']) };
}

export function wireSecondary(claim: SubnetRangeClaim) {
  return { rangeName: claim.rangeName, ipCidrRange: formatCidr(claim.cidr) };
}

/**
 * A reserved internal range (Network Connectivity API) as Google renders it: a full v1 URL, whatever form the
 * client gave (`networkconnectivity.googleapis.com/projects/…`, `//…`, a URL or a relative name).
 */
export function internalRangeUrl(project: string, value: string): string {
  const relative = value.replace(/^(?:https?:)?\/*(?:networkconnectivity\.googleapis\.com\/)?(?:v1\/)?/, '');
  const path = relative.startsWith('projects/')
    ? relative
    : `projects/${project}/locations/global/internalRanges/${relative}`;
  return `https://networkconnectivity.googleapis.com/v1/${path}`;
}

export function buildResource(
  subnet: StoredSubnetwork,
  network: StoredNetwork,
  primary: Cidr,
  options: {
    description?: string;
    secondaryIpRanges: SubnetRangeClaim[];
    privateIpGoogleAccess: boolean;
    privateIpv6GoogleAccess?: string;
    purpose?: string;
    role?: string;
    enableFlowLogs?: boolean;
    logConfig?: WireObject;
    reservedInternalRange?: string;
    allowSubnetCidrRoutesOverlap?: boolean;
  },
): WireObject {
  const path = subnetworkPath(subnet.project, subnet.region, subnet.name);
  return {
    kind: 'compute#subnetwork',
    id: subnet.id.toString(),
    creationTimestamp: computeTimestamp(new Date()),
    name: subnet.name,
    ...(options.description !== undefined ? { description: options.description } : {}),
    network: `projects/${network.project}/global/networks/${network.name}`,
    ipCidrRange: formatCidr(primary),
    gatewayAddress: gatewayOf(primary),
    region: `projects/${subnet.project}/regions/${subnet.region}`,
    selfLink: path,
    ...(options.secondaryIpRanges.length > 0
      ? { secondaryIpRanges: options.secondaryIpRanges.map(wireSecondary) }
      : {}),
    privateIpGoogleAccess: options.privateIpGoogleAccess,
    privateIpv6GoogleAccess: options.privateIpv6GoogleAccess ?? 'DISABLE_GOOGLE_ACCESS',
    purpose: options.purpose ?? 'PRIVATE',
    ...(options.role !== undefined ? { role: options.role } : {}),
    stackType: 'IPV4_ONLY',
    ...(options.reservedInternalRange !== undefined
      ? {
          // Two real recordings of 2026 differ here: a subnetwork made on a reserved internal range comes back
          // with both flags (even false) and without `state`; an ordinary one with `state: READY` only.
          allowSubnetCidrRoutesOverlap: options.allowSubnetCidrRoutesOverlap ?? false,
          enableFlowLogs: options.enableFlowLogs ?? options.logConfig?.['enable'] === true,
          reservedInternalRange: internalRangeUrl(subnet.project, options.reservedInternalRange),
        }
      : {
          state: 'READY',
          ...(options.enableFlowLogs !== undefined ? { enableFlowLogs: options.enableFlowLogs } : {}),
          ...(options.allowSubnetCidrRoutesOverlap !== undefined
            ? { allowSubnetCidrRoutesOverlap: options.allowSubnetCidrRoutesOverlap }
            : {}),
        }),
    logConfig: { enable: false, ...(options.logConfig ?? {}) },
    fingerprint: subnet.fingerprint,
  };
}
