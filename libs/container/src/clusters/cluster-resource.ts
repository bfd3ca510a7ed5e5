import { parseCidrOrThrow } from '@gke-emulator/netaddr';
import { object } from '../wire/request-values';
import {
  clusterDefaults,
  instanceGroupBaseName,
  podRangeUtilization,
  withoutDefaults,
} from './cluster-shape';
import { masterIpOf, MAX_PODS_RANGE, podCidrPrefixForMaxPods, randomHex } from './cluster-plan';
import type { ClusterRangePlan } from './cluster-ranges';
import { DEFAULT_GKE_VERSION } from './gke-versions';
import { clusterPath, locationPath } from './locations';
import { renderNodeConfig } from './node-config';

export { DEFAULT_MACHINE_TYPE } from './node-config';

type Json = Record<string, unknown>;

export function nodePoolPath(project: string, location: string, cluster: string, pool: string): string {
  return `${locationPath(project, location)}/clusters/${cluster}/nodePools/${pool}`;
}

/** A pool's instance group manager in one zone, as GKE links it. */
export function instanceGroupUrl(
  project: string,
  zone: string,
  cluster: string,
  pool: string,
  hash: string,
): string {
  return `https://www.googleapis.com/compute/v1/projects/${project}/zones/${zone}/instanceGroupManagers/${instanceGroupBaseName(cluster, pool, hash)}-grp`;
}

/** What a new cluster's stored object is built from. */
export interface NewCluster {
  project: string;
  /** the request's `cluster`, enums by name */
  spec: Json;
  name: string;
  location: string;
  zones: string[];
  network: string;
  subnet: string;
  region: string;
  ranges: Pick<ClusterRangePlan, 'pods' | 'services' | 'create' | 'podRangeName' | 'servicesRangeName'>;
  routesBased: boolean;
  defaultMaxPods?: number;
  hash: string;
  uid: string;
  version: string;
  channel: string;
  projectNumber: string;
  privateEndpoint: string;
  now: Date;
  /** the source of the random hex digits (fingerprints, etag, DNS endpoint) */
  random: () => number;
}

