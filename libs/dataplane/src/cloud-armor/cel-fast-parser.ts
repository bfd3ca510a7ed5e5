import type { CelExpr } from './cel-ast';

/**
 * A hand-written parser for the common shape of Cloud Armor expressions: identifiers, field selections, global
 * and member calls, indexes, plain string/int/double/bool/null literals, parentheses, `!`, the binary operators and
 * `?:`. It builds exactly the AST (node ids included) that @bufbuild/cel's `parse` builds, in a fraction of the
 * time: that parser is generated and re-slices its input at every step, which made it most of the cost of
 * inserting a policy with hundreds of CEL rules.
 *
 * It answers `undefined` for anything outside that subset and for every syntax error (comments, escapes other
 * than the simple ones, unary minus, lists, maps, macros other than `has`, reserved words, …): the caller then
 * runs the reference parser, which accepts or rejects the text with its own message. A differential test holds
 * the two to the same result.
 */
export function parseCommonCel(text: string): CelExpr | undefined {
  try {
    const parser = new FastParser(text);
    const expr = parser.expression();
    parser.skipSpace();
    return parser.atEnd() ? expr : undefined;
  } catch (error) {
    if (error === OUTSIDE_SUBSET) return undefined;
    throw error;
  }
}

const OUTSIDE_SUBSET = Symbol('outside the fast subset');

// Words the reference parser refuses as identifiers (or, for the first four, as field names), and macros it
// expands on member calls.
const RESERVED: ReadonlySet<string> = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);
const MEMBER_MACROS: ReadonlySet<string> = new Set([
  'all',
  'exists',
  'exists_one',
  'existsOne',
  'map',
  'filter',
]);
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '?': '?',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
const RELATIONS = ['==', '!=', '<=', '>=', '<', '>'] as const;

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

type Suffix =
  | { kind: 'select'; field: string }
  | { kind: 'call'; name: string; args: CelExpr[] }
  | { kind: 'index'; index: CelExpr };

