import { Field, Float, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType('SecurityPolicyRule', { description: 'A Cloud Armor rule (compute#securityPolicyRule).' })
export class SecurityPolicyRuleModel {
  @Field(() => Float, { description: '0 (first) to 2147483647 (the default rule).' }) priority!: number;
  @Field({ description: 'allow, deny(403|404|502), redirect, throttle or rate_based_ban.' }) action!: string;
  @Field({ description: "Preview mode: the rule's action is logged but not enforced." }) preview!: boolean;
  @Field({ description: 'An optional description of the rule.' }) description!: string;
  @Field(() => [String], { description: 'Source ranges of a SRC_IPS_V1 match.' }) srcIpRanges!: string[];
  @Field({ nullable: true, description: 'The CEL expression of an expression match.' }) expression?: string;
}

@ObjectType('SecurityPolicy', { description: 'A Cloud Armor security policy (compute#securityPolicy).' })
export class SecurityPolicyModel {
  @Field({ description: "The policy's name, unique within the project." }) name!: string;
  @Field({ nullable: true, description: 'An optional description of the policy.' }) description?: string;
  @Field({ description: 'CLOUD_ARMOR, CLOUD_ARMOR_EDGE or CLOUD_ARMOR_NETWORK.' }) type!: string;
  @Field({
    description: 'A hash of the policy for optimistic locking; patch and addRule need the current one.',
  })
  fingerprint!: string;
  @Field(() => [SecurityPolicyRuleModel], { description: 'Sorted by priority, the default rule last.' })
  rules!: SecurityPolicyRuleModel[];
  @Field({ description: "The policy's URL in the Compute API." }) selfLink!: string;
}

@InputType({ description: 'The REST body of securityPolicies.addRule: a Cloud Armor rule.' })
export class SecurityPolicyRuleInput {
  @Field(() => Float, { description: '0–2147483647, unique within the policy: lower is evaluated first.' })
  priority!: number;
  @Field({ description: 'allow, deny(403), deny(404), deny(502), redirect, throttle or rate_based_ban.' })
  action!: string;
  @Field({ nullable: true, description: 'An optional description of the rule.' }) description?: string;
  @Field({ nullable: true, description: 'Preview mode: log the action but do not enforce it.' })
  preview?: boolean;
  @Field(() => [String], { nullable: true, description: 'Match these source ranges (SRC_IPS_V1)…' })
  srcIpRanges?: string[];
  @Field({ nullable: true, description: '…or this CEL expression.' }) expression?: string;
}
