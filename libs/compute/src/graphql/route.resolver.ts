import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RouteService } from '../routes/route.service';
import { toOperationModel } from './compute-graphql.mapper';
import { OperationModel } from './compute.models';
import { type GraphqlRequestContext, graphqlComputeContext } from './graphql-context';
import { toRouteModel } from './network-security.mapper';
import { RouteInput, RouteModel } from './network-security.models';
import { stripUndefined } from './network.resolver';

@Resolver(() => RouteModel)
export class RouteResolver {
  constructor(private readonly routeService: RouteService) {}

  @Query(() => [RouteModel], { description: 'Static routes and the subnet routes of every subnet range.' })
  async routes(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
  ) {
    return (await this.routeService.list(graphqlComputeContext(context, project), {})).items.map(
      toRouteModel,
    );
  }

  @Query(() => RouteModel, { description: 'One route (routes.get).' })
  async route(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('name', { description: "The route's name." }) name: string,
  ) {
    return toRouteModel(await this.routeService.get(graphqlComputeContext(context, project), name));
  }

  @Mutation(() => OperationModel, { description: 'routes.insert' })
  async createRoute(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('input', { description: 'The route to create, as the REST body of routes.insert.' })
    input: RouteInput,
  ) {
    return toOperationModel(
      await this.routeService.insert(graphqlComputeContext(context, project), stripUndefined(input)),
    );
  }

  @Mutation(() => OperationModel, { description: 'routes.delete' })
  async deleteRoute(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('name', { description: "The route's name." }) name: string,
  ) {
    return toOperationModel(await this.routeService.delete(graphqlComputeContext(context, project), name));
  }
}
