import { DEFAULT_OAUTH_SCOPES } from './node-config';
import { atLeast } from './gke-versions';

type Json = Record<string, unknown>;

/** The services range GKE manages itself for VPC-native clusters that name none (since GKE 1.29). */
export const GKE_MANAGED_SERVICES_RANGE = '34.118.224.0/20';

function object(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/**
 * A request message as GKE stores it: proto3 drops `false`, `""`, `0` and empty lists, so `{enabled: false}` reads
 * back as `{}` and `{globalAccess: false, privateEndpointSubnetwork: ""}` loses both keys. Nested messages stay
 * (an empty message is still set).
 */
export function withoutDefaults(value: Json): Json {
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === false || item === '' || item === 0 || item === null || item === undefined) continue;
    if (Array.isArray(item) && item.length === 0) continue;
    out[key] =
      item && typeof item === 'object' && !Array.isArray(item) ? withoutDefaults(item as Json) : item;
  }
  return out;
}

/** Non-empty messages of `given` merged over `defaults` (an empty message asks for nothing). */
function mergeSet(defaults: Json, given: Json): Json {
  const out: Json = { ...defaults };
  for (const [key, value] of Object.entries(withoutDefaults(given))) {
    const empty =
      value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
    if (!empty) out[key] = value;
  }
  return out;
}

export interface ClusterShapeInput {
  spec: Json;
  version: string;
  channel: string;
  networkPolicyEnabled: boolean;
  /** the cluster's 40-hex DNS endpoint id, the project number and location: the DNS endpoint's name */
  dnsEndpoint: string;
  privateEndpoint: string;
  publicEndpoint: string;
}

/**
 * The configuration blocks GKE fills in on a new Standard cluster, as the recorded clusters show them, with what the
 * request set merged in. Version-dependent defaults follow the version: from 1.35 anonymous authentication is
 * LIMITED, the node readiness add-on is listed and `nodeCreationConfig` reports VIA_KUBELET.
 */
