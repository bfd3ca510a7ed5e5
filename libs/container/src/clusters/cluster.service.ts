import { Injectable } from '@nestjs/common';
import { GoogleApiError, newResourceId, relativeReference } from '@gke-emulator/common';
import { ProjectRepository, VpcProvisioning } from '@gke-emulator/compute';
import { asConstraintViolation, Database, type Tx } from '@gke-emulator/db';
import {
  type Cidr,
  cidrContains,
  cidrOverlaps,
  formatCidr,
  lastAddress,
  makeCidr,
  parseCidrOrThrow,
} from '@gke-emulator/netaddr';
import { ContainerOperationService, CREATE_CLUSTER_METRICS } from '../operations/container-operation.service';
import type { ContainerContext } from '../wire/container-context';
import { assertRequestBody, ContainerErrors } from '../wire/container-errors';
import { assertResourceLabels } from '../wire/resource-labels';
import { enumsToNames, EnumValueError } from '../wire/enums';
import { CertificateAuthority } from './certificate-authority';
import { ClusterEndpoint } from './cluster-endpoint';
import {
  clusterDefaults,
  GKE_MANAGED_SERVICES_RANGE,
  podRangeUtilization,
  withoutDefaults,
} from './cluster-shape';
import {
  channelFor,
  DEFAULT_GKE_VERSION,
  type ReleaseChannel,
  resolveVersion,
  RELEASE_CHANNELS,
} from './gke-versions';
import { locationPath } from './locations';
import {
  DEFAULT_RANGE_PREFIX,
  GKE_RANGE_POOL,
  defaultZones,
  gkeFirewallNames,
  gkeFirewallRules,
  isRegion,
  isZone,
  MAX_PODS_RANGE,
  parseRangeRequest,
  pickRange,
  randomHex,
  RANGE_PREFIX_LIMITS,
  regionOf,
} from './cluster-plan';
import { type ClusterRow, ClusterRepository } from './cluster.repository';
import { type ClusterForNodes, NodeProvisioner } from './node-provisioner';
import { NodePoolRepository } from './node-pool.repository';
import { NodeRepository } from './node.repository';
import { type NodePoolSpec, NodePoolWriter, parseNodePoolSpec } from './node-pool.writer';

type Json = Record<string, unknown>;

const AUTO_MODE_NODE_SOURCE = '10.128.0.0/9';

export function clusterPath(project: string, location: string, name: string): string {
  return `${locationPath(project, location)}/clusters/${name}`;
}

const CLUSTER_NAME = /^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/;

/** Lets a rejected enum or a bad body read as the Container API's 400. */
function normalize(message: string, value: unknown, field: string): Json {
  const named = field === '' ? assertRequestBody(message, value) : value;
  try {
    return (enumsToNames(message, named, field) ?? {}) as Json;
  } catch (error) {
    if (error instanceof EnumValueError) throw ContainerErrors.invalid(error.message);
    throw error;
  }
}

function object(value: unknown, field: string): Json {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw ContainerErrors.invalid(`Invalid JSON payload received. '${field}' must be an object.`);
  return value as Json;
}

function str(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw ContainerErrors.invalid(`Invalid value for field "${field}": ${JSON.stringify(value)}.`);
  return value;
}

/**
 * Container v1 clusters: create (VPC-native by default, or routes-based), get, list, update, delete and
 * setNetworkPolicy. A create writes, in ONE transaction, the cluster, its secondary ranges on the subnet, its
 * node pools with their nodes (instances, node IPs, pod ranges), GKE's firewall rules and its operation.
 */
@Injectable()
export class ClusterService {
  constructor(
    private readonly db: Database,
    private readonly repository: ClusterRepository,
    private readonly poolRows: NodePoolRepository,
    private readonly nodeRows: NodeRepository,
    private readonly vpc: VpcProvisioning,
    private readonly projects: ProjectRepository,
    private readonly operations: ContainerOperationService,
    private readonly nodes: NodeProvisioner,
    private readonly pools: NodePoolWriter,
    private readonly ca: CertificateAuthority,
    private readonly endpoint: ClusterEndpoint,
  ) {}

