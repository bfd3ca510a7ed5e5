import type { WireSchema } from '@gke-emulator/common';

/** Network fields as in compute.proto `message Network`; output-only fields are accepted and ignored. */
export const NETWORK_SCHEMA: WireSchema = {
  kind: 'string',
  id: 'string',
  creationTimestamp: 'string',
  selfLink: 'string',
  selfLinkWithId: 'string',
  name: 'string',
  description: 'string',
  IPv4Range: 'string',
  gatewayIPv4: 'string',
  autoCreateSubnetworks: 'bool',
  subnetworks: { array: 'string' },
  peerings: { array: 'any' },
  routingConfig: {
    object: {
      routingMode: 'string',
      bgpBestPathSelectionMode: 'string',
      bgpAlwaysCompareMed: 'bool',
      bgpInterRegionCost: 'string',
      effectiveBgpAlwaysCompareMed: 'bool',
      effectiveBgpInterRegionCost: 'string',
    },
  },
  mtu: 'int32',
  firewallPolicy: 'string',
  networkFirewallPolicyEnforcementOrder: 'string',
  enableUlaInternalIpv6: 'bool',
  internalIpv6Range: 'string',
  networkProfile: 'string',
  params: { object: { resourceManagerTags: { map: 'string' } } },
};
