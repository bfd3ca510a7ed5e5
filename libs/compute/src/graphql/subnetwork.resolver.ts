import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { SubnetworkService } from '../subnetworks/subnetwork.service';
import { toOperationModel, toSubnetworkModel } from './compute-graphql.mapper';
import { OperationModel, SubnetworkInput, SubnetworkModel, SubnetworkPatchInput } from './compute.models';
import { type GraphqlRequestContext, graphqlComputeContext } from './graphql-context';
import { stripUndefined } from './network.resolver';

@Resolver(() => SubnetworkModel)
export class SubnetworkResolver {
  constructor(private readonly subnetworkService: SubnetworkService) {}

  @Query(() => [SubnetworkModel], { description: 'Subnetworks of a project, in one region or all.' })
  async subnetworks(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('region', {
      nullable: true,
      description: 'The Compute Engine region, e.g. us-central1; omitted: every region (aggregatedList).',
    })
    region?: string,
  ) {
    const ctx = graphqlComputeContext(context, project);
    if (region) return (await this.subnetworkService.list(ctx, region, {})).items.map(toSubnetworkModel);
    const aggregated = await this.subnetworkService.aggregatedList(ctx, {});
    return Object.values(aggregated.items)
      .flatMap((scope) => (scope['subnetworks'] as Record<string, unknown>[] | undefined) ?? [])
      .map(toSubnetworkModel);
  }

  @Query(() => SubnetworkModel, { description: 'One subnetwork (subnetworks.get).' })
  async subnetwork(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('region', { description: 'The Compute Engine region, e.g. us-central1.' }) region: string,
    @Args('name', { description: "The subnetwork's name." }) name: string,
  ) {
    return toSubnetworkModel(
      await this.subnetworkService.get(graphqlComputeContext(context, project), region, name),
    );
  }

  @Mutation(() => OperationModel, { description: 'subnetworks.insert' })
  async createSubnetwork(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('region', { description: 'The Compute Engine region, e.g. us-central1.' }) region: string,
    @Args('input', { description: 'The subnetwork to create, as the REST body of subnetworks.insert.' })
    input: SubnetworkInput,
  ) {
    return toOperationModel(
      await this.subnetworkService.insert(
        graphqlComputeContext(context, project),
        region,
        stripUndefined(input),
      ),
    );
  }

  @Mutation(() => OperationModel, { description: 'subnetworks.patch' })
  async patchSubnetwork(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('region', { description: 'The Compute Engine region, e.g. us-central1.' }) region: string,
    @Args('name', { description: "The subnetwork's name." }) name: string,
    @Args('input', {
      description: 'The fields to change (subnetworks.patch): omitted fields keep their value.',
    })
    input: SubnetworkPatchInput,
  ) {
    const ctx = graphqlComputeContext(context, project);
    return toOperationModel(await this.subnetworkService.patch(ctx, region, name, stripUndefined(input)));
  }

  @Mutation(() => OperationModel, { description: 'subnetworks.expandIpCidrRange' })
  async expandSubnetworkIpCidrRange(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('region', { description: 'The Compute Engine region, e.g. us-central1.' }) region: string,
    @Args('name', { description: "The subnetwork's name." }) name: string,
    @Args('ipCidrRange', {
      description:
        "The subnetwork's new primary range: a CIDR that contains the current one (expandIpCidrRange).",
    })
    ipCidrRange: string,
  ) {
    const ctx = graphqlComputeContext(context, project);
    return toOperationModel(
      await this.subnetworkService.expandIpCidrRange(ctx, region, name, { ipCidrRange }),
    );
  }

  @Mutation(() => OperationModel, { description: 'subnetworks.setPrivateIpGoogleAccess' })
  async setSubnetworkPrivateIpGoogleAccess(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('region', { description: 'The Compute Engine region, e.g. us-central1.' }) region: string,
    @Args('name', { description: "The subnetwork's name." }) name: string,
    @Args('privateIpGoogleAccess', {
      description: 'Whether VMs without external IPs reach Google APIs (Private Google Access).',
    })
    privateIpGoogleAccess: boolean,
  ) {
    const ctx = graphqlComputeContext(context, project);
    return toOperationModel(
      await this.subnetworkService.setPrivateIpGoogleAccess(ctx, region, name, { privateIpGoogleAccess }),
    );
  }

  @Mutation(() => OperationModel, { description: 'subnetworks.delete' })
  async deleteSubnetwork(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('region', { description: 'The Compute Engine region, e.g. us-central1.' }) region: string,
    @Args('name', { description: "The subnetwork's name." }) name: string,
  ) {
    return toOperationModel(
      await this.subnetworkService.delete(graphqlComputeContext(context, project), region, name),
    );
  }
}
