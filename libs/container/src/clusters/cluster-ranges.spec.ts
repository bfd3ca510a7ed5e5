import { describe, expect, it } from 'vitest';
import { GoogleApiError } from '@gke-emulator/common';
import { type Cidr, parseCidrOrThrow } from '@gke-emulator/netaddr';
import { type ClusterRangeInput, planClusterRanges } from './cluster-ranges';

const SUBNET = {
  name: 'nodes',
  secondaryIpRanges: [
    { rangeName: 'pods', ipCidrRange: '10.100.0.0/16' },
    { rangeName: 'services', ipCidrRange: '10.200.0.0/20' },
  ],
};

function plan(policy: Record<string, unknown>, more: Partial<ClusterRangeInput> = {}) {
  return planClusterRanges({
    cluster: 'c1',
    hash: 'a1b2c3d4',
    policy,
    routesBased: false,
    subnet: SUBNET,
    taken: [],
    ...more,
  });
}

function refusal(run: () => unknown): { status: number; reason: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof GoogleApiError)
      return { status: error.httpStatus, reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('the plan was not refused');
}

const cidrs = (...values: string[]): Cidr[] => values.map((value) => parseCidrOrThrow(value));

describe('planClusterRanges: VPC-native clusters', () => {
  it('creates a default /14 pods range and uses GKE`s managed services range when nothing is asked', () => {
    expect(plan({})).toEqual({
      pods: '10.0.0.0/14',
      services: '34.118.224.0/20',
      create: [{ rangeName: 'gke-c1-pods-a1b2c3d4', ipCidrRange: '10.0.0.0/14' }],
      podRangeName: 'gke-c1-pods-a1b2c3d4',
      servicesRangeName: undefined,
    });
  });

  it('takes the lowest free block of 10.0.0.0/8 beside the ranges in use', () => {
    expect(plan({}, { taken: cidrs('10.0.0.0/9') }).pods).toBe('10.128.0.0/14');
    expect(plan({}, { taken: cidrs('10.0.0.0/20', '10.4.0.0/24') }).pods).toBe('10.8.0.0/14');
  });

  it('creates a services range of the size asked (/N) after the pods range', () => {
    const ranges = plan({ clusterIpv4CidrBlock: '/16', servicesIpv4CidrBlock: '/22' });
    expect(ranges.pods).toBe('10.0.0.0/16');
    expect(ranges.services).toBe('10.1.0.0/22');
    expect(ranges.create).toEqual([
      { rangeName: 'gke-c1-pods-a1b2c3d4', ipCidrRange: '10.0.0.0/16' },
      { rangeName: 'gke-c1-services-a1b2c3d4', ipCidrRange: '10.1.0.0/22' },
    ]);
    expect(ranges.servicesRangeName).toBe('gke-c1-services-a1b2c3d4');
  });

  it('creates the CIDRs asked for, under their deprecated names too', () => {
    const ranges = plan({ clusterIpv4Cidr: '10.64.0.0/14', servicesIpv4Cidr: '10.68.0.0/20' });
    expect(ranges).toMatchObject({ pods: '10.64.0.0/14', services: '10.68.0.0/20' });
    expect(ranges.create.map((range) => range.ipCidrRange)).toEqual(['10.64.0.0/14', '10.68.0.0/20']);
  });

  it('a blank services range is no request: GKE`s managed range, nothing created', () => {
    const ranges = plan({ servicesIpv4CidrBlock: '' });
    expect(ranges.services).toBe('34.118.224.0/20');
    expect(ranges.create).toHaveLength(1);
  });

  it('uses existing secondary ranges by name and creates none', () => {
    expect(plan({ clusterSecondaryRangeName: 'pods', servicesSecondaryRangeName: 'services' })).toEqual({
      pods: '10.100.0.0/16',
      services: '10.200.0.0/20',
      create: [],
      podRangeName: 'pods',
      servicesRangeName: 'services',
    });
  });

  it('mixes a named pods range with a created services range', () => {
    const ranges = plan({ clusterSecondaryRangeName: 'pods', servicesIpv4CidrBlock: '/20' });
    expect(ranges.pods).toBe('10.100.0.0/16');
    expect(ranges.services).toBe('10.0.0.0/20');
    expect(ranges.create).toEqual([{ rangeName: 'gke-c1-services-a1b2c3d4', ipCidrRange: '10.0.0.0/20' }]);
  });

  it('does not change the ranges in use it was given', () => {
    const taken = cidrs('10.0.0.0/14');
    plan({ servicesIpv4CidrBlock: '/20' }, { taken });
    expect(taken).toEqual(cidrs('10.0.0.0/14'));
  });

  it.each([
    ['clusterIpv4CidrBlock', 'nonsense', 'Must be a CIDR or a /N netmask size.'],
    ['clusterIpv4CidrBlock', '/33', 'Must be a CIDR or a /N netmask size.'],
    ['clusterIpv4CidrBlock', '/8', 'has an invalid netmask /8: it must be between /9 and /24.'],
    ['clusterIpv4CidrBlock', '/25', 'has an invalid netmask /25: it must be between /9 and /24.'],
    ['servicesIpv4CidrBlock', '/15', 'has an invalid netmask /15: it must be between /16 and /27.'],
    ['servicesIpv4CidrBlock', '10.9.0.0/28', 'has an invalid netmask /28: it must be between /16 and /27.'],
  ])('refuses %s %j with a 400', (field, value, words) => {
    const error = refusal(() => plan({ [field]: value }));
    expect(error).toMatchObject({ status: 400, reason: 'invalid' });
    expect(error.message).toContain(words);
    expect(error.message).toContain(`cluster.ipAllocationPolicy.${field}`);
  });

  it('refuses a non-string range with a 400', () => {
    expect(refusal(() => plan({ clusterIpv4CidrBlock: 14 })).message).toBe(
      'Invalid value for field "cluster.ipAllocationPolicy.clusterIpv4CidrBlock": 14.',
    );
  });

  it('refuses a requested CIDR that overlaps a range in use, naming both', () => {
    expect(
      refusal(() => plan({ clusterIpv4CidrBlock: '10.4.0.0/14' }, { taken: cidrs('10.5.0.0/20') })).message,
    ).toBe(
      'Requested pods range 10.4.0.0/14 (cluster.ipAllocationPolicy.clusterIpv4CidrBlock) overlaps with 10.5.0.0/20, a range already in use in the network.',
    );
  });

  it('refuses a services CIDR overlapping the pods range it just picked', () => {
    expect(refusal(() => plan({ servicesIpv4CidrBlock: '10.1.0.0/20' })).message).toContain(
      'overlaps with 10.0.0.0/14',
    );
  });

  it('answers FAILED_PRECONDITION when 10.0.0.0/8 has no free block left', () => {
    const error = refusal(() => plan({}, { taken: cidrs('10.0.0.0/8') }));
    expect(error).toEqual({
      status: 400,
      reason: 'conditionNotMet',
      message: "No free /14 range is left in 10.0.0.0/8 for the cluster's pods.",
    });
  });

  it('refuses a secondary range name the subnet does not have', () => {
    expect(refusal(() => plan({ clusterSecondaryRangeName: 'missing' })).message).toBe(
      'Retry failed: secondary range "missing" (cluster.ipAllocationPolicy.clusterSecondaryRangeName) does not exist in subnetwork "nodes".',
    );
  });

  it.each([
    [
      { clusterSecondaryRangeName: 'pods', clusterIpv4CidrBlock: '/14' },
      'clusterSecondaryRangeName and clusterIpv4CidrBlock',
    ],
    [
      { clusterSecondaryRangeName: 'pods', clusterIpv4Cidr: '/14' },
      'clusterSecondaryRangeName and clusterIpv4CidrBlock',
    ],
    [
      { servicesSecondaryRangeName: 'services', servicesIpv4CidrBlock: '/20' },
      'servicesSecondaryRangeName and servicesIpv4CidrBlock',
    ],
    [
      { servicesSecondaryRangeName: 'services', servicesIpv4Cidr: '/20' },
      'servicesSecondaryRangeName and servicesIpv4CidrBlock',
    ],
  ])('refuses both a range name and a range: %j', (policy, words) => {
    expect(refusal(() => plan(policy)).message).toBe(`Cannot specify both ${words}.`);
  });

  it('refuses one secondary range for both pods and services', () => {
    expect(
      refusal(() => plan({ clusterSecondaryRangeName: 'pods', servicesSecondaryRangeName: 'pods' })).message,
    ).toBe('clusterSecondaryRangeName and servicesSecondaryRangeName must name different ranges.');
  });

  it('refuses named pods and services ranges that contain each other', () => {
    const subnet = {
      name: 'nodes',
      secondaryIpRanges: [
        { rangeName: 'wide', ipCidrRange: '10.100.0.0/16' },
        { rangeName: 'inside', ipCidrRange: '10.100.16.0/20' },
      ],
    };
    expect(
      refusal(() =>
        plan({ clusterSecondaryRangeName: 'wide', servicesSecondaryRangeName: 'inside' }, { subnet }),
      ).message,
    ).toBe('The Pod and Services ranges must not overlap.');
  });
});

