import { parseIpAddress, parseIpPrefix } from './ip-address';
import { compileMatchExpression, type MatchExpressionOptions } from './match-expression.compiler';
import { toInteger, validateRateLimitOptions } from './rate-limit-options.validation';
import { validateRedirectOptions } from './redirect-options.validation';
import { invalidField, requiredField, type RuleViolation, type Validated } from './rule-violation';
import type {
  RateLimitSettings,
  RuleAction,
  RuleMatch,
  SecurityPolicyRule,
} from './security-policy-rule.model';
import {
  DEFAULT_RULE_PRIORITY,
  type SecurityPolicyRuleInput,
  type SecurityPolicyRuleMatcher,
} from './security-policy.types';

/** "Maximum number of src_ip_ranges allowed is 10" (compute v1 SecurityPolicyRuleMatcherConfig.srcIpRanges). */
export const MAX_SRC_IP_RANGES = 10;
const DENY = /^deny\((403|404|502)\)$/;
const RATE_BASED_ACTIONS: ReadonlySet<string> = new Set(['throttle', 'rate_based_ban']);

export interface RuleValidationOptions extends MatchExpressionOptions {
  /** Wire path of the rule: 'resource' for addRule/patchRule bodies, 'resource.rules[2]' inside a policy. */
  readonly field?: string;
}

/**
 * Checks a rule as Google does on insert, addRule and patchRule. Every problem found is returned; the first one
 * is what the API should answer (Google reports one error per request).
 */
export function validateSecurityPolicyRule(
  input: SecurityPolicyRuleInput,
  options: RuleValidationOptions = {},
): Validated<SecurityPolicyRule> {
  const field = options.field ?? 'resource';
  const violations: RuleViolation[] = [];
  const priority = validatePriority(input.priority, field, violations);
  const action = validateAction(input, field, violations);
  const match = validateMatch(input.match, field, options, violations);
  if (priority === DEFAULT_RULE_PRIORITY && match && !matchesEverything(match)) {
    const detail = `The default rule (priority ${DEFAULT_RULE_PRIORITY}) must match all traffic: versionedExpr SRC_IPS_V1 with srcIpRanges ['*'].`;
    violations.push(invalidField(`${field}.match`, input.match, detail, 'emulator'));
  }
  const rateLimit = validateRateLimit(input, action, field, violations);
  if (violations.length > 0 || priority === undefined || !action || !match) return { ok: false, violations };
  return {
    ok: true,
    value: {
      priority,
      description: input.description ?? '',
      preview: input.preview ?? false,
      action,
      match,
      ...(rateLimit ? { rateLimit } : {}),
    },
  };
}

export function matchesEverything(match: RuleMatch): boolean {
  return match.kind === 'srcIpRanges' && match.ranges.length === 1 && match.ranges[0] === '*';
}

function validatePriority(value: unknown, field: string, violations: RuleViolation[]): number | undefined {
  if (value === undefined) {
    violations.push(requiredField(`${field}.priority`));
    return undefined;
  }
  const priority = toInteger(value);
  if (priority !== undefined && priority >= 0 && priority <= DEFAULT_RULE_PRIORITY) return priority;
  const detail = `Priority must be an integer between 0 and ${DEFAULT_RULE_PRIORITY}.`;
  violations.push(invalidField(`${field}.priority`, value, detail, 'emulator'));
  return undefined;
}

function validateAction(
  input: SecurityPolicyRuleInput,
  field: string,
  violations: RuleViolation[],
): RuleAction | undefined {
  const action = input.action;
  if (action !== 'redirect' && input.redirectOptions) {
    const detail = "Redirect options can only be specified if the action is 'redirect'.";
    violations.push(invalidField(`${field}.redirectOptions`, input.redirectOptions, detail, 'emulator'));
  }
  if (action === undefined) {
    violations.push(requiredField(`${field}.action`));
    return undefined;
  }
  const deny = DENY.exec(action);
  if (deny) return { kind: 'deny', status: Number(deny[1]) };
  if (action === 'allow' || action === 'throttle' || action === 'rate_based_ban') return { kind: action };
  if (action === 'redirect') {
    if (!input.redirectOptions) {
      violations.push(requiredField(`${field}.redirectOptions`));
      return undefined;
    }
    const redirect = validateRedirectOptions(input.redirectOptions, `${field}.redirectOptions`);
    if (!redirect.ok) violations.push(...redirect.violations);
    return redirect.ok ? redirect.value : undefined;
  }
  const detail =
    action === 'fairshare'
      ? 'The fairshare action is not supported by gke-emulator.'
      : 'Valid actions are allow, deny(STATUS) where STATUS is 403, 404 or 502, redirect, throttle and rate_based_ban.';
  violations.push(invalidField(`${field}.action`, action, detail, 'emulator'));
  return undefined;
}

