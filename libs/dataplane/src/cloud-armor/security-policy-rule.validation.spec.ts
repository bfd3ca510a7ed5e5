import { describe, expect, it } from 'vitest';
import { quoteFieldValue } from './rule-violation';
import { validateSecurityPolicyRule } from './security-policy-rule.validation';
import type { SecurityPolicyRuleInput } from './security-policy.types';

const ANY = { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } };
const expr = (expression: string) => ({ expr: { expression } });
const rule = (overrides: Partial<SecurityPolicyRuleInput>): SecurityPolicyRuleInput => ({
  priority: 1000,
  action: 'allow',
  match: ANY,
  ...overrides,
});
const rate = {
  rateLimitThreshold: { count: 10, intervalSec: 60 },
  conformAction: 'allow',
  exceedAction: 'deny(429)',
};

describe('validateSecurityPolicyRule: accepted rules', () => {
  it.each([
    {
      name: 'allow *',
      input: rule({}),
      value: { action: { kind: 'allow' }, match: { kind: 'srcIpRanges', ranges: ['*'] } },
    },
    {
      name: 'deny(404) by IPv6 range',
      input: rule({ action: 'deny(404)', match: { ...ANY, config: { srcIpRanges: ['2001:db8::/32'] } } }),
      value: { action: { kind: 'deny', status: 404 } },
    },
    {
      name: 'priority as string, ten ranges',
      input: rule({
        priority: '0',
        match: { ...ANY, config: { srcIpRanges: Array.from({ length: 10 }, (_, i) => `10.0.${i}.0/24`) } },
      }),
      value: { priority: 0 },
    },
    {
      name: 'redirect to reCAPTCHA',
      input: rule({ action: 'redirect', redirectOptions: { type: 'GOOGLE_RECAPTCHA' } }),
      value: { action: { kind: 'redirect', type: 'GOOGLE_RECAPTCHA' } },
    },
    {
      name: 'redirect 302',
      input: rule({
        action: 'redirect',
        redirectOptions: { type: 'EXTERNAL_302', target: 'https://x.example' },
      }),
      value: { action: { kind: 'redirect', type: 'EXTERNAL_302', target: 'https://x.example' } },
    },
    {
      name: 'throttle defaults to key ALL',
      input: rule({ action: 'throttle', rateLimitOptions: rate }),
      value: {
        rateLimit: {
          threshold: { count: 10, intervalSec: 60 },
          conformAction: 'allow',
          exceedAction: { kind: 'deny', status: 429 },
          keys: [{ type: 'ALL' }],
        },
      },
    },
    {
      name: 'rate_based_ban with ban threshold',
      input: rule({
        action: 'rate_based_ban',
        rateLimitOptions: {
          ...rate,
          enforceOnKey: 'HTTP_COOKIE',
          enforceOnKeyName: 'sid',
          banThreshold: { count: 100, intervalSec: 600 },
          banDurationSec: 3600,
        },
      }),
      value: {
        rateLimit: expect.objectContaining({
          keys: [{ type: 'HTTP_COOKIE', name: 'sid' }],
          ban: { threshold: { count: 100, intervalSec: 600 }, durationSec: 3600 },
        }),
      },
    },
    {
      name: 'WAF with tuning',
      input: rule({
        action: 'deny(403)',
        match: expr(
          "evaluatePreconfiguredWaf('sqli-v422-stable', {'sensitivity': 2, 'opt_out_rule_ids': ['owasp-crs-v042200-id942100-sqli']})",
        ),
      }),
      value: { match: { kind: 'expr', expression: expect.stringContaining('sqli-v422-stable') } },
    },
    {
      name: 'legacy WAF with exclusions',
      input: rule({
        action: 'deny(403)',
        match: expr("evaluatePreconfiguredExpr('xss-stable', ['owasp-crs-v030001-id941180-xss'])"),
      }),
      value: {},
    },
    {
      name: 'default rule',
      input: rule({ priority: 2147483647, action: 'deny(502)' }),
      value: { priority: 2147483647, description: '', preview: false },
    },
  ])('$name', ({ input, value }) => {
    const result = validateSecurityPolicyRule(input);
    if (!result.ok) throw new Error(result.violations[0]?.message);
    expect(result.value).toMatchObject(value);
  });
});

