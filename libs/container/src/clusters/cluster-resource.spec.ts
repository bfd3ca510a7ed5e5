import { describe, expect, it } from 'vitest';
import {
  buildClusterResource,
  buildNodePoolResource,
  type ClusterReading,
  clusterView,
  instanceGroupUrl,
  type NewCluster,
  type NewNodePool,
  nodePoolPath,
  nodePoolView,
} from './cluster-resource';

type Json = Record<string, unknown>;

/** A fixed random source: every hex digit it draws is `8`. */
const HALF = () => 0.5;

const NEW_CLUSTER: NewCluster = {
  project: 'p1',
  spec: { name: 'c1', initialNodeCount: 3 },
  name: 'c1',
  location: 'us-central1-a',
  zones: ['us-central1-a'],
  network: 'default',
  subnet: 'default',
  region: 'us-central1',
  ranges: {
    pods: '10.4.0.0/14',
    services: '34.118.224.0/20',
    create: [{ rangeName: 'gke-c1-pods-a1b2c3d4', ipCidrRange: '10.4.0.0/14' }],
    podRangeName: 'gke-c1-pods-a1b2c3d4',
    servicesRangeName: undefined,
  },
  routesBased: false,
  hash: 'a1b2c3d4',
  uid: 'a1b2c3d4'.padEnd(32, '0'),
  version: '1.33.5-gke.1308000',
  channel: 'REGULAR',
  projectNumber: '123456789012',
  privateEndpoint: '10.128.15.254',
  now: new Date('2026-01-02T03:04:05.678Z'),
  random: HALF,
};

describe('buildClusterResource', () => {
  it('a VPC-native cluster: IP aliases over the planned ranges, the default max pods, what GKE created', () => {
    const resource = buildClusterResource(NEW_CLUSTER);
    expect(resource).toMatchObject({
      name: 'c1',
      network: 'default',
      subnetwork: 'default',
      clusterIpv4Cidr: '10.4.0.0/14',
      servicesIpv4Cidr: '34.118.224.0/20',
      locations: ['us-central1-a'],
      zone: 'us-central1-a',
      location: 'us-central1-a',
      ipAllocationPolicy: {
        useIpAliases: true,
        clusterSecondaryRangeName: 'gke-c1-pods-a1b2c3d4',
        clusterIpv4Cidr: '10.4.0.0/14',
        clusterIpv4CidrBlock: '10.4.0.0/14',
        servicesIpv4Cidr: '34.118.224.0/20',
        servicesIpv4CidrBlock: '34.118.224.0/20',
        stackType: 'IPV4',
      },
      defaultMaxPodsConstraint: { maxPodsPerNode: '110' },
      initialClusterVersion: '1.33.5-gke.1308000',
      currentMasterVersion: '1.33.5-gke.1308000',
      currentNodeVersion: '1.33.5-gke.1308000',
      initialNodeCount: 3,
      createTime: '2026-01-02T03:04:05.678Z',
      id: NEW_CLUSTER.uid,
      gkeCreatedRanges: ['gke-c1-pods-a1b2c3d4'],
      loggingService: 'logging.googleapis.com/kubernetes',
      monitoringService: 'monitoring.googleapis.com/kubernetes',
      masterAuth: { clientCertificateConfig: {} },
    });
    expect((resource['ipAllocationPolicy'] as Json)['servicesSecondaryRangeName']).toBeUndefined();
    expect(resource['nodeIpv4CidrSize']).toBeUndefined();
    expect(resource['networkPolicy']).toBeUndefined();
  });

  it('links the network and subnetwork in networkConfig, keeping what was given less proto defaults', () => {
    const resource = buildClusterResource({
      ...NEW_CLUSTER,
      spec: { networkConfig: { enableIntraNodeVisibility: true, enableL4ilbSubsetting: false } },
    });
    expect(resource['networkConfig']).toEqual({
      enableIntraNodeVisibility: true,
      network: 'projects/p1/global/networks/default',
      subnetwork: 'projects/p1/regions/us-central1/subnetworks/default',
      defaultSnatStatus: {},
      serviceExternalIpsConfig: {},
    });
  });

  it('draws its random values from the injected source', () => {
    const resource = buildClusterResource(NEW_CLUSTER);
    expect(resource['labelFingerprint']).toBe('88888888');
    expect(resource['etag']).toBe('88888888');
    expect(resource['maintenancePolicy']).toEqual({ resourceVersion: '88888888' });
    expect(resource['endpoint']).toBeUndefined();
    expect(JSON.stringify(resource)).toContain(
      `gke-${NEW_CLUSTER.uid}88888888-123456789012.us-central1-a.gke.goog`,
    );
  });

  it('a routes-based cluster: routes, a /24 per node, no max pods constraint', () => {
    const resource = buildClusterResource({
      ...NEW_CLUSTER,
      routesBased: true,
      ranges: { pods: '10.0.0.0/14', services: '10.3.240.0/20', create: [] },
    });
    expect(resource['ipAllocationPolicy']).toEqual({ useRoutes: true, stackType: 'IPV4' });
    expect(resource['nodeIpv4CidrSize']).toBe(24);
    expect(resource['defaultMaxPodsConstraint']).toBeUndefined();
    expect(resource['gkeCreatedRanges']).toEqual([]);
  });

  it('keeps the description, labels, a named services range, Calico and a maintenance window', () => {
    const window = { dailyMaintenanceWindow: { startTime: '03:00' } };
    const resource = buildClusterResource({
      ...NEW_CLUSTER,
      defaultMaxPods: 32,
      spec: {
        description: 'mine',
        resourceLabels: { team: 'a' },
        networkPolicy: { enabled: true },
        maintenancePolicy: { window },
        loggingService: 'none',
      },
      ranges: { ...NEW_CLUSTER.ranges, servicesRangeName: 'svc' },
    });
    expect(resource).toMatchObject({
      description: 'mine',
      resourceLabels: { team: 'a' },
      networkPolicy: { provider: 'CALICO', enabled: true },
      maintenancePolicy: { window, resourceVersion: '88888888' },
      defaultMaxPodsConstraint: { maxPodsPerNode: '32' },
      loggingService: 'none',
      ipAllocationPolicy: { servicesSecondaryRangeName: 'svc' },
    });
    expect(resource['initialNodeCount']).toBeUndefined();
  });
});

