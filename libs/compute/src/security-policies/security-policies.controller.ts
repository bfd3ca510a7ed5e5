import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { ComputeContext } from '../shared/compute-context';
import { Ctx, listEnvelope, listQueryOf, requestIdOf } from '../shared/compute-request';
import { assertRegion } from '../shared/regions';
import { updateMaskOf } from './security-policy-rule.wire';
import { SecurityPolicyRuleService } from './security-policy-rule.service';
import { badPriorityParameter } from './security-policy.errors';
import { SecurityPolicyService } from './security-policy.service';

type Query_ = Record<string, unknown>;

const INT32 = /^-?\d{1,10}$/;

/** `?priority=N` of the rule methods; absent means 0, as an unset proto int32. */
function priorityOf(query: Query_): number {
  const raw = query['priority'];
  if (raw === undefined || raw === '') return 0;
  const value = typeof raw === 'string' && INT32.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) throw badPriorityParameter(raw);
  return value;
}

function ruleOptions(query: Query_) {
  return { requestId: requestIdOf(query), validateOnly: query['validateOnly'] === 'true' };
}

const GLOBAL = 'global/securityPolicies';
const REGIONAL = 'regions/:region/securityPolicies';

/** `global`, or the region of a `regions/{region}/securityPolicies` path (an unknown region is a 404). */
function scopeOf(project: string, region: string | undefined): string {
  return region === undefined ? 'global' : assertRegion(project, region);
}

/**
 * securityPolicies and regionSecurityPolicies: one implementation, the scope (`global` or a region) taken from
 * the path, as Google's regional collection mirrors the global one.
 */
@Controller('compute/v1/projects/:project')
export class SecurityPoliciesController {
  constructor(
    private readonly policies: SecurityPolicyService,
    private readonly rules: SecurityPolicyRuleService,
  ) {}

  @Get([GLOBAL, REGIONAL])
  async list(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Query() query: Query_,
  ) {
    const scope = scopeOf(ctx.project, region);
    return listEnvelope(
      'compute#securityPolicyList',
      ctx,
      scope === 'global' ? GLOBAL : `regions/${scope}/securityPolicies`,
      await this.policies.list(ctx, scope, listQueryOf(query)),
    );
  }

  @Get('aggregated/securityPolicies')
  async aggregatedList(@Ctx() ctx: ComputeContext, @Query() query: Query_) {
    const page = await this.policies.aggregatedList(ctx, listQueryOf(query));
    return listEnvelope('compute#securityPoliciesAggregatedList', ctx, 'aggregated/securityPolicies', page);
  }

  @Post([GLOBAL, REGIONAL])
  @HttpCode(200)
  insert(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    const scope = scopeOf(ctx.project, region);
    return this.policies.insert(ctx, scope, body, requestIdOf(query));
  }

  // A static path: the router prefers it to the `:securityPolicy` parameter below.
  @Get(`${GLOBAL}/listPreconfiguredExpressionSets`)
  listPreconfiguredExpressionSets() {
    return this.policies.listPreconfiguredExpressionSets();
  }

  @Get([`${GLOBAL}/:securityPolicy`, `${REGIONAL}/:securityPolicy`])
  get(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Param('securityPolicy') name: string,
  ) {
    return this.policies.get(ctx, scopeOf(ctx.project, region), name);
  }

  @Patch([`${GLOBAL}/:securityPolicy`, `${REGIONAL}/:securityPolicy`])
  patch(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Param('securityPolicy') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.policies.patch(ctx, scopeOf(ctx.project, region), name, body, {
      requestId: requestIdOf(query),
      updateMask: updateMaskOf(query),
    });
  }

  @Delete([`${GLOBAL}/:securityPolicy`, `${REGIONAL}/:securityPolicy`])
  delete(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Param('securityPolicy') name: string,
    @Query() query: Query_,
  ) {
    const scope = scopeOf(ctx.project, region);
    return this.policies.delete(ctx, scope, name, requestIdOf(query));
  }

  @Post([`${GLOBAL}/:securityPolicy/addRule`, `${REGIONAL}/:securityPolicy/addRule`])
  @HttpCode(200)
  addRule(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Param('securityPolicy') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    const scope = scopeOf(ctx.project, region);
    return this.rules.addRule(ctx, scope, name, body, ruleOptions(query));
  }

  @Get([`${GLOBAL}/:securityPolicy/getRule`, `${REGIONAL}/:securityPolicy/getRule`])
  getRule(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Param('securityPolicy') name: string,
    @Query() query: Query_,
  ) {
    const scope = scopeOf(ctx.project, region);
    return this.rules.getRule(ctx, scope, name, priorityOf(query));
  }

  @Post([`${GLOBAL}/:securityPolicy/patchRule`, `${REGIONAL}/:securityPolicy/patchRule`])
  @HttpCode(200)
  patchRule(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Param('securityPolicy') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    const scope = scopeOf(ctx.project, region);
    return this.rules.patchRule(ctx, scope, name, priorityOf(query), body, {
      ...ruleOptions(query),
      updateMask: updateMaskOf(query),
    });
  }

  @Post([`${GLOBAL}/:securityPolicy/removeRule`, `${REGIONAL}/:securityPolicy/removeRule`])
  @HttpCode(200)
  removeRule(
    @Ctx() ctx: ComputeContext,
    @Param('region') region: string | undefined,
    @Param('securityPolicy') name: string,
    @Query() query: Query_,
  ) {
    const scope = scopeOf(ctx.project, region);
    return this.rules.removeRule(ctx, scope, name, priorityOf(query), ruleOptions(query));
  }
}
