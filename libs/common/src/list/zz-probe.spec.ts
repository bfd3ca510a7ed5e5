import fc from 'fast-check';
import { it } from 'vitest';
import { Re2Matcher } from './re2.matcher';

it('probe', () => {
  const { pattern } = fc.letrec<{ pattern: string; atom: string }>((tie) => ({
    atom: fc.oneof(
      { maxDepth: 2, withCrossShrink: true },
      fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\w', '(?:a|)', '(?:)'),
      tie('pattern').map((inner) => `(${inner})`),
      tie('pattern').map((inner) => `(?:${inner})`),
    ),
    pattern: fc
      .array(fc.array(fc.tuple(tie('atom'), fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '??')), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
      .map((branches) => branches.map((branch) => branch.map(([atom, q]) => atom + q).join('')).join('|')),
  }));
  const samples = fc.sample(fc.tuple(pattern, fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 8 })), 1000);
  let worstJs = 0, worstRe2 = 0, worstCompile = 0; let pj = '', pr = '', pc = '';
  for (const [p, t] of samples) {
    let s = performance.now(); new RegExp(`^(?:${p})$`).test(t); let d = performance.now() - s; if (d > worstJs) { worstJs = d; pj = p; }
    s = performance.now(); const m = Re2Matcher.compile(p); d = performance.now() - s; if (d > worstCompile) { worstCompile = d; pc = p; }
    s = performance.now(); m.fullMatch(t); d = performance.now() - s; if (d > worstRe2) { worstRe2 = d; pr = p; }
  }
  console.log({ worstJs, pj: pj.length, worstCompile, pc: pc.length, worstRe2, pr: pr.length });
});
