import type { connectivity } from '@gke-emulator/dataplane';
import type {
  ConnectivityEndpointModel,
  ConnectivityTestModel,
  ReachabilityDetailsModel,
} from './connectivity-test.models';

/** A ConnectivityTest as `/networkmanagement/v1/` returns it (Google's JSON: defaults left out). */
export interface ConnectivityTestResource {
  name: string;
  displayName?: string;
  description?: string;
  source: ConnectivityEndpointModel;
  destination: ConnectivityEndpointModel;
  protocol: string;
  relatedProjects?: string[];
  labels?: Record<string, string>;
  createTime: string;
  updateTime: string;
  reachabilityDetails: connectivity.ReachabilityDetails;
  roundTrip?: boolean;
  bypassFirewallChecks?: boolean;
}

/** The REST resource as GraphQL's ConnectivityTest: the defaults Google's JSON leaves out filled in. */
export function toConnectivityTestModel(test: ConnectivityTestResource): ConnectivityTestModel {
  return {
    name: test.name,
    displayName: test.displayName ?? test.name.slice(test.name.lastIndexOf('/') + 1),
    ...(test.description !== undefined ? { description: test.description } : {}),
    source: test.source,
    destination: test.destination,
    protocol: test.protocol,
    relatedProjects: test.relatedProjects ?? [],
    labels: Object.entries(test.labels ?? {}).map(([key, value]) => ({ key, value })),
    createTime: test.createTime,
    updateTime: test.updateTime,
    reachabilityDetails: toReachabilityDetailsModel(test.reachabilityDetails),
    roundTrip: test.roundTrip ?? false,
    bypassFirewallChecks: test.bypassFirewallChecks ?? false,
  };
}

/** The composer's ReachabilityDetails, as the GraphQL types read them (the same field names). */
export function toReachabilityDetailsModel(
  details: connectivity.ReachabilityDetails,
): ReachabilityDetailsModel {
  return details as unknown as ReachabilityDetailsModel;
}