const READING: ClusterReading = {
  project: 'p1',
  location: 'us-central1',
  name: 'c1',
  routesBased: false,
  podRange: '10.4.0.0/14',
  resource: {
    name: 'c1',
    gkeCreatedRanges: ['gke-c1-pods-a1b2c3d4'],
    ipAllocationPolicy: { useIpAliases: true },
    masterAuth: { clientCertificateConfig: {} },
  },
  pools: [
    {
      name: 'default-pool',
      config: { machineType: 'e2-medium' },
      networkConfig: { podRange: 'gke-c1-pods-a1b2c3d4' },
      instanceGroupUrls: ['a-grp', 'b-grp'],
    },
    { name: 'second', config: { machineType: 'e2-small' }, networkConfig: {}, instanceGroupUrls: ['c-grp'] },
  ],
  nodeCount: 3,
  podAddresses: 3 * 256,
  caCertificate: 'Q0E=',
  endpoint: '127.0.0.1:6443/k8s/p1/us-central1/c1',
  link: (path) => `http://localhost/v1/${path}`,
};

describe('clusterView', () => {
  it('adds what is derived when read and hides what GKE created', () => {
    const view = clusterView(READING);
    expect(view).toMatchObject({
      name: 'c1',
      status: 'RUNNING',
      currentNodeCount: 3,
      endpoint: '127.0.0.1:6443/k8s/p1/us-central1/c1',
      masterAuth: { clientCertificateConfig: {}, clusterCaCertificate: 'Q0E=' },
      nodeConfig: { machineType: 'e2-medium' },
      instanceGroupUrls: ['a-grp', 'b-grp', 'c-grp'],
      selfLink: 'http://localhost/v1/projects/p1/locations/us-central1/clusters/c1',
    });
    expect(view['gkeCreatedRanges']).toBeUndefined();
  });

  it('reports the pod range utilization on the cluster and on the pools that use the cluster`s range', () => {
    const view = clusterView(READING);
    // 768 of the /14's 262144 addresses
    expect((view['ipAllocationPolicy'] as Json)['defaultPodIpv4RangeUtilization']).toBe(0.003);
    const pools = view['nodePools'] as Json[];
    expect((pools[0]?.['networkConfig'] as Json)['podIpv4RangeUtilization']).toBe(0.003);
    expect(pools[1]?.['networkConfig']).toEqual({});
  });

  it('reports no utilization for an empty or routes-based cluster', () => {
    for (const reading of [
      { ...READING, podAddresses: 0 },
      { ...READING, routesBased: true },
    ]) {
      const view = clusterView(reading);
      expect((view['ipAllocationPolicy'] as Json)['defaultPodIpv4RangeUtilization']).toBeUndefined();
      expect(((view['nodePools'] as Json[])[0]?.['networkConfig'] as Json)['podIpv4RangeUtilization']).toBe(
        undefined,
      );
    }
  });

  it('a cluster without pools has no nodeConfig and no instance groups', () => {
    const view = clusterView({ ...READING, pools: [], nodeCount: 0, podAddresses: 0 });
    expect(view['nodeConfig']).toBeUndefined();
    expect(view).toMatchObject({ nodePools: [], instanceGroupUrls: [], currentNodeCount: 0 });
  });

  it('links a zonal cluster under zones/', () => {
    expect(clusterView({ ...READING, location: 'us-central1-a' })['selfLink']).toBe(
      'http://localhost/v1/projects/p1/zones/us-central1-a/clusters/c1',
    );
  });
});

