import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { OperationService } from '../operations/operation.service';
import { toOperationModel } from './compute-graphql.mapper';
import { OperationModel } from './compute.models';
import { type GraphqlRequestContext, graphqlComputeContext } from './graphql-context';

@Resolver(() => OperationModel)
export class OperationResolver {
  constructor(private readonly operationService: OperationService) {}

  @Query(() => [OperationModel], { description: 'Global operations, or those of one region.' })
  async operations(
    @Context() context: GraphqlRequestContext,
    @Args('project') project: string,
    @Args('region', { nullable: true }) region?: string,
  ) {
    const page = await this.operationService.list(
      graphqlComputeContext(context, project),
      region ?? 'global',
      {},
    );
    return page.items.map(toOperationModel);
  }

  @Query(() => OperationModel)
  async operation(
    @Context() context: GraphqlRequestContext,
    @Args('project') project: string,
    @Args('name') name: string,
    @Args('region', { nullable: true }) region?: string,
  ) {
    return toOperationModel(
      await this.operationService.get(graphqlComputeContext(context, project), region ?? 'global', name),
    );
  }
}
