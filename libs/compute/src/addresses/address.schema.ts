import type { WireSchema } from '@gke-emulator/common';

/** Address fields as in compute.proto `message Address`; output-only fields are accepted and ignored. */
export const ADDRESS_SCHEMA: WireSchema = {
  kind: 'string',
  id: 'string',
  creationTimestamp: 'string',
  selfLink: 'string',
  name: 'string',
  description: 'string',
  address: 'string',
  addressType: 'string',
  purpose: 'string',
  subnetwork: 'string',
  network: 'string',
  prefixLength: 'int32',
  networkTier: 'string',
  ipVersion: 'string',
  ipv6EndpointType: 'string',
  status: 'string',
  users: { array: 'string' },
  region: 'string',
  labels: { map: 'string' },
  labelFingerprint: 'string',
};
