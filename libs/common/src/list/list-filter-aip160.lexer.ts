import { isFilterWhitespace, isQuote, skipFilterWhitespace } from './list-filter-chars';
import { ListFilterSyntaxError } from './list-filter-syntax.error';
import type { ListFilterOperator } from './list-filter.ast';

export type Aip160Token =
  | { readonly kind: 'lparen' }
  | { readonly kind: 'rparen' }
  | { readonly kind: 'minus' }
  | { readonly kind: 'operator'; readonly operator: ListFilterOperator }
  /** Bare text outside a value position: a field path or a keyword (`AND`, `OR`, `NOT`). */
  | { readonly kind: 'word'; readonly text: string }
  /** A quoted string outside a value position (never valid there, kept for the parser to reject). */
  | { readonly kind: 'string'; readonly text: string }
  /** The token right after an operator: a quoted string or a bare run up to whitespace or a parenthesis. */
  | { readonly kind: 'value'; readonly text: string; readonly quoted: boolean };

const OPERATOR_CHARS = new Set(['=', '!', '<', '>', ':']);

/**
 * Splits an AIP-160 filter into tokens. Values are lexed in context: whatever follows
 * an operator up to whitespace or a parenthesis is one value, so URLs
 * (`network = https://...`) and `*` need no quoting.
 */
export function tokenizeAip160(filter: string): Aip160Token[] {
  const tokens: Aip160Token[] = [];
  let i = 0;
  let expectValue = false;
  for (;;) {
    i = skipFilterWhitespace(filter, i);
    if (i >= filter.length) {
      return tokens;
    }
    const c = filter[i];
    if (expectValue) {
      expectValue = false;
      if (isQuote(c)) {
        const quoted = readQuoted(filter, i);
        tokens.push({ kind: 'value', text: quoted.text, quoted: true });
        i = quoted.end;
        continue;
      }
      const start = i;
      while (i < filter.length && !isFilterWhitespace(filter[i]) && filter[i] !== '(' && filter[i] !== ')') {
        i++;
      }
      if (i > start) {
        tokens.push({ kind: 'value', text: filter.slice(start, i), quoted: false });
        continue;
      }
    }
    if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'lparen' : 'rparen' });
      i++;
    } else if (isQuote(c)) {
      const quoted = readQuoted(filter, i);
      tokens.push({ kind: 'string', text: quoted.text });
      i = quoted.end;
    } else if (OPERATOR_CHARS.has(c)) {
      const operator = readOperator(filter, i);
      tokens.push({ kind: 'operator', operator });
      i += operator.length;
      expectValue = true;
    } else if (c === '-') {
      tokens.push({ kind: 'minus' });
      i++;
    } else {
      const start = i;
      while (i < filter.length && isWordChar(filter[i])) {
        i++;
      }
      tokens.push({ kind: 'word', text: filter.slice(start, i) });
    }
  }
}

function isWordChar(char: string): boolean {
  return (
    !isFilterWhitespace(char) && char !== '(' && char !== ')' && !isQuote(char) && !OPERATOR_CHARS.has(char)
  );
}

function readOperator(filter: string, index: number): ListFilterOperator {
  const c = filter[index];
  const twoChars = filter.slice(index, index + 2);
  if (twoChars === '<=' || twoChars === '>=' || twoChars === '!=') {
    return twoChars;
  }
  if (c === '=' || c === '<' || c === '>' || c === ':') {
    return c;
  }
  throw new ListFilterSyntaxError(`unexpected '${c}'`);
}

/** A `"..."` or `'...'` string; a backslash makes the next character literal. */
function readQuoted(filter: string, index: number): { text: string; end: number } {
  const quote = filter[index];
  let text = '';
  let i = index + 1;
  while (i < filter.length) {
    const c = filter[i];
    if (c === '\\' && i + 1 < filter.length) {
      text += filter[i + 1];
      i += 2;
    } else if (c === quote) {
      return { text, end: i + 1 };
    } else {
      text += c;
      i++;
    }
  }
  throw new ListFilterSyntaxError('unterminated string');
}
