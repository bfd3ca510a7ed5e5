import { parse } from '@bufbuild/cel';
import { readOracle } from '@gke-emulator/test-oracles';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommonCel } from './cel-fast-parser';

const docExpressions = (
  JSON.parse(readOracle('cloud-armor', 'doc-examples.json')) as { cases: { expr: string }[] }
).cases.map((c) => c.expr);

function reference(text: string): unknown {
  try {
    return parse(text).expr;
  } catch {
    return 'syntax error';
  }
}

/** The fast parser either declines or builds exactly what @bufbuild/cel builds, ids included. */
function agrees(text: string): boolean {
  const fast = parseCommonCel(text);
  if (fast === undefined) return true;
  expect(fast, text).toStrictEqual(reference(text));
  return true;
}

// Shapes Cloud Armor rules use; the fast parser must take every one of them.
const COMMON = [
  "origin.region_code == 'US' && request.path.startsWith('/s3/p1042')",
  "inIpRange(origin.ip, '9.9.9.0/24')",
  "request.headers['cookie'].contains('80=BLAH')",
  "!has(request.headers['user-agent']) || request.headers['user-agent'].lower().contains('bot')",
  'has(request.headers.user_agent) && request.method == "POST"',
  "request.path.matches('/login\\\\.html') && origin.asn == 15169",
  "origin.region_code == 'AU' || origin.region_code == 'NZ' || origin.region_code == 'CA' || origin.region_code == 'US' || origin.region_code == 'GB'",
  "evaluatePreconfiguredExpr('xss-stable')",
  "evaluatePreconfiguredWaf('sqli-v33-stable')",
  "int(request.headers['content-length']) > 1000 && size(request.query) < 20",
  "request.query.urlDecode().base64Decode().matches('(?i)select') ? true : false",
  "!(request.method == 'GET') && !!true && null == null && 1 + 2 * 3 - 4 % 5 / 6 >= 0",
  'token.recaptcha_session.score < 0.5',
  "request.headers['x'] != ''",
];

// Texts on the edges of the subset (and past them): the reference decides, the fast parser must agree or decline.
const EDGES = [
  'a.b.c(1)',
  'f(x, "y")',
  'a && b && c && d && e && f',
  'a || b && c',
  '(a && b) && c',
  '!a',
  '!!a',
  '!!!a',
  '!(!a)',
  '-1',
  '-a',
  'a - b + c * d / e % f',
  'a.b(c).d',
  'a.b[c].d',
  'a[b][c]',
  'x ? y : z ? w : v',
  'a ? b : c || d',
  'a in b',
  'has(a.b)',
  "has(a['b'])",
  'a.exists(x, x)',
  'a.all(x, x)',
  'a.map(x, x)',
  'f ()',
  'a . b',
  'a .b( 1 )',
  'a [ 1 ]',
  'truex',
  'nullx',
  'falsey',
  'a.true',
  'a.if',
  'if',
  'x.as(1)',
  'a&&b',
  'a=b',
  'a!b',
  '1a',
  '01',
  '00',
  '0',
  '9223372036854775807',
  '1.5',
  '0.25',
  '1.',
  '.5',
  '1.5.2',
  '01.5',
  '1.5e3',
  '1e3',
  '0x1F',
  '1u',
  "'\\x41\\101\\u0041\\n'",
  "'\\q'",
  "'\\?\\`\\a\\b\\f\\v\\t\\r\\\"\\''",
  "r'a\\b'",
  "b'a'",
  "'''a'''",
  "''",
  '"a\'b"',
  "'unterminated",
  'a // comment\n && b',
  '[1, 2]',
  "{'a': 1}",
  'T{a: 1}',
  '.a.b',
  'a.?b',
  'a[?b]',
  'a &&',
  '',
  'a b',
  'a < b == c',
  'a<=b>=c',
  'a\t&&\nb\r\f',
  'a & b',
  'a | b',
  "'é' == 'é'",
  "'\u2028'",
];

describe('parseCommonCel', () => {
  it.each(COMMON)('parses %s as @bufbuild/cel does', (text) => {
    expect(parseCommonCel(text), text).toStrictEqual(parse(text).expr);
  });

  it.each(EDGES)('agrees with @bufbuild/cel or declines: %s', (text) => {
    expect(agrees(text)).toBe(true);
  });

  it('agrees on the documented Cloud Armor examples and takes most of them', () => {
    const taken = docExpressions.filter((text) => agrees(text) && parseCommonCel(text) !== undefined);
    expect(taken.length).toBeGreaterThan(docExpressions.length / 2);
  });

  it('declines every text the reference refuses', () => {
    for (const text of EDGES)
      if (reference(text) === 'syntax error') expect(parseCommonCel(text), text).toBeUndefined();
  });

  it('agrees on random token soups', () => {
    const token = fc.constantFrom(
      'a',
      'b',
      'request',
      '.',
      'headers',
      'path',
      '(',
      ')',
      '[',
      ']',
      ',',
      '!',
      '-',
      '+',
      '*',
      '/',
      '%',
      '&&',
      '||',
      '==',
      '!=',
      '<',
      '<=',
      '>',
      '>=',
      '?',
      ':',
      ' ',
      "'x'",
      '"y"',
      "'\\n'",
      '1',
      '0',
      '42',
      'true',
      'false',
      'null',
      'in',
      'has',
      'lower',
      'matches',
      'if',
      '{',
      '}',
      "'",
      '\\',
      '1.5',
      '0.25',
      '1.',
      '.5',
      '1.5.2',
      '01.5',
      '1.5e3',
      'u',
      '_',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => agrees(tokens.join(''))),
      { numRuns: 3000 },
    );
  });

  it('agrees on random well-formed expressions', () => {
    const { expr } = fc.letrec<{ expr: string; atom: string }>((tie) => ({
      atom: fc.oneof(
        fc.constantFrom('a', 'request.path', "request.headers['h']", 'origin.asn', '1', '20', 'true', 'null'),
        fc.string({ maxLength: 6 }).map((s) => `'${s.replace(/['\\\n\r]/g, '')}'`),
      ),
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        tie('atom'),
        fc
          .tuple(tie('expr'), fc.constantFrom('&&', '||', '==', '!=', '<', '+', '-', '*'), tie('expr'))
          .map(([l, op, r]) => `${l} ${op} ${r}`),
        tie('expr').map((e) => `!${e}`),
        tie('expr').map((e) => `(${e})`),
        fc.tuple(tie('expr'), tie('expr')).map(([t, a]) => `${t}.startsWith(${a})`),
        fc.tuple(tie('expr'), tie('expr')).map(([t, i]) => `${t}[${i}]`),
        fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, t, f]) => `${c} ? ${t} : ${f}`),
        tie('expr').map((e) => `has(${e}.f)`),
        tie('expr').map((e) => `f(${e}, ${e})`),
      ),
    }));
    let fast = 0;
    fc.assert(
      fc.property(expr, (text) => {
        if (parseCommonCel(text) !== undefined) fast++;
        return agrees(text);
      }),
      { numRuns: 1500 },
    );
    // Nearly all of these are inside the subset (an empty string literal next to a quote is not).
    expect(fast).toBeGreaterThan(1200);
  });
});
