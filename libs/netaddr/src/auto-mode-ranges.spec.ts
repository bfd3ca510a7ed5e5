import { describe, expect, it } from 'vitest';

import {
  AUTO_MODE_PARENT_RANGE,
  AUTO_MODE_SUBNET_PREFIX_LENGTH,
  AUTO_MODE_SUBNET_RANGES,
  KNOWN_REGIONS,
  autoModeRangeOf,
} from './auto-mode-ranges';
import { cidrContains, cidrOverlaps, formatCidr, parseCidr, parseCidrOrThrow } from './cidr';
import { findFreeRange } from './range-set';
import { validateSubnetRange } from './subnet-range-rules';

const parent = parseCidrOrThrow(AUTO_MODE_PARENT_RANGE);

describe('AUTO_MODE_SUBNET_RANGES', () => {
  it.each([
    ['us-central1', '10.128.0.0/20'],
    ['europe-west1', '10.132.0.0/20'],
    ['us-west1', '10.138.0.0/20'],
    ['asia-east1', '10.140.0.0/20'],
    ['us-east1', '10.142.0.0/20'],
    ['asia-northeast1', '10.146.0.0/20'],
    ['asia-southeast1', '10.148.0.0/20'],
    ['us-east4', '10.150.0.0/20'],
    ['australia-southeast1', '10.152.0.0/20'],
    ['europe-west2', '10.154.0.0/20'],
    ['europe-west3', '10.156.0.0/20'],
    ['southamerica-east1', '10.158.0.0/20'],
    ['asia-south1', '10.160.0.0/20'],
    ['northamerica-northeast1', '10.162.0.0/20'],
    ['europe-west4', '10.164.0.0/20'],
    ['europe-north1', '10.166.0.0/20'],
    ['us-west2', '10.168.0.0/20'],
    ['asia-east2', '10.170.0.0/20'],
    ['europe-west6', '10.172.0.0/20'],
    ['asia-northeast2', '10.174.0.0/20'],
    ['asia-northeast3', '10.178.0.0/20'],
    ['us-west3', '10.180.0.0/20'],
    ['us-west4', '10.182.0.0/20'],
    ['asia-southeast2', '10.184.0.0/20'],
    ['europe-central2', '10.186.0.0/20'],
    ['northamerica-northeast2', '10.188.0.0/20'],
    ['asia-south2', '10.190.0.0/20'],
    ['australia-southeast2', '10.192.0.0/20'],
    ['southamerica-west1', '10.194.0.0/20'],
    ['europe-west8', '10.198.0.0/20'],
    ['europe-west9', '10.200.0.0/20'],
    ['us-east5', '10.202.0.0/20'],
    ['europe-southwest1', '10.204.0.0/20'],
    ['us-south1', '10.206.0.0/20'],
    ['me-west1', '10.208.0.0/20'],
    ['europe-west12', '10.210.0.0/20'],
    ['me-central1', '10.212.0.0/20'],
    ['europe-west10', '10.214.0.0/20'],
    ['me-central2', '10.216.0.0/20'],
    ['africa-south1', '10.218.0.0/20'],
    ['northamerica-south1', '10.224.0.0/20'],
    ['europe-north2', '10.226.0.0/20'],
    ['asia-southeast3', '10.232.0.0/20'],
  ])('%s uses %s', (region, range) => {
    expect(autoModeRangeOf(region)).toBe(range);
    expect(AUTO_MODE_SUBNET_RANGES).toContainEqual({ region, ipCidrRange: range });
  });

  it('has exactly the regions checked above', () => {
    expect(AUTO_MODE_SUBNET_RANGES).toHaveLength(43);
  });

  it('every range is a canonical /20 inside 10.128.0.0/9', () => {
    for (const { region, ipCidrRange } of AUTO_MODE_SUBNET_RANGES) {
      const parsed = parseCidr(ipCidrRange);
      if (!parsed.ok) throw new Error(`${region}: ${ipCidrRange} does not parse (${parsed.reason})`);
      expect(parsed.cidr.prefixLength, region).toBe(AUTO_MODE_SUBNET_PREFIX_LENGTH);
      expect(cidrContains(parent, parsed.cidr), region).toBe(true);
      expect(formatCidr(parsed.cidr)).toBe(ipCidrRange);
    }
  });

  it('no two ranges overlap', () => {
    const blocks = AUTO_MODE_SUBNET_RANGES.map((entry) => ({
      ...entry,
      cidr: parseCidrOrThrow(entry.ipCidrRange),
    }));
    for (const [i, a] of blocks.entries()) {
      for (const b of blocks.slice(i + 1)) {
        expect(
          cidrOverlaps(a.cidr, b.cidr),
          `${a.region} ${a.ipCidrRange} vs ${b.region} ${b.ipCidrRange}`,
        ).toBe(false);
      }
    }
  });

  it('region names are unique and well formed', () => {
    expect(new Set(KNOWN_REGIONS).size).toBe(KNOWN_REGIONS.length);
    for (const region of KNOWN_REGIONS) expect(region).toMatch(/^[a-z]+-[a-z]+[0-9]+$/);
  });

  it('is ordered by region name', () => {
    expect([...KNOWN_REGIONS]).toEqual([...KNOWN_REGIONS].sort());
  });

  it('every range is a valid primary subnet range', () => {
    for (const { ipCidrRange } of AUTO_MODE_SUBNET_RANGES) {
      expect(validateSubnetRange(parseCidrOrThrow(ipCidrRange), 'primary')).toBeNull();
    }
  });

  it('KNOWN_REGIONS follows the table and unknown regions have no range', () => {
    expect(KNOWN_REGIONS).toEqual(AUTO_MODE_SUBNET_RANGES.map((entry) => entry.region));
    expect(autoModeRangeOf('mars-north1')).toBeUndefined();
    expect(autoModeRangeOf('')).toBeUndefined();
  });

  it('leaves room in 10.128.0.0/9 for more regions', () => {
    const taken = AUTO_MODE_SUBNET_RANGES.map((entry) => parseCidrOrThrow(entry.ipCidrRange));
    const next = findFreeRange(parent, AUTO_MODE_SUBNET_PREFIX_LENGTH, taken);
    expect(next && formatCidr(next)).toBe('10.128.16.0/20');
  });
});

