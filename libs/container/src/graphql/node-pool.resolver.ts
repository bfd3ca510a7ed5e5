import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ClusterDirectory } from '../clusters/cluster-directory';
import { NodePoolService } from '../clusters/node-pool.service';
import {
  toContainerOperationModel,
  toNodeModel,
  toNodePoolModel,
  withoutAbsent,
} from './cluster-graphql.mapper';
import { ContainerOperationModel, NodeModel, NodePoolInput, NodePoolModel } from './cluster.models';
import { type GraphqlRequestContext, graphqlContainerContext, CLUSTER_ARGS } from './graphql-context';

@Resolver(() => NodePoolModel)
export class NodePoolResolver {
  constructor(
    private readonly nodePoolService: NodePoolService,
    private readonly directory: ClusterDirectory,
  ) {}

  @Query(() => NodePoolModel, { description: 'One node pool of a cluster (nodePools.get).' })
  async nodePool(
    @Context() context: GraphqlRequestContext,
    @Args('project', CLUSTER_ARGS.project) project: string,
    @Args('location', CLUSTER_ARGS.location)
    location: string,
    @Args('cluster', CLUSTER_ARGS.cluster) cluster: string,
    @Args('name', { description: "The node pool's name." }) name: string,
  ) {
    const ctx = graphqlContainerContext(context, project);
    const wire = await this.nodePoolService.get(ctx, location, cluster, name);
    // The pool's own location, when asked for with "-".
    const at = /\/locations\/([^/]+)\/clusters\//.exec(String(wire['selfLink']))?.[1] ?? location;
    return toNodePoolModel({ project, location: at, cluster }, wire);
  }

  @ResolveField(() => [NodeModel], { description: "The pool's nodes, in creation order." })
  async nodes(@Parent() pool: NodePoolModel): Promise<NodeModel[]> {
    const record = await this.directory.findCluster(pool.project, pool.location, pool.cluster);
    if (!record) return [];
    const place = { project: pool.project, location: pool.location, cluster: pool.cluster };
    return (await this.directory.listNodes(record.id))
      .filter((node) => node.nodePool === pool.name)
      .map((node) => toNodeModel(place, node));
  }

  @ResolveField(() => Int, { description: 'How many nodes the pool has now, over all its zones.' })
  async nodeCount(@Parent() pool: NodePoolModel): Promise<number> {
    return (await this.nodes(pool)).length;
  }

  @Mutation(() => ContainerOperationModel, { description: 'projects.locations.clusters.nodePools.create' })
  async createNodePool(
    @Context() context: GraphqlRequestContext,
    @Args('project', CLUSTER_ARGS.project) project: string,
    @Args('location', CLUSTER_ARGS.location)
    location: string,
    @Args('cluster', CLUSTER_ARGS.cluster) cluster: string,
    @Args('input', { description: 'The node pool to create, as the `nodePool` of nodePools.create.' })
    input: NodePoolInput,
  ) {
    const { machineType, maxPodsPerNode, ...pool } = input;
    const body = {
      nodePool: {
        ...pool,
        ...(machineType ? { config: { machineType } } : {}),
        ...(maxPodsPerNode ? { maxPodsConstraint: { maxPodsPerNode } } : {}),
      },
    };
    const ctx = graphqlContainerContext(context, project);
    return toContainerOperationModel(
      await this.nodePoolService.create(ctx, location, cluster, withoutAbsent(body)),
    );
  }

  @Mutation(() => ContainerOperationModel, { description: 'projects.locations.clusters.nodePools.setSize' })
  async setNodePoolSize(
    @Context() context: GraphqlRequestContext,
    @Args('project', CLUSTER_ARGS.project) project: string,
    @Args('location', CLUSTER_ARGS.location)
    location: string,
    @Args('cluster', CLUSTER_ARGS.cluster) cluster: string,
    @Args('name', { description: "The node pool's name." }) name: string,
    @Args('nodeCount', { type: () => Int, description: 'Nodes per zone.' }) nodeCount: number,
  ) {
    const ctx = graphqlContainerContext(context, project);
    return toContainerOperationModel(
      await this.nodePoolService.setSize(ctx, location, cluster, name, { nodeCount }),
    );
  }

  @Mutation(() => ContainerOperationModel, { description: 'projects.locations.clusters.nodePools.delete' })
  async deleteNodePool(
    @Context() context: GraphqlRequestContext,
    @Args('project', CLUSTER_ARGS.project) project: string,
    @Args('location', CLUSTER_ARGS.location)
    location: string,
    @Args('cluster', CLUSTER_ARGS.cluster) cluster: string,
    @Args('name', { description: "The node pool's name." }) name: string,
  ) {
    const ctx = graphqlContainerContext(context, project);
    return toContainerOperationModel(await this.nodePoolService.delete(ctx, location, cluster, name));
  }
}