const NEW_POOL: NewNodePool = {
  project: 'p1',
  location: 'us-central1',
  cluster: 'c1',
  routesBased: false,
  podRange: '10.4.0.0/14',
  podRangeName: 'gke-c1-pods-a1b2c3d4',
  subnetwork: 'projects/p1/regions/us-central1/subnetworks/default',
  name: 'default-pool',
  nodeCount: 1,
  zones: ['us-central1-a', 'us-central1-b'],
  maxPods: 110,
  config: { machineType: 'e2-standard-4' },
  given: {},
  version: '1.33.5-gke.1308000',
  groups: { 'us-central1-a': '11111111', 'us-central1-b': '22222222' },
  etag: 'etag-1',
  now: new Date('2026-01-02T03:04:05.678Z'),
};

describe('buildNodePoolResource', () => {
  it('a VPC-native pool: the cluster`s pod range, max pods, instance groups per zone, a five-year kubelet cert', () => {
    expect(buildNodePoolResource(NEW_POOL)).toEqual({
      name: 'default-pool',
      config: { machineType: 'e2-standard-4' },
      initialNodeCount: 1,
      locations: ['us-central1-a', 'us-central1-b'],
      networkConfig: {
        podRange: 'gke-c1-pods-a1b2c3d4',
        podIpv4CidrBlock: '10.4.0.0/14',
        subnetwork: 'projects/p1/regions/us-central1/subnetworks/default',
        networkTierConfig: { networkTier: 'NETWORK_TIER_DEFAULT' },
      },
      selfLink: 'projects/p1/locations/us-central1/clusters/c1/nodePools/default-pool',
      version: '1.33.5-gke.1308000',
      instanceGroupUrls: [
        instanceGroupUrl('p1', 'us-central1-a', 'c1', 'default-pool', '11111111'),
        instanceGroupUrl('p1', 'us-central1-b', 'c1', 'default-pool', '22222222'),
      ],
      status: 'RUNNING',
      management: { autoUpgrade: true, autoRepair: true },
      maxPodsConstraint: { maxPodsPerNode: '110' },
      podIpv4CidrSize: 24,
      upgradeSettings: { maxSurge: 1, strategy: 'SURGE' },
      etag: 'etag-1',
      kubeletCertInfo: { tpmBootstrapCertExpireTime: '2031-01-02T03:04:05Z' },
      groups: { 'us-central1-a': '11111111', 'us-central1-b': '22222222' },
    });
  });

  it('a routes-based pool: no pod range, no max pods constraint', () => {
    const resource = buildNodePoolResource({ ...NEW_POOL, routesBased: true });
    expect(resource['networkConfig']).toEqual({});
    expect(resource['maxPodsConstraint']).toBeUndefined();
  });

  it('keeps the autoscaling, management and upgrade settings given', () => {
    const resource = buildNodePoolResource({
      ...NEW_POOL,
      maxPods: 32,
      given: {
        autoscaling: { enabled: true, maxNodeCount: 3 },
        management: { autoRepair: false },
        upgradeSettings: { maxSurge: 2, maxUnavailable: 1 },
      },
    });
    expect(resource).toMatchObject({
      autoscaling: { enabled: true, maxNodeCount: 3 },
      management: { autoUpgrade: true, autoRepair: false },
      upgradeSettings: { maxSurge: 2, maxUnavailable: 1, strategy: 'SURGE' },
      maxPodsConstraint: { maxPodsPerNode: '32' },
      podIpv4CidrSize: 26,
    });
  });

  it('names instance groups after the cluster and pool, as GKE does', () => {
    expect(nodePoolPath('p1', 'us-central1-a', 'c1', 'pool')).toBe(
      'projects/p1/zones/us-central1-a/clusters/c1/nodePools/pool',
    );
    expect(instanceGroupUrl('p1', 'us-central1-a', 'c1', 'pool', 'abcdef01')).toBe(
      'https://www.googleapis.com/compute/v1/projects/p1/zones/us-central1-a/instanceGroupManagers/gke-c1-pool-abcdef01-grp',
    );
  });
});

describe('nodePoolView', () => {
  it('fills in node config defaults for the pool`s version, hides the groups and links itself', () => {
    const stored = buildNodePoolResource(NEW_POOL);
    const view = nodePoolView(
      { ...stored, instanceTemplateHash: 'abcd1234' },
      (path) => `http://h/v1/${path}`,
    );
    expect(view['groups']).toBeUndefined();
    expect(view['instanceTemplateHash']).toBeUndefined();
    expect(view['selfLink']).toBe(
      'http://h/v1/projects/p1/locations/us-central1/clusters/c1/nodePools/default-pool',
    );
    expect(view['version']).toBe('1.33.5-gke.1308000');
    expect(view['config']).toMatchObject({ machineType: 'e2-standard-4', diskSizeGb: 100 });
  });

  it('a pool without a version runs the default one', () => {
    const view = nodePoolView({ selfLink: 'x', config: {} }, (path) => path);
    expect(typeof view['version']).toBe('string');
    expect(view['config']).toMatchObject({ machineType: 'e2-medium' });
  });
});
