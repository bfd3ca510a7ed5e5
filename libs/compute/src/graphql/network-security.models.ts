import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('FirewallProtocolPorts', {
  description: 'One protocol of an allow or deny list, with its ports.',
})
export class FirewallProtocolPortsModel {
  @Field({ description: 'tcp, udp, icmp, esp, ah, sctp, ipip, all, or a protocol number.' })
  IPProtocol!: string;
  @Field(() => [String]) ports!: string[];
}

@ObjectType('Firewall', { description: 'A VPC firewall rule (compute#firewall).' })
export class FirewallModel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ nullable: true }) description?: string;
  @Field({ description: 'Name of the network.' }) network!: string;
  @Field(() => Int) priority!: number;
  @Field({ description: 'INGRESS or EGRESS.' }) direction!: string;
  @Field(() => [FirewallProtocolPortsModel]) allowed!: FirewallProtocolPortsModel[];
  @Field(() => [FirewallProtocolPortsModel]) denied!: FirewallProtocolPortsModel[];
  @Field(() => [String]) sourceRanges!: string[];
  @Field(() => [String]) destinationRanges!: string[];
  @Field(() => [String]) sourceTags!: string[];
  @Field(() => [String]) targetTags!: string[];
  @Field(() => [String]) sourceServiceAccounts!: string[];
  @Field(() => [String]) targetServiceAccounts!: string[];
  @Field() disabled!: boolean;
  @Field() logging!: boolean;
  @Field() selfLink!: string;
  @Field() creationTimestamp!: string;
}

@ObjectType('Route', { description: 'A route (compute#route): static, or derived from a subnet range.' })
export class RouteModel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ nullable: true }) description?: string;
  @Field({ description: 'Name of the network.' }) network!: string;
  @Field() destRange!: string;
  @Field(() => Int) priority!: number;
  @Field(() => [String]) tags!: string[];
  @Field({ description: 'STATIC or SUBNET.' }) routeType!: string;
  @Field({ description: 'The next hop: a gateway, instance, IP, forwarding rule or network link.' })
  nextHop!: string;
  @Field() selfLink!: string;
}

@InputType()
export class FirewallProtocolPortsInput {
  @Field() IPProtocol!: string;
  @Field(() => [String], { nullable: true }) ports?: string[];
}

@InputType()
export class FirewallInput {
  @Field() name!: string;
  @Field({ nullable: true, description: 'Network name or link; default: the "default" network.' })
  network?: string;
  @Field({ nullable: true }) description?: string;
  @Field(() => Int, { nullable: true }) priority?: number;
  @Field({ nullable: true }) direction?: string;
  @Field(() => [FirewallProtocolPortsInput], { nullable: true }) allowed?: FirewallProtocolPortsInput[];
  @Field(() => [FirewallProtocolPortsInput], { nullable: true }) denied?: FirewallProtocolPortsInput[];
  @Field(() => [String], { nullable: true }) sourceRanges?: string[];
  @Field(() => [String], { nullable: true }) destinationRanges?: string[];
  @Field(() => [String], { nullable: true }) sourceTags?: string[];
  @Field(() => [String], { nullable: true }) targetTags?: string[];
  @Field(() => [String], { nullable: true }) sourceServiceAccounts?: string[];
  @Field(() => [String], { nullable: true }) targetServiceAccounts?: string[];
  @Field({ nullable: true }) disabled?: boolean;
}

@InputType()
export class FirewallPatchInput {
  @Field({ nullable: true }) description?: string;
  @Field(() => Int, { nullable: true }) priority?: number;
  @Field(() => [FirewallProtocolPortsInput], { nullable: true }) allowed?: FirewallProtocolPortsInput[];
  @Field(() => [FirewallProtocolPortsInput], { nullable: true }) denied?: FirewallProtocolPortsInput[];
  @Field(() => [String], { nullable: true }) sourceRanges?: string[];
  @Field(() => [String], { nullable: true }) destinationRanges?: string[];
  @Field(() => [String], { nullable: true }) sourceTags?: string[];
  @Field(() => [String], { nullable: true }) targetTags?: string[];
  @Field({ nullable: true }) disabled?: boolean;
}

@InputType()
export class RouteInput {
  @Field() name!: string;
  @Field({ nullable: true }) network?: string;
  @Field() destRange!: string;
  @Field({ nullable: true }) description?: string;
  @Field(() => Int, { nullable: true }) priority?: number;
  @Field(() => [String], { nullable: true }) tags?: string[];
  @Field({ nullable: true }) nextHopGateway?: string;
  @Field({ nullable: true }) nextHopIp?: string;
  @Field({ nullable: true }) nextHopInstance?: string;
  @Field({ nullable: true }) nextHopIlb?: string;
}
