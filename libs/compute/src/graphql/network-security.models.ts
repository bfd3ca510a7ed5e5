import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('FirewallProtocolPorts', {
  description: 'One protocol of an allow or deny list, with its ports.',
})
export class FirewallProtocolPortsModel {
  @Field({ description: 'tcp, udp, icmp, esp, ah, sctp, ipip, all, or a protocol number.' })
  IPProtocol!: string;
  @Field(() => [String], {
    description: 'Ports or ranges ("80", "8000-8080"); empty: every port of the protocol.',
  })
  ports!: string[];
}

@ObjectType('Firewall', { description: 'A VPC firewall rule (compute#firewall).' })
export class FirewallModel {
  @Field(() => ID, { description: 'The unique identifier Compute assigns (uint64, as a string).' })
  id!: string;
  @Field({ description: "The rule's name, unique within the project." }) name!: string;
  @Field({ nullable: true, description: 'An optional description of the rule.' }) description?: string;
  @Field({ description: 'Name of the network.' }) network!: string;
  @Field(() => Int, { description: "The rule's priority: 0–65535 (default 1000), lower is evaluated first." })
  priority!: number;
  @Field({ description: 'INGRESS or EGRESS.' }) direction!: string;
  @Field(() => [FirewallProtocolPortsModel], {
    description: 'The protocols and ports this rule allows (empty for a deny rule).',
  })
  allowed!: FirewallProtocolPortsModel[];
  @Field(() => [FirewallProtocolPortsModel], {
    description: 'The protocols and ports this rule denies (empty for an allow rule).',
  })
  denied!: FirewallProtocolPortsModel[];
  @Field(() => [String], { description: 'For INGRESS: the source CIDRs the rule applies to.' })
  sourceRanges!: string[];
  @Field(() => [String], { description: 'For EGRESS: the destination CIDRs the rule applies to.' })
  destinationRanges!: string[];
  @Field(() => [String], { description: 'For INGRESS: traffic from VMs with these network tags.' })
  sourceTags!: string[];
  @Field(() => [String], {
    description:
      'The VMs the rule applies to, by network tag; empty with no targetServiceAccounts: every VM of the network.',
  })
  targetTags!: string[];
  @Field(() => [String], { description: 'For INGRESS: traffic from VMs running as these service accounts.' })
  sourceServiceAccounts!: string[];
  @Field(() => [String], {
    description:
      'The VMs the rule applies to, by service account; empty with no targetTags: every VM of the network.',
  })
  targetServiceAccounts!: string[];
  @Field({ description: 'Whether the rule is disabled (kept but not enforced).' }) disabled!: boolean;
  @Field({ description: 'Whether Firewall Rules Logging is on (`logConfig.enable`).' }) logging!: boolean;
  @Field({ description: "The rule's URL in the Compute API." }) selfLink!: string;
  @Field({ description: 'When the rule was created (RFC 3339).' }) creationTimestamp!: string;
}

@ObjectType('Route', { description: 'A route (compute#route): static, or derived from a subnet range.' })
export class RouteModel {
  @Field(() => ID, { description: 'The unique identifier Compute assigns (uint64, as a string).' })
  id!: string;
  @Field({ description: "The route's name, unique within the project." }) name!: string;
  @Field({ nullable: true, description: 'An optional description of the route.' }) description?: string;
  @Field({ description: 'Name of the network.' }) network!: string;
  @Field({ description: 'The destination range (CIDR) the route matches.' }) destRange!: string;
  @Field(() => Int, {
    description: '0–65535 (default 1000): among routes with the same prefix length, lower wins.',
  })
  priority!: number;
  @Field(() => [String], {
    description: 'The network tags of the VMs the route applies to; empty: every VM of the network.',
  })
  tags!: string[];
  @Field({ description: 'STATIC or SUBNET.' }) routeType!: string;
  @Field({ description: 'The next hop: a gateway, instance, IP, forwarding rule or network link.' })
  nextHop!: string;
  @Field({ description: "The route's URL in the Compute API." }) selfLink!: string;
}

@InputType({ description: "One entry of a firewall rule's `allowed` or `denied`." })
export class FirewallProtocolPortsInput {
  @Field({ description: 'tcp, udp, icmp, esp, ah, sctp, ipip, all, or an IP protocol number.' })
  IPProtocol!: string;
  @Field(() => [String], {
    nullable: true,
    description: 'Ports or ranges ("80", "8000-8080"); omitted: every port of the protocol.',
  })
  ports?: string[];
}