  async create(ctx: ContainerContext, location: string, rawBody: unknown) {
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
    const zones = this.zonesOf(spec, location);

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
    const poolSpecs = this.poolSpecsOf(spec, zones, defaultMaxPods ?? MAX_PODS_RANGE.default, routesBased);
    // The cluster's uid; its first 8 hex digits name what GKE creates for it (pods range, firewall rules).
    const uid = randomHex(32);
    const hash = uid.slice(0, 8);
    const networkName = nameOfLink(
      ctx.project,
      str(spec['network'], 'cluster.network') ?? 'default',
      'global/networks',
    );
    const subnetName = str(spec['subnetwork'], 'cluster.subnetwork');

    try {
      const op = await this.db.transaction(async (tx) => {
        await this.projects.ensure(tx, ctx.project);
        const projectNumber = await this.repository.projectNumber(tx, ctx.project);
        const network = await this.vpc.network(tx, ctx.project, networkName);
        if (!network) throw ContainerErrors.invalid(`Network "${networkName}" does not exist.`);
        const subnet = subnetName
          ? await this.vpc.subnetwork(
              tx,
              ctx.project,
              region,
              nameOfLink(ctx.project, subnetName, `regions/${region}/subnetworks`),
            )
          : network.autoMode
            ? await this.vpc.subnetwork(tx, ctx.project, region, network.name)
            : null;
        if (!subnet) {
          throw ContainerErrors.invalid(
            subnetName
              ? `Subnetwork "${subnetName}" does not exist in region ${region}.`
              : `Network "${network.name}" is a custom mode network: cluster.subnetwork must be specified.`,
          );
        }
        if (subnet.networkId !== network.id) {
          throw ContainerErrors.invalid(`Subnetwork "${subnet.name}" is not in network "${network.name}".`);
        }
        const ranges = await this.planRanges(tx, name, hash, ipPolicy, routesBased, subnet, network.id);
        await this.vpc.addSecondaryRanges(tx, subnet, ranges.create);

        const id = newResourceId();
        const now = new Date();
        const privateEndpoint = await this.nodes.controlPlaneAddress(tx, network.id, subnet.ipCidrRange);
        const resource = this.clusterResource(ctx, {
          uid,
          version,
          channel,
          projectNumber,
          privateEndpoint,
          spec,
          name,
          location,
          zones,
          network: network.name,
          subnet: subnet.name,
          region,
          ranges,
          routesBased,
          defaultMaxPods,
          hash,
          now,
        });
        await this.repository.insert(tx, {
          id,
          project: ctx.project,
          location,
          name,
          hash,
          networkId: network.id,
          subnetworkId: subnet.id,
          podRange: ranges.pods,
          servicesRange: ranges.services,
          routesBased,
          resource,
        });
        const forNodes: ClusterForNodes = {
          id,
          project: ctx.project,
          name,
          hash,
          network,
          subnetwork: { id: subnet.id, name: subnet.name, region, ipCidrRange: subnet.ipCidrRange },
          podRange: ranges.pods,
          podRangeName: ranges.podRangeName,
          reservedInPodRange: routesBased ? ranges.services : undefined,
          routesBased,
        };
        for (const pool of poolSpecs) await this.pools.create(tx, forNodes, location, { ...pool, version });
        await this.vpc.insertFirewalls(
          tx,
          ctx.project,
          network,
          gkeFirewallRules({
            cluster: name,
            hash,
            podRange: ranges.pods,
            nodeSourceRange: network.autoMode ? AUTO_MODE_NODE_SOURCE : subnet.ipCidrRange,
            masterIp: masterIpOf(hash),
          }),
        );
        return this.operations.record(tx, {
          project: ctx.project,
          location,
          type: 'CREATE_CLUSTER',
          target: `clusters/${name}`,
          metrics: CREATE_CLUSTER_METRICS,
        });
      });
      return this.operations.render(op, ctx);
    } catch (error) {
      throw this.translate(error, ctx, location, name);
    }
  }

