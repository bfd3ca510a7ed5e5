import { GoogleErrors } from '@gke-emulator/common';
import { KNOWN_REGIONS } from '@gke-emulator/netaddr';

const REGIONS = new Set(KNOWN_REGIONS);

export function assertRegion(project: string, region: string): string {
  if (!REGIONS.has(region)) throw GoogleErrors.notFound(`projects/${project}/regions/${region}`);
  return region;
}

export { KNOWN_REGIONS };