class FastParser {
  private pos = 0;
  private lastId = 0n;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos === this.text.length;
  }

  skipSpace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) this.pos++;
      else if (c === 47 && text.charCodeAt(this.pos + 1) === 47)
        throw OUTSIDE_SUBSET; // a comment
      else return;
    }
  }

  /** Consumes `token` (after whitespace) when it comes next. */
  private eat(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.eat(token)) throw OUTSIDE_SUBSET;
  }

  private node(exprKind: CelExpr['exprKind']): CelExpr {
    return { $typeName: 'cel.expr.Expr', id: ++this.lastId, exprKind } as CelExpr;
  }

  private call(fn: string, args: CelExpr[], target?: CelExpr): CelExpr {
    const value = target
      ? { $typeName: 'cel.expr.Expr.Call', function: fn, target, args }
      : { $typeName: 'cel.expr.Expr.Call', function: fn, args };
    return this.node({ case: 'callExpr', value } as CelExpr['exprKind']);
  }

  expression(): CelExpr {
    const condition = this.logical('||');
    if (!this.eat('?')) return condition;
    const whenTrue = this.logical('||');
    this.expect(':');
    const whenFalse = this.expression();
    return this.call('_?_:_', [condition, whenTrue, whenFalse]);
  }

  /** `||` over `&&` over relations, balanced as the reference's logic manager balances them. */
  private logical(op: '||' | '&&'): CelExpr {
    const next = () => (op === '||' ? this.logical('&&') : this.relation());
    const terms = [next()];
    while (this.eat(op)) terms.push(next());
    return terms.length === 1 ? (terms[0] as CelExpr) : this.balanced(`_${op}_`, terms, 0, terms.length - 2);
  }

  private balanced(fn: string, terms: CelExpr[], lo: number, hi: number): CelExpr {
    const mid = Math.floor((lo + hi + 1) / 2);
    const left = mid === lo ? (terms[mid] as CelExpr) : this.balanced(fn, terms, lo, mid - 1);
    const right = mid === hi ? (terms[mid + 1] as CelExpr) : this.balanced(fn, terms, mid + 1, hi);
    return this.call(fn, [left, right]);
  }

  /** A left-associative chain: every operand is built first, then the operator nodes from left to right. */
  private chain(operand: () => CelExpr, operators: () => string | undefined): CelExpr {
    const first = operand();
    const tail: [string, CelExpr][] = [];
    for (let op = operators(); op !== undefined; op = operators()) tail.push([op, operand()]);
    return tail.reduce((left, [op, right]) => this.call(`_${op}_`, [left, right]), first);
  }

  private relation(): CelExpr {
    return this.chain(
      () => this.addition(),
      () => {
        this.skipSpace();
        if (this.text.startsWith('in', this.pos) && !isIdentPart(this.text.charCodeAt(this.pos + 2))) {
          throw OUTSIDE_SUBSET;
        }
        const op = RELATIONS.find((candidate) => this.text.startsWith(candidate, this.pos));
        if (op) this.pos += op.length;
        return op;
      },
    );
  }

  private addition(): CelExpr {
    return this.chain(
      () => this.multiplication(),
      () => (this.eat('+') ? '+' : this.eat('-') ? '-' : undefined),
    );
  }

  private multiplication(): CelExpr {
    return this.chain(
      () => this.unary(),
      () => (this.eat('*') ? '*' : this.eat('/') ? '/' : this.eat('%') ? '%' : undefined),
    );
  }

  private unary(): CelExpr {
    let nots = 0;
    while (this.eat('!')) nots++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 45) throw OUTSIDE_SUBSET; // unary minus, negative literals
    const operand = this.member();
    if (nots % 2 === 0) return operand;
    const inner = operand.exprKind.case === 'callExpr' ? operand.exprKind.value : undefined;
    if (inner?.function === '!_' && !inner.target) return inner.args[0] as CelExpr;
    return this.call('!_', [operand]);
  }

  private member(): CelExpr {
    const primary = this.primary();
    const suffixes: Suffix[] = [];
    for (;;) {
      if (this.eat('.')) {
        this.skipSpace();
        if (this.text.charCodeAt(this.pos) === 63) throw OUTSIDE_SUBSET; // `.?` optional selection
        const name = this.identifier();
        if (this.eat('(')) {
          if (MEMBER_MACROS.has(name)) throw OUTSIDE_SUBSET;
          suffixes.push({ kind: 'call', name, args: this.arguments() });
        } else {
          suffixes.push({ kind: 'select', field: name });
        }
      } else if (this.eat('[')) {
        this.skipSpace();
        if (this.text.charCodeAt(this.pos) === 63) throw OUTSIDE_SUBSET; // `[?` optional index
        const index = this.expression();
        this.expect(']');
        suffixes.push({ kind: 'index', index });
      } else {
        break;
      }
    }
    return suffixes.reduce<CelExpr>((operand, suffix) => {
      if (suffix.kind === 'call') return this.call(suffix.name, suffix.args, operand);
      if (suffix.kind === 'index') return this.call('_[_]', [operand, suffix.index]);
      return this.select(operand, suffix.field, false);
    }, primary);
  }

  private select(operand: CelExpr, field: string, testOnly: boolean): CelExpr {
    return this.node({
      case: 'selectExpr',
      value: { $typeName: 'cel.expr.Expr.Select', operand, field, testOnly },
    } as CelExpr['exprKind']);
  }

  private primary(): CelExpr {
    this.skipSpace();
    const c = this.text.charCodeAt(this.pos);
    if (c === 40) {
      this.pos++;
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (c === 39 || c === 34) return this.string(c);
    if (isDigit(c)) return this.number();
    if (!isIdentStart(c)) throw OUTSIDE_SUBSET; // `.x`, lists, maps, …
    const start = this.pos;
    let end = start;
    while (isIdentPart(this.text.charCodeAt(end))) end++;
    const word = this.text.slice(start, end);
    if (word === 'true' || word === 'false') {
      this.pos = end;
      return this.constant({ case: 'boolValue', value: word === 'true' });
    }
    if (word === 'null') {
      this.pos = end;
      return this.constant({ case: 'nullValue', value: 0 });
    }
    const name = this.identifier();
    const after = this.text.charCodeAt(this.pos);
    if (after === 39 || after === 34) throw OUTSIDE_SUBSET; // r'…', b'…'
    if (this.eat('(')) {
      const args = this.arguments();
      if (name === 'has' && args.length === 1 && args[0]?.exprKind.case === 'selectExpr') {
        const selection = args[0].exprKind.value;
        return this.select(selection.operand as CelExpr, selection.field, true);
      }
      return this.call(name, args);
    }
    if (this.text.charCodeAt(this.pos) === 123) throw OUTSIDE_SUBSET; // a message literal `T{…}`
    return this.node({
      case: 'identExpr',
      value: { $typeName: 'cel.expr.Expr.Ident', name },
    } as CelExpr['exprKind']);
  }

  private identifier(): string {
    const start = this.pos;
    if (!isIdentStart(this.text.charCodeAt(start))) throw OUTSIDE_SUBSET;
    let end = start + 1;
    while (isIdentPart(this.text.charCodeAt(end))) end++;
    const name = this.text.slice(start, end);
    if (RESERVED.has(name)) throw OUTSIDE_SUBSET;
    // `truex`, `nullx`: the reference reads a keyword literal first; leave those to it.
    if (name.startsWith('true') || name.startsWith('false') || name.startsWith('null')) throw OUTSIDE_SUBSET;
    this.pos = end;
    return name;
  }

  /** Arguments after `(`, up to and including `)`. */
  private arguments(): CelExpr[] {
    const args: CelExpr[] = [];
    if (this.eat(')')) return args;
    do args.push(this.expression());
    while (this.eat(','));
    this.expect(')');
    return args;
  }

  private constant(constantKind: { case: string; value: unknown }): CelExpr {
    return this.node({
      case: 'constExpr',
      value: { $typeName: 'cel.expr.Constant', constantKind },
    } as CelExpr['exprKind']);
  }

  /**
   * A decimal int64 (`42`) or double (`0.5`) without sign, exponent or suffix and no leading zero before digits;
   * the other numeric forms (hex, uints, `1e3`, `.5`) are not ours.
   */
  private number(): CelExpr {
    const text = this.text;
    const start = this.pos;
    let end = start;
    while (isDigit(text.charCodeAt(end))) end++;
    if (text[start] === '0' && end - start > 1) throw OUTSIDE_SUBSET;
    let double = false;
    if (text.charCodeAt(end) === 46 && isDigit(text.charCodeAt(end + 1))) {
      double = true;
      end++;
      while (isDigit(text.charCodeAt(end))) end++;
    }
    const next = text.charCodeAt(end);
    if (isIdentPart(next) || next === 46 || (!double && end - start > 18)) throw OUTSIDE_SUBSET;
    this.pos = end;
    const digits = text.slice(start, end);
    return double
      ? this.constant({ case: 'doubleValue', value: parseFloat(digits) })
      : this.constant({ case: 'int64Value', value: BigInt(digits) });
  }

  /** A one-line quoted string with the simple escapes only. */
  private string(quote: number): CelExpr {
    const text = this.text;
    let value = '';
    let i = this.pos + 1;
    if (text.charCodeAt(i) === quote && text.charCodeAt(i + 1) === quote) throw OUTSIDE_SUBSET; // '''…'''
    let chunk = i;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c) || c === 10 || c === 13) throw OUTSIDE_SUBSET;
      if (c === quote) break;
      if (c === 92) {
        const escaped = text[i + 1] ?? '';
        const replacement = Object.hasOwn(SIMPLE_ESCAPES, escaped) ? SIMPLE_ESCAPES[escaped] : undefined;
        if (replacement === undefined) throw OUTSIDE_SUBSET;
        value += text.slice(chunk, i) + replacement;
        i += 2;
        chunk = i;
        continue;
      }
      i++;
    }
    value += text.slice(chunk, i);
    this.pos = i + 1;
    return this.constant({ case: 'stringValue', value });
  }
}
