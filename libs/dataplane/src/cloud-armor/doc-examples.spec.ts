import { readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';
import { normalizeArmorRequest } from './armor-request.normalizer';
import { compileMatchExpression } from './match-expression.compiler';
import { compileSecurityPolicy, evaluateSecurityPolicy } from './security-policy.evaluator';
import { validateSecurityPolicyRule } from './security-policy-rule.validation';
import { validateSecurityPolicyRules } from './security-policy.validation';
import type { ArmorRequest, SecurityPolicyRuleInput } from './security-policy.types';

interface DocCase {
  readonly expr: string;
  readonly request: Readonly<Record<string, unknown>>;
  /** true/false: documented match result; anything else (e.g. "reject"): the expression must be refused. */
  readonly expect: unknown;
  readonly note?: string;
}

interface DocOracle {
  readonly cases: readonly DocCase[];
  readonly policy_level_semantics: Readonly<Record<string, string>>;
}

const oracle = JSON.parse(readOracle('cloud-armor', 'doc-examples.json')) as DocOracle;

// Oracle request keys -> ArmorRequest; an unknown key fails loudly so new oracle fields are noticed.
function toRequest(attributes: Readonly<Record<string, unknown>>): ArmorRequest {
  let request: ArmorRequest = { sourceIp: '203.0.113.1', method: 'GET', path: '/' };
  for (const [key, value] of Object.entries(attributes)) {
    const text = String(value);
    switch (key) {
      case 'origin.ip':
        request = { ...request, sourceIp: text };
        break;
      case 'origin.user_ip':
        request = { ...request, userIp: text };
        break;
      case 'origin.region_code':
        request = { ...request, regionCode: text };
        break;
      case 'origin.asn':
        request = { ...request, asn: Number(value) };
        break;
      case 'origin.tls_ja3_fingerprint':
        request = { ...request, tlsJa3Fingerprint: text };
        break;
      case 'origin.tls_ja4_fingerprint':
        request = { ...request, tlsJa4Fingerprint: text };
        break;
      case 'headers':
        request = { ...request, headers: value as Record<string, string> };
        break;
      case 'path':
      case 'method':
      case 'query':
      case 'scheme':
        request = { ...request, [key]: text };
        break;
      default:
        throw new Error(`unknown oracle request attribute ${key}`);
    }
  }
  return request;
}

function denyRule(expression: string, priority = 1000): SecurityPolicyRuleInput {
  return { priority, action: 'deny(403)', match: { expr: { expression } } };
}

const DEFAULT_ALLOW: SecurityPolicyRuleInput = {
  priority: 2147483647,
  action: 'allow',
  match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
};

describe('documented rules-language examples (doc-examples.json)', () => {
  const matching = oracle.cases.filter((c) => typeof c.expect === 'boolean');
  const refused = oracle.cases.filter((c) => typeof c.expect !== 'boolean');

  it.each(matching)('$expr -> $expect', ({ expr, request, expect: expected }) => {
    expect(validateSecurityPolicyRule(denyRule(expr)).ok).toBe(true);
    const compiled = compileMatchExpression(expr);
    if (!compiled.ok) throw new Error(compiled.problem.text);
    expect(compiled.value.evaluate(normalizeArmorRequest(toRequest(request)))).toBe(expected);

    const rules = validateSecurityPolicyRules([denyRule(expr), DEFAULT_ALLOW]);
    if (!rules.ok) throw new Error(rules.violations[0]?.message);
    const decision = evaluateSecurityPolicy(compileSecurityPolicy(rules.value), toRequest(request));
    expect(decision.action).toEqual(expected ? { kind: 'deny', status: 403 } : { kind: 'allow' });
  });

  // The current oracle documents no refusals; any it gains are checked here.
  for (const docCase of refused) {
    it(`refuses ${docCase.expr}`, () => {
      expect(validateSecurityPolicyRule(denyRule(docCase.expr)).ok).toBe(false);
    });
  }
});

describe('documented policy-level semantics (doc-examples.json policy_level_semantics)', () => {
  const semantics = oracle.policy_level_semantics;
  const rules = (inputs: SecurityPolicyRuleInput[]) => {
    const validated = validateSecurityPolicyRules(inputs);
    if (!validated.ok) throw new Error(validated.violations[0]?.message);
    return compileSecurityPolicy(validated.value);
  };

  it.each([
    {
      key: 'ordering',
      // best-practices "Test logic": Rule1 allow 10.10.10.0/24 at 1 beats Rule2 deny AU at 2.
      policy: [
        { priority: 2, action: 'deny(403)', match: { expr: { expression: "origin.region_code == 'AU'" } } },
        {
          priority: 1,
          action: 'allow',
          match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['10.10.10.0/24'] } },
        },
        DEFAULT_ALLOW,
      ],
      request: { sourceIp: '10.10.10.7', regionCode: 'AU', method: 'GET', path: '/' },
      action: { kind: 'allow' },
      rule: 1,
    },
    {
      key: 'default_rule',
      policy: [denyRule("request.path == '/admin'"), { ...DEFAULT_ALLOW, action: 'deny(404)' }],
      request: { sourceIp: '198.51.100.1', method: 'GET', path: '/' },
      action: { kind: 'deny', status: 404 },
      rule: 2147483647,
    },
    {
      key: 'preview',
      policy: [
        { ...denyRule("request.path == '/x'", 10), preview: true },
        { ...denyRule("request.path == '/x'", 20), action: 'deny(502)' },
        DEFAULT_ALLOW,
      ],
      request: { sourceIp: '198.51.100.1', method: 'GET', path: '/x' },
      action: { kind: 'deny', status: 502 },
      rule: 20,
    },
    {
      key: 'basic_match',
      policy: [
        {
          priority: 5,
          action: 'deny(403)',
          match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['2001:db8::/32', '192.0.2.1'] } },
        },
        DEFAULT_ALLOW,
      ],
      request: { sourceIp: '192.0.2.1', method: 'GET', path: '/' },
      action: { kind: 'deny', status: 403 },
      rule: 5,
    },
    {
      key: 'operator_precedence',
      // NOT > AND > OR: parsed as ((!false) && false) || true, which is true.
      policy: [denyRule('!false && false || true'), DEFAULT_ALLOW],
      request: { sourceIp: '192.0.2.1', method: 'GET', path: '/' },
      action: { kind: 'deny', status: 403 },
      rule: 1000,
    },
  ] as const)('$key', ({ key, policy, request, action, rule }) => {
    expect(semantics[key]).toBeDefined();
    const decision = evaluateSecurityPolicy(rules([...policy]), request);
    expect(decision.action).toEqual(action);
    expect(decision.rule?.priority).toBe(rule);
    if (key === 'preview') expect(decision.previewHits.map((h) => h.priority)).toEqual([10]);
  });

  it('expression_limits: five subexpressions are accepted, six are refused', () => {
    expect(semantics['expression_limits']).toContain('five');
    const five = Array.from({ length: 5 }, (_, i) => `request.path == '/${i}'`).join(' || ');
    expect(validateSecurityPolicyRule(denyRule(five)).ok).toBe(true);
    const six = validateSecurityPolicyRule(denyRule(`${five} || request.method == 'PUT'`));
    expect(six.ok).toBe(false);
    if (!six.ok) expect(six.violations[0]?.message).toContain('expression count of 6 exceeds maximum of 5');
  });

  it('default_rule: a policy created without rules gets the default allow rule', () => {
    const validated = validateSecurityPolicyRules([]);
    expect(validated.ok && validated.value).toEqual([
      expect.objectContaining({
        priority: 2147483647,
        action: { kind: 'allow' },
        match: { kind: 'srcIpRanges', ranges: ['*'] },
      }),
    ]);
  });
});
