import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GoogleErrors } from '@gke-emulator/common';
import { AddressService } from '../addresses/address.service';
import { LoadBalancingService } from '../load-balancing/load-balancing.service';
import type { WireObject } from '../shared/compute-context';
import { AddressInput, AddressModel, LoadBalancingResourceModel } from './address.models';
import { toOperationModel } from './compute-graphql.mapper';
import { OperationModel } from './compute.models';
import { type GraphqlRequestContext, graphqlComputeContext } from './graphql-context';
import { stripUndefined } from './network.resolver';
import { lastSegment } from './compute-graphql.mapper';

function toAddressModel(wire: WireObject): AddressModel {
  return {
    id: String(wire['id']),
    name: String(wire['name']),
    description: wire['description'] as string | undefined,
    address: String(wire['address']),
    addressType: String(wire['addressType']),
    region: wire['region'] ? lastSegment(wire['region']) : 'global',
    subnetwork: wire['subnetwork'] ? lastSegment(wire['subnetwork']) : undefined,
    status: String(wire['status']),
    users: (wire['users'] as string[] | undefined) ?? [],
    selfLink: String(wire['selfLink']),
  };
}

@Resolver(() => AddressModel)
export class AddressResolver {
  constructor(
    private readonly addressService: AddressService,
    private readonly loadBalancing: LoadBalancingService,
  ) {}

  @Query(() => [AddressModel], { description: 'Addresses of a project in one region, or global ones.' })
  async addresses(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('region', { nullable: true, description: 'A region; omitted: global addresses.' }) region?: string,
  ) {
    const page = await this.addressService.list(
      graphqlComputeContext(context, project),
      region ?? 'global',
      {},
    );
    return page.items.map(toAddressModel);
  }

  @Mutation(() => OperationModel, { description: 'addresses.insert (regional, or global without a region)' })
  async createAddress(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('input', { description: 'The address to reserve, as the REST body of addresses.insert.' })
    input: AddressInput,
    @Args('region', {
      nullable: true,
      description: 'The Compute Engine region, e.g. us-central1; omitted: every region (aggregatedList).',
    })
    region?: string,
  ) {
    const ctx = graphqlComputeContext(context, project);
    return toOperationModel(await this.addressService.insert(ctx, region ?? 'global', stripUndefined(input)));
  }

  @Mutation(() => OperationModel, { description: 'addresses.delete' })
  async deleteAddress(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('name', { description: "The address's name." }) name: string,
    @Args('region', {
      nullable: true,
      description: 'The Compute Engine region, e.g. us-central1; omitted: every region (aggregatedList).',
    })
    region?: string,
  ) {
    return toOperationModel(
      await this.addressService.delete(graphqlComputeContext(context, project), region ?? 'global', name),
    );
  }

  @Query(() => [LoadBalancingResourceModel], {
    description:
      'Load-balancing resources of one collection (healthChecks, backendServices, forwardingRules, ...).',
  })
  async loadBalancingResources(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('collection', {
      description: 'Which collection: `addresses` (regional, needs region) or `globalAddresses`.',
    })
    collection: string,
  ) {
    const kind = this.loadBalancing.kindFor(collection, null);
    if (!kind)
      throw GoogleErrors.invalidFieldValue(
        'collection',
        collection,
        'Not a load-balancing collection of gke-emulator.',
      );
    const page = await this.loadBalancing.aggregatedList(kind, graphqlComputeContext(context, project), {});
    return Object.values(page.items)
      .flatMap((scope) => (scope[collection] as WireObject[] | undefined) ?? [])
      .map((wire) => ({
        id: String(wire['id']),
        collection,
        name: String(wire['name']),
        scope: wire['region'] ? lastSegment(wire['region']) : 'global',
        selfLink: String(wire['selfLink']),
        json: JSON.stringify(wire),
      }));
  }
}
