import { relativeReference } from '@gke-emulator/common';
import { assertRequestBody, ContainerErrors } from '../wire/container-errors';
import { enumsToNames, EnumValueError } from '../wire/enums';
import { object, str } from '../wire/request-values';
import { assertResourceLabels } from '../wire/resource-labels';
import { defaultZones, isRegion, isZone, MAX_PODS_RANGE, randomHex, regionOf } from './cluster-plan';
import { channelFor, type ReleaseChannel, resolveVersion, RELEASE_CHANNELS } from './gke-versions';
import { type NodePoolSpec, parseNodePoolSpec } from './node-pool-request';

type Json = Record<string, unknown>;

const CLUSTER_NAME = /^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/;

/** Lets a rejected enum or a bad body read as the Container API's 400. */
export function normalize(message: string, value: unknown, field: string): Json {
  const named = field === '' ? assertRequestBody(message, value) : value;
  try {
    return (enumsToNames(message, named, field) ?? {}) as Json;
  } catch (error) {
    if (error instanceof EnumValueError) throw ContainerErrors.invalid(error.message);
    throw error;
  }
}

/** A checked CreateClusterRequest: what the create's transaction needs of it. */
export interface ClusterCreation {
  name: string;
  /** the request's `cluster`, enums by name */
  spec: Json;
  region: string;
  zones: string[];
  /** the request's `ipAllocationPolicy` */
  ipPolicy: Json;
  routesBased: boolean;
  version: string;
  channel: ReleaseChannel;
  defaultMaxPods?: number;
  poolSpecs: NodePoolSpec[];
  /** the cluster's uid; its first 8 hex digits (`hash`) name what GKE creates for it */
  uid: string;
  hash: string;
  networkName: string;
  /** the subnetwork asked for, a name or a link */
  subnetName?: string;
}

/** Checks a CreateClusterRequest as GKE does before touching anything: the Container API's 400 on a bad one. */
export function parseCreateCluster(
  project: string,
  location: string,
  rawBody: unknown,
  random: () => number = Math.random,
): ClusterCreation {
  assertLocation(location);
  const body = normalize('CreateClusterRequest', object(rawBody, 'body'), '');
  const spec = normalize('Cluster', object(body['cluster'], 'cluster'), 'cluster');
  const name = str(spec['name'], 'cluster.name');
  if (!name) throw ContainerErrors.invalid('Cluster.name must be specified.');
  if (!CLUSTER_NAME.test(name)) {
    throw ContainerErrors.invalid(
      `Invalid value for field "cluster.name": "${name}". Cluster names must start with a lowercase letter followed by up to 39 lowercase letters, numbers, or hyphens, and cannot end with a hyphen.`,
    );
  }
  assertResourceLabels(spec['resourceLabels'], 'cluster.resourceLabels');
  const region = regionOf(location);
  const zones = zonesOf(spec, location);

  const ipPolicy = object(spec['ipAllocationPolicy'], 'cluster.ipAllocationPolicy');
  if (ipPolicy['useIpAliases'] === true && ipPolicy['useRoutes'] === true) {
    throw ContainerErrors.invalid(
      'Cannot specify both ip_allocation_policy.use_ip_aliases and ip_allocation_policy.use_routes.',
    );
  }
  // GKE makes new clusters VPC-native even when `useIpAliases` is false: only an explicit `useRoutes` gives a
  // routes-based cluster (the recordings: `useIpAliases: false` → `useIpAliases: true` and a pods range).
  const routesBased = ipPolicy['useRoutes'] === true;
  const { version, channel } = versionAndChannel(spec);
  const defaultMaxPods = maxPodsOf(
    spec['defaultMaxPodsConstraint'],
    'cluster.defaultMaxPodsConstraint.maxPodsPerNode',
  );
  if (routesBased && defaultMaxPods !== undefined) {
    throw ContainerErrors.invalid(
      'Max pods constraint can only be set on clusters with alias IPs (VPC-native).',
    );
  }
  const poolSpecs = poolSpecsOf(spec, zones, defaultMaxPods ?? MAX_PODS_RANGE.default, routesBased);
  // The cluster's uid; its first 8 hex digits name what GKE creates for it (pods range, firewall rules).
  const uid = randomHex(32, random);
  const hash = uid.slice(0, 8);
  const networkName = nameOfLink(
    project,
    str(spec['network'], 'cluster.network') ?? 'default',
    'global/networks',
  );
  const subnetName = str(spec['subnetwork'], 'cluster.subnetwork');
  return {
    name,
    spec,
    region,
    zones,
    ipPolicy,
    routesBased,
    version,
    channel,
    defaultMaxPods,
    poolSpecs,
    uid,
    hash,
    networkName,
    subnetName,
  };
}

