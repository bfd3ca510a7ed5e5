import { Injectable } from '@nestjs/common';
import { GoogleApiError, newResourceId, relativeReference } from '@gke-emulator/common';
import { ProjectRepository, VpcProvisioning } from '@gke-emulator/compute';
import { asConstraintViolation, Database, type Tx } from '@gke-emulator/db';
import { parseCidrOrThrow } from '@gke-emulator/netaddr';
import { ContainerOperationService, CREATE_CLUSTER_METRICS } from '../operations/container-operation.service';
import type { ContainerContext } from '../wire/container-context';
import { assertRequestBody, ContainerErrors } from '../wire/container-errors';
import { assertResourceLabels } from '../wire/resource-labels';
import { enumsToNames, EnumValueError } from '../wire/enums';
import { object, str } from '../wire/request-values';
import { CertificateAuthority } from './certificate-authority';
import { ClusterEndpoint } from './cluster-endpoint';
import {
  AUTO_MODE_NODE_SOURCE,
  defaultZones,
  gkeFirewallNames,
  gkeFirewallRules,
  isRegion,
  isZone,
  masterIpOf,
  MAX_PODS_RANGE,
  randomHex,
  regionOf,
} from './cluster-plan';
import { type ClusterRangePlan, planClusterRanges, type SecondaryRange } from './cluster-ranges';
import { buildClusterResource, clusterView, nodePoolView } from './cluster-resource';
import { applyClusterUpdate, withNetworkPolicy, withResourceLabels } from './cluster-update';
import { channelFor, type ReleaseChannel, resolveVersion, RELEASE_CHANNELS } from './gke-versions';
import { clusterPath } from './locations';
import { type ClusterRow, ClusterRepository } from './cluster.repository';
import { type ClusterForNodes, NodeProvisioner } from './node-provisioner';
import { NodePoolRepository } from './node-pool.repository';
import { NodeRepository } from './node.repository';
import { type NodePoolSpec, NodePoolWriter, parseNodePoolSpec } from './node-pool.writer';

type Json = Record<string, unknown>;

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
        const resource = buildClusterResource({
          project: ctx.project,
          random: Math.random,
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
    const { next, poolConfig } = applyClusterUpdate(row.resource, update);
    return this.rewrite(ctx, row, next, 'UPDATE_CLUSTER', poolConfig);
  }

  /** clusters.setNetworkPolicy: enables or disables Calico NetworkPolicy enforcement. */
  async setNetworkPolicy(ctx: ContainerContext, location: string, name: string, rawBody: unknown) {
    const row = await this.require(ctx, location, name);
    const body = normalize('SetNetworkPolicyRequest', object(rawBody, 'body'), '');
    const policy = object(body['networkPolicy'], 'networkPolicy');
    if (body['networkPolicy'] === undefined)
      throw ContainerErrors.invalid('SetNetworkPolicyRequest.network_policy must be specified.');
    const next = withNetworkPolicy(row.resource, policy);
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
      const next = withResourceLabels(current, labels, Math.random);
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

  /** The cluster's wire object: its row and what is read beside it (pools, node counts, CA, endpoint). */
  private async render(ctx: ContainerContext, row: ClusterRow): Promise<Json> {
    const [pools, counts, caCertificate] = await Promise.all([
      this.repository.poolResources(row.id),
      this.repository.nodeCounts(row.id),
      this.ca.clusterCaCertificate(),
    ]);
    return clusterView({
      project: row.project_id,
      location: row.location,
      name: row.name,
      routesBased: row.routes_based,
      podRange: row.pod_range,
      resource: row.resource,
      pools: pools.map((pool) => nodePoolView(pool, ctx.link)),
      nodeCount: counts.count,
      podAddresses: counts.podAddresses,
      caCertificate,
      endpoint: this.endpoint.render(row.project_id, row.location, row.name),
      link: ctx.link,
    });
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
    subnet: { name: string; secondaryIpRanges: SecondaryRange[] },
    networkId: bigint,
  ): Promise<ClusterRangePlan> {
    const taken = (await this.vpc.takenRanges(tx, networkId)).map((cidr) => parseCidrOrThrow(cidr));
    return planClusterRanges({ cluster, hash, policy, routesBased, subnet, taken });
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