  async get(ctx: ContainerContext, location: string, name: string) {
    const row = await this.require(ctx, location, name);
    return this.render(ctx, row);
  }

  async list(ctx: ContainerContext, location: string) {
    const rows = await this.repository.list(ctx.project, location);
    return { clusters: await Promise.all(rows.map((row) => this.render(ctx, row))) };
  }

  async delete(ctx: ContainerContext, location: string, name: string) {
    const row = await this.require(ctx, location, name);
    const op = await this.db.transaction(async (tx) => {
      if (!(await this.repository.lock(tx, row.id)))
        throw ContainerErrors.notFound(clusterPath(ctx.project, location, name));
      const nodes = await this.nodeRows.ofCluster(tx, row.id);
      await this.nodes.removeNodes(
        tx,
        { id: row.id, project: ctx.project, name, hash: row.hash, routesBased: row.routes_based },
        nodes,
      );
      await this.vpc.deleteFirewalls(tx, ctx.project, gkeFirewallNames(name, row.hash));
      await this.repository.delete(tx, row.id);
      const created = (row.resource['gkeCreatedRanges'] as string[] | undefined) ?? [];
      await this.vpc.removeSecondaryRanges(tx, row.subnetwork_id, created);
      return this.operations.record(tx, {
        project: ctx.project,
        location,
        type: 'DELETE_CLUSTER',
        target: `clusters/${name}`,
      });
    });
    return this.operations.render(op, ctx);
  }

  /** clusters.update: the `update` fields this emulator models (versions, network policy, logging/monitoring). */
  async update(ctx: ContainerContext, location: string, name: string, rawBody: unknown) {
    const row = await this.require(ctx, location, name);
    const body = normalize('UpdateClusterRequest', object(rawBody, 'body'), '');
    const update = object(body['update'], 'update');
    if (Object.keys(update).length === 0)
      throw ContainerErrors.invalid('Cluster.update must specify a change.');
    const next: Json = { ...row.resource };
    /** node settings the update applies to every node pool in place */
    const poolConfig: Json = {};
    for (const [key, value] of Object.entries(update)) {
      switch (key) {
        case 'desiredMasterVersion':
          next['currentMasterVersion'] = updatedVersion(value, key);
          break;
        case 'desiredNodeVersion':
          next['currentNodeVersion'] = updatedVersion(value, key);
          break;
        case 'desiredLoggingService':
          next['loggingService'] = value;
          break;
        case 'desiredMonitoringService':
          next['monitoringService'] = value;
          break;
        case 'desiredAddonsConfig':
          next['addonsConfig'] = { ...object(next['addonsConfig'], 'addonsConfig'), ...object(value, key) };
          break;
        case 'desiredLocations':
          next['locations'] = value;
          break;
        case 'desiredReleaseChannel':
          next['releaseChannel'] = value;
          break;
        case 'desiredMasterAuthorizedNetworksConfig':
          next['masterAuthorizedNetworksConfig'] = value;
          break;
        case 'desiredInTransitEncryptionConfig':
          next['networkConfig'] = {
            ...object(next['networkConfig'], 'networkConfig'),
            inTransitEncryptionConfig: value,
          };
          break;
        case 'desiredDatapathProvider':
          next['networkConfig'] = {
            ...object(next['networkConfig'], 'networkConfig'),
            datapathProvider: value,
          };
          break;
        case 'desiredContainerdConfig':
          // Every node pool's nodes take the new containerd config in place, and new pools default to it.
          poolConfig['containerdConfig'] = value;
          next['nodePoolDefaults'] = withNodeConfigDefault(
            next['nodePoolDefaults'],
            'containerdConfig',
            value,
          );
          break;
        case 'desiredNodeKubeletConfig':
          poolConfig['kubeletConfig'] = value;
          break;
        case 'desiredNodePoolAutoConfigKubeletConfig':
          next['nodePoolAutoConfig'] = {
            ...object(next['nodePoolAutoConfig'], 'nodePoolAutoConfig'),
            nodeKubeletConfig: value,
          };
          break;
        case 'desiredNodePoolId':
        case 'desiredImageType':
          break;
        default:
          throw ContainerErrors.invalid(`Updating "${key}" is not supported by gke-emulator.`);
      }
    }
    return this.rewrite(ctx, row, next, 'UPDATE_CLUSTER', poolConfig);
  }