function zonesOf(spec: Json, location: string): string[] {
  const given = spec['locations'];
  if (Array.isArray(given) && given.length > 0) {
    for (const zone of given) {
      if (typeof zone !== 'string' || !isZone(zone) || regionOf(zone) !== regionOf(location)) {
        throw ContainerErrors.invalid(
          `Location "${String(zone)}" is not a zone of region "${regionOf(location)}".`,
        );
      }
    }
    return given as string[];
  }
  return isZone(location) ? [location] : defaultZones(location);
}

function poolSpecsOf(
  spec: Json,
  zones: string[],
  defaultMaxPods: number,
  routesBased: boolean,
): NodePoolSpec[] {
  const initial = spec['initialNodeCount'];
  const pools = spec['nodePools'];
  if (Array.isArray(pools) && pools.length > 0) {
    if (initial !== undefined && Number(initial) !== 0) {
      throw ContainerErrors.invalid(
        'Cluster.initial_node_count and Cluster.node_pools cannot both be specified.',
      );
    }
    return pools.map((pool, index) =>
      parseNodePoolSpec(pool, `cluster.nodePools[${index}]`, { zones, defaultMaxPods, routesBased }),
    );
  }
  const count = Number(initial ?? 0);
  if (!Number.isInteger(count) || count <= 0) {
    throw ContainerErrors.invalid('Cluster.initial_node_count must be greater than zero.');
  }
  return [
    parseNodePoolSpec(
      { name: 'default-pool', initialNodeCount: count, config: spec['nodeConfig'] },
      'cluster',
      { zones, defaultMaxPods, routesBased },
    ),
  ];
}

function assertLocation(location: string): void {
  if (!isZone(location) && !isRegion(location)) {
    throw ContainerErrors.invalid(`Location "${location}" is not a valid zone or region.`);
  }
}

export function maxPodsOf(constraint: unknown, field: string): number | undefined {
  if (constraint === undefined || constraint === null) return undefined;
  const value = Number((constraint as Json)['maxPodsPerNode']);
  if (!Number.isInteger(value) || value < MAX_PODS_RANGE.min || value > MAX_PODS_RANGE.max) {
    throw ContainerErrors.invalid(
      `Invalid value for field "${field}": ${JSON.stringify((constraint as Json)['maxPodsPerNode'])}. Maximum pods per node must be between ${MAX_PODS_RANGE.min} and ${MAX_PODS_RANGE.max}.`,
    );
  }
  return value;
}

/** A name from a name or a link (`projects/p/global/networks/n`, full URL). */
export function nameOfLink(project: string, value: string, collection: string): string {
  if (!value.includes('/')) return value;
  const relative = relativeReference(project, value, collection) ?? value;
  return relative.split('/').pop() as string;
}

/** The version a new cluster runs and the channel it is enrolled in, from `initialClusterVersion` and `releaseChannel`. */
function versionAndChannel(spec: Json): { version: string; channel: ReleaseChannel } {
  const requested = str(spec['initialClusterVersion'], 'cluster.initialClusterVersion');
  const given = object(spec['releaseChannel'], 'cluster.releaseChannel')['channel'];
  const named =
    typeof given === 'string' && given in RELEASE_CHANNELS ? (given as ReleaseChannel) : undefined;
  const version = resolveVersion(requested, named) ?? (named ? null : resolveVersion(requested));
  if (!version) {
    throw ContainerErrors.invalid(
      `Master version "${requested}" is unsupported${named ? ` in the ${named} channel` : ''}.`,
    );
  }
  return { version, channel: named ?? channelFor(version, requested !== undefined) };
}
