import { Injectable } from '@nestjs/common';
import { GoogleApiError, newResourceId } from '@gke-emulator/common';
import { ProjectRepository, VpcProvisioning } from '@gke-emulator/compute';
import { asConstraintViolation, Database, type Tx } from '@gke-emulator/db';
import { parseCidrOrThrow } from '@gke-emulator/netaddr';
import { ContainerOperationService, createClusterMetrics } from '../operations/container-operation.service';
import type { ContainerContext } from '../wire/container-context';
import { ContainerErrors } from '../wire/container-errors';
import { object } from '../wire/request-values';
import { assertResourceLabels } from '../wire/resource-labels';
import { CertificateAuthority } from './certificate-authority';
import { ClusterEndpoint } from './cluster-endpoint';
import {
  AUTO_MODE_NODE_SOURCE,
  gkeFirewallNames,
  gkeFirewallRules,
  isRegion,
  masterIpOf,
} from './cluster-plan';
import { type ClusterRangePlan, planClusterRanges, type SecondaryRange } from './cluster-ranges';
import { nameOfLink, normalize, parseCreateCluster } from './cluster-request';
import { buildClusterResource, clusterView, nodePoolView } from './cluster-resource';
import { applyClusterUpdate, withNetworkPolicy, withResourceLabels } from './cluster-update';
import { type ClusterRow, ClusterRepository } from './cluster.repository';
import { clusterPath } from './locations';
import { type ClusterForNodes, NodeProvisioner } from './node-provisioner';
import { NodePoolRepository } from './node-pool.repository';
import { NodePoolWriter } from './node-pool.writer';
import { NodeRepository } from './node.repository';

type Json = Record<string, unknown>;

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
    const request = parseCreateCluster(ctx.project, location, rawBody);
    const { name, spec, region, zones, routesBased, version, channel, defaultMaxPods, uid, hash } = request;
    const { networkName, subnetName } = request;

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
        const ranges = await this.planRanges(
          tx,
          name,
          hash,
          request.ipPolicy,
          routesBased,
          subnet,
          network.id,
        );
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
        for (const pool of request.poolSpecs)
          await this.pools.create(tx, forNodes, location, { ...pool, version });
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
          metrics: createClusterMetrics(isRegion(location)),
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
