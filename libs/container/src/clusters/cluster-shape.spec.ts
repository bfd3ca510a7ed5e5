import { describe, expect, it } from 'vitest';
import {
  clusterDefaults,
  instanceGroupBaseName,
  podRangeUtilization,
  withoutDefaults,
} from './cluster-shape';

const input = {
  version: '1.35.6-gke.1250000',
  channel: 'REGULAR',
  networkPolicyEnabled: false,
  dnsEndpoint: 'gke-x-123.us-central1-a.gke.goog',
  privateEndpoint: '10.128.15.254',
  publicEndpoint: '203.0.113.7',
};

/** What KCC sends on every recorded cluster create. */
const KCC_SPEC = {
  autopilot: { enabled: false },
  autoscaling: { enableNodeAutoprovisioning: false },
  binaryAuthorization: { enabled: false },
  controlPlaneEndpointsConfig: {
    dnsEndpointConfig: { allowExternalTraffic: false, enableK8sTokensViaDns: false },
    ipEndpointsConfig: {
      authorizedNetworksConfig: {},
      enablePublicEndpoint: true,
      enabled: true,
      globalAccess: false,
      privateEndpointSubnetwork: '',
    },
  },
  legacyAbac: { enabled: false },
  networkConfig: {},
  networkPolicy: {},
  notificationConfig: { pubsub: {} },
  shieldedNodes: { enabled: true },
};

describe('cluster defaults (recorded KCC traffic)', () => {
  it('containercluster-swap: what GKE fills in on a 1.35 Standard cluster', () => {
    const shape = clusterDefaults({ ...input, spec: KCC_SPEC });
    expect(shape).toMatchObject({
      addonsConfig: {
        dnsCacheConfig: { enabled: true },
        gcePersistentDiskCsiDriverConfig: { enabled: true },
        kubernetesDashboard: { disabled: true },
        networkPolicyConfig: { disabled: true },
        nodeReadinessConfig: {},
      },
      anonymousAuthenticationConfig: { mode: 'LIMITED' },
      autopilot: {},
      autoscaling: { autoscalingProfile: 'BALANCED' },
      binaryAuthorization: {},
      controlPlaneEgress: { mode: 'VIA_CONTROL_PLANE' },
      controlPlaneEndpointsConfig: {
        dnsEndpointConfig: {
          allowExternalTraffic: false,
          enableK8sCertsViaDns: false,
          enableK8sTokensViaDns: false,
          endpoint: input.dnsEndpoint,
        },
        ipEndpointsConfig: {
          authorizedNetworksConfig: { gcpPublicCidrsAccessEnabled: true },
          enablePublicEndpoint: true,
          enabled: true,
          privateEndpoint: input.privateEndpoint,
          publicEndpoint: input.publicEndpoint,
        },
      },
      databaseEncryption: { currentState: 'CURRENT_STATE_DECRYPTED', state: 'DECRYPTED' },
      enterpriseConfig: { clusterTier: 'STANDARD' },
      legacyAbac: {},
      masterAuthorizedNetworksConfig: { gcpPublicCidrsAccessEnabled: true },
      nodeCreationConfig: { nodeCreationMode: 'VIA_KUBELET' },
      notificationConfig: { pubsub: {} },
      podAutoscaling: { hpaProfile: 'PERFORMANCE' },
      privateClusterConfig: { privateEndpoint: input.privateEndpoint, publicEndpoint: input.publicEndpoint },
      releaseChannel: { channel: 'REGULAR' },
      securityPostureConfig: { mode: 'BASIC', vulnerabilityMode: 'VULNERABILITY_MODE_UNSPECIFIED' },
      shieldedNodes: { enabled: true },
      userManagedKeysConfig: {},
    });
    // `globalAccess: false` and an empty `privateEndpointSubnetwork` are not echoed; no empty httpLoadBalancing.
    const ip = (shape['controlPlaneEndpointsConfig'] as Record<string, Record<string, unknown>>)[
      'ipEndpointsConfig'
    ];
    expect(ip).not.toHaveProperty('globalAccess');
    expect(ip).not.toHaveProperty('privateEndpointSubnetwork');
    expect(shape['addonsConfig']).not.toHaveProperty('httpLoadBalancing');
  });

  it('containernodepool-swap-gib: a 1.34 cluster has ENABLED anonymous auth, no node readiness add-on, no nodeCreationConfig', () => {
    const shape = clusterDefaults({
      ...input,
      version: '1.34.9-gke.1131000',
      channel: 'STABLE',
      spec: KCC_SPEC,
    });
    expect(shape['anonymousAuthenticationConfig']).toEqual({ mode: 'ENABLED' });
    expect(shape['addonsConfig']).not.toHaveProperty('nodeReadinessConfig');
    expect(shape).not.toHaveProperty('nodeCreationConfig');
  });

  it('what the request sets is kept: network policy add-on, authorized networks, disabled public endpoint', () => {
    const shape = clusterDefaults({
      ...input,
      networkPolicyEnabled: true,
      spec: {
        addonsConfig: { httpLoadBalancing: { disabled: true }, horizontalPodAutoscaling: {} },
        masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [{ cidrBlock: '1.2.3.0/24' }] },
        controlPlaneEndpointsConfig: { ipEndpointsConfig: { enablePublicEndpoint: false } },
      },
    });
    expect(shape['addonsConfig']).toMatchObject({
      networkPolicyConfig: {},
      httpLoadBalancing: { disabled: true },
    });
    expect(shape['addonsConfig']).not.toHaveProperty('horizontalPodAutoscaling');
    expect(shape['masterAuthorizedNetworksConfig']).toEqual({
      gcpPublicCidrsAccessEnabled: true,
      enabled: true,
      cidrBlocks: [{ cidrBlock: '1.2.3.0/24' }],
    });
    expect(shape['privateClusterConfig']).toEqual({ privateEndpoint: input.privateEndpoint });
  });

  it('withoutDefaults drops proto3 defaults but keeps set messages', () => {
    expect(withoutDefaults({ a: false, b: '', c: 0, d: [], e: {}, f: { g: false, h: 1 } })).toEqual({
      e: {},
      f: { h: 1 },
    });
  });

  it('containercluster-swap-dedicated-ssd: one /24 node range of a /14 pod range is 0.001 used; three are 0.003', () => {
    expect(podRangeUtilization(256, 2 ** 18)).toBe(0.001);
    expect(podRangeUtilization(3 * 256, 2 ** 18)).toBe(0.003);
    expect(podRangeUtilization(0, 2 ** 18)).toBeUndefined();
  });

  it.each([
    // containercluster-swap: a 20-character cluster prefix beside "default-pool"
    ['containercluster-f6gabcdefgh', 'default-pool', 'gke-containercluster-f6g-default-pool-a09d3c5a'],
    // containernodepool-kubeletconfig: both long, 16 each
    [
      'cluster-sample-fydeyabcde',
      'nodepool-sample-fydeyabcde',
      'gke-cluster-sample-f-nodepool-sample--a09d3c5a',
    ],
    ['cluster-sample-fydeyabcde', 'default-pool', 'gke-cluster-sample-fydey-default-pool-a09d3c5a'],
    ['c1', 'default-pool', 'gke-c1-default-pool-a09d3c5a'],
    ['c1', 'a-very-long-node-pool-name-of-forty-chars', 'gke-c1-a-very-long-node-pool-name-of--a09d3c5a'],
  ])('instance group base name of %s/%s is %s', (cluster, pool, expected) => {
    expect(instanceGroupBaseName(cluster, pool, 'a09d3c5a')).toBe(expected);
  });
});
