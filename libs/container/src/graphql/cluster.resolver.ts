import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ClusterDirectory } from '../clusters/cluster-directory';
import { ClusterService } from '../clusters/cluster.service';
import {
  toClusterModel,
  toContainerOperationModel,
  toNodeModel,
  withoutAbsent,
} from './cluster-graphql.mapper';
import { ClusterInput, ClusterModel, ContainerOperationModel, NodeModel } from './cluster.models';
import { type GraphqlRequestContext, graphqlContainerContext, CLUSTER_ARGS } from './graphql-context';

@Resolver(() => ClusterModel)
export class ClusterResolver {
  constructor(
    private readonly clusterService: ClusterService,
    private readonly directory: ClusterDirectory,
  ) {}

  @Query(() => [ClusterModel], { description: 'GKE clusters of a project, in one location or all ("-").' })
  async clusters(
    @Context() context: GraphqlRequestContext,
    @Args('project', CLUSTER_ARGS.project) project: string,
    @Args('location', { nullable: true, description: 'Zone or region; "-" or absent: all.' })
    location?: string,
  ) {
    const page = await this.clusterService.list(graphqlContainerContext(context, project), location ?? '-');
    return page.clusters.map((wire) => toClusterModel(project, wire));
  }

  @Query(() => ClusterModel, { description: 'One GKE cluster (clusters.get).' })
  async cluster(
    @Context() context: GraphqlRequestContext,
    @Args('project', CLUSTER_ARGS.project) project: string,
    @Args('location', CLUSTER_ARGS.location)
    location: string,
    @Args('name', { description: "The cluster's name." }) name: string,
  ) {
    const wire = await this.clusterService.get(graphqlContainerContext(context, project), location, name);
    return toClusterModel(project, wire);
  }

  @ResolveField(() => [NodeModel], { description: 'The nodes of every pool, in creation order.' })
  async nodes(@Parent() cluster: ClusterModel): Promise<NodeModel[]> {
    const record = await this.directory.findCluster(cluster.project, cluster.location, cluster.name);
    if (!record) return [];
    const place = { project: cluster.project, location: cluster.location, cluster: cluster.name };
    return (await this.directory.listNodes(record.id)).map((node) => toNodeModel(place, node));
  }

  @Mutation(() => ContainerOperationModel, { description: 'projects.locations.clusters.create' })
  async createCluster(
    @Context() context: GraphqlRequestContext,
    @Args('project', CLUSTER_ARGS.project) project: string,
    @Args('location', CLUSTER_ARGS.location)
    location: string,
    @Args('input', { description: 'The cluster to create, as the `cluster` of clusters.create.' })
    input: ClusterInput,
  ) {
    const { defaultMaxPodsPerNode, ...cluster } = input;
    const body = {
      cluster: {
        ...cluster,
        ...(defaultMaxPodsPerNode
          ? { defaultMaxPodsConstraint: { maxPodsPerNode: defaultMaxPodsPerNode } }
          : {}),
      },
    };
    const ctx = graphqlContainerContext(context, project);
    return toContainerOperationModel(await this.clusterService.create(ctx, location, withoutAbsent(body)));
  }

  @Mutation(() => ContainerOperationModel, { description: 'projects.locations.clusters.delete' })
  async deleteCluster(
    @Context() context: GraphqlRequestContext,
    @Args('project', CLUSTER_ARGS.project) project: string,
    @Args('location', CLUSTER_ARGS.location)
    location: string,
    @Args('name', { description: "The cluster's name." }) name: string,
  ) {
    const ctx = graphqlContainerContext(context, project);
    return toContainerOperationModel(await this.clusterService.delete(ctx, location, name));
  }
}
