import { Re2SyntaxError } from './re2-syntax.error';
import type { Re2CharPredicate } from './re2.ast';

/** Inclusive code point range. */
export type Re2Range = readonly [number, number];

const DIGIT: readonly Re2Range[] = [[0x30, 0x39]];
const WORD: readonly Re2Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
/** RE2's `\s` is `[\t\n\f\r ]` (no vertical tab). */
const SPACE: readonly Re2Range[] = [
  [0x09, 0x0a],
  [0x0c, 0x0d],
  [0x20, 0x20],
];

const POSIX_CLASSES: Readonly<Record<string, readonly Re2Range[]>> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: WORD,
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

export function inRanges(ranges: readonly Re2Range[], codePoint: number): boolean {
  for (const [low, high] of ranges) {
    if (codePoint >= low && codePoint <= high) {
      return true;
    }
  }
  return false;
}

export function rangesPredicate(ranges: readonly Re2Range[]): Re2CharPredicate {
  return (codePoint) => inRanges(ranges, codePoint);
}

export function negatePredicate(predicate: Re2CharPredicate): Re2CharPredicate {
  return (codePoint) => !predicate(codePoint);
}

/** The simple (single code point) lower- and upper-case variants of a code point. */
export function caseVariants(codePoint: number): number[] {
  const text = String.fromCodePoint(codePoint);
  const variants: number[] = [];
  for (const variant of [text.toLowerCase(), text.toUpperCase()]) {
    const first = variant.codePointAt(0);
    if (first !== undefined && first !== codePoint && String.fromCodePoint(first) === variant) {
      variants.push(first);
    }
  }
  return variants;
}

/** Makes a predicate also accept the case variants of the code point under test. */
export function foldPredicate(predicate: Re2CharPredicate): Re2CharPredicate {
  return (codePoint) => predicate(codePoint) || caseVariants(codePoint).some((variant) => predicate(variant));
}

export function isAsciiWordChar(codePoint: number): boolean {
  return inRanges(WORD, codePoint);
}

/** `\d`, `\s`, `\w` and their negations, or `undefined` for other letters. */
export function perlClass(letter: string): Re2CharPredicate | undefined {
  switch (letter) {
    case 'd':
      return rangesPredicate(DIGIT);
    case 'D':
      return negatePredicate(rangesPredicate(DIGIT));
    case 's':
      return rangesPredicate(SPACE);
    case 'S':
      return negatePredicate(rangesPredicate(SPACE));
    case 'w':
      return rangesPredicate(WORD);
    case 'W':
      return negatePredicate(rangesPredicate(WORD));
    default:
      return undefined;
  }
}

/** `[:alpha:]` style class body (`alpha` or `^alpha`). */
export function posixClass(body: string): Re2CharPredicate {
  const negated = body.startsWith('^');
  const name = negated ? body.slice(1) : body;
  if (!Object.prototype.hasOwnProperty.call(POSIX_CLASSES, name)) {
    throw new Re2SyntaxError(`invalid character class range: [:${body}:]`);
  }
  const predicate = rangesPredicate(POSIX_CLASSES[name]);
  return negated ? negatePredicate(predicate) : predicate;
}

const UNICODE_NAME = /^[A-Za-z_]+$/;

/**
 * `\pL`, `\p{Greek}`, `\p{^Lu}`: RE2 accepts general categories and script names.
 * The single code point test is delegated to the JS engine, which cannot backtrack
 * on a one-character subject.
 */
export function unicodeClass(name: string): Re2CharPredicate {
  const negated = name.startsWith('^');
  const bare = negated ? name.slice(1) : name;
  if (!UNICODE_NAME.test(bare)) {
    throw new Re2SyntaxError(`invalid character class range: \\p{${name}}`);
  }
  const pattern = compileUnicodeProperty(bare);
  const predicate: Re2CharPredicate = (codePoint) => pattern.test(String.fromCodePoint(codePoint));
  return negated ? negatePredicate(predicate) : predicate;
}

function compileUnicodeProperty(name: string): RegExp {
  for (const source of [`^\\p{${name}}$`, `^\\p{Script=${name}}$`]) {
    try {
      return new RegExp(source, 'u');
    } catch {
      // try the next spelling
    }
  }
  throw new Re2SyntaxError(`invalid character class range: \\p{${name}}`);
}
