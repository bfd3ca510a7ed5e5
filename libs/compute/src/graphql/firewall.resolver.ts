import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { FirewallService } from '../firewalls/firewall.service';
import { toOperationModel } from './compute-graphql.mapper';
import { OperationModel } from './compute.models';
import { type GraphqlRequestContext, graphqlComputeContext } from './graphql-context';
import { toFirewallModel } from './network-security.mapper';
import { FirewallInput, FirewallModel, FirewallPatchInput } from './network-security.models';
import { stripUndefined } from './network.resolver';

@Resolver(() => FirewallModel)
export class FirewallResolver {
  constructor(private readonly firewallService: FirewallService) {}

  @Query(() => [FirewallModel], {
    description: 'Firewall rules of a project, or the effective rules of one network.',
  })
  async firewalls(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('network', { nullable: true, description: 'Only this network, in evaluation order.' })
    network?: string,
  ) {
    const ctx = graphqlComputeContext(context, project);
    const items = network
      ? (await this.firewallService.effectiveFirewalls(ctx, network)).firewalls
      : (await this.firewallService.list(ctx, {})).items;
    return items.map(toFirewallModel);
  }

  @Query(() => FirewallModel, { description: 'One firewall rule (firewalls.get).' })
  async firewall(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('name', { description: "The firewall rule's name." }) name: string,
  ) {
    return toFirewallModel(await this.firewallService.get(graphqlComputeContext(context, project), name));
  }

  @Mutation(() => OperationModel, { description: 'firewalls.insert' })
  async createFirewall(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('input', { description: 'The firewall rule to create, as the REST body of firewalls.insert.' })
    input: FirewallInput,
  ) {
    return toOperationModel(
      await this.firewallService.insert(graphqlComputeContext(context, project), stripUndefined(input)),
    );
  }

  @Mutation(() => OperationModel, { description: 'firewalls.patch' })
  async patchFirewall(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('name', { description: "The firewall rule's name." }) name: string,
    @Args('input', {
      description: 'The fields to change (firewalls.patch): omitted fields keep their value.',
    })
    input: FirewallPatchInput,
  ) {
    return toOperationModel(
      await this.firewallService.patch(graphqlComputeContext(context, project), name, stripUndefined(input)),
    );
  }

  @Mutation(() => OperationModel, { description: 'firewalls.delete' })
  async deleteFirewall(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('name', { description: "The firewall rule's name." }) name: string,
  ) {
    return toOperationModel(await this.firewallService.delete(graphqlComputeContext(context, project), name));
  }
}
