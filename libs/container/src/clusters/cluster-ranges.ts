import {
  type Cidr,
  cidrContains,
  cidrOverlaps,
  formatCidr,
  lastAddress,
  makeCidr,
  parseCidrOrThrow,
} from '@gke-emulator/netaddr';
import { ContainerErrors } from '../wire/container-errors';
import { str } from '../wire/request-values';
import { GKE_MANAGED_SERVICES_RANGE } from './cluster-shape';
import {
  DEFAULT_RANGE_PREFIX,
  GKE_RANGE_POOL,
  parseRangeRequest,
  pickRange,
  RANGE_PREFIX_LIMITS,
} from './cluster-plan';

type Json = Record<string, unknown>;

/** A secondary range of a subnet. */
export interface SecondaryRange {
  rangeName: string;
  ipCidrRange: string;
}

/** What a new cluster's ranges are planned from. */
export interface ClusterRangeInput {
  /** the cluster's name */
  cluster: string;
  /** the 8 hex digits in the names of what GKE creates for the cluster */
  hash: string;
  /** the request's `ipAllocationPolicy` */
  policy: Json;
  routesBased: boolean;
  subnet: { name: string; secondaryIpRanges: readonly SecondaryRange[] };
  /** the ranges in use in the network (subnet ranges, other clusters' ranges) */
  taken: readonly Cidr[];
}

/** A new cluster's pod and services ranges, and the secondary ranges GKE creates on the subnet for them. */
export interface ClusterRangePlan {
  pods: string;
  services: string;
  create: SecondaryRange[];
  podRangeName?: string;
  servicesRangeName?: string;
}

/**
 * The pod and services ranges of a new cluster: existing secondary ranges by name, or ranges GKE creates on the
 * subnet (a CIDR, a `/N` size or the default size, taken lowest first from 10.0.0.0/8 beside `taken`). Routes-based
 * clusters take their services range from the end of their cluster range. Bad requests get the Container API's 400.
 */
