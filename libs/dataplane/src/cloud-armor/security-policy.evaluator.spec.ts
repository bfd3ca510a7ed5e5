import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';
import { compileSecurityPolicy, evaluateSecurityPolicy } from './security-policy.evaluator';
import { validateSecurityPolicyRules } from './security-policy.validation';
import type { ArmorRequest, SecurityPolicyRuleInput } from './security-policy.types';

const DEFAULT_ALLOW: SecurityPolicyRuleInput = {
  priority: 2147483647,
  action: 'allow',
  match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
};
const GET: ArmorRequest = { sourceIp: '192.0.2.10', method: 'GET', path: '/' };

function policy(rules: SecurityPolicyRuleInput[]) {
  const validated = validateSecurityPolicyRules(rules);
  if (!validated.ok) throw new Error(validated.violations[0]?.message);
  return compileSecurityPolicy(validated.value);
}

const byIp = (priority: number, action: string, ...srcIpRanges: string[]): SecurityPolicyRuleInput => ({
  priority,
  action,
  match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges } },
});
const byExpr = (
  priority: number,
  action: string,
  expression: string,
  preview = false,
): SecurityPolicyRuleInput => ({
  priority,
  action,
  preview,
  match: { expr: { expression } },
});

describe('evaluateSecurityPolicy', () => {
  it.each([
    {
      name: 'lowest priority number wins regardless of rule order',
      rules: [byIp(20, 'deny(404)', '192.0.2.0/24'), byIp(10, 'deny(502)', '192.0.2.10'), DEFAULT_ALLOW],
      request: GET,
      action: { kind: 'deny', status: 502 },
      rule: 10,
    },
    {
      name: 'IPv4-mapped IPv6 source matches an IPv4 range',
      rules: [byIp(1, 'deny(403)', '192.0.2.0/24'), DEFAULT_ALLOW],
      request: { ...GET, sourceIp: '::ffff:192.0.2.99' },
      action: { kind: 'deny', status: 403 },
      rule: 1,
    },
    {
      name: 'IPv6 source outside an IPv6 range falls through to the default rule',
      rules: [byIp(1, 'deny(403)', '2001:db8::/48'), DEFAULT_ALLOW],
      request: { ...GET, sourceIp: '2001:db8:1::1' },
      action: { kind: 'allow' },
      rule: 2147483647,
    },
    {
      name: 'a preview rule is recorded and evaluation goes on',
      rules: [
        byExpr(1, 'deny(403)', "request.method == 'GET'", true),
        byExpr(2, 'deny(404)', "request.path == '/'"),
        DEFAULT_ALLOW,
      ],
      request: GET,
      action: { kind: 'deny', status: 404 },
      rule: 2,
      previews: [1],
    },
    {
      name: 'an evaluation error (missing header without has()) is no match',
      rules: [byExpr(1, 'deny(403)', "request.headers['x-token'] == 'bad'"), DEFAULT_ALLOW],
      request: GET,
      action: { kind: 'allow' },
      rule: 2147483647,
      errors: [1],
    },
    {
      name: 'redirect action',
      rules: [{ ...byIp(1, 'redirect', '*'), redirectOptions: { type: 'GOOGLE_RECAPTCHA' } }, DEFAULT_ALLOW],
      request: GET,
      action: { kind: 'redirect', type: 'GOOGLE_RECAPTCHA' },
      rule: 1,
    },
    {
      name: 'header names are case-insensitive and repeated headers are comma-joined',
      rules: [byExpr(1, 'deny(403)', "request.headers['x-tag'] == 'a,b'"), DEFAULT_ALLOW],
      request: { ...GET, headers: { 'X-Tag': ['a', 'b'] } },
      action: { kind: 'deny', status: 403 },
      rule: 1,
    },
    {
      name: 'token attributes default to false',
      rules: [byExpr(1, 'deny(403)', '!token.recaptcha_session.valid'), DEFAULT_ALLOW],
      request: GET,
      action: { kind: 'deny', status: 403 },
      rule: 1,
    },
  ])('$name', ({ rules, request, action, rule, previews = [], errors = [] }) => {
    const decision = evaluateSecurityPolicy(policy(rules), request);
    expect(decision.action).toEqual(action);
    expect(decision.rule?.priority).toBe(rule);
    expect(decision.previewHits.map((hit) => hit.priority)).toEqual(previews);
    expect(decision.errors.map((error) => error.priority)).toEqual(errors);
  });

  it('allows when nothing matches a policy compiled without a default rule', () => {
    const compiled = compileSecurityPolicy([
      {
        priority: 1,
        description: '',
        preview: false,
        action: { kind: 'deny', status: 403 },
        match: { kind: 'srcIpRanges', ranges: ['10.0.0.0/8'] },
      },
    ]);
    expect(evaluateSecurityPolicy(compiled, GET)).toEqual({
      action: { kind: 'allow' },
      previewHits: [],
      errors: [],
    });
  });

  it('needs a rate limiter once a rate-based rule matches', () => {
    const throttle: SecurityPolicyRuleInput = {
      ...byIp(1, 'throttle', '*'),
      rateLimitOptions: {
        rateLimitThreshold: { count: 1, intervalSec: 10 },
        conformAction: 'allow',
        exceedAction: 'deny(429)',
      },
    };
    const compiled = policy([throttle, DEFAULT_ALLOW]);
    expect(() => evaluateSecurityPolicy(compiled, GET)).toThrow(/RateLimiter/);
    const decision = evaluateSecurityPolicy(compiled, GET, {
      rateLimiter: new RateLimiter({ now: () => 0 }),
    });
    expect(decision.rule).toMatchObject({
      priority: 1,
      action: 'throttle',
      rateLimit: { verdict: 'conform', count: 1 },
    });
  });
});
