import type { WireObject } from '../shared/compute-context';
import type { NetworkModel, OperationModel, SubnetworkModel } from './compute.models';

/** The name at the end of a link (`.../regions/us-central1` → `us-central1`). */
export const lastSegment = (link: unknown) =>
  String(link ?? '')
    .split('/')
    .pop() ?? '';

export function toNetworkModel(project: string, wire: WireObject): NetworkModel {
  return {
    id: String(wire['id']),
    name: String(wire['name']),
    description: wire['description'] as string | undefined,
    autoCreateSubnetworks: wire['autoCreateSubnetworks'] === true,
    // Google omits the default MTU (1460) unless the client set one.
    mtu: Number(wire['mtu'] ?? 1460),
    routingMode: String((wire['routingConfig'] as WireObject | undefined)?.['routingMode'] ?? 'REGIONAL'),
    selfLink: String(wire['selfLink']),
    creationTimestamp: String(wire['creationTimestamp']),
    project,
  };
}

export function toSubnetworkModel(wire: WireObject): SubnetworkModel {
  return {
    id: String(wire['id']),
    name: String(wire['name']),
    description: wire['description'] as string | undefined,
    region: lastSegment(wire['region']),
    network: lastSegment(wire['network']),
    ipCidrRange: String(wire['ipCidrRange']),
    gatewayAddress: String(wire['gatewayAddress']),
    secondaryIpRanges:
      (wire['secondaryIpRanges'] as { rangeName: string; ipCidrRange: string }[] | undefined) ?? [],
    privateIpGoogleAccess: wire['privateIpGoogleAccess'] === true,
    purpose: String(wire['purpose']),
    stackType: String(wire['stackType']),
    fingerprint: String(wire['fingerprint']),
    selfLink: String(wire['selfLink']),
    creationTimestamp: String(wire['creationTimestamp']),
  };
}

export function toOperationModel(wire: WireObject): OperationModel {
  const error = wire['error'] as { errors?: { code: string; message: string }[] } | undefined;
  return {
    id: String(wire['id']),
    name: String(wire['name']),
    operationType: String(wire['operationType']),
    status: String(wire['status']),
    progress: Number(wire['progress']),
    targetLink: String(wire['targetLink']),
    region: wire['region'] ? lastSegment(wire['region']) : undefined,
    insertTime: String(wire['insertTime']),
    endTime: wire['endTime'] as string | undefined,
    httpErrorStatusCode: wire['httpErrorStatusCode'] as number | undefined,
    errors: error?.errors,
    selfLink: String(wire['selfLink']),
  };
}