  /** clusters.setNetworkPolicy: enables or disables Calico NetworkPolicy enforcement. */
  async setNetworkPolicy(ctx: ContainerContext, location: string, name: string, rawBody: unknown) {
    const row = await this.require(ctx, location, name);
    const body = normalize('SetNetworkPolicyRequest', object(rawBody, 'body'), '');
    const policy = object(body['networkPolicy'], 'networkPolicy');
    if (body['networkPolicy'] === undefined)
      throw ContainerErrors.invalid('SetNetworkPolicyRequest.network_policy must be specified.');
    const enabled = policy['enabled'] === true;
    const next: Json = {
      ...row.resource,
      networkPolicy: enabled ? { provider: policy['provider'] ?? 'CALICO', enabled: true } : {},
      addonsConfig: {
        ...object(row.resource['addonsConfig'], 'addonsConfig'),
        networkPolicyConfig: enabled ? {} : { disabled: true },
      },
    };
    return this.rewrite(ctx, row, next, 'SET_NETWORK_POLICY');
  }

  /**
   * clusters.setResourceLabels: replaces the cluster's resource labels against its current `labelFingerprint`
   * (checked under the row lock); the labels are checked first, as Google checks them (see resource-labels).
   */
  async setResourceLabels(ctx: ContainerContext, location: string, name: string, rawBody: unknown) {
    const body = normalize('SetLabelsRequest', object(rawBody, 'body'), '');
    const labels = object(body['resourceLabels'], 'resourceLabels');
    assertResourceLabels(labels, 'resourceLabels');
    const given = typeof body['labelFingerprint'] === 'string' ? body['labelFingerprint'] : '';
    const row = await this.require(ctx, location, name);
    const op = await this.db.transaction(async (tx) => {
      const current = await this.repository.lockResource(tx, row.id);
      if (!current) throw ContainerErrors.notFound(clusterPath(ctx.project, row.location, row.name));
      const expected = String(current['labelFingerprint'] ?? '');
      if (given !== expected) {
        // Google's words and reason (public reports of this 400): `failedPrecondition`, FAILED_PRECONDITION.
        throw new GoogleApiError(
          400,
          'failedPrecondition',
          `Labels could not be set due to fingerprint mismatch; try again with the proper fingerprint: incorrect fingerprint supplied was "${given}", the expected one is "${expected}".`,
          { status: 'FAILED_PRECONDITION' },
        );
      }
      const { resourceLabels: _old, ...rest } = current;
      const next: Json = {
        ...rest,
        ...(Object.keys(labels).length > 0 ? { resourceLabels: labels } : {}),
        labelFingerprint: randomHex(8),
      };
      await this.repository.updateResource(tx, row.id, next);
      return this.operations.record(tx, {
        project: ctx.project,
        location: row.location,
        type: 'SET_LABELS',
        target: `clusters/${row.name}`,
      });
    });
    return this.operations.render(op, ctx);
  }

  private async rewrite(
    ctx: ContainerContext,
    row: ClusterRow,
    next: Json,
    type: 'UPDATE_CLUSTER' | 'SET_NETWORK_POLICY',
    poolConfig: Json = {},
  ) {
    const op = await this.db.transaction(async (tx) => {
      if (!(await this.repository.updateResource(tx, row.id, next)))
        throw ContainerErrors.notFound(clusterPath(ctx.project, row.location, row.name));
      if (Object.keys(poolConfig).length > 0) {
        for (const pool of await this.poolRows.ofCluster(tx, row.id)) {
          const config = { ...object(pool.resource['config'], 'config'), ...poolConfig };
          await this.poolRows.updateResource(tx, pool.id, { ...pool.resource, config });
        }
      }
      return this.operations.record(tx, {
        project: ctx.project,
        location: row.location,
        type,
        target: `clusters/${row.name}`,
      });
    });
    return this.operations.render(op, ctx);
  }

