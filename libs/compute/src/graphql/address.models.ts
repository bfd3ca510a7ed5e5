import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType('Address', { description: 'A reserved IP address (compute#address), regional or global.' })
export class AddressModel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ nullable: true }) description?: string;
  @Field() address!: string;
  @Field({ description: 'EXTERNAL or INTERNAL.' }) addressType!: string;
  @Field({ description: 'Region name, or "global".' }) region!: string;
  @Field({ nullable: true, description: 'Name of the subnetwork (internal addresses).' }) subnetwork?: string;
  @Field({ description: 'RESERVED or IN_USE.' }) status!: string;
  @Field(() => [String], { description: 'Links of the resources using the address.' }) users!: string[];
  @Field() selfLink!: string;
}

@InputType()
export class AddressInput {
  @Field() name!: string;
  @Field({ nullable: true }) description?: string;
  @Field({ nullable: true, description: 'A specific address; omitted: the lowest free one.' })
  address?: string;
  @Field({ nullable: true, description: 'EXTERNAL (default) or INTERNAL.' }) addressType?: string;
  @Field({ nullable: true, description: 'Subnetwork name or link (internal addresses).' })
  subnetwork?: string;
  @Field({ nullable: true }) networkTier?: string;
}

@ObjectType('LoadBalancingResource', {
  description: 'A health check, backend service, URL map, target proxy or pool, or forwarding rule.',
})
export class LoadBalancingResourceModel {
  @Field(() => ID) id!: string;
  @Field({ description: 'The URL collection, e.g. healthChecks.' }) collection!: string;
  @Field() name!: string;
  @Field({ description: 'Region name, or "global".' }) scope!: string;
  @Field() selfLink!: string;
  @Field({ description: 'The full wire object (compute#…) as JSON.' }) json!: string;
}