/** A new cluster's stored object: the Container v1 `Cluster` as GKE returns it, less what is derived when read. */
export function buildClusterResource(input: NewCluster): Json {
  const { spec, ranges } = input;
  const hex = () => randomHex(8, input.random);
  const networkPolicy = object(spec['networkPolicy'], 'cluster.networkPolicy');
  const policyEnabled = networkPolicy['enabled'] === true;
  const ipAllocationPolicy = input.routesBased
    ? { useRoutes: true, stackType: 'IPV4' }
    : {
        useIpAliases: true,
        clusterSecondaryRangeName: ranges.podRangeName,
        ...(ranges.servicesRangeName ? { servicesSecondaryRangeName: ranges.servicesRangeName } : {}),
        clusterIpv4Cidr: ranges.pods,
        clusterIpv4CidrBlock: ranges.pods,
        servicesIpv4Cidr: ranges.services,
        servicesIpv4CidrBlock: ranges.services,
        stackType: 'IPV4',
        podCidrOverprovisionConfig: {},
        networkTierConfig: { networkTier: 'NETWORK_TIER_DEFAULT' },
      };
  const window = withoutDefaults(
    object(object(spec['maintenancePolicy'], 'maintenancePolicy')['window'], 'window'),
  );
  const givenNetworkConfig = withoutDefaults(object(spec['networkConfig'], 'cluster.networkConfig'));
  return {
    name: input.name,
    ...(spec['description'] ? { description: spec['description'] } : {}),
    ...clusterDefaults({
      spec,
      version: input.version,
      channel: input.channel,
      networkPolicyEnabled: policyEnabled,
      dnsEndpoint: `gke-${input.uid}${hex()}-${input.projectNumber}.${input.location}.gke.goog`,
      privateEndpoint: input.privateEndpoint,
      publicEndpoint: masterIpOf(input.hash),
    }),
    masterAuth: { clientCertificateConfig: {} },
    loggingService: spec['loggingService'] || 'logging.googleapis.com/kubernetes',
    monitoringService: spec['monitoringService'] || 'monitoring.googleapis.com/kubernetes',
    network: input.network,
    clusterIpv4Cidr: ranges.pods,
    subnetwork: input.subnet,
    locations: input.zones,
    labelFingerprint: hex(),
    ...(spec['resourceLabels'] ? { resourceLabels: spec['resourceLabels'] } : {}),
    ...(policyEnabled
      ? { networkPolicy: { provider: networkPolicy['provider'] ?? 'CALICO', enabled: true } }
      : {}),
    ipAllocationPolicy,
    maintenancePolicy: {
      ...(Object.keys(window).length > 0 ? { window } : {}),
      resourceVersion: hex(),
    },
    networkConfig: {
      ...givenNetworkConfig,
      network: `projects/${input.project}/global/networks/${input.network}`,
      subnetwork: `projects/${input.project}/regions/${input.region}/subnetworks/${input.subnet}`,
      defaultSnatStatus: {},
      serviceExternalIpsConfig: {},
    },
    ...(input.routesBased
      ? {}
      : {
          defaultMaxPodsConstraint: {
            maxPodsPerNode: String(input.defaultMaxPods ?? MAX_PODS_RANGE.default),
          },
        }),
    zone: input.location,
    initialClusterVersion: input.version,
    currentMasterVersion: input.version,
    currentNodeVersion: input.version,
    ...(spec['initialNodeCount'] ? { initialNodeCount: Number(spec['initialNodeCount']) } : {}),
    createTime: input.now.toISOString(),
    // Routes-based nodes take the default max pods' range each.
    ...(input.routesBased ? { nodeIpv4CidrSize: podCidrPrefixForMaxPods(MAX_PODS_RANGE.default) } : {}),
    servicesIpv4Cidr: ranges.services,
    location: input.location,
    id: input.uid,
    etag: hex(),
    gkeCreatedRanges: ranges.create.map((range) => range.rangeName),
  };
}

/** What a cluster's wire object is rendered from: its row and what is read beside it. */
export interface ClusterReading {
  project: string;
  location: string;
  name: string;
  routesBased: boolean;
  podRange: string;
  /** the stored object */
  resource: Json;
  /** the cluster's node pools, rendered (`nodePoolView`) */
  pools: Json[];
  nodeCount: number;
  /** the addresses of its nodes' pod ranges */
  podAddresses: number;
  /** base64 of the CA's PEM */
  caCertificate: string;
  /** the Kubernetes API's `HOST:PORT/path`, or '' */
  endpoint: string;
  link: (path: string) => string;
}

/**
 * The stored object plus what is derived when read: status, endpoint, CA, node pools (and the cluster's
 * `nodeConfig`, which is its first pool's), node count, pod range utilization.
 */
export function clusterView(reading: ClusterReading): Json {
  const { gkeCreatedRanges: _created, ...stored } = reading.resource;
  const utilization = reading.routesBased
    ? undefined
    : podRangeUtilization(reading.podAddresses, 2 ** (32 - parseCidrOrThrow(reading.podRange).prefixLength));
  const nodePools = reading.pools.map((pool) => {
    const networkConfig = pool['networkConfig'] as Json | undefined;
    if (utilization === undefined || !networkConfig?.['podRange']) return pool;
    return { ...pool, networkConfig: { ...networkConfig, podIpv4RangeUtilization: utilization } };
  });
  const ipAllocationPolicy = object(stored['ipAllocationPolicy'], 'ipAllocationPolicy');
  return {
    ...stored,
    ...(utilization !== undefined
      ? { ipAllocationPolicy: { ...ipAllocationPolicy, defaultPodIpv4RangeUtilization: utilization } }
      : {}),
    masterAuth: {
      ...object(stored['masterAuth'], 'masterAuth'),
      clusterCaCertificate: reading.caCertificate,
    },
    ...(nodePools[0] ? { nodeConfig: nodePools[0]['config'] } : {}),
    nodePools,
    endpoint: reading.endpoint,
    instanceGroupUrls: nodePools.flatMap((pool) => (pool['instanceGroupUrls'] as string[] | undefined) ?? []),
    currentNodeCount: reading.nodeCount,
    status: 'RUNNING',
    selfLink: reading.link(clusterPath(reading.project, reading.location, reading.name)),
  };
}

