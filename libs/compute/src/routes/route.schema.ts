import type { WireSchema } from '@gke-emulator/common';

/** Route fields as in compute.proto `message Route`; output-only fields are accepted and ignored. */
export const ROUTE_SCHEMA: WireSchema = {
  kind: 'string',
  id: 'string',
  creationTimestamp: 'string',
  selfLink: 'string',
  name: 'string',
  description: 'string',
  network: 'string',
  destRange: 'string',
  priority: 'uint32',
  tags: { array: 'string' },
  nextHopGateway: 'string',
  nextHopInstance: 'string',
  nextHopIp: 'string',
  nextHopIlb: 'string',
  nextHopNetwork: 'string',
  nextHopVpnTunnel: 'string',
  nextHopPeering: 'string',
  nextHopHub: 'string',
  nextHopInterconnectAttachment: 'string',
  routeType: 'string',
  routeStatus: 'string',
  warnings: { array: 'any' },
  asPaths: { array: 'any' },
  params: { object: { resourceManagerTags: { map: 'string' } } },
};
