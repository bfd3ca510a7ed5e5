import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Re2SyntaxError } from './re2-syntax.error';
import { Re2Budget, Re2BudgetExceeded, Re2Matcher } from './re2.matcher';

const fullMatch = (pattern: string, text: string): boolean => Re2Matcher.compile(pattern).fullMatch(text);

describe('Re2Matcher.fullMatch', () => {
  it.each<[pattern: string, text: string, expected: boolean]>([
    // full-match anchoring
    ['foo', 'foo', true],
    ['foo', 'foobar', false],
    ['foo', 'xfoo', false],
    ['foo|web-1', 'web-1', true],
    ['foo|web-1', 'foobar', false],
    ['foo.*', 'foobar', true],
    ['.*instance', 'db-instance', true],
    ['.*instance', 'instance-1', false],
    ['', '', true],
    ['', 'a', false],
    // literals, escapes, dot
    ['a\\.b', 'a.b', true],
    ['a\\.b', 'axb', false],
    ['a.b', 'a\nb', false],
    ['(?s)a.b', 'a\nb', true],
    ['\\Qa.b*\\E', 'a.b*', true],
    ['\\Qa.b*\\E', 'aab', false],
    ['\\x41\\x{42}\\101', 'ABA', true],
    ['\\t\\n', '\t\n', true],
    ['a{,2}', 'a{,2}', true],
    ['{', '{', true],
    ['\\-\\_\\/', '-_/', true],
    // classes
    ['[a-c]+', 'abcab', true],
    ['[a-c]+', 'abd', false],
    ['[^a-c]', 'd', true],
    ['[^a-c]', 'b', false],
    ['[]a]+', ']a]', true],
    ['[a-]+', 'a-a', true],
    ['[\\d\\s]+', '1 2', true],
    ['\\d+', '123', true],
    ['\\D', '1', false],
    ['\\w+', 'a_1', true],
    ['\\W', '-', true],
    ['\\s', '\v', false],
    ['[[:alpha:]]+', 'abcXYZ', true],
    ['[[:^digit:]]+', 'abc', true],
    ['[[:^digit:]]+', 'ab1', false],
    ['\\pL+', 'héllo', true],
    ['\\p{Greek}+', 'αβγ', true],
    ['\\P{Greek}', 'a', true],
    ['[\\p{Lu}]', 'a', false],
    // repetition
    ['a*', '', true],
    ['a+', '', false],
    ['a?b', 'b', true],
    ['a{3}', 'aaa', true],
    ['a{3}', 'aa', false],
    ['a{2,}', 'aaaaa', true],
    ['a{2,3}', 'aaaa', false],
    ['a{0}', '', true],
    ['(ab)*', 'ababab', true],
    ['(ab)*', 'aba', false],
    ['a*?b+?', 'aab', true],
    ['(a*)*', 'aaaa', true],
    ['(a|)*b', 'aab', true],
    // groups and flags
    ['(?:ab|cd)+', 'abcdab', true],
    ['(?P<x>a)b', 'ab', true],
    ['(?<x>a)b', 'ab', true],
    ['(?i)web-1', 'WEB-1', true],
    ['(?i:a)b', 'Ab', true],
    ['(?i:a)b', 'AB', false],
    ['a(?i)b', 'aB', true],
    ['a(?i)b', 'AB', false],
    ['(?i)[a-c]+', 'ABC', true],
    ['(?i)k', '\u212a', true],
    ['(?i-i)a', 'A', false],
    ['a(?)b', 'ab', true],
    // assertions
    ['^abc$', 'abc', true],
    ['a$b', 'ab', false],
    ['a^b', 'ab', false],
    ['(?m)a$\\n^b', 'a\nb', true],
    ['a$\\n', 'a\n', false],
    ['\\Aabc\\z', 'abc', true],
    ['.*\\bfoo\\b.*', 'a foo b', true],
    ['.*\\bfoo\\b.*', 'afoob', false],
    ['.*\\Bfoo.*', 'afoo', true],
    // unicode is matched per code point
    ['.', '😀', true],
    ['..', '😀', false],
  ])('%j on %j -> %s', (pattern, text, expected) => {
    expect(fullMatch(pattern, text)).toBe(expected);
  });

  it.each([
    'a**',
    'a*+',
    'a+?*',
    '*a',
    '+',
    '?',
    '{2}',
    'a{1001}',
    'a{2,1}',
    '(a',
    'a)',
    ')',
    '[a',
    '[b-a]',
    '\\1',
    '\\8',
    '(?=a)',
    '(?!a)',
    '(?<=a)',
    '(?<!a)',
    '(?P=n)',
    '(?P<>a)',
    '(?-)',
    '(?i-:a)',
    '(?i-)',
    '(?x)',
    '(?i)*',
    '\\y',
    '\\',
    'a\\',
    '\\x{110000}',
    '\\xZ1',
    '[[:foo:]]',
    '\\p{Nope}',
    '\\p{',
    '[a-\\d]',
    '[\\b]',
    '((((a)))',
    '(a{1000}){1000}',
  ])('rejects %j', (pattern) => {
    expect(() => Re2Matcher.compile(pattern)).toThrow(Re2SyntaxError);
  });

  it.each<[pattern: string, text: string]>([
    ['(a+)+b', `${'a'.repeat(5000)}c`],
    ['(a|a)*c', 'a'.repeat(5000)],
    ['(.*)*x', 'y'.repeat(5000)],
    ['(x+x+)+y', 'x'.repeat(5000)],
    ['(a*)*(b*)*(a|b)*c', 'ab'.repeat(2500)],
  ])('matches %j against a hostile text in linear time', (pattern, text) => {
    const started = performance.now();
    expect(fullMatch(pattern, text)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  // Nesting is kept shallow: the JS engine backtracks, and deeper nested quantifiers can take it minutes.
  it('agrees with JavaScript regular expressions on a shared subset', () => {
    const { pattern } = fc.letrec<{ pattern: string; atom: string }>((tie) => ({
      atom: fc.oneof(
        { maxDepth: 1, withCrossShrink: true },
        fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\w', '(?:a|)', '(?:)'),
        tie('pattern').map((inner) => `(${inner})`),
        tie('pattern').map((inner) => `(?:${inner})`),
      ),
      pattern: fc
        .array(
          fc.array(
            fc.tuple(tie('atom'), fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '??')),
            { minLength: 1, maxLength: 3 },
          ),
          { minLength: 1, maxLength: 3 },
        )
        .map((branches) =>
          branches.map((branch) => branch.map(([atom, quantifier]) => atom + quantifier).join('')).join('|'),
        ),
    }));
    fc.assert(
      fc.property(
        pattern,
        fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 8 }),
        (source, text) => {
          const expected = new RegExp(`^(?:${source})$`).test(text);
          expect(fullMatch(source, text)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('either compiles or throws Re2SyntaxError for any pattern', () => {
    const fragments = fc.constantFrom(
      'a',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      ',',
      '1',
      '9',
      '*',
      '+',
      '?',
      '|',
      '^',
      '$',
      '.',
      '\\',
      '-',
      ':',
      'P',
      '<',
      '>',
      '=',
      '!',
      'i',
      'p',
      'Q',
      'E',
      'x',
      'd',
      '0',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.array(fragments, { maxLength: 40 }).map((parts) => parts.join('')),
        ),
        fc.string({ maxLength: 20 }),
        (source, text) => {
          let matcher: Re2Matcher;
          try {
            matcher = Re2Matcher.compile(source);
          } catch (error) {
            expect(error).toBeInstanceOf(Re2SyntaxError);
            return;
          }
          expect(typeof matcher.fullMatch(text)).toBe('boolean');
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('Re2Matcher.fullMatch with a budget', () => {
  it('stops with Re2BudgetExceeded once the steps run out, and answers as without a budget otherwise', () => {
    const blowUp = Re2Matcher.compile('(a*){1000}b');
    expect(() => blowUp.fullMatch('a'.repeat(2000), new Re2Budget(100_000))).toThrow(Re2BudgetExceeded);
    const shared = new Re2Budget(10_000);
    const simple = Re2Matcher.compile('ab+');
    expect(simple.fullMatch('abbb', shared)).toBe(true);
    expect(simple.fullMatch('abba', shared)).toBe(false);
    // A budget is spent across calls: many cheap matches add up.
    expect(() => {
      for (let i = 0; i < 10_000; i++) simple.fullMatch('abbbbbbbbb', shared);
    }).toThrow(Re2BudgetExceeded);
  });
});