/** What a new node pool's stored object is built from. */
export interface NewNodePool {
  project: string;
  location: string;
  cluster: string;
  routesBased: boolean;
  /** the cluster's pod range and its name (VPC-native clusters) */
  podRange: string;
  podRangeName?: string;
  /** the node subnet's link, `projects/P/regions/R/subnetworks/S` */
  subnetwork: string;
  name: string;
  /** nodes per zone */
  nodeCount: number;
  zones: string[];
  maxPods: number;
  /** the node config as asked for */
  config: Json;
  /** the pool as given in the request */
  given: Json;
  version?: string;
  /** instance group hash per zone */
  groups: Record<string, string>;
  etag: string;
  now: Date;
}

/** A new node pool's stored object: what was asked for; GKE's defaults are filled in when read (`nodePoolView`). */
export function buildNodePoolResource(pool: NewNodePool): Json {
  const upgrade = pool.given['upgradeSettings'] as Json | undefined;
  return {
    name: pool.name,
    // What was asked for; GKE's defaults are filled in when read (they follow the pool's version).
    config: pool.config,
    initialNodeCount: pool.nodeCount,
    locations: pool.zones,
    networkConfig: pool.routesBased
      ? {}
      : {
          podRange: pool.podRangeName,
          podIpv4CidrBlock: pool.podRange,
          subnetwork: pool.subnetwork,
          networkTierConfig: { networkTier: 'NETWORK_TIER_DEFAULT' },
        },
    selfLink: nodePoolPath(pool.project, pool.location, pool.cluster, pool.name),
    version: pool.version,
    instanceGroupUrls: pool.zones.map((zone) =>
      instanceGroupUrl(pool.project, zone, pool.cluster, pool.name, pool.groups[zone] as string),
    ),
    status: 'RUNNING',
    ...(pool.given['autoscaling'] ? { autoscaling: pool.given['autoscaling'] } : {}),
    management: {
      autoUpgrade: true,
      autoRepair: true,
      ...((pool.given['management'] as Json | undefined) ?? {}),
    },
    ...(pool.routesBased ? {} : { maxPodsConstraint: { maxPodsPerNode: String(pool.maxPods) } }),
    podIpv4CidrSize: podCidrPrefixForMaxPods(pool.maxPods),
    upgradeSettings: { maxSurge: 1, strategy: 'SURGE', ...(upgrade ?? {}) },
    etag: pool.etag,
    // The TPM bootstrap certificate of the pool's kubelets, valid five years.
    kubeletCertInfo: { tpmBootstrapCertExpireTime: fiveYearsFrom(pool.now) },
    groups: pool.groups,
  };
}

/** A stored node pool as the API returns it: GKE's node config defaults for its version, an absolute selfLink. */
export function nodePoolView(stored: Json, link: (path: string) => string): Json {
  const { groups: _groups, instanceTemplateHash: _template, selfLink, config, version, ...rest } = stored;
  const running = String(version ?? DEFAULT_GKE_VERSION);
  return {
    ...rest,
    config: renderNodeConfig((config as Json | undefined) ?? {}, running),
    version: running,
    selfLink: link(String(selfLink)),
  };
}

function fiveYearsFrom(now: Date): string {
  const expiry = new Date(now);
  expiry.setUTCFullYear(expiry.getUTCFullYear() + 5);
  return `${expiry.toISOString().slice(0, 19)}Z`;
}
