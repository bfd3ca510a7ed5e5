import { Field, Float, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType('SecurityPolicyRule', { description: 'A Cloud Armor rule (compute#securityPolicyRule).' })
export class SecurityPolicyRuleModel {
  @Field(() => Float, { description: '0 (first) to 2147483647 (the default rule).' }) priority!: number;
  @Field({ description: 'allow, deny(403|404|502), redirect, throttle or rate_based_ban.' }) action!: string;
  @Field() preview!: boolean;
  @Field() description!: string;
  @Field(() => [String], { description: 'Source ranges of a SRC_IPS_V1 match.' }) srcIpRanges!: string[];
  @Field({ nullable: true, description: 'The CEL expression of an expression match.' }) expression?: string;
}

@ObjectType('SecurityPolicy', { description: 'A Cloud Armor security policy (compute#securityPolicy).' })
export class SecurityPolicyModel {
  @Field() name!: string;
  @Field({ nullable: true }) description?: string;
  @Field() type!: string;
  @Field() fingerprint!: string;
  @Field(() => [SecurityPolicyRuleModel], { description: 'Sorted by priority, the default rule last.' })
  rules!: SecurityPolicyRuleModel[];
  @Field() selfLink!: string;
}

@InputType()
export class SecurityPolicyRuleInput {
  @Field(() => Float) priority!: number;
  @Field() action!: string;
  @Field({ nullable: true }) description?: string;
  @Field({ nullable: true }) preview?: boolean;
  @Field(() => [String], { nullable: true, description: 'Match these source ranges (SRC_IPS_V1)…' })
  srcIpRanges?: string[];
  @Field({ nullable: true, description: '…or this CEL expression.' }) expression?: string;
}
