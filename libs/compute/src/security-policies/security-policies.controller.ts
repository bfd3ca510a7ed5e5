import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  computeContext,
  type IncomingRequest,
  listEnvelope,
  listQueryOf,
  requestIdOf,
} from '../shared/compute-request';
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

const COLLECTION = 'global/securityPolicies';

@Controller('compute/v1/projects/:project')
export class SecurityPoliciesController {
  constructor(
    private readonly policies: SecurityPolicyService,
    private readonly rules: SecurityPolicyRuleService,
  ) {}

  @Get(COLLECTION)
  async list(@Req() req: IncomingRequest, @Param('project') project: string, @Query() query: Query_) {
    const ctx = computeContext(req, project);
    return listEnvelope(
      'compute#securityPolicyList',
      ctx,
      COLLECTION,
      await this.policies.list(ctx, listQueryOf(query)),
    );
  }

  @Get('aggregated/securityPolicies')
  async aggregatedList(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Query() query: Query_,
  ) {
    const ctx = computeContext(req, project);
    const page = await this.policies.aggregatedList(ctx, listQueryOf(query));
    return listEnvelope('compute#securityPoliciesAggregatedList', ctx, 'aggregated/securityPolicies', page);
  }

  @Post(COLLECTION)
  @HttpCode(200)
  insert(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.policies.insert(computeContext(req, project), body, requestIdOf(query));
  }

  // A static path: the router prefers it to the `:securityPolicy` parameter below.
  @Get(`${COLLECTION}/listPreconfiguredExpressionSets`)
  listPreconfiguredExpressionSets() {
    return this.policies.listPreconfiguredExpressionSets();
  }

  @Get(`${COLLECTION}/:securityPolicy`)
  get(@Req() req: IncomingRequest, @Param('project') project: string, @Param('securityPolicy') name: string) {
    return this.policies.get(computeContext(req, project), name);
  }

  @Patch(`${COLLECTION}/:securityPolicy`)
  patch(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('securityPolicy') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.policies.patch(computeContext(req, project), name, body, {
      requestId: requestIdOf(query),
      updateMask: updateMaskOf(query),
    });
  }

  @Delete(`${COLLECTION}/:securityPolicy`)
  delete(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('securityPolicy') name: string,
    @Query() query: Query_,
  ) {
    return this.policies.delete(computeContext(req, project), name, requestIdOf(query));
  }

  @Post(`${COLLECTION}/:securityPolicy/addRule`)
  @HttpCode(200)
  addRule(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('securityPolicy') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.rules.addRule(computeContext(req, project), name, body, ruleOptions(query));
  }

  @Get(`${COLLECTION}/:securityPolicy/getRule`)
  getRule(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('securityPolicy') name: string,
    @Query() query: Query_,
  ) {
    return this.rules.getRule(computeContext(req, project), name, priorityOf(query));
  }

  @Post(`${COLLECTION}/:securityPolicy/patchRule`)
  @HttpCode(200)
  patchRule(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('securityPolicy') name: string,
    @Body() body: unknown,
    @Query() query: Query_,
  ) {
    return this.rules.patchRule(computeContext(req, project), name, priorityOf(query), body, {
      ...ruleOptions(query),
      updateMask: updateMaskOf(query),
    });
  }

  @Post(`${COLLECTION}/:securityPolicy/removeRule`)
  @HttpCode(200)
  removeRule(
    @Req() req: IncomingRequest,
    @Param('project') project: string,
    @Param('securityPolicy') name: string,
    @Query() query: Query_,
  ) {
    return this.rules.removeRule(computeContext(req, project), name, priorityOf(query), ruleOptions(query));
  }
}