export function clusterDefaults(input: ClusterShapeInput): Json {
  const { spec, version } = input;
  const v135 = atLeast(version, '1.35');
  const endpoints = object(spec['controlPlaneEndpointsConfig']);
  const dns = withoutDefaults(object(endpoints['dnsEndpointConfig']));
  const ip = object(endpoints['ipEndpointsConfig']);
  const givenAuthorized = object(spec['masterAuthorizedNetworksConfig']);
  const authorized = {
    gcpPublicCidrsAccessEnabled: true,
    ...withoutDefaults(object(ip['authorizedNetworksConfig'])),
    ...withoutDefaults(givenAuthorized),
  };
  const enablePublicEndpoint = ip['enablePublicEndpoint'] !== false;
  return {
    addonsConfig: mergeSet(
      {
        dnsCacheConfig: { enabled: true },
        gcePersistentDiskCsiDriverConfig: { enabled: true },
        kubernetesDashboard: { disabled: true },
        networkPolicyConfig: input.networkPolicyEnabled ? {} : { disabled: true },
        ...(v135 ? { nodeReadinessConfig: {} } : {}),
      },
      object(spec['addonsConfig']),
    ),
    anonymousAuthenticationConfig: {
      mode: v135 ? 'LIMITED' : 'ENABLED',
      ...withoutDefaults(object(spec['anonymousAuthenticationConfig'])),
    },
    autopilot: withoutDefaults(object(spec['autopilot'])),
    autoscaling: {
      autoprovisioningNodePoolDefaults: {
        imageType: 'COS_CONTAINERD',
        management: { autoRepair: true, autoUpgrade: true },
        oauthScopes: DEFAULT_OAUTH_SCOPES,
        serviceAccount: 'default',
      },
      autoscalingProfile: 'BALANCED',
      ...withoutDefaults(object(spec['autoscaling'])),
    },
    binaryAuthorization: withoutDefaults(object(spec['binaryAuthorization'])),
    controlPlaneEgress: { mode: 'VIA_CONTROL_PLANE' },
    controlPlaneEndpointsConfig: {
      dnsEndpointConfig: {
        allowExternalTraffic: false,
        enableK8sCertsViaDns: false,
        enableK8sTokensViaDns: false,
        ...dns,
        endpoint: input.dnsEndpoint,
      },
      ipEndpointsConfig: {
        authorizedNetworksConfig: authorized,
        enablePublicEndpoint,
        enabled: true,
        ...(ip['globalAccess'] === true ? { globalAccess: true } : {}),
        privateEndpoint: input.privateEndpoint,
        ...(enablePublicEndpoint ? { publicEndpoint: input.publicEndpoint } : {}),
      },
    },
    databaseEncryption: { currentState: 'CURRENT_STATE_DECRYPTED', state: 'DECRYPTED' },
    enterpriseConfig: { clusterTier: 'STANDARD' },
    legacyAbac: withoutDefaults(object(spec['legacyAbac'])),
    loggingConfig: mergeSet(
      { componentConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'WORKLOADS'] } },
      object(spec['loggingConfig']),
    ),
    masterAuthorizedNetworksConfig: authorized,
    monitoringConfig: mergeSet(
      {
        advancedDatapathObservabilityConfig: {},
        componentConfig: {
          enableComponents: [
            'SYSTEM_COMPONENTS',
            'STORAGE',
            'HPA',
            'POD',
            'DAEMONSET',
            'DEPLOYMENT',
            'STATEFULSET',
            'CADVISOR',
            'KUBELET',
            'DCGM',
            'JOBSET',
          ],
        },
        managedPrometheusConfig: { enabled: true },
      },
      object(spec['monitoringConfig']),
    ),
    ...(v135 ? { nodeCreationConfig: { nodeCreationMode: 'VIA_KUBELET' } } : {}),
    nodePoolAutoConfig: { nodeKubeletConfig: { insecureKubeletReadonlyPortEnabled: false } },
    nodePoolDefaults: {
      nodeConfigDefaults: {
        loggingConfig: { variantConfig: { variant: 'DEFAULT' } },
        nodeKubeletConfig: { insecureKubeletReadonlyPortEnabled: false },
      },
    },
    notificationConfig: { pubsub: {}, ...withoutDefaults(object(spec['notificationConfig'])) },
    podAutoscaling: { hpaProfile: 'PERFORMANCE' },
    privateClusterConfig: {
      privateEndpoint: input.privateEndpoint,
      ...(enablePublicEndpoint ? { publicEndpoint: input.publicEndpoint } : {}),
    },
    rbacBindingConfig: {
      enableInsecureBindingSystemAuthenticated: true,
      enableInsecureBindingSystemUnauthenticated: true,
    },
    releaseChannel: { channel: input.channel },
    securityPostureConfig: {
      mode: 'BASIC',
      vulnerabilityMode: 'VULNERABILITY_MODE_UNSPECIFIED',
      ...withoutDefaults(object(spec['securityPostureConfig'])),
    },
    shieldedNodes: { enabled: object(spec['shieldedNodes'])['enabled'] !== false },
    userManagedKeysConfig: {},
  };
}

/** A pod range's use as GKE reports it: the share of its addresses given to nodes, to three decimals; 0 is left out. */
export function podRangeUtilization(allocated: number, rangeSize: number): number | undefined {
  if (rangeSize <= 0) return undefined;
  const share = Math.round((allocated / rangeSize) * 1000) / 1000;
  return share > 0 ? share : undefined;
}

/**
 * GKE's instance group names: `gke-<cluster>-<pool>-<8 hex>-grp`, cluster and pool cut to 32 characters together,
 * each keeping at least 16 and the shorter one giving its spare room to the other (the recordings:
 * `gke-containercluster-f6g-default-pool-…` keeps 20 + 12, `gke-cluster-sample-f-nodepool-sample--…` 16 + 16).
 */
export function instanceGroupBaseName(cluster: string, pool: string, hash: string): string {
  const budget = 32;
  let [c, p] = [cluster.length, pool.length];
  if (c + p > budget) {
    if (p < budget / 2) c = budget - p;
    else if (c < budget / 2) p = budget - c;
    else [c, p] = [budget / 2, budget / 2];
  }
  return `gke-${cluster.slice(0, c)}-${pool.slice(0, p)}-${hash}`;
}
