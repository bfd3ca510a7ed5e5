import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType('Address', { description: 'A reserved IP address (compute#address), regional or global.' })
export class AddressModel {
  @Field(() => ID, { description: 'The unique identifier Compute assigns (uint64, as a string).' })
  id!: string;
  @Field({ description: "The address's name, unique within its region (or globally for a global address)." })
  name!: string;
  @Field({ nullable: true, description: 'An optional description of the address.' }) description?: string;
  @Field({ description: 'The reserved IP address.' }) address!: string;
  @Field({ description: 'EXTERNAL or INTERNAL.' }) addressType!: string;
  @Field({ description: 'Region name, or "global".' }) region!: string;
  @Field({ nullable: true, description: 'Name of the subnetwork (internal addresses).' }) subnetwork?: string;
  @Field({ description: 'RESERVED or IN_USE.' }) status!: string;
  @Field(() => [String], { description: 'Links of the resources using the address.' }) users!: string[];
  @Field({ description: "The address's URL in the Compute API." }) selfLink!: string;
}

@InputType({ description: 'The REST body of addresses.insert / globalAddresses.insert.' })
export class AddressInput {
  @Field({
    description: "The address's name (RFC 1035: lowercase letters, digits, hyphens; 1–63 characters).",
  })
  name!: string;
  @Field({ nullable: true, description: 'An optional description of the address.' }) description?: string;
  @Field({ nullable: true, description: 'A specific address; omitted: the lowest free one.' })
  address?: string;
  @Field({ nullable: true, description: 'EXTERNAL (default) or INTERNAL.' }) addressType?: string;
  @Field({ nullable: true, description: 'Subnetwork name or link (internal addresses).' })
  subnetwork?: string;
  @Field({ nullable: true, description: "PREMIUM (default) or STANDARD, as Compute's `networkTier`." })
  networkTier?: string;
}

@ObjectType('LoadBalancingResource', {
  description: 'A health check, backend service, URL map, target proxy or pool, or forwarding rule.',
})
export class LoadBalancingResourceModel {
  @Field(() => ID, { description: 'The unique identifier Compute assigns (uint64, as a string).' })
  id!: string;
  @Field({ description: 'The URL collection, e.g. healthChecks.' }) collection!: string;
  @Field({ description: "The resource's name." }) name!: string;
  @Field({ description: 'Region name, or "global".' }) scope!: string;
  @Field({ description: "The resource's URL in the Compute API." }) selfLink!: string;
  @Field({ description: 'The full wire object (compute#…) as JSON.' }) json!: string;
}
