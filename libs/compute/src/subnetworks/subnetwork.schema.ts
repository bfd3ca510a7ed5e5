import type { WireSchema } from '@gke-emulator/common';

const SECONDARY_RANGE: WireSchema = {
  rangeName: 'string',
  ipCidrRange: 'string',
  reservedInternalRange: 'string',
};

/** Subnetwork fields as in compute.proto `message Subnetwork`; output-only fields are accepted and ignored. */
export const SUBNETWORK_SCHEMA: WireSchema = {
  kind: 'string',
  id: 'string',
  creationTimestamp: 'string',
  selfLink: 'string',
  selfLinkWithId: 'string',
  name: 'string',
  description: 'string',
  network: 'string',
  region: 'string',
  ipCidrRange: 'string',
  reservedInternalRange: 'string',
  gatewayAddress: 'string',
  secondaryIpRanges: { array: { object: SECONDARY_RANGE } },
  privateIpGoogleAccess: 'bool',
  privateIpv6GoogleAccess: 'string',
  purpose: 'string',
  role: 'string',
  stackType: 'string',
  allowSubnetCidrRoutesOverlap: 'bool',
  state: 'string',
  fingerprint: 'string',
  enableFlowLogs: 'bool',
  logConfig: {
    object: {
      enable: 'bool',
      aggregationInterval: 'string',
      flowSampling: 'any',
      metadata: 'string',
      metadataFields: { array: 'string' },
      filterExpr: 'string',
    },
  },
  ipv6AccessType: 'string',
  ipv6CidrRange: 'string',
  externalIpv6Prefix: 'string',
  internalIpv6Prefix: 'string',
  ipCollection: 'string',
  ipv6GceEndpoint: 'string',
  params: { object: { resourceManagerTags: { map: 'string' } } },
};

export const EXPAND_SCHEMA: WireSchema = { ipCidrRange: 'string' };
export const PRIVATE_ACCESS_SCHEMA: WireSchema = { privateIpGoogleAccess: 'bool' };
