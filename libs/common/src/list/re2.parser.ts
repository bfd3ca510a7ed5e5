import {
  foldPredicate,
  inRanges,
  negatePredicate,
  perlClass,
  posixClass,
  type Re2Range,
  unicodeClass,
} from './re2-char-class';
import { Re2SyntaxError } from './re2-syntax.error';
import type { Re2CharPredicate, Re2Node } from './re2.ast';

/** RE2 rejects counted repetitions above 1000. */
const MAX_REPEAT = 1000;
/** Keeps the recursive descent far away from the JS stack limit. */
const MAX_NESTING = 200;
/** A POSIX class name is short; bounding the look-ahead keeps the scan linear. */
const MAX_POSIX_NAME = 12;

const EMPTY: Re2Node = { type: 'empty' };

interface Re2Flags {
  foldCase: boolean;
  dotMatchesNewline: boolean;
  multiLine: boolean;
}

interface RepeatBounds {
  readonly min: number;
  readonly max: number | undefined;
}

/**
 * Parses a pattern written in RE2 syntax (https://github.com/google/re2/wiki/Syntax):
 * literals and escapes, `.`, classes (including `[:alpha:]`, `\d\s\w`, `\pL`),
 * groups (`(...)`, `(?:...)`, `(?P<name>...)`, `(?flags)`, `(?flags:...)`), `|`,
 * `* + ? {n} {n,} {n,m}` (optionally lazy), `^ $ \A \z \b \B`, `\Q...\E`.
 * Constructs RE2 does not support (backreferences, lookaround) are syntax errors.
 */
export function parseRe2(pattern: string): Re2Node {
  return new Re2Parser(pattern).parse();
}

class Re2Parser {
  private readonly chars: readonly string[];
  private pos = 0;
  private depth = 0;
  /** RE2 refuses two groups of one name. */
  private readonly groupNames = new Set<string>();

  constructor(pattern: string) {
    this.chars = Array.from(pattern);
  }

