import { Injectable } from '@nestjs/common';
import { GoogleApiError } from '@gke-emulator/common';
import { VpcProvisioning } from '@gke-emulator/compute';
import { Database, type Tx } from '@gke-emulator/db';
import { ContainerOperationService } from '../operations/container-operation.service';
import type { ContainerContext } from '../wire/container-context';
import { assertRequestBody, ContainerErrors } from '../wire/container-errors';
import { assertResourceLabels } from '../wire/resource-labels';
import { enumsToNames, EnumValueError } from '../wire/enums';
import { MAX_PODS_RANGE, randomHex, regionOf } from './cluster-plan';
import { DEFAULT_GKE_VERSION, resolveVersion } from './gke-versions';
import { applyNodePoolUpdate, nodeConfigNameProblem } from './node-config';
import { ClusterService } from './cluster.service';
import { type ClusterForNodes, NodeProvisioner } from './node-provisioner';
import { NodePoolWriter } from './node-pool.writer';
import { assertNodeCount, parseNodePoolSpec } from './node-pool-request';
import { NodePoolRepository } from './node-pool.repository';
import { DEFAULT_MACHINE_TYPE, nodePoolView } from './cluster-resource';
import { NodeRepository } from './node.repository';
import { upgradeNodesMetrics } from '../operations/container-operation.service';

type Json = Record<string, unknown>;

/** Container v1 node pools: create, get, list, delete and setSize, each with its operation. */
@Injectable()
export class NodePoolService {
  constructor(
    private readonly db: Database,
    private readonly repository: NodePoolRepository,
    private readonly nodeRows: NodeRepository,
    private readonly clusters: ClusterService,
    private readonly writer: NodePoolWriter,
    private readonly nodes: NodeProvisioner,
    private readonly vpc: VpcProvisioning,
    private readonly operations: ContainerOperationService,
  ) {}

  async list(ctx: ContainerContext, location: string, clusterName: string) {
    const cluster = await this.clusters.require(ctx, location, clusterName);
    const rows = await this.repository.list(cluster.id);
    return { nodePools: rows.map((row) => nodePoolView(row.resource, ctx.link)) };
  }

  async get(ctx: ContainerContext, location: string, clusterName: string, name: string) {
    const cluster = await this.clusters.require(ctx, location, clusterName);
    return nodePoolView((await this.requirePool(ctx, cluster, name)).resource, ctx.link);
  }

  async create(ctx: ContainerContext, location: string, clusterName: string, rawBody: unknown) {
    rawBody = assertRequestBody('CreateNodePoolRequest', rawBody);
    const cluster = await this.clusters.require(ctx, location, clusterName);
    let body: Json;
    try {
      body = (enumsToNames('CreateNodePoolRequest', rawBody ?? {}, '') ?? {}) as Json;
    } catch (error) {
      if (error instanceof EnumValueError) throw ContainerErrors.invalid(error.message);
      throw error;
    }
    if (!body['nodePool'])
      throw ContainerErrors.invalid('CreateNodePoolRequest.node_pool must be specified.');
    const defaultMaxPods = Number(
      (cluster.resource['defaultMaxPodsConstraint'] as Json | undefined)?.['maxPodsPerNode'] ??
        MAX_PODS_RANGE.default,
    );
    const spec = parseNodePoolSpec(body['nodePool'], 'nodePool', {
      zones: (cluster.resource['locations'] as string[]) ?? [cluster.location],
      defaultMaxPods,
      routesBased: cluster.routes_based,
    });
    const op = await this.db.transaction(async (tx) => {
      const forNodes = await this.forNodes(tx, ctx, cluster);
      await this.writer.create(tx, forNodes, cluster.location, {
        ...spec,
        version: String(cluster.resource['currentNodeVersion'] ?? DEFAULT_GKE_VERSION),
      });
      return this.operations.record(tx, {
        project: ctx.project,
        location: cluster.location,
        type: 'CREATE_NODE_POOL',
        target: `clusters/${cluster.name}/nodePools/${spec.name}`,
      });
    });
    return this.operations.render(op, ctx);
  }

  async delete(ctx: ContainerContext, location: string, clusterName: string, name: string) {
    const cluster = await this.clusters.require(ctx, location, clusterName);
    const pool = await this.requirePool(ctx, cluster, name);
    const op = await this.db.transaction(async (tx) => {
      const nodes = await this.nodeRows.ofPool(tx, pool.id);
      await this.nodes.removeNodes(tx, this.identity(ctx, cluster), nodes);
      await this.repository.delete(tx, pool.id);
      return this.operations.record(tx, {
        project: ctx.project,
        location: cluster.location,
        type: 'DELETE_NODE_POOL',
        target: `clusters/${cluster.name}/nodePools/${name}`,
      });
    });
    return this.operations.render(op, ctx);
  }

