import type { WireSchema } from '@gke-emulator/common';

const PROTOCOL_PORTS: WireSchema = { IPProtocol: 'string', ports: { array: 'string' } };

/** Firewall fields as in compute.proto `message Firewall`; output-only fields are accepted and ignored. */
export const FIREWALL_SCHEMA: WireSchema = {
  kind: 'string',
  id: 'string',
  creationTimestamp: 'string',
  selfLink: 'string',
  name: 'string',
  description: 'string',
  network: 'string',
  priority: 'int32',
  direction: 'string',
  allowed: { array: { object: PROTOCOL_PORTS } },
  denied: { array: { object: PROTOCOL_PORTS } },
  sourceRanges: { array: 'string' },
  destinationRanges: { array: 'string' },
  sourceTags: { array: 'string' },
  targetTags: { array: 'string' },
  sourceServiceAccounts: { array: 'string' },
  targetServiceAccounts: { array: 'string' },
  disabled: 'bool',
  logConfig: { object: { enable: 'bool', metadata: 'string' } },
  params: { object: { resourceManagerTags: { map: 'string' } } },
};