  async require(ctx: ContainerContext, location: string, name: string): Promise<ClusterRow> {
    const row = await this.repository.find(ctx.project, location, name);
    if (!row) throw ContainerErrors.notFound(clusterPath(ctx.project, location, name));
    return row;
  }

  /**
   * The stored object plus what is derived when read: status, endpoint, CA, node pools (and the cluster's
   * `nodeConfig`, which is its first pool's), node count, pod range utilization.
   */
  private async render(ctx: ContainerContext, row: ClusterRow): Promise<Json> {
    const [pools, counts] = await Promise.all([
      this.repository.poolResources(row.id),
      this.repository.nodeCounts(row.id),
    ]);
    const { gkeCreatedRanges: _created, ...stored } = row.resource;
    const utilization = row.routes_based
      ? undefined
      : podRangeUtilization(counts.podAddresses, rangeSize(row.pod_range));
    const nodePools = pools.map((pool) => {
      const rendered = this.pools.render(ctx, pool);
      const networkConfig = rendered['networkConfig'] as Json | undefined;
      if (utilization === undefined || !networkConfig?.['podRange']) return rendered;
      return { ...rendered, networkConfig: { ...networkConfig, podIpv4RangeUtilization: utilization } };
    });
    const ipAllocationPolicy = object(stored['ipAllocationPolicy'], 'ipAllocationPolicy');
    return {
      ...stored,
      ...(utilization !== undefined
        ? { ipAllocationPolicy: { ...ipAllocationPolicy, defaultPodIpv4RangeUtilization: utilization } }
        : {}),
      masterAuth: {
        ...object(stored['masterAuth'], 'masterAuth'),
        clusterCaCertificate: await this.ca.clusterCaCertificate(),
      },
      ...(nodePools[0] ? { nodeConfig: nodePools[0]['config'] } : {}),
      nodePools,
      endpoint: this.endpoint.render(row.project_id, row.location, row.name),
      instanceGroupUrls: nodePools.flatMap(
        (pool) => (pool['instanceGroupUrls'] as string[] | undefined) ?? [],
      ),
      currentNodeCount: counts.count,
      status: 'RUNNING',
      selfLink: ctx.link(clusterPath(row.project_id, row.location, row.name)),
    };
  }