describe('validateSecurityPolicyRule: refused rules (first violation is what the API answers)', () => {
  it.each([
    {
      name: 'priority missing',
      input: rule({ priority: undefined }),
      reason: 'required',
      field: 'resource.priority',
      message: "Required field 'resource.priority' not specified",
    },
    {
      name: 'priority too big',
      input: rule({ priority: 2147483648 }),
      field: 'resource.priority',
      message:
        "Invalid value for field 'resource.priority': '2147483648'. Priority must be an integer between 0 and 2147483647.",
    },
    { name: 'negative priority', input: rule({ priority: -1 }), field: 'resource.priority' },
    {
      name: 'deny(451)',
      input: rule({ action: 'deny(451)' }),
      field: 'resource.action',
      message:
        "Invalid value for field 'resource.action': 'deny(451)'. Valid actions are allow, deny(STATUS) where STATUS is 403, 404 or 502, redirect, throttle and rate_based_ban.",
    },
    {
      name: 'deny(429) is only an exceed action',
      input: rule({ action: 'deny(429)' }),
      field: 'resource.action',
    },
    {
      name: 'redirect without options',
      input: rule({ action: 'redirect' }),
      reason: 'required',
      field: 'resource.redirectOptions',
    },
    {
      name: 'EXTERNAL_302 without target',
      input: rule({ action: 'redirect', redirectOptions: { type: 'EXTERNAL_302' } }),
      reason: 'required',
      field: 'resource.redirectOptions.target',
    },
    {
      name: 'reCAPTCHA with target',
      input: rule({ action: 'redirect', redirectOptions: { type: 'GOOGLE_RECAPTCHA', target: 'https://x' } }),
      field: 'resource.redirectOptions.target',
      wording: 'google-documented',
    },
    {
      name: 'redirect options on allow',
      input: rule({ redirectOptions: { type: 'GOOGLE_RECAPTCHA' } }),
      field: 'resource.redirectOptions',
    },
    { name: 'no match', input: rule({ match: undefined }), reason: 'required', field: 'resource.match' },
    { name: 'both matchers', input: rule({ match: { ...ANY, ...expr('true') } }), field: 'resource.match' },
    {
      name: 'unknown versioned expr',
      input: rule({ match: { versionedExpr: 'SRC_IPS_V2', config: { srcIpRanges: ['*'] } } }),
      field: 'resource.match.versionedExpr',
    },
    {
      name: 'no ranges',
      input: rule({ match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: [] } } }),
      reason: 'required',
      field: 'resource.match.config.srcIpRanges',
    },
    {
      name: 'eleven ranges',
      input: rule({
        match: { ...ANY, config: { srcIpRanges: Array.from({ length: 11 }, (_, i) => `10.${i}.0.0/16`) } },
      }),
      field: 'resource.match.config.srcIpRanges',
      message: expect.stringContaining('Maximum number of src_ip_ranges allowed is 10.'),
      wording: 'google-documented',
    },
    {
      name: 'bad CIDR',
      input: rule({ match: { ...ANY, config: { srcIpRanges: ['10.0.0.0/33'] } } }),
      field: 'resource.match.config.srcIpRanges',
      message:
        "Invalid value for field 'resource.match.config.srcIpRanges': '10.0.0.0/33'. Expected an IPv4/IPv6 address, a CIDR range or *.",
    },
    {
      name: 'empty expression',
      input: rule({ match: expr('') }),
      reason: 'required',
      field: 'resource.match.expr.expression',
    },
    {
      name: 'syntax error',
      input: rule({ match: expr("request.path == '") }),
      field: 'resource.match.expr',
      message: expect.stringContaining('Error parsing Cloud Armor rule matcher expression: Syntax error'),
    },
    {
      name: 'unknown attribute',
      input: rule({ match: expr("request.body.contains('x')") }),
      field: 'resource.match.expr',
      message: `Invalid value for field 'resource.match.expr': '{  "expression": "request.body.contains(\\u0027x\\u0027)"}'. Error parsing Cloud Armor rule matcher expression: undeclared reference to 'request.body' (in container '')`,
    },
    {
      name: 'unknown function',
      input: rule({ match: expr("request.path.trim() == '/'") }),
      message: expect.stringContaining("undeclared reference to 'trim'"),
    },
    {
      name: 'type mismatch',
      input: rule({ match: expr("origin.asn == '1'") }),
      message: expect.stringContaining("found no matching overload for '_==_' applied to '(int, string)'"),
    },
    {
      name: 'not boolean',
      input: rule({ match: expr('request.path') }),
      message: expect.stringContaining('expression must evaluate to a boolean value'),
    },
    {
      name: 'invalid regex',
      input: rule({ match: expr("request.path.matches('(')") }),
      message: expect.stringContaining('Invalid regular expression: (, '),
      wording: 'google-observed',
    },
    {
      name: 'unknown preconfigured set',
      input: rule({ match: expr("evaluatePreconfiguredExpr('sourceiplist-example')") }),
      message: expect.stringContaining(
        "Error parsing Cloud Armor rule matcher expression: sourceiplist-example isn't a valid preconfigured expression set.",
      ),
      wording: 'google-observed',
    },
    {
      name: 'named IP list is not a WAF set',
      input: rule({ match: expr("evaluatePreconfiguredWaf('sourceiplist-fastly')") }),
      message: expect.stringContaining("isn't a valid preconfigured expression set"),
    },
    {
      name: 'opt-in needs sensitivity 0',
      input: rule({
        match: expr(
          "evaluatePreconfiguredWaf('xss-v422-stable', {'sensitivity': 1, 'opt_in_rule_ids': ['a']})",
        ),
      }),
      message: expect.stringContaining('opt_in_rule_ids can only be used with sensitivity 0'),
    },
    {
      name: 'sensitivity 5',
      input: rule({ match: expr("evaluatePreconfiguredWaf('xss-v422-stable', {'sensitivity': 5})") }),
      message: expect.stringContaining('sensitivity must be an integer from 0 to 4'),
    },
    {
      name: 'six subexpressions',
      input: rule({
        match: expr(
          "origin.ip == '1' || origin.ip == '2' || origin.ip == '3' || origin.ip == '4' || (origin.ip == '5' && !(origin.ip == '6'))",
        ),
      }),
      message: expect.stringContaining('expression count of 6 exceeds maximum of 5 expressions.'),
    },
    {
      name: 'has() on a non-map',
      input: rule({ match: expr("has(request.path['x'])") }),
      message: expect.stringContaining('invalid argument to has() macro'),
    },
    {
      name: 'ternary is not Cloud Armor CEL',
      input: rule({ match: expr('true ? true : false') }),
      message: expect.stringContaining("undeclared reference to '_?_:_'"),
    },
    {
      name: 'bad literal range',
      input: rule({ match: expr("inIpRange(origin.ip, '10.0.0.0/40')") }),
      message: expect.stringContaining('Invalid IP range: 10.0.0.0/40.'),
    },
    {
      name: 'default rule must match *',
      input: rule({ priority: 2147483647, match: { ...ANY, config: { srcIpRanges: ['10.0.0.0/8'] } } }),
      field: 'resource.match',
    },
    {
      name: 'rate options on allow',
      input: rule({ rateLimitOptions: rate }),
      field: 'resource.rateLimitOptions',
      message:
        "Invalid value for field 'resource.rateLimitOptions': ''. Rate limit options must be specified if the action is 'fairshare', 'rate_based_ban' or 'throttle'. It cannot be specified for any other actions",
      wording: 'google-observed',
    },
    {
      name: 'throttle without options',
      input: rule({ action: 'throttle' }),
      field: 'resource.rateLimitOptions',
      wording: 'google-observed',
    },
    {
      name: 'threshold missing',
      input: rule({
        action: 'throttle',
        rateLimitOptions: { conformAction: 'allow', exceedAction: 'deny(429)' },
      }),
      field: 'resource.rateLimitOptions',
      message: expect.stringContaining(
        'Rate limit threshold, conform action, and exceed action must be specified.',
      ),
    },
    {
      name: 'rate_based_ban without banDurationSec',
      input: rule({ action: 'rate_based_ban', rateLimitOptions: rate }),
      reason: 'required',
      field: 'resource.rateLimitOptions.banDurationSec',
    },
    {
      name: 'ban duration off the list',
      input: rule({ action: 'rate_based_ban', rateLimitOptions: { ...rate, banDurationSec: 45 } }),
      field: 'resource.rateLimitOptions.banDurationSec',
    },
    {
      name: 'unknown key type',
      input: rule({ action: 'throttle', rateLimitOptions: { ...rate, enforceOnKey: 'COUNTRY' } }),
      field: 'resource.rateLimitOptions.enforceOnKey',
    },
    {
      name: 'key name for IP',
      input: rule({
        action: 'throttle',
        rateLimitOptions: { ...rate, enforceOnKey: 'IP', enforceOnKeyName: 'x' },
      }),
      field: 'resource.rateLimitOptions.enforceOnKeyName',
    },
    {
      name: 'cookie key config without name',
      input: rule({
        action: 'throttle',
        rateLimitOptions: { ...rate, enforceOnKeyConfigs: [{ enforceOnKeyType: 'HTTP_COOKIE' }] },
      }),
      reason: 'required',
      field: 'resource.rateLimitOptions.enforceOnKeyConfigs[0].enforceOnKeyName',
    },
    {
      name: 'fairshare',
      input: rule({ action: 'fairshare', rateLimitOptions: rate }),
      field: 'resource.action',
    },
  ])('$name', ({ input, reason = 'invalid', field, message, wording }) => {
    const result = validateSecurityPolicyRule(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [first] = result.violations;
    expect(first).toMatchObject({
      reason,
      ...(field ? { field } : {}),
      ...(message ? { message } : {}),
      ...(wording ? { wording } : {}),
    });
  });

  it('uses the field path it is given (rules inside a policy)', () => {
    const result = validateSecurityPolicyRule(rule({ priority: -5 }), { field: 'resource.rules[3]' });
    expect(!result.ok && result.violations[0]?.field).toBe('resource.rules[3].priority');
  });
});

describe('quoteFieldValue', () => {
  it('quotes an expression exactly as a real answer did (first 100 characters, then ...)', () => {
    const expression =
      "!request.path.matches('(?:^/?$)|(?:^/privacy$)|(?:^/v2/?$)|(?:^/v2/.+/(:?blobs|manifests|tags)/.+$)')";
    // kubernetes/k8s.io#6979: "Invalid value for field 'resource.match.expr': '{  \"expression\": \"!request…(:?blob...'"
    expect(quoteFieldValue({ expression })).toBe(
      '{  "expression": "!request.path.matches(\\u0027(?:^/?$)|(?:^/privacy$)|(?:^/v2/?$)|(?:^/v2/.+/(:?blob...',
    );
  });

  it.each([
    { value: undefined, quoted: '' },
    { value: 12, quoted: '12' },
    { value: ['a', 'b'], quoted: '["a", "b"]' },
  ])('$value -> $quoted', ({ value, quoted }) => {
    expect(quoteFieldValue(value)).toBe(quoted);
  });
});