function validateMatch(
  matcher: SecurityPolicyRuleMatcher | undefined,
  field: string,
  options: MatchExpressionOptions,
  violations: RuleViolation[],
): RuleMatch | undefined {
  if (!matcher) {
    violations.push(requiredField(`${field}.match`));
    return undefined;
  }
  const basic = matcher.versionedExpr !== undefined || matcher.config !== undefined;
  if (basic && matcher.expr) {
    const detail = 'A matcher uses either versionedExpr with config, or expr, not both.';
    violations.push(invalidField(`${field}.match`, matcher, detail, 'emulator'));
    return undefined;
  }
  if (matcher.expr) {
    const expression = matcher.expr.expression;
    if (!expression) {
      violations.push(requiredField(`${field}.match.expr.expression`));
      return undefined;
    }
    const compiled = compileMatchExpression(expression, options);
    if (compiled.ok) return { kind: 'expr', expression };
    // "Invalid value for field 'resource.match.expr': '{  \"expression\": …}'. Error parsing Cloud Armor rule matcher
    // expression: …" is the shape of real answers; the detail after the colon is ours unless marked observed.
    const detail = `Error parsing Cloud Armor rule matcher expression: ${compiled.problem.text}`;
    const wording = compiled.problem.wording === 'google-observed' ? 'google-observed' : 'emulator';
    violations.push(invalidField(`${field}.match.expr`, { expression }, detail, wording));
    return undefined;
  }
  return validateSrcIpRanges(matcher, field, violations);
}

function validateSrcIpRanges(
  matcher: SecurityPolicyRuleMatcher,
  field: string,
  violations: RuleViolation[],
): RuleMatch | undefined {
  if (matcher.versionedExpr === undefined) {
    violations.push(requiredField(`${field}.match.versionedExpr`));
    return undefined;
  }
  if (matcher.versionedExpr !== 'SRC_IPS_V1') {
    const detail = 'The only supported versioned expression is SRC_IPS_V1.';
    violations.push(invalidField(`${field}.match.versionedExpr`, matcher.versionedExpr, detail, 'emulator'));
    return undefined;
  }
  const ranges = matcher.config?.srcIpRanges ?? [];
  const rangesField = `${field}.match.config.srcIpRanges`;
  if (ranges.length === 0) {
    violations.push(requiredField(rangesField));
    return undefined;
  }
  if (ranges.length > MAX_SRC_IP_RANGES) {
    const detail = `Maximum number of src_ip_ranges allowed is ${MAX_SRC_IP_RANGES}.`;
    violations.push(invalidField(rangesField, ranges, detail, 'google-documented'));
    return undefined;
  }
  const bad = ranges.find((range) => !isSourceRange(range));
  if (bad !== undefined) {
    violations.push(
      invalidField(rangesField, bad, 'Expected an IPv4/IPv6 address, a CIDR range or *.', 'emulator'),
    );
    return undefined;
  }
  return { kind: 'srcIpRanges', ranges: [...ranges] };
}

function isSourceRange(range: string): boolean {
  if (range === '*') return true;
  const parsed = range.includes('/') ? parseIpPrefix(range)?.address : parseIpAddress(range);
  return parsed !== undefined && parsed !== null && parsed.zone === '';
}

function validateRateLimit(
  input: SecurityPolicyRuleInput,
  action: RuleAction | undefined,
  field: string,
  violations: RuleViolation[],
): RateLimitSettings | undefined {
  const rateBased = input.action !== undefined && RATE_BASED_ACTIONS.has(input.action);
  if (rateBased !== (input.rateLimitOptions !== undefined)) {
    // Real answer (terraform-provider-google#12739).
    const detail =
      "Rate limit options must be specified if the action is 'fairshare', 'rate_based_ban' or 'throttle'. It cannot be specified for any other actions";
    violations.push(invalidField(`${field}.rateLimitOptions`, '', detail, 'google-observed'));
    return undefined;
  }
  if (!input.rateLimitOptions || (action?.kind !== 'throttle' && action?.kind !== 'rate_based_ban'))
    return undefined;
  const result = validateRateLimitOptions(input.rateLimitOptions, action.kind, `${field}.rateLimitOptions`);
  if (!result.ok) violations.push(...result.violations);
  return result.ok ? result.value : undefined;
}
