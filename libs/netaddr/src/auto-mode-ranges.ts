// "Auto mode IPv4 ranges" of https://cloud.google.com/vpc/docs/subnets, cross-checked against the VPC release
// notes (https://cloud.google.com/vpc/docs/release-notes), which announce each new region's range; the newest
// is asia-southeast3 (Bangkok), 10.232.0.0/20, on 2026-01-20.

/** Every auto mode subnet is carved out of this block. */
export const AUTO_MODE_PARENT_RANGE = '10.128.0.0/9';

/** Prefix length of every automatically created subnet. */
export const AUTO_MODE_SUBNET_PREFIX_LENGTH = 20;

export interface AutoModeSubnetRange {
  readonly region: string;
  readonly ipCidrRange: string;
}

/** The primary range an auto mode VPC network gets in each region, ordered by region name as in the docs. */
export const AUTO_MODE_SUBNET_RANGES: ReadonlyArray<AutoModeSubnetRange> = [
  { region: 'africa-south1', ipCidrRange: '10.218.0.0/20' },
  { region: 'asia-east1', ipCidrRange: '10.140.0.0/20' },
  { region: 'asia-east2', ipCidrRange: '10.170.0.0/20' },
  { region: 'asia-northeast1', ipCidrRange: '10.146.0.0/20' },
  { region: 'asia-northeast2', ipCidrRange: '10.174.0.0/20' },
  { region: 'asia-northeast3', ipCidrRange: '10.178.0.0/20' },
  { region: 'asia-south1', ipCidrRange: '10.160.0.0/20' },
  { region: 'asia-south2', ipCidrRange: '10.190.0.0/20' },
  { region: 'asia-southeast1', ipCidrRange: '10.148.0.0/20' },
  { region: 'asia-southeast2', ipCidrRange: '10.184.0.0/20' },
  { region: 'asia-southeast3', ipCidrRange: '10.232.0.0/20' },
  { region: 'australia-southeast1', ipCidrRange: '10.152.0.0/20' },
  { region: 'australia-southeast2', ipCidrRange: '10.192.0.0/20' },
  { region: 'europe-central2', ipCidrRange: '10.186.0.0/20' },
  { region: 'europe-north1', ipCidrRange: '10.166.0.0/20' },
  { region: 'europe-north2', ipCidrRange: '10.226.0.0/20' },
  { region: 'europe-southwest1', ipCidrRange: '10.204.0.0/20' },
  { region: 'europe-west1', ipCidrRange: '10.132.0.0/20' },
  { region: 'europe-west10', ipCidrRange: '10.214.0.0/20' },
  { region: 'europe-west12', ipCidrRange: '10.210.0.0/20' },
  { region: 'europe-west2', ipCidrRange: '10.154.0.0/20' },
  { region: 'europe-west3', ipCidrRange: '10.156.0.0/20' },
  { region: 'europe-west4', ipCidrRange: '10.164.0.0/20' },
  { region: 'europe-west6', ipCidrRange: '10.172.0.0/20' },
  { region: 'europe-west8', ipCidrRange: '10.198.0.0/20' },
  { region: 'europe-west9', ipCidrRange: '10.200.0.0/20' },
  { region: 'me-central1', ipCidrRange: '10.212.0.0/20' },
  { region: 'me-central2', ipCidrRange: '10.216.0.0/20' },
  { region: 'me-west1', ipCidrRange: '10.208.0.0/20' },
  { region: 'northamerica-northeast1', ipCidrRange: '10.162.0.0/20' },
  { region: 'northamerica-northeast2', ipCidrRange: '10.188.0.0/20' },
  { region: 'northamerica-south1', ipCidrRange: '10.224.0.0/20' },
  { region: 'southamerica-east1', ipCidrRange: '10.158.0.0/20' },
  { region: 'southamerica-west1', ipCidrRange: '10.194.0.0/20' },
  { region: 'us-central1', ipCidrRange: '10.128.0.0/20' },
  { region: 'us-east1', ipCidrRange: '10.142.0.0/20' },
  { region: 'us-east4', ipCidrRange: '10.150.0.0/20' },
  { region: 'us-east5', ipCidrRange: '10.202.0.0/20' },
  { region: 'us-south1', ipCidrRange: '10.206.0.0/20' },
  { region: 'us-west1', ipCidrRange: '10.138.0.0/20' },
  { region: 'us-west2', ipCidrRange: '10.168.0.0/20' },
  { region: 'us-west3', ipCidrRange: '10.180.0.0/20' },
  { region: 'us-west4', ipCidrRange: '10.182.0.0/20' },
];

/** Regions that have an auto mode subnet range, in table order. */
export const KNOWN_REGIONS: readonly string[] = AUTO_MODE_SUBNET_RANGES.map((entry) => entry.region);

const RANGE_BY_REGION: ReadonlyMap<string, string> = new Map(
  AUTO_MODE_SUBNET_RANGES.map((entry) => [entry.region, entry.ipCidrRange]),
);

/** The auto mode subnet range of a region, or undefined for a region not in the table. */
export function autoModeRangeOf(region: string): string | undefined {
  return RANGE_BY_REGION.get(region);
}
