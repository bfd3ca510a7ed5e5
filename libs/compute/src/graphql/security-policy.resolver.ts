import { Args, Context, Float, Mutation, Query, Resolver } from '@nestjs/graphql';
import { SecurityPolicyRuleService } from '../security-policies/security-policy-rule.service';
import { SecurityPolicyService } from '../security-policies/security-policy.service';
import type { WireObject } from '../shared/compute-context';
import { toOperationModel } from './compute-graphql.mapper';
import { OperationModel } from './compute.models';
import { type GraphqlRequestContext, graphqlComputeContext } from './graphql-context';
import {
  SecurityPolicyModel,
  SecurityPolicyRuleInput,
  type SecurityPolicyRuleModel,
} from './security-policy.models';

function toRuleModel(rule: WireObject): SecurityPolicyRuleModel {
  const match = (rule['match'] ?? {}) as {
    config?: { srcIpRanges?: string[] };
    expr?: { expression?: string };
  };
  return {
    priority: Number(rule['priority']),
    action: String(rule['action']),
    preview: rule['preview'] === true,
    description: String(rule['description'] ?? ''),
    srcIpRanges: match.config?.srcIpRanges ?? [],
    expression: match.expr?.expression,
  };
}

function toPolicyModel(wire: WireObject): SecurityPolicyModel {
  return {
    name: String(wire['name']),
    description: wire['description'] as string | undefined,
    type: String(wire['type']),
    fingerprint: String(wire['fingerprint']),
    rules: ((wire['rules'] as WireObject[] | undefined) ?? []).map(toRuleModel),
    selfLink: String(wire['selfLink']),
  };
}

/** The wire rule a GraphQL rule input stands for. */
function toWireRule(input: SecurityPolicyRuleInput): WireObject {
  return {
    priority: input.priority,
    action: input.action,
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.preview !== undefined ? { preview: input.preview } : {}),
    match:
      input.expression !== undefined
        ? { expr: { expression: input.expression } }
        : { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: input.srcIpRanges ?? [] } },
  };
}

@Resolver(() => SecurityPolicyModel)
export class SecurityPolicyResolver {
  constructor(
    private readonly policyService: SecurityPolicyService,
    private readonly ruleService: SecurityPolicyRuleService,
  ) {}

  @Query(() => [SecurityPolicyModel], { description: 'Cloud Armor security policies of a project.' })
  async securityPolicies(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
  ) {
    return (await this.policyService.list(graphqlComputeContext(context, project), 'global', {})).items.map(
      toPolicyModel,
    );
  }

  @Mutation(() => OperationModel, { description: 'securityPolicies.insert (with the default allow rule)' })
  async createSecurityPolicy(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('name', { description: "The security policy's name." }) name: string,
    @Args('description', { nullable: true, description: 'An optional description of the security policy.' })
    description?: string,
  ) {
    const body = { name, ...(description !== undefined ? { description } : {}) };
    return toOperationModel(
      await this.policyService.insert(graphqlComputeContext(context, project), 'global', body),
    );
  }

  @Mutation(() => OperationModel, { description: 'securityPolicies.addRule' })
  async addSecurityPolicyRule(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('policy', { description: "The security policy's name." }) policy: string,
    @Args('rule', { description: 'The rule to add, as the REST body of securityPolicies.addRule.' })
    rule: SecurityPolicyRuleInput,
  ) {
    const ctx = graphqlComputeContext(context, project);
    return toOperationModel(await this.ruleService.addRule(ctx, 'global', policy, toWireRule(rule), {}));
  }

  @Mutation(() => OperationModel, { description: 'securityPolicies.removeRule' })
  async removeSecurityPolicyRule(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('policy', { description: "The security policy's name." }) policy: string,
    @Args('priority', {
      type: () => Float,
      description: 'The priority of the rule to remove (0 is evaluated first).',
    })
    priority: number,
  ) {
    return toOperationModel(
      await this.ruleService.removeRule(
        graphqlComputeContext(context, project),
        'global',
        policy,
        priority,
        {},
      ),
    );
  }

  @Mutation(() => OperationModel, { description: 'securityPolicies.delete' })
  async deleteSecurityPolicy(
    @Context() context: GraphqlRequestContext,
    @Args('project', { description: 'The Google Cloud project ID.' }) project: string,
    @Args('name', { description: "The security policy's name." }) name: string,
  ) {
    return toOperationModel(
      await this.policyService.delete(graphqlComputeContext(context, project), 'global', name),
    );
  }
}