  /** setSize: `nodeCount` nodes in each of the pool's zones; shrinking removes the newest nodes first. */
  async setSize(
    ctx: ContainerContext,
    location: string,
    clusterName: string,
    name: string,
    rawBody: unknown,
  ) {
    const cluster = await this.clusters.require(ctx, location, clusterName);
    const pool = await this.requirePool(ctx, cluster, name);
    const body = (rawBody ?? {}) as Json;
    const perZone = assertNodeCount(body['nodeCount'], 'nodeCount');
    const zones = (pool.resource['locations'] as string[]) ?? [cluster.location];
    const op = await this.db.transaction(async (tx) => {
      await this.repository.lock(tx, pool.id);
      const current = await this.nodeRows.ofPool(tx, pool.id);
      const forNodes = await this.forNodes(tx, ctx, cluster);
      const groups = (pool.resource['groups'] as Record<string, string>) ?? {};
      const maxPods = Number(
        (pool.resource['maxPodsConstraint'] as Json | undefined)?.['maxPodsPerNode'] ??
          MAX_PODS_RANGE.default,
      );
      const machineType = String(
        (pool.resource['config'] as Json | undefined)?.['machineType'] ?? DEFAULT_MACHINE_TYPE,
      );
      for (const zone of zones) {
        const inZone = current.filter((node) => node.zone === zone);
        if (inZone.length > perZone) {
          await this.nodes.removeNodes(tx, this.identity(ctx, cluster), inZone.slice(perZone));
        } else if (inZone.length < perZone) {
          await this.nodes.addNodes(
            tx,
            forNodes,
            { id: pool.id, name, maxPods, machineType, groups },
            [zone],
            perZone - inZone.length,
          );
        }
      }
      return this.operations.record(tx, {
        project: ctx.project,
        location: cluster.location,
        type: 'SET_NODE_POOL_SIZE',
        target: `clusters/${cluster.name}/nodePools/${name}`,
      });
    });
    return this.operations.render(op, ctx);
  }

  /**
   * UpdateNodePool (`PUT …/nodePools/{pool}` or `:update`): node settings GKE applies by recreating the pool's nodes
   * (kubelet and Linux config with swap, containerd config, labels, taints, machine…) and the version. The nodes keep
   * their names and addresses here; the operation is UPGRADE_NODES, reporting every node done.
   */
  async update(ctx: ContainerContext, location: string, clusterName: string, name: string, rawBody: unknown) {
    rawBody = assertRequestBody('UpdateNodePoolRequest', rawBody);
    const cluster = await this.clusters.require(ctx, location, clusterName);
    const pool = await this.requirePool(ctx, cluster, name);
    let body: Json;
    try {
      body = (enumsToNames('UpdateNodePoolRequest', rawBody ?? {}, '') ?? {}) as Json;
    } catch (error) {
      if (error instanceof EnumValueError) throw ContainerErrors.invalid(error.message);
      throw error;
    }
    const configProblem = nodeConfigNameProblem(body, '');
    if (configProblem) throw ContainerErrors.invalid(configProblem);
    // UpdateNodePoolRequest.resource_labels is a ResourceLabels message: the map is its `labels`.
    const resourceLabels = body['resourceLabels'];
    if (resourceLabels && typeof resourceLabels === 'object')
      assertResourceLabels((resourceLabels as Json)['labels'], 'resourceLabels.labels');
    const next: Json = {
      ...pool.resource,
      config: applyNodePoolUpdate((pool.resource['config'] as Json | undefined) ?? {}, body),
      // The recreated nodes come from a new instance template (its name ends in a new hash; the group keeps its own).
      instanceTemplateHash: randomHex(8),
    };
    const nodeVersion = body['nodeVersion'];
    if (typeof nodeVersion === 'string' && nodeVersion !== '') {
      const version = resolveVersion(nodeVersion);
      if (!version) throw ContainerErrors.invalid(`Node version "${nodeVersion}" is unsupported.`);
      next['version'] = version;
    }
    if (Array.isArray(body['locations']) && body['locations'].length > 0)
      next['locations'] = body['locations'];
    if (body['upgradeSettings']) next['upgradeSettings'] = body['upgradeSettings'];
    const op = await this.db.transaction(async (tx) => {
      await this.repository.lock(tx, pool.id);
      const nodes = await this.nodeRows.countInPool(tx, pool.id);
      await this.repository.updateResource(tx, pool.id, next);
      return this.operations.record(tx, {
        project: ctx.project,
        location: cluster.location,
        type: 'UPGRADE_NODES',
        target: `clusters/${cluster.name}/nodePools/${name}`,
        metrics: upgradeNodesMetrics(nodes),
      });
    });
    return this.operations.render(op, ctx);
  }

  private async requirePool(
    _ctx: ContainerContext,
    cluster: { id: bigint; location: string; name: string },
    name: string,
  ) {
    const pool = await this.repository.find(cluster.id, name);
    // GKE words this one differently from its other not-found errors.
    if (!pool) throw new GoogleApiError(404, 'notFound', `Not found: node pool "${name}" not found.`);
    return pool;
  }

  private identity(
    ctx: ContainerContext,
    cluster: { id: bigint; name: string; hash: string; routes_based: boolean },
  ) {
    return {
      id: cluster.id,
      project: ctx.project,
      name: cluster.name,
      hash: cluster.hash,
      routesBased: cluster.routes_based,
    };
  }

  private async forNodes(
    tx: Tx,
    ctx: ContainerContext,
    cluster: Awaited<ReturnType<ClusterService['require']>>,
  ): Promise<ClusterForNodes> {
    const networkName = String(cluster.resource['network']);
    const region = regionOf(cluster.location);
    const network = await this.vpc.network(tx, ctx.project, networkName);
    const subnet = await this.vpc.subnetwork(tx, ctx.project, region, String(cluster.resource['subnetwork']));
    if (!network || !subnet)
      throw ContainerErrors.failedPrecondition(`The cluster's network or subnetwork no longer exists.`);
    const policy = (cluster.resource['ipAllocationPolicy'] as Json | undefined) ?? {};
    return {
      id: cluster.id,
      project: ctx.project,
      name: cluster.name,
      hash: cluster.hash,
      network,
      subnetwork: { id: subnet.id, name: subnet.name, region, ipCidrRange: subnet.ipCidrRange },
      podRange: cluster.pod_range,
      podRangeName: policy['clusterSecondaryRangeName'] as string | undefined,
      reservedInPodRange: cluster.routes_based ? cluster.services_range : undefined,
      routesBased: cluster.routes_based,
    };
  }
}