  private zonesOf(spec: Json, location: string): string[] {
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

  private poolSpecsOf(
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

  /** The pod and services ranges: existing secondary ranges by name, or ranges GKE creates on the subnet. */
  private async planRanges(
    tx: Tx,
    cluster: string,
    hash: string,
    policy: Json,
    routesBased: boolean,
    subnet: {
      name: string;
      ipCidrRange: string;
      secondaryIpRanges: { rangeName: string; ipCidrRange: string }[];
    },
    networkId: bigint,
  ) {
    const taken = (await this.vpc.takenRanges(tx, networkId)).map((cidr) => parseCidrOrThrow(cidr));
    const create: { rangeName: string; ipCidrRange: string }[] = [];
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
          `No free /${prefix} range is left in 10.0.0.0/8 for the cluster's ${kind}.`,
        );
      taken.push(picked);
      return picked;
    };

    if (routesBased) {
      const clusterCidr = choose(
        'pods',
        policy['clusterIpv4CidrBlock'] ?? policy['clusterIpv4Cidr'],
        'cluster.clusterIpv4Cidr',
      );
      // Routes-based clusters take their services range from the end of the cluster range.
      const services = makeCidr(lastAddress(clusterCidr) - 4095, 20);
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
      throw ContainerErrors.invalid(
        'Cannot specify both clusterSecondaryRangeName and clusterIpv4CidrBlock.',
      );
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

  private clusterResource(
    ctx: ContainerContext,
    input: {
      spec: Json;
      name: string;
      location: string;
      zones: string[];
      network: string;
      subnet: string;
      region: string;
      ranges: {
        pods: string;
        services: string;
        create: { rangeName: string }[];
        podRangeName?: string;
        servicesRangeName?: string;
      };
      routesBased: boolean;
      defaultMaxPods?: number;
      hash: string;
      uid: string;
      version: string;
      channel: string;
      projectNumber: string;
      privateEndpoint: string;
      now: Date;
    },
  ): Json {
    const { spec, ranges } = input;
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
        dnsEndpoint: `gke-${input.uid}${randomHex(8)}-${input.projectNumber}.${input.location}.gke.goog`,
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
      labelFingerprint: randomHex(8),
      ...(spec['resourceLabels'] ? { resourceLabels: spec['resourceLabels'] } : {}),
      ...(policyEnabled
        ? { networkPolicy: { provider: networkPolicy['provider'] ?? 'CALICO', enabled: true } }
        : {}),
      ipAllocationPolicy,
      maintenancePolicy: {
        ...(Object.keys(window).length > 0 ? { window } : {}),
        resourceVersion: randomHex(8),
      },
      networkConfig: {
        ...givenNetworkConfig,
        network: `projects/${ctx.project}/global/networks/${input.network}`,
        subnetwork: `projects/${ctx.project}/regions/${input.region}/subnetworks/${input.subnet}`,
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
      ...(input.routesBased ? { nodeIpv4CidrSize: 24 } : {}),
      servicesIpv4Cidr: ranges.services,
      location: input.location,
      id: input.uid,
      etag: randomHex(8),
      gkeCreatedRanges: ranges.create.map((range) => range.rangeName),
    };
  }

  private translate(error: unknown, ctx: ContainerContext, location: string, name: string): unknown {
    const violation = asConstraintViolation(error);
    if (!violation) return error;
    if (violation.kind === 'unique' && (violation.constraint ?? '').startsWith('cluster_')) {
      return ContainerErrors.alreadyExists(clusterPath(ctx.project, location, name));
    }
    if (violation.kind === 'exclusion' && violation.constraint === 'subnet_range_no_overlap') {
      return ContainerErrors.invalid(
        'The requested ranges overlap with a range created at the same time in the network. Retry the request.',
      );
    }
    return error;
  }
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
function nameOfLink(project: string, value: string, collection: string): string {
  if (!value.includes('/')) return value;
  const relative = relativeReference(project, value, collection) ?? value;
  return relative.split('/').pop() as string;
}

/** The control plane's public address a cluster reports (TEST-NET-3, RFC 5737): used by its -ssh rule. */
export function masterIpOf(hash: string): string {
  return `203.0.113.${(parseInt(hash.slice(0, 2), 16) % 254) + 1}`;
}

/** How many addresses a CIDR holds. */
function rangeSize(cidr: string): number {
  return 2 ** (32 - parseCidrOrThrow(cidr).prefixLength);
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

/** `desiredMasterVersion`/`desiredNodeVersion`: `-` or `latest` is the default version, else an offered one. */
function updatedVersion(value: unknown, field: string): string {
  const version = resolveVersion(typeof value === 'string' ? value : undefined) ?? DEFAULT_GKE_VERSION;
  if (typeof value === 'string' && value !== '-' && value !== 'latest' && !resolveVersion(value)) {
    throw ContainerErrors.invalid(
      `Invalid value for field "update.${field}": "${value}" is not a supported version.`,
    );
  }
  return version;
}

/** `nodePoolDefaults` with one node config default set. */
function withNodeConfigDefault(defaults: unknown, field: string, value: unknown): Json {
  const current = object(defaults, 'nodePoolDefaults');
  return {
    ...current,
    nodeConfigDefaults: { ...object(current['nodeConfigDefaults'], 'nodeConfigDefaults'), [field]: value },
  };
}