// The auto mode network recorded against real Google Cloud (KCC 733eb5b9b1, 2024-09: the project's `default`
// network) lists one subnetwork per region. Every public region there has a range here; the two regions Google
// shows only to allow-listed projects (us-east7, us-west8, no public range) are not created, and the regions
// launched since (europe-north2 2025, asia-southeast3 2026-01) are.
describe('auto mode region list (real log: the default network of computeforwardingrule@733eb5b9b1)', () => {
  const RECORDED_PUBLIC = [
    'africa-south1',
    'asia-east1',
    'asia-east2',
    'asia-northeast1',
    'asia-northeast2',
    'asia-northeast3',
    'asia-south1',
    'asia-south2',
    'asia-southeast1',
    'asia-southeast2',
    'australia-southeast1',
    'australia-southeast2',
    'europe-central2',
    'europe-north1',
    'europe-southwest1',
    'europe-west1',
    'europe-west10',
    'europe-west12',
    'europe-west2',
    'europe-west3',
    'europe-west4',
    'europe-west6',
    'europe-west8',
    'europe-west9',
    'me-central1',
    'me-central2',
    'me-west1',
    'northamerica-northeast1',
    'northamerica-northeast2',
    'northamerica-south1',
    'southamerica-east1',
    'southamerica-west1',
    'us-central1',
    'us-east1',
    'us-east4',
    'us-east5',
    'us-south1',
    'us-west1',
    'us-west2',
    'us-west3',
    'us-west4',
  ];

  it('covers every recorded public region, plus those launched since, and nothing else', () => {
    const regions = AUTO_MODE_SUBNET_RANGES.map((entry) => entry.region);
    expect([...regions].sort()).toEqual([...RECORDED_PUBLIC, 'asia-southeast3', 'europe-north2'].sort());
    expect(regions).not.toContain('us-east7');
    expect(regions).not.toContain('us-west8');
  });
});