  parse(): Re2Node {
    const node = this.parseAlternation({ foldCase: false, dotMatchesNewline: false, multiLine: false });
    if (this.pos < this.chars.length) {
      throw new Re2SyntaxError('unexpected )');
    }
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  private parseAlternation(flags: Re2Flags): Re2Node {
    const branches = [this.parseConcat(flags)];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.parseConcat(flags));
    }
    return branches.length === 1 ? branches[0] : { type: 'alternate', items: branches };
  }

  private parseConcat(flags: Re2Flags): Re2Node {
    const items: Re2Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') {
        break;
      }
      // `\Q...\E` is a run of literals: a repetition after it repeats the last one (`\Qab\E*` is `ab*`), as in RE2.
      const quoted = c === '\\' && this.peek(1) === 'Q' ? this.parseQuoted(flags) : undefined;
      if (quoted !== undefined && quoted.length > 1) items.push(...quoted.slice(0, -1));
      // An empty `\Q\E` leaves the previous item last: `a\Q\E*` is `a*`.
      const previous = quoted?.length === 0 && this.isRepeatAhead() ? items.pop() : undefined;
      const atom = quoted === undefined ? this.parseAtom(flags) : (quoted.at(-1) ?? previous);
      if (atom === undefined) {
        if (this.isRepeatAhead()) {
          throw new Re2SyntaxError('missing argument to repetition operator');
        }
        continue;
      }
      items.push(this.parseRepeats(atom));
    }
    if (items.length === 0) {
      return EMPTY;
    }
    return items.length === 1 ? items[0] : { type: 'concat', items };
  }

  private parseRepeats(atom: Re2Node): Re2Node {
    const bounds = this.readRepeatOperator();
    if (bounds === undefined) {
      return atom;
    }
    if (this.peek() === '?') {
      this.pos++; // lazy: irrelevant for a yes/no full match
    }
    if (this.isRepeatAhead()) {
      throw new Re2SyntaxError('bad repetition operator');
    }
    return { type: 'repeat', item: atom, min: bounds.min, max: bounds.max };
  }

  private isRepeatAhead(): boolean {
    const c = this.peek();
    return c === '*' || c === '+' || c === '?' || (c === '{' && this.readBraces(false) !== undefined);
  }

  private readRepeatOperator(): RepeatBounds | undefined {
    switch (this.peek()) {
      case '*':
        this.pos++;
        return { min: 0, max: undefined };
      case '+':
        this.pos++;
        return { min: 1, max: undefined };
      case '?':
        this.pos++;
        return { min: 0, max: 1 };
      case '{':
        return this.readBraces(true);
      default:
        return undefined;
    }
  }

  /** `{n}`, `{n,}`, `{n,m}`; anything else means `{` is a literal. */
  private readBraces(consume: boolean): RepeatBounds | undefined {
    let i = this.pos + 1;
    const readNumber = (): number | undefined => {
      const start = i;
      while (i < this.chars.length && isDigit(this.chars[i])) {
        i++;
      }
      return i === start ? undefined : Number(this.chars.slice(start, i).join(''));
    };
    const min = readNumber();
    if (min === undefined) {
      return undefined;
    }
    let max: number | undefined = min;
    if (this.chars[i] === ',') {
      i++;
      max = readNumber();
    }
    if (this.chars[i] !== '}') {
      return undefined;
    }
    if (min > MAX_REPEAT || (max !== undefined && (max > MAX_REPEAT || max < min))) {
      throw new Re2SyntaxError('invalid repeat count');
    }
    if (consume) {
      this.pos = i + 1;
    }
    return { min, max };
  }

  private parseAtom(flags: Re2Flags): Re2Node | undefined {
    const c = this.peek();
    switch (c) {
      case '(':
        return this.parseGroup(flags);
      case '[':
        return { type: 'char', matches: this.parseClass(flags) };
      case '.':
        this.pos++;
        return {
          type: 'char',
          matches: flags.dotMatchesNewline ? () => true : (codePoint) => codePoint !== 0x0a,
        };
      case '^':
        this.pos++;
        return { type: 'assertion', kind: flags.multiLine ? 'beginLine' : 'beginText' };
      case '$':
        this.pos++;
        return { type: 'assertion', kind: flags.multiLine ? 'endLine' : 'endText' };
      case '\\':
        return this.parseEscape(flags);
      case '*':
      case '+':
      case '?':
        throw new Re2SyntaxError('missing argument to repetition operator');
      case '{':
        if (this.readBraces(false) !== undefined) {
          throw new Re2SyntaxError('missing argument to repetition operator');
        }
        this.pos++;
        return literal('{', flags);
      default:
        this.pos++;
        return literal(c ?? '', flags);
    }
  }

  private parseGroup(flags: Re2Flags): Re2Node | undefined {
    this.pos++; // (
    let groupFlags: Re2Flags = { ...flags };
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (
        (next === 'P' && this.peek(2) === '<') ||
        (next === '<' && this.peek(2) !== '=' && this.peek(2) !== '!')
      ) {
        this.skipGroupName();
      } else {
        this.pos++; // ?
        const parsed = this.parseFlags(flags);
        if (parsed === undefined) {
          return undefined;
        }
        groupFlags = parsed;
      }
    }
    this.depth++;
    if (this.depth > MAX_NESTING) {
      throw new Re2SyntaxError('expression nests too deeply');
    }
    const inner = this.parseAlternation(groupFlags);
    if (this.peek() !== ')') {
      throw new Re2SyntaxError('missing closing )');
    }
    this.pos++;
    this.depth--;
    return inner;
  }

  private skipGroupName(): void {
    this.pos += this.peek(1) === 'P' ? 3 : 2; // ?P< or ?<
    const start = this.pos;
    while (this.peek() !== undefined && this.peek() !== '>') {
      if (!isWordChar(this.peek() ?? '')) {
        throw new Re2SyntaxError('invalid named capture');
      }
      this.pos++;
    }
    if (this.peek() !== '>' || this.pos === start) {
      throw new Re2SyntaxError('invalid named capture');
    }
    const name = this.chars.slice(start, this.pos).join('');
    if (this.groupNames.has(name)) {
      throw new Re2SyntaxError('duplicate capture group name');
    }
    this.groupNames.add(name);
    this.pos++;
  }

  /**
   * After `(?`: `i`, `m`, `s`, `U`, optionally negated after one `-` (which must be
   * followed by at least one flag); none at all is `(?:...)` or the no-op `(?)`. Returns the
   * flags for a `(?flags:...)` group, or applies them to `flags` and returns
   * `undefined` for a bare `(?flags)`.
   */
  private parseFlags(flags: Re2Flags): Re2Flags | undefined {
    const result: Re2Flags = { ...flags };
    let enable = true;
    let sawFlag = false;
    let sawMinus = false;
    for (;;) {
      const c = this.peek();
      this.pos++;
      switch (c) {
        case 'i':
          result.foldCase = enable;
          sawFlag = true;
          break;
        case 'm':
          result.multiLine = enable;
          sawFlag = true;
          break;
        case 's':
          result.dotMatchesNewline = enable;
          sawFlag = true;
          break;
        case 'U':
          sawFlag = true; // ungreedy: irrelevant for a yes/no full match
          break;
        case '-':
          if (sawMinus) {
            throw new Re2SyntaxError('invalid or unsupported Perl syntax');
          }
          sawMinus = true;
          enable = false;
          sawFlag = false;
          break;
        case ')':
        case ':':
          if (sawMinus && !sawFlag) {
            throw new Re2SyntaxError('invalid or unsupported Perl syntax');
          }
          if (c === ')') {
            Object.assign(flags, result);
            return undefined;
          }
          return result;
        default:
          throw new Re2SyntaxError('invalid or unsupported Perl syntax');
      }
    }
  }

  private parseClass(flags: Re2Flags): Re2CharPredicate {
    this.pos++; // [
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const ranges: Re2Range[] = [];
    const classes: Re2CharPredicate[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) {
        throw new Re2SyntaxError('missing closing ]');
      }
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === '[' && this.peek(1) === ':') {
        const posix = this.readPosixClass();
        if (posix !== undefined) {
          classes.push(posix);
          continue;
        }
      }
      if (c === '\\') {
        const escaped = this.readClassEscape();
        if (escaped !== undefined) {
          classes.push(escaped);
          continue;
        }
      }
      const low = this.readClassChar();
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        this.pos++;
        const high = this.readClassChar();
        if (high < low) {
          throw new Re2SyntaxError('invalid character class range');
        }
        ranges.push([low, high]);
      } else {
        ranges.push([low, low]);
      }
    }
    const base: Re2CharPredicate = (codePoint) =>
      inRanges(ranges, codePoint) || classes.some((predicate) => predicate(codePoint));
    const folded = flags.foldCase ? foldPredicate(base) : base;
    return negated ? negatePredicate(folded) : folded;
  }

  private readPosixClass(): Re2CharPredicate | undefined {
    const limit = Math.min(this.chars.length - 1, this.pos + 2 + MAX_POSIX_NAME);
    for (let i = this.pos + 2; i < limit; i++) {
      if (this.chars[i] === ':' && this.chars[i + 1] === ']') {
        const predicate = posixClass(this.chars.slice(this.pos + 2, i).join(''));
        this.pos = i + 2;
        return predicate;
      }
    }
    return undefined;
  }

  /** `\d`-style and `\p`-style classes inside or outside brackets. */
  private readClassEscape(): Re2CharPredicate | undefined {
    const letter = this.peek(1);
    if (letter === 'p' || letter === 'P') {
      this.pos += 2;
      return this.readUnicodeClass(letter === 'P');
    }
    const perl = perlClass(letter ?? '');
    if (perl !== undefined) {
      this.pos += 2;
    }
    return perl;
  }

  private readUnicodeClass(negated: boolean): Re2CharPredicate {
    let name: string;
    if (this.peek() === '{') {
      const close = this.chars.indexOf('}', this.pos);
      if (close < 0) {
        throw new Re2SyntaxError('invalid character class range');
      }
      name = this.chars.slice(this.pos + 1, close).join('');
      this.pos = close + 1;
    } else {
      name = this.peek() ?? '';
      this.pos++;
    }
    if (name === '') {
      throw new Re2SyntaxError('invalid character class range');
    }
    const predicate = unicodeClass(name);
    return negated ? negatePredicate(predicate) : predicate;
  }

  private readClassChar(): number {
    const c = this.peek();
    if (c === '\\') {
      this.pos++;
      return this.readEscapedCodePoint();
    }
    this.pos++;
    return codePointOf(c ?? '');
  }

  private parseEscape(flags: Re2Flags): Re2Node {
    const letter = this.peek(1);
    switch (letter) {
      case undefined:
        throw new Re2SyntaxError('trailing backslash at end of expression');
      case 'A':
        this.pos += 2;
        return { type: 'assertion', kind: 'beginText' };
      case 'z':
        this.pos += 2;
        return { type: 'assertion', kind: 'endText' };
      case 'b':
        this.pos += 2;
        return { type: 'assertion', kind: 'wordBoundary' };
      case 'B':
        this.pos += 2;
        return { type: 'assertion', kind: 'notWordBoundary' };
      default: {
        const escapedClass = this.readClassEscape();
        if (escapedClass !== undefined) {
          return { type: 'char', matches: flags.foldCase ? foldPredicate(escapedClass) : escapedClass };
        }
        this.pos++;
        return literal(String.fromCodePoint(this.readEscapedCodePoint()), flags);
      }
    }
  }

  /** `\Q...\E`: everything up to `\E` (or the end) is literal; one node per code point. */
  private parseQuoted(flags: Re2Flags): Re2Node[] {
    this.pos += 2;
    const items: Re2Node[] = [];
    while (this.pos < this.chars.length && !(this.peek() === '\\' && this.peek(1) === 'E')) {
      items.push(literal(this.peek() ?? '', flags));
      this.pos++;
    }
    if (this.pos < this.chars.length) {
      this.pos += 2;
    }
    return items;
  }

  /** After a backslash: a single literal code point, or a syntax error. */
  private readEscapedCodePoint(): number {
    const c = this.peek() ?? '';
    this.pos++;
    switch (c) {
      case 'a':
        return 0x07;
      case 'f':
        return 0x0c;
      case 't':
        return 0x09;
      case 'n':
        return 0x0a;
      case 'r':
        return 0x0d;
      case 'v':
        return 0x0b;
      case 'x':
        return this.readHex();
      default:
        break;
    }
    if (c >= '0' && c <= '7') {
      return this.readOctal(c);
    }
    const codePoint = codePointOf(c);
    if (codePoint > 0 && codePoint < 0x80 && !isAlphanumeric(c)) {
      return codePoint;
    }
    throw new Re2SyntaxError('invalid escape sequence');
  }

  private readHex(): number {
    let digits: string;
    if (this.peek() === '{') {
      const close = this.chars.indexOf('}', this.pos);
      if (close < 0) {
        throw new Re2SyntaxError('invalid escape sequence');
      }
      digits = this.chars.slice(this.pos + 1, close).join('');
      this.pos = close + 1;
    } else {
      digits = this.chars.slice(this.pos, this.pos + 2).join('');
      this.pos += 2;
      if (digits.length !== 2) {
        throw new Re2SyntaxError('invalid escape sequence');
      }
    }
    if (!/^[0-9A-Fa-f]{1,8}$/.test(digits)) {
      throw new Re2SyntaxError('invalid escape sequence');
    }
    const value = parseInt(digits, 16);
    if (value > 0x10ffff) {
      throw new Re2SyntaxError('invalid escape sequence');
    }
    return value;
  }

  /** `\0`, `\012`, `\123`; a lone `\1`..`\7` would be a backreference, which RE2 rejects. */
  private readOctal(first: string): number {
    let digits = first;
    if (first !== '0' && !isOctalDigit(this.peek())) {
      throw new Re2SyntaxError('invalid escape sequence');
    }
    while (digits.length < 3 && isOctalDigit(this.peek())) {
      digits += this.peek();
      this.pos++;
    }
    return parseInt(digits, 8);
  }
}

function literal(char: string, flags: Re2Flags): Re2Node {
  const expected = codePointOf(char);
  const exact: Re2CharPredicate = (codePoint) => codePoint === expected;
  return { type: 'char', matches: flags.foldCase ? foldPredicate(exact) : exact };
}

function codePointOf(char: string): number {
  return char.codePointAt(0) ?? 0;
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function isOctalDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '7';
}

function isAlphanumeric(char: string): boolean {
  return /^[0-9A-Za-z]$/.test(char);
}

function isWordChar(char: string): boolean {
  return /^[0-9A-Za-z_]$/.test(char);
}
