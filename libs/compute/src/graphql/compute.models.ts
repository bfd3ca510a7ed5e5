import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('SecondaryIpRange', { description: 'A secondary (alias IP) range of a subnetwork.' })
export class SecondaryIpRangeModel {
  @Field({
    description: "The range's name, unique within the subnetwork (GKE's pod and Service ranges refer to it).",
  })
  rangeName!: string;
  @Field({ description: 'The range (CIDR), e.g. 10.4.0.0/14.' }) ipCidrRange!: string;
}

@ObjectType('Subnetwork', { description: 'A Compute Engine subnetwork (compute#subnetwork).' })
export class SubnetworkModel {
  @Field(() => ID, { description: 'The unique identifier Compute assigns (uint64, as a string).' })
  id!: string;
  @Field({ description: "The subnetwork's name, unique within its region." }) name!: string;
  @Field({ nullable: true, description: 'An optional description of the subnetwork.' }) description?: string;
  @Field({ description: 'Region name, e.g. us-central1.' }) region!: string;
  @Field({ description: 'Name of the network the subnetwork belongs to.' }) network!: string;
  @Field({ description: 'The primary range (CIDR) VM primary IPs come from.' }) ipCidrRange!: string;
  @Field({ description: "The default gateway's address: the range's second address (e.g. 10.0.0.1)." })
  gatewayAddress!: string;
  @Field(() => [SecondaryIpRangeModel], {
    description:
      "The subnetwork's secondary (alias IP) ranges, as Compute's `secondaryIpRanges` (GKE pod and Service ranges).",
  })
  secondaryIpRanges!: SecondaryIpRangeModel[];
  @Field({ description: 'Whether VMs without external IPs reach Google APIs (Private Google Access).' })
  privateIpGoogleAccess!: boolean;
  @Field({
    description: "PRIVATE, REGIONAL_MANAGED_PROXY, PRIVATE_SERVICE_CONNECT, …, as Compute's `purpose`.",
  })
  purpose!: string;
  @Field({ description: 'IPV4_ONLY or IPV4_IPV6.' }) stackType!: string;
  @Field({ description: 'A hash of the subnetwork for optimistic locking; patch needs the current one.' })
  fingerprint!: string;
  @Field({ description: "The subnetwork's URL in the Compute API." }) selfLink!: string;
  @Field({ description: 'When the subnetwork was created (RFC 3339).' }) creationTimestamp!: string;
}

@ObjectType('Network', { description: 'A VPC network (compute#network).' })
export class NetworkModel {
  @Field(() => ID, { description: 'The unique identifier Compute assigns (uint64, as a string).' })
  id!: string;
  @Field({ description: "The network's name, unique within the project." }) name!: string;
  @Field({ nullable: true, description: 'An optional description of the network.' }) description?: string;
  @Field({
    description: 'true: auto mode (one subnetwork per region, from 10.128.0.0/9); false: custom mode.',
  })
  autoCreateSubnetworks!: boolean;
  @Field(() => Int, { description: 'The maximum transmission unit in bytes (1300–8896; default 1460).' })
  mtu!: number;
  @Field({
    description:
      "REGIONAL or GLOBAL (`routingConfig.routingMode`): which regions' Cloud Routers learn its routes.",
  })
  routingMode!: string;
  @Field({ description: "The network's URL in the Compute API." }) selfLink!: string;
  @Field({ description: 'When the network was created (RFC 3339).' }) creationTimestamp!: string;
  /** The project, for field resolvers. */
  project!: string;
}

@ObjectType('OperationError', {
  description: 'An error of a Compute operation (an entry of `error.errors`).',
})
export class OperationErrorModel {
  @Field({ description: "The error's reason, e.g. RESOURCE_ALREADY_EXISTS." }) code!: string;
  @Field({ description: 'What went wrong, for people.' }) message!: string;
}

