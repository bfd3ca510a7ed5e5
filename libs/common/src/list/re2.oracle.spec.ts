import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { Re2Matcher } from './re2.matcher';

/**
 * Our RE2 engine (kept for its bounded compile and per-request step budget, see docs/decisions.md) checked against
 * `re2js`, a maintained port of RE2/J: on random patterns over a small alphabet, both accept or both refuse the
 * pattern, and every full match agrees.
 */
const atom = fc.constantFrom(
  ...['a', 'b', 'A', '1', ' ', '.', 'é', 'x', '\\d', '\\w', '\\s', '\\W', '\\n', '\\x41', '\\pL', '\\PN'],
  ...['[ab]', '[^a]', '[a-z]', '[[:alpha:]]', '^', '$', '\\b', '\\B', '\\A', '\\z', '\\Qa.\\E', '\\Q\\E'],
);
const quantifier = fc.constantFrom(
  '',
  '',
  '',
  '*',
  '+',
  '?',
  '*?',
  '+?',
  '{2}',
  '{1,3}',
  '{0,}',
  '{2,1}',
  '{,2}',
);
const group = fc.constantFrom('(', '(?:', '(?i)', '(?i:', '(?s:', '(?m:', '(?U:', '(?P<n>', '(?P<m>');
const { pattern } = fc.letrec<{ pattern: string }>((tie) => ({
  pattern: fc.oneof(
    { depthSize: 'small' },
    fc.tuple(atom, quantifier).map(([item, repeat]) => item + repeat),
    fc.array(tie('pattern'), { minLength: 1, maxLength: 3 }).map((items) => items.join('')),
    fc.tuple(tie('pattern'), tie('pattern')).map(([left, right]) => `${left}|${right}`),
    fc
      .tuple(group, tie('pattern'), quantifier)
      .map(([open, inner, repeat]) => (open.endsWith(')') ? open + inner : `${open}${inner})${repeat}`)),
  ),
}));
const text = fc.string({
  unit: fc.constantFrom('a', 'b', 'A', 'B', '1', ' ', '\n', 'é', 'É', 'x', '_', '.'),
  maxLength: 8,
});

function compileOurs(source: string): Re2Matcher | undefined {
  try {
    return Re2Matcher.compile(source);
  } catch {
    return undefined;
  }
}

function compileTheirs(source: string): RE2JS | undefined {
  try {
    return RE2JS.compile(source);
  } catch {
    return undefined;
  }
}

describe('Re2Matcher against re2js', () => {
  it('accepts the same patterns and matches the same texts', () => {
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 5 }), (source, texts) => {
        const ours = compileOurs(source);
        const theirs = compileTheirs(source);
        expect(ours === undefined).toBe(theirs === undefined);
        if (ours === undefined || theirs === undefined) return;
        for (const subject of texts) expect(ours.fullMatch(subject)).toBe(theirs.matches(subject));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    // A repetition after \Q...\E repeats its last character, as RE2 reads it.
    ['\\Qa.\\E*', '', false],
    ['\\Qa.\\E*', 'a..', true],
    ['a\\Q\\E*', '', true],
  ])('%s on %j is %s, as in RE2', (source, subject, matched) => {
    expect(Re2Matcher.compile(source).fullMatch(subject)).toBe(matched);
    expect(RE2JS.compile(source).matches(subject)).toBe(matched);
  });

  it('refuses two groups of one name, as RE2 does', () => {
    expect(() => Re2Matcher.compile('(?P<n>a)(?P<n>b)')).toThrow('duplicate capture group name');
    expect(() => RE2JS.compile('(?P<n>a)(?P<n>b)')).toThrow();
  });
});
