import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { NetworkService } from '../networks/network.service';
import { SubnetworkService } from '../subnetworks/subnetwork.service';
import { toNetworkModel, toOperationModel, toSubnetworkModel } from './compute-graphql.mapper';
import {
  NetworkInput,
  NetworkModel,
  NetworkPatchInput,
  OperationModel,
  SubnetworkModel,
} from './compute.models';
import { type GraphqlRequestContext, graphqlComputeContext } from './graphql-context';

@Resolver(() => NetworkModel)
export class NetworkResolver {
  constructor(
    private readonly networkService: NetworkService,
    private readonly subnetworkService: SubnetworkService,
  ) {}

  @Query(() => [NetworkModel], { description: 'The VPC networks of a project.' })
  async networks(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
  ) {
    const page = await this.networkService.list(graphqlComputeContext(context, project), {});
    return page.items.map((wire) => toNetworkModel(project, wire));
  }

  @Query(() => NetworkModel, { description: 'One VPC network (networks.get).' })
  async network(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('name', { description: "The network's name." }) name: string,
  ) {
    return toNetworkModel(
      project,
      await this.networkService.get(graphqlComputeContext(context, project), name),
    );
  }

  @ResolveField(() => [SubnetworkModel], { description: "The network's subnetworks, in every region." })
  async subnetworks(@Context() context: GraphqlRequestContext, @Parent() network: NetworkModel) {
    const ctx = graphqlComputeContext(context, network.project);
    return (await this.subnetworkService.listByNetwork(ctx, network.name)).map(toSubnetworkModel);
  }

  @Mutation(() => OperationModel, { description: 'networks.insert' })
  async createNetwork(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('input', { description: 'The network to create, as the REST body of networks.insert.' })
    input: NetworkInput,
  ): Promise<OperationModel> {
    const { routingMode, ...rest } = input;
    const body = { ...rest, ...(routingMode ? { routingConfig: { routingMode } } : {}) };
    return toOperationModel(
      await this.networkService.insert(graphqlComputeContext(context, project), stripUndefined(body)),
    );
  }

  @Mutation(() => OperationModel, { description: 'networks.patch' })
  async patchNetwork(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('name', { description: "The network's name." }) name: string,
    @Args('input', { description: 'The fields to change (networks.patch): omitted fields keep their value.' })
    input: NetworkPatchInput,
  ): Promise<OperationModel> {
    const { routingMode, ...rest } = input;
    const body = { ...rest, ...(routingMode ? { routingConfig: { routingMode } } : {}) };
    return toOperationModel(
      await this.networkService.patch(graphqlComputeContext(context, project), name, stripUndefined(body)),
    );
  }

  @Mutation(() => OperationModel, { description: 'networks.delete' })
  async deleteNetwork(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('name', { description: "The network's name." }) name: string,
  ): Promise<OperationModel> {
    return toOperationModel(await this.networkService.delete(graphqlComputeContext(context, project), name));
  }
}

/** GraphQL hands absent optional arguments over as undefined or null; the wire parser wants them absent. */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  return JSON.parse(JSON.stringify(value)) as Partial<T>;
}
