import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('SecondaryIpRange', { description: 'A secondary (alias IP) range of a subnetwork.' })
export class SecondaryIpRangeModel {
  @Field() rangeName!: string;
  @Field() ipCidrRange!: string;
}

@ObjectType('Subnetwork', { description: 'A Compute Engine subnetwork (compute#subnetwork).' })
export class SubnetworkModel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ nullable: true }) description?: string;
  @Field({ description: 'Region name, e.g. us-central1.' }) region!: string;
  @Field({ description: 'Name of the network the subnetwork belongs to.' }) network!: string;
  @Field() ipCidrRange!: string;
  @Field() gatewayAddress!: string;
  @Field(() => [SecondaryIpRangeModel]) secondaryIpRanges!: SecondaryIpRangeModel[];
  @Field() privateIpGoogleAccess!: boolean;
  @Field() purpose!: string;
  @Field() stackType!: string;
  @Field() fingerprint!: string;
  @Field() selfLink!: string;
  @Field() creationTimestamp!: string;
}

@ObjectType('Network', { description: 'A VPC network (compute#network).' })
export class NetworkModel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ nullable: true }) description?: string;
  @Field() autoCreateSubnetworks!: boolean;
  @Field(() => Int) mtu!: number;
  @Field() routingMode!: string;
  @Field() selfLink!: string;
  @Field() creationTimestamp!: string;
  /** The project, for field resolvers. */
  project!: string;
}

@ObjectType('OperationError')
export class OperationErrorModel {
  @Field() code!: string;
  @Field() message!: string;
}

@ObjectType('Operation', { description: 'A Compute Engine operation (compute#operation).' })
export class OperationModel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() operationType!: string;
  @Field({ description: 'RUNNING or DONE.' }) status!: string;
  @Field(() => Int) progress!: number;
  @Field() targetLink!: string;
  @Field({ nullable: true, description: 'Region name for regional operations.' }) region?: string;
  @Field() insertTime!: string;
  @Field({ nullable: true }) endTime?: string;
  @Field(() => Int, { nullable: true }) httpErrorStatusCode?: number;
  @Field(() => [OperationErrorModel], { nullable: true }) errors?: OperationErrorModel[];
  @Field() selfLink!: string;
}

@InputType()
export class SecondaryIpRangeInput {
  @Field() rangeName!: string;
  @Field() ipCidrRange!: string;
}

@InputType()
export class NetworkInput {
  @Field() name!: string;
  @Field({ nullable: true }) description?: string;
  @Field({ description: 'true: auto mode (one subnetwork per region); false: custom mode.' })
  autoCreateSubnetworks!: boolean;
  @Field(() => Int, { nullable: true }) mtu?: number;
  @Field({ nullable: true, description: 'REGIONAL (default) or GLOBAL.' }) routingMode?: string;
}

@InputType()
export class NetworkPatchInput {
  @Field({ nullable: true }) description?: string;
  @Field(() => Int, { nullable: true }) mtu?: number;
  @Field({ nullable: true }) routingMode?: string;
}

@InputType()
export class SubnetworkInput {
  @Field() name!: string;
  @Field({ description: 'Network name or link.' }) network!: string;
  @Field() ipCidrRange!: string;
  @Field({ nullable: true }) description?: string;
  @Field(() => [SecondaryIpRangeInput], { nullable: true }) secondaryIpRanges?: SecondaryIpRangeInput[];
  @Field({ nullable: true }) privateIpGoogleAccess?: boolean;
}

@InputType()
export class SubnetworkPatchInput {
  @Field({ description: 'The fingerprint last read; a stale one fails with conditionNotMet.' })
  fingerprint!: string;
  @Field({ nullable: true }) description?: string;
  @Field(() => [SecondaryIpRangeInput], { nullable: true }) secondaryIpRanges?: SecondaryIpRangeInput[];
  @Field({ nullable: true }) privateIpGoogleAccess?: boolean;
}