@InputType({ description: 'The REST body of firewalls.insert: a VPC firewall rule.' })
export class FirewallInput {
  @Field({ description: "The rule's name (RFC 1035: lowercase letters, digits, hyphens; 1–63 characters)." })
  name!: string;
  @Field({ nullable: true, description: 'Network name or link; default: the "default" network.' })
  network?: string;
  @Field({ nullable: true, description: 'An optional description of the rule.' }) description?: string;
  @Field(() => Int, { nullable: true, description: '0–65535 (default 1000), lower is evaluated first.' })
  priority?: number;
  @Field({ nullable: true, description: 'INGRESS (default) or EGRESS.' }) direction?: string;
  @Field(() => [FirewallProtocolPortsInput], {
    nullable: true,
    description: 'The protocols and ports to allow; give this or `denied`.',
  })
  allowed?: FirewallProtocolPortsInput[];
  @Field(() => [FirewallProtocolPortsInput], {
    nullable: true,
    description: 'The protocols and ports to deny; give this or `allowed`.',
  })
  denied?: FirewallProtocolPortsInput[];
  @Field(() => [String], {
    nullable: true,
    description: 'For INGRESS: the source CIDRs the rule applies to.',
  })
  sourceRanges?: string[];
  @Field(() => [String], {
    nullable: true,
    description: 'For EGRESS: the destination CIDRs the rule applies to.',
  })
  destinationRanges?: string[];
  @Field(() => [String], {
    nullable: true,
    description: 'For INGRESS: traffic from VMs with these network tags.',
  })
  sourceTags?: string[];
  @Field(() => [String], { nullable: true, description: 'The VMs the rule applies to, by network tag.' })
  targetTags?: string[];
  @Field(() => [String], {
    nullable: true,
    description: 'For INGRESS: traffic from VMs running as these service accounts.',
  })
  sourceServiceAccounts?: string[];
  @Field(() => [String], { nullable: true, description: 'The VMs the rule applies to, by service account.' })
  targetServiceAccounts?: string[];
  @Field({ nullable: true, description: 'Create the rule disabled (kept but not enforced).' })
  disabled?: boolean;
}

@InputType({
  description: "The fields of firewalls.patch: those given replace the rule's; the others keep their value.",
})
export class FirewallPatchInput {
  @Field({ nullable: true, description: 'A new description.' }) description?: string;
  @Field(() => Int, { nullable: true, description: 'A new priority: 0–65535, lower is evaluated first.' })
  priority?: number;
  @Field(() => [FirewallProtocolPortsInput], {
    nullable: true,
    description: 'The protocols and ports to allow.',
  })
  allowed?: FirewallProtocolPortsInput[];
  @Field(() => [FirewallProtocolPortsInput], {
    nullable: true,
    description: 'The protocols and ports to deny.',
  })
  denied?: FirewallProtocolPortsInput[];
  @Field(() => [String], { nullable: true, description: 'For INGRESS: the source CIDRs.' })
  sourceRanges?: string[];
  @Field(() => [String], { nullable: true, description: 'For EGRESS: the destination CIDRs.' })
  destinationRanges?: string[];
  @Field(() => [String], { nullable: true, description: 'For INGRESS: the source network tags.' })
  sourceTags?: string[];
  @Field(() => [String], { nullable: true, description: 'The target network tags.' }) targetTags?: string[];
  @Field({ nullable: true, description: 'Disable (true) or enable (false) the rule.' }) disabled?: boolean;
}

@InputType({ description: 'The REST body of routes.insert: a static route; give exactly one next hop.' })
export class RouteInput {
  @Field({ description: "The route's name (RFC 1035: lowercase letters, digits, hyphens; 1–63 characters)." })
  name!: string;
  @Field({ nullable: true, description: "The network's name or URL." }) network?: string;
  @Field({ description: 'The destination range (CIDR) the route matches.' }) destRange!: string;
  @Field({ nullable: true, description: 'An optional description of the route.' }) description?: string;
  @Field(() => Int, {
    nullable: true,
    description: '0–65535 (default 1000): among routes with the same prefix length, lower wins.',
  })
  priority?: number;
  @Field(() => [String], {
    nullable: true,
    description: 'Only VMs with these network tags use the route; omitted: every VM of the network.',
  })
  tags?: string[];
  @Field({
    nullable: true,
    description: 'Next hop: the default internet gateway (global/gateways/default-internet-gateway).',
  })
  nextHopGateway?: string;
  @Field({ nullable: true, description: 'Next hop: an internal IP address of a VM.' }) nextHopIp?: string;
  @Field({ nullable: true, description: "Next hop: a VM instance's URL." }) nextHopInstance?: string;
  @Field({
    nullable: true,
    description: "Next hop: an internal passthrough load balancer's forwarding rule (URL or IP).",
  })
  nextHopIlb?: string;
}
