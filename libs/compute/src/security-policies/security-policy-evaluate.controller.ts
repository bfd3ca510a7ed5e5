import { Body, Controller, HttpCode, Injectable, Param, Post } from '@nestjs/common';
import { GoogleApiError, GoogleErrors } from '@gke-emulator/common';
import { cloudArmor } from '@gke-emulator/dataplane';
import { securityPolicyPath } from './security-policy.errors';
import { SecurityPolicyRepository } from './security-policy.repository';

type Json = Record<string, unknown>;

const COMPILED_KEPT = 64;

/**
 * Cloud Armor on its own (an emulator read, not a Google API): a stored policy applied to one HTTP request. Rate-based
 * rules count the requests evaluated by this process per policy, rule and key, on the wall clock, as a load balancer
 * would count the requests it sees.
 */
@Injectable()
export class SecurityPolicyEvaluateService {
  private readonly compiled = new Map<string, cloudArmor.CompiledSecurityPolicy>();
  private readonly rateLimiter = new cloudArmor.RateLimiter({ now: () => Date.now() });

  constructor(private readonly policies: SecurityPolicyRepository) {}

  /** `scope`: `global`, or the region of a regional policy. */
  async evaluate(project: string, scope: string, name: string, body: unknown): Promise<Json> {
    const policy = await this.policies.find(project, scope, name);
    if (!policy) throw GoogleErrors.notFound(securityPolicyPath(project, scope, name));
    const given = body && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : undefined;
    if (!given || given['request'] === undefined) throw GoogleErrors.required('request');
    const extra = Object.keys(given).find((key) => key !== 'request');
    if (extra)
      throw GoogleErrors.invalidFieldValue(extra, given[extra], 'Unknown field; the body holds `request`.');
    const parsed = cloudArmor.parseArmorRequest(given['request'], 'request.');
    if (!parsed.ok) throw GoogleErrors.invalidFieldValue(parsed.field, parsed.value, parsed.message);
    const key = `${project}/${scope}/${name}/${policy.fingerprint}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      const rules = cloudArmor.validateSecurityPolicyRules(
        policy.rules as cloudArmor.SecurityPolicyRuleInput[],
      );
      if (!rules.ok) {
        throw new GoogleApiError(
          400,
          'invalid',
          `The stored policy does not validate: ${rules.violations[0]?.message}`,
        );
      }
      compiled = cloudArmor.compileSecurityPolicy(rules.value, { name: key });
      this.compiled.set(key, compiled);
      if (this.compiled.size > COMPILED_KEPT)
        this.compiled.delete(this.compiled.keys().next().value as string);
    }
    const decision = cloudArmor.evaluateSecurityPolicy(
      compiled,
      { ...parsed.request, backendService: '(evaluate)' },
      { rateLimiter: this.rateLimiter },
    );
    return {
      securityPolicy: securityPolicyPath(project, scope, name),
      request: parsed.request,
      ...cloudArmor.reportArmorDecision(compiled, decision),
    };
  }
}

function evaluateVerb(segment: string): string {
  const colon = segment.lastIndexOf(':');
  const verb = colon < 0 ? '' : segment.slice(colon + 1);
  if (verb !== 'evaluate') {
    throw new GoogleApiError(
      404,
      'notFound',
      `Method '${verb || 'POST'}' is not found: use {name}:evaluate.`,
    );
  }
  return segment.slice(0, colon);
}

/**
 * `POST /emulator/v1/projects/{p}/global/securityPolicies/{name}:evaluate` with `{"request": {sourceIp, method,
 * host, path, headers, …}}`: the matched rule, the outcome and every preview rule that matched; likewise
 * `…/regions/{r}/securityPolicies/{name}:evaluate` for a regional policy.
 */
@Controller('emulator/v1/projects/:project')
export class SecurityPolicyEvaluateController {
  constructor(private readonly service: SecurityPolicyEvaluateService) {}

  @Post('global/securityPolicies/:policyVerb')
  @HttpCode(200)
  evaluate(@Param('project') project: string, @Param('policyVerb') segment: string, @Body() body: unknown) {
    return this.service.evaluate(project, 'global', evaluateVerb(segment), body);
  }

  @Post('regions/:region/securityPolicies/:policyVerb')
  @HttpCode(200)
  evaluateRegional(
    @Param('project') project: string,
    @Param('region') region: string,
    @Param('policyVerb') segment: string,
    @Body() body: unknown,
  ) {
    return this.service.evaluate(project, region, evaluateVerb(segment), body);
  }
}