@ObjectType('Operation', { description: 'A Compute Engine operation (compute#operation).' })
export class OperationModel {
  @Field(() => ID, { description: 'The unique identifier Compute assigns (uint64, as a string).' })
  id!: string;
  @Field({ description: "The operation's name, as operations.get and wait take it." }) name!: string;
  @Field({ description: 'What the operation does, e.g. insert, patch, delete.' }) operationType!: string;
  @Field({ description: 'RUNNING or DONE.' }) status!: string;
  @Field(() => Int, { description: 'Progress, 0–100.' }) progress!: number;
  @Field({ description: 'The URL of the resource the operation acts on.' }) targetLink!: string;
  @Field({ nullable: true, description: 'Region name for regional operations.' }) region?: string;
  @Field({ description: 'When the operation was requested (RFC 3339).' }) insertTime!: string;
  @Field({ nullable: true, description: 'When the operation finished (RFC 3339); absent while it runs.' })
  endTime?: string;
  @Field(() => Int, {
    nullable: true,
    description: 'For a failed operation, the HTTP status of its error, e.g. 400.',
  })
  httpErrorStatusCode?: number;
  @Field(() => [OperationErrorModel], {
    nullable: true,
    description: 'The errors the operation met (`error.errors`); absent when it succeeded.',
  })
  errors?: OperationErrorModel[];
  @Field({ description: "The operation's URL in the Compute API." }) selfLink!: string;
}

@InputType({
  description: "A secondary (alias IP) range of a subnetwork, as an entry of Compute's `secondaryIpRanges`.",
})
export class SecondaryIpRangeInput {
  @Field({ description: "The range's name, unique within the subnetwork (RFC 1035)." }) rangeName!: string;
  @Field({ description: "The range (CIDR); it must not overlap the subnetwork's other ranges." })
  ipCidrRange!: string;
}

@InputType({ description: 'The REST body of networks.insert: a VPC network.' })
export class NetworkInput {
  @Field({
    description: "The network's name (RFC 1035: lowercase letters, digits, hyphens; 1–63 characters).",
  })
  name!: string;
  @Field({ nullable: true, description: 'An optional description of the network.' }) description?: string;
  @Field({ description: 'true: auto mode (one subnetwork per region); false: custom mode.' })
  autoCreateSubnetworks!: boolean;
  @Field(() => Int, {
    nullable: true,
    description: 'The maximum transmission unit in bytes (1300–8896; default 1460).',
  })
  mtu?: number;
  @Field({ nullable: true, description: 'REGIONAL (default) or GLOBAL.' }) routingMode?: string;
}

@InputType({
  description:
    "The fields of networks.patch: those given replace the network's; the others keep their value.",
})
export class NetworkPatchInput {
  @Field({ nullable: true, description: 'A new description.' }) description?: string;
  @Field(() => Int, { nullable: true, description: 'A new MTU in bytes (1300–8896).' }) mtu?: number;
  @Field({ nullable: true, description: 'REGIONAL or GLOBAL.' }) routingMode?: string;
}

@InputType({ description: 'The REST body of subnetworks.insert: a subnetwork of a custom-mode network.' })
export class SubnetworkInput {
  @Field({
    description: "The subnetwork's name (RFC 1035: lowercase letters, digits, hyphens; 1–63 characters).",
  })
  name!: string;
  @Field({ description: 'Network name or link.' }) network!: string;
  @Field({ description: "The primary range (CIDR); it must not overlap the network's other subnetworks." })
  ipCidrRange!: string;
  @Field({ nullable: true, description: 'An optional description of the subnetwork.' }) description?: string;
  @Field(() => [SecondaryIpRangeInput], {
    nullable: true,
    description: "Secondary (alias IP) ranges, as Compute's `secondaryIpRanges`.",
  })
  secondaryIpRanges?: SecondaryIpRangeInput[];
  @Field({
    nullable: true,
    description: 'Whether VMs without external IPs reach Google APIs (Private Google Access).',
  })
  privateIpGoogleAccess?: boolean;
}

@InputType({
  description:
    "The fields of subnetworks.patch: those given replace the subnetwork's; the others keep their value.",
})
export class SubnetworkPatchInput {
  @Field({ description: 'The fingerprint last read; a stale one fails with conditionNotMet.' })
  fingerprint!: string;
  @Field({ nullable: true, description: 'A new description.' }) description?: string;
  @Field(() => [SecondaryIpRangeInput], {
    nullable: true,
    description: 'The full new list of secondary ranges (add or remove ranges not in use).',
  })
  secondaryIpRanges?: SecondaryIpRangeInput[];
  @Field({ nullable: true, description: 'Turn Private Google Access on or off.' })
  privateIpGoogleAccess?: boolean;
}