export function planClusterRanges(input: ClusterRangeInput): ClusterRangePlan {
  const { cluster, hash, policy, subnet } = input;
  const taken = [...input.taken];
  const create: SecondaryRange[] = [];
  const choose = (kind: 'pods' | 'services', requested: unknown, field: string): Cidr => {
    const parsed = parseRangeRequest(str(requested, field));
    if (parsed.kind === 'invalid')
      throw ContainerErrors.invalid(
        `Invalid value for field "${field}": "${String(requested)}". Must be a CIDR or a /N netmask size.`,
      );
    const limits = RANGE_PREFIX_LIMITS[kind];
    const prefix =
      parsed.kind === 'cidr'
        ? parsed.cidr.prefixLength
        : parsed.kind === 'size'
          ? parsed.prefixLength
          : DEFAULT_RANGE_PREFIX[kind];
    if (prefix < limits.min || prefix > limits.max) {
      throw ContainerErrors.invalid(
        `The ${kind === 'pods' ? 'Pod' : 'Services'} range ${field} "${String(requested)}" has an invalid netmask /${prefix}: it must be between /${limits.min} and /${limits.max}.`,
      );
    }
    if (parsed.kind === 'cidr') {
      const clash = taken.find((range) => cidrOverlaps(range, parsed.cidr));
      if (clash) {
        throw ContainerErrors.invalid(
          `Requested ${kind} range ${formatCidr(parsed.cidr)} (${field}) overlaps with ${formatCidr(clash)}, a range already in use in the network.`,
        );
      }
      taken.push(parsed.cidr);
      return parsed.cidr;
    }
    const picked = pickRange(GKE_RANGE_POOL, prefix, taken);
    if (!picked)
      throw ContainerErrors.failedPrecondition(
        `No free /${prefix} range is left in ${formatCidr(GKE_RANGE_POOL)} for the cluster's ${kind}.`,
      );
    taken.push(picked);
    return picked;
  };

  if (input.routesBased) {
    const clusterCidr = choose(
      'pods',
      policy['clusterIpv4CidrBlock'] ?? policy['clusterIpv4Cidr'],
      'cluster.clusterIpv4Cidr',
    );
    // Routes-based clusters take their services range (the default size) from the end of the cluster range.
    const servicesPrefix = DEFAULT_RANGE_PREFIX.services;
    const services = makeCidr(lastAddress(clusterCidr) - (2 ** (32 - servicesPrefix) - 1), servicesPrefix);
    return {
      pods: formatCidr(clusterCidr),
      services: formatCidr(services),
      create,
      podRangeName: undefined,
      servicesRangeName: undefined,
    };
  }

  const named = (rangeName: string, field: string): Cidr => {
    const range = subnet.secondaryIpRanges.find((candidate) => candidate.rangeName === rangeName);
    if (!range) {
      throw ContainerErrors.invalid(
        `Retry failed: secondary range "${rangeName}" (${field}) does not exist in subnetwork "${subnet.name}".`,
      );
    }
    return parseCidrOrThrow(range.ipCidrRange);
  };
  const podName = str(
    policy['clusterSecondaryRangeName'],
    'cluster.ipAllocationPolicy.clusterSecondaryRangeName',
  );
  const servicesName = str(
    policy['servicesSecondaryRangeName'],
    'cluster.ipAllocationPolicy.servicesSecondaryRangeName',
  );
  if (podName && (policy['clusterIpv4CidrBlock'] || policy['clusterIpv4Cidr'])) {
    throw ContainerErrors.invalid('Cannot specify both clusterSecondaryRangeName and clusterIpv4CidrBlock.');
  }
  if (servicesName && (policy['servicesIpv4CidrBlock'] || policy['servicesIpv4Cidr'])) {
    throw ContainerErrors.invalid(
      'Cannot specify both servicesSecondaryRangeName and servicesIpv4CidrBlock.',
    );
  }
  if (podName && servicesName && podName === servicesName) {
    throw ContainerErrors.invalid(
      'clusterSecondaryRangeName and servicesSecondaryRangeName must name different ranges.',
    );
  }
  const pods = podName
    ? named(podName, 'cluster.ipAllocationPolicy.clusterSecondaryRangeName')
    : choose(
        'pods',
        policy['clusterIpv4CidrBlock'] ?? policy['clusterIpv4Cidr'],
        'cluster.ipAllocationPolicy.clusterIpv4CidrBlock',
      );
  const podRangeName = podName ?? `gke-${cluster}-pods-${hash}`;
  if (!podName) create.push({ rangeName: podRangeName, ipCidrRange: formatCidr(pods) });
  const servicesRequest = str(
    policy['servicesIpv4CidrBlock'] ?? policy['servicesIpv4Cidr'],
    'cluster.ipAllocationPolicy.servicesIpv4CidrBlock',
  );
  // Neither a range nor a size: GKE serves ClusterIPs from the range it manages, no subnet range is made.
  const gkeManaged = !servicesName && servicesRequest === undefined;
  const services = servicesName
    ? named(servicesName, 'cluster.ipAllocationPolicy.servicesSecondaryRangeName')
    : gkeManaged
      ? parseCidrOrThrow(GKE_MANAGED_SERVICES_RANGE)
      : choose('services', servicesRequest, 'cluster.ipAllocationPolicy.servicesIpv4CidrBlock');
  const servicesRangeName = gkeManaged ? undefined : (servicesName ?? `gke-${cluster}-services-${hash}`);
  if (!servicesName && servicesRangeName)
    create.push({ rangeName: servicesRangeName, ipCidrRange: formatCidr(services) });
  if (cidrContains(pods, services) || cidrContains(services, pods)) {
    throw ContainerErrors.invalid('The Pod and Services ranges must not overlap.');
  }
  return {
    pods: formatCidr(pods),
    services: formatCidr(services),
    create,
    podRangeName,
    servicesRangeName,
  };
}