describe('planClusterRanges: routes-based clusters', () => {
  it('takes the default /14 cluster range and its last /20 as the services range; creates no subnet range', () => {
    expect(plan({}, { routesBased: true })).toEqual({
      pods: '10.0.0.0/14',
      services: '10.3.240.0/20',
      create: [],
      podRangeName: undefined,
      servicesRangeName: undefined,
    });
  });

  it('takes the services range from the end of a cluster range of the size or CIDR asked', () => {
    expect(plan({ clusterIpv4Cidr: '/16' }, { routesBased: true })).toMatchObject({
      pods: '10.0.0.0/16',
      services: '10.0.240.0/20',
    });
    expect(plan({ clusterIpv4CidrBlock: '172.16.0.0/12' }, { routesBased: true })).toMatchObject({
      pods: '172.16.0.0/12',
      services: '172.31.240.0/20',
    });
  });

  it('names the cluster-level field in its refusals', () => {
    expect(refusal(() => plan({ clusterIpv4Cidr: '/30' }, { routesBased: true })).message).toBe(
      'The Pod range cluster.clusterIpv4Cidr "/30" has an invalid netmask /30: it must be between /9 and /24.',
    );
  });

  it('ignores secondary range names', () => {
    expect(plan({ clusterSecondaryRangeName: 'pods' }, { routesBased: true }).pods).toBe('10.0.0.0/14');
  });
});
