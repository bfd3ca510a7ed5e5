import { normalizeArmorRequest, type NormalizedArmorRequest } from './armor-request.normalizer';
import { parseIpAddress, parseIpPrefix, prefixContains, unmapIpv4, type IpPrefix } from './ip-address';
import { compileMatchExpression, type MatchExpressionOptions } from './match-expression.compiler';
import { resolveRateLimitKey, type RateLimitKey } from './rate-limit-key';
import type { RateLimitOutcome, RateLimiter } from './rate-limiter';
import type { RuleAction, RuleMatch, SecurityPolicyRule } from './security-policy-rule.model';
import type { ArmorAction, ArmorRequest } from './security-policy.types';

export interface CompiledSecurityPolicy {
  /** Identifies the policy's counters inside a shared RateLimiter. */
  readonly name: string;
  /** Ascending priority: evaluation order. */
  readonly rules: readonly CompiledRule[];
}

export interface CompiledRule {
  readonly rule: SecurityPolicyRule;
  matches(request: NormalizedArmorRequest): boolean | Error;
}

export interface RuleHit {
  readonly priority: number;
  /** The wire action: 'allow', 'deny(403)', 'redirect', 'throttle', 'rate_based_ban'. */
  readonly action: string;
  readonly preview: boolean;
  /** What the rule does (for a preview rule: would do) to this request. */
  readonly outcome: ArmorAction;
  readonly rateLimit?: RateLimitOutcome & { readonly key: RateLimitKey };
}

export interface ArmorDecision {
  readonly action: ArmorAction;
  /** The enforced rule; absent only when no rule matched (a policy without a default rule): then allowed. */
  readonly rule?: RuleHit;
  /** Preview rules that matched on the way (logged, not enforced), in evaluation order. */
  readonly previewHits: readonly RuleHit[];
  /** Rules whose expression failed to evaluate (e.g. a missing header read without has()); treated as no match. */
  readonly errors: readonly { readonly priority: number; readonly message: string }[];
}

export interface EvaluationContext {
  /** Needed as soon as a throttle or rate_based_ban rule matches. */
  readonly rateLimiter?: RateLimiter;
}

/** Compiles validated rules for evaluation (expressions are parsed once here, not per request). */
export function compileSecurityPolicy(
  rules: readonly SecurityPolicyRule[],
  options: MatchExpressionOptions & { readonly name?: string } = {},
): CompiledSecurityPolicy {
  const sorted = [...rules].sort((a, b) => a.priority - b.priority);
  return {
    name: options.name ?? '',
    rules: sorted.map((rule) => ({ rule, matches: compileMatch(rule.match, options) })),
  };
}

function compileMatch(
  match: RuleMatch,
  options: MatchExpressionOptions,
): (request: NormalizedArmorRequest) => boolean | Error {
  if (match.kind === 'expr') {
    const compiled = compileMatchExpression(match.expression, options);
    if (!compiled.ok) throw new Error(`rule expression does not compile: ${compiled.problem.text}`);
    return (request) => compiled.value.evaluate(request);
  }
  if (match.ranges.includes('*')) return () => true;
  const prefixes = match.ranges.map(toPrefix);
  return (request) => {
    const source = parseIpAddress(request.sourceIp);
    return source !== null && prefixes.some((prefix) => prefixContains(prefix, unmapIpv4(source)));
  };
}

function toPrefix(range: string): IpPrefix {
  const prefix = range.includes('/') ? parseIpPrefix(range) : null;
  const address = prefix?.address ?? parseIpAddress(range);
  if (address === null) throw new Error(`not an IP range: ${range}`);
  const mapped = unmapIpv4(address);
  return { address: mapped, prefixLength: prefix?.prefixLength ?? mapped.bytes.length * 8 };
}

export function formatRuleAction(action: RuleAction): string {
  return action.kind === 'deny' ? `deny(${action.status})` : action.kind;
}

/**
 * Applies the policy to one request: rules in ascending priority, the first matching enforced rule decides and
 * lower rules are not evaluated; preview rules are recorded and skipped (rules-language reference; preview mode).
 */
export function evaluateSecurityPolicy(
  policy: CompiledSecurityPolicy,
  input: ArmorRequest,
  context: EvaluationContext = {},
): ArmorDecision {
  const request = normalizeArmorRequest(input);
  const previewHits: RuleHit[] = [];
  const errors: { priority: number; message: string }[] = [];
  for (const compiled of policy.rules) {
    const { rule } = compiled;
    const matched = compiled.matches(request);
    if (matched instanceof Error) {
      errors.push({ priority: rule.priority, message: matched.message });
      continue;
    }
    if (!matched) continue;
    const hit = applyRule(policy, rule, request, context);
    if (rule.preview) {
      previewHits.push(hit);
      continue;
    }
    return { action: hit.outcome, rule: hit, previewHits, errors };
  }
  return { action: { kind: 'allow' }, previewHits, errors };
}

function applyRule(
  policy: CompiledSecurityPolicy,
  rule: SecurityPolicyRule,
  request: NormalizedArmorRequest,
  context: EvaluationContext,
): RuleHit {
  const base = { priority: rule.priority, action: formatRuleAction(rule.action), preview: rule.preview };
  const { action, rateLimit } = rule;
  if (action.kind !== 'throttle' && action.kind !== 'rate_based_ban') return { ...base, outcome: action };
  if (!rateLimit) throw new Error(`rule ${rule.priority} is rate based but has no rate limit settings`);
  if (!context.rateLimiter) throw new Error('evaluating a rate-based rule needs a RateLimiter');
  const key = resolveRateLimitKey(rateLimit.keys, request);
  // Thresholds apply per backend service (rate-limiting overview).
  const bucket = [policy.name, request.backendService, rule.priority, key.value].join('\u0001');
  const outcome = context.rateLimiter.hit(bucket, rateLimit);
  const enforced: ArmorAction = outcome.verdict === 'conform' ? { kind: 'allow' } : rateLimit.exceedAction;
  return { ...base, outcome: enforced, rateLimit: { ...outcome, key } };
}
