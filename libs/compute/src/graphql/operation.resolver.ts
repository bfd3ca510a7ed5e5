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
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('region', {
      nullable: true,
      description: 'The Compute Engine region, e.g. us-central1; omitted: every region (aggregatedList).',
    })
    region?: string,
  ) {
    const page = await this.operationService.list(
      graphqlComputeContext(context, project),
      region ?? 'global',
      {},
    );
    return page.items.map(toOperationModel);
  }

  @Query(() => OperationModel, {
    description: 'One Compute operation (regionOperations.get or globalOperations.get).',
  })
  async operation(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('name', { description: "The operation's name (operation-…)." }) name: string,
    @Args('region', {
      nullable: true,
      description: 'The Compute Engine region, e.g. us-central1; omitted: every region (aggregatedList).',
    })
    region?: string,
  ) {
    return toOperationModel(
      await this.operationService.get(graphqlComputeContext(context, project), region ?? 'global', name),
    );
  }
}
