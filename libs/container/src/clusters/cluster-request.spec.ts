import { describe, expect, it } from 'vitest';
import { GoogleApiError } from '@gke-emulator/common';
import { maxPodsOf, nameOfLink, parseCreateCluster } from './cluster-request';
import { DEFAULT_GKE_VERSION } from './gke-versions';

const ZERO = () => 0;

function create(cluster: Record<string, unknown>, location = 'us-central1-a') {
  return parseCreateCluster('p1', location, { cluster }, ZERO);
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof GoogleApiError && error.httpStatus === 400) return error.message;
    throw error;
  }
  throw new Error('the request was not refused');
}

describe('parseCreateCluster', () => {
  it('a zonal cluster with initialNodeCount: one default pool in its zone, VPC-native, the default version', () => {
    const creation = create({ name: 'c1', initialNodeCount: 3 });
    expect(creation).toMatchObject({
      name: 'c1',
      region: 'us-central1',
      zones: ['us-central1-a'],
      routesBased: false,
      version: DEFAULT_GKE_VERSION,
      defaultMaxPods: undefined,
      uid: '0'.repeat(32),
      hash: '00000000',
      networkName: 'default',
      subnetName: undefined,
    });
    expect(creation.poolSpecs).toHaveLength(1);
    expect(creation.poolSpecs[0]).toMatchObject({
      name: 'default-pool',
      nodeCount: 3,
      zones: ['us-central1-a'],
      maxPods: 110,
    });
  });

  it('a regional cluster spreads over zones a, b and c unless locations are given', () => {
    expect(create({ name: 'c1', initialNodeCount: 1 }, 'europe-west1').zones).toEqual([
      'europe-west1-a',
      'europe-west1-b',
      'europe-west1-c',
    ]);
    expect(
      create({ name: 'c1', initialNodeCount: 1, locations: ['europe-west1-d'] }, 'europe-west1').zones,
    ).toEqual(['europe-west1-d']);
  });

  it('names the network and subnetwork from a name or a link', () => {
    const creation = create({
      name: 'c1',
      initialNodeCount: 1,
      network: 'projects/p1/global/networks/vpc',
      subnetwork: 'projects/p1/regions/us-central1/subnetworks/nodes',
    });
    expect(creation.networkName).toBe('vpc');
    expect(creation.subnetName).toBe('projects/p1/regions/us-central1/subnetworks/nodes');
    expect(
      nameOfLink(
        'p1',
        'projects/p1/regions/us-central1/subnetworks/nodes',
        'regions/us-central1/subnetworks',
      ),
    ).toBe('nodes');
    expect(nameOfLink('p1', 'plain', 'global/networks')).toBe('plain');
  });

  it('only an explicit useRoutes makes a routes-based cluster', () => {
    expect(
      create({ name: 'c1', initialNodeCount: 1, ipAllocationPolicy: { useIpAliases: false } }).routesBased,
    ).toBe(false);
    expect(
      create({ name: 'c1', initialNodeCount: 1, ipAllocationPolicy: { useRoutes: true } }).routesBased,
    ).toBe(true);
  });

  it('node pools given: each checked, with the cluster`s default max pods', () => {
    const creation = create({
      name: 'c1',
      defaultMaxPodsConstraint: { maxPodsPerNode: '32' },
      nodePools: [{ name: 'a', initialNodeCount: 1 }, { name: 'b' }],
    });
    expect(creation.defaultMaxPods).toBe(32);
    expect(creation.poolSpecs.map((pool) => [pool.name, pool.nodeCount, pool.maxPods])).toEqual([
      ['a', 1, 32],
      ['b', 0, 32],
    ]);
  });

  it.each([
    [{ initialNodeCount: 1 }, 'us-central1-a', 'Cluster.name must be specified.'],
    [
      { name: 'Bad_Name', initialNodeCount: 1 },
      'us-central1-a',
      'Cluster names must start with a lowercase letter',
    ],
    [{ name: 'c1', initialNodeCount: 1 }, 'nowhere', 'Location "nowhere" is not a valid zone or region.'],
    [{ name: 'c1' }, 'us-central1-a', 'Cluster.initial_node_count must be greater than zero.'],
    [
      { name: 'c1', initialNodeCount: 1, nodePools: [{ name: 'a' }] },
      'us-central1-a',
      'Cluster.initial_node_count and Cluster.node_pools cannot both be specified.',
    ],
    [
      { name: 'c1', initialNodeCount: 1, locations: ['europe-west1-b'] },
      'us-central1',
      'Location "europe-west1-b" is not a zone of region "us-central1".',
    ],
    [
      { name: 'c1', initialNodeCount: 1, ipAllocationPolicy: { useIpAliases: true, useRoutes: true } },
      'us-central1-a',
      'Cannot specify both ip_allocation_policy.use_ip_aliases and ip_allocation_policy.use_routes.',
    ],
    [
      {
        name: 'c1',
        initialNodeCount: 1,
        ipAllocationPolicy: { useRoutes: true },
        defaultMaxPodsConstraint: { maxPodsPerNode: '32' },
      },
      'us-central1-a',
      'Max pods constraint can only be set on clusters with alias IPs (VPC-native).',
    ],
    [
      { name: 'c1', initialNodeCount: 1, initialClusterVersion: '1.2.3' },
      'us-central1-a',
      'Master version "1.2.3" is unsupported.',
    ],
    [
      { name: 'c1', initialNodeCount: 1, network: 7 },
      'us-central1-a',
      "Invalid value at 'cluster.network' (TYPE_STRING), 7",
    ],
  ])('refuses %j in %s with a 400', (cluster, location, words) => {
    expect(refusal(() => create(cluster, location))).toContain(words);
  });

  it('refuses a body that is not an object', () => {
    expect(refusal(() => parseCreateCluster('p1', 'us-central1-a', [], ZERO))).toBe(
      "Invalid JSON payload received. 'body' must be an object.",
    );
  });
});

describe('maxPodsOf', () => {
  it('none given: undefined; else an integer between 8 and 256', () => {
    expect(maxPodsOf(undefined, 'f')).toBeUndefined();
    expect(maxPodsOf({ maxPodsPerNode: '8' }, 'f')).toBe(8);
    expect(maxPodsOf({ maxPodsPerNode: 256 }, 'f')).toBe(256);
    expect(refusal(() => maxPodsOf({ maxPodsPerNode: '7' }, 'f'))).toBe(
      'Invalid value for field "f": "7". Maximum pods per node must be between 8 and 256.',
    );
    expect(refusal(() => maxPodsOf({ maxPodsPerNode: 257 }, 'f'))).toContain('between 8 and 256');
  });
});
