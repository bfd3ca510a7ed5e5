import { isFieldPathChar, isFilterWhitespace, isQuote, skipFilterWhitespace } from './list-filter-chars';
import { parseFieldPath } from './list-filter-field-path';
import { ListFilterSyntaxError } from './list-filter-syntax.error';
import { Re2Matcher } from './re2.matcher';
import type { ListFilterFieldPath, ListFilterNode } from './list-filter.ast';

const KEYWORDS = new Set(['AND', 'OR', 'NOT']);

interface ComparisonHead {
  readonly field: ListFilterFieldPath;
  readonly negated: boolean;
  /** Index just after `eq` / `ne`. */
  readonly end: number;
}

/**
 * Whether the filter is written in Compute Engine's regular-expression grammar:
 * it starts with `field eq ...`, `field ne ...` or the same inside a parenthesis.
 */
export function isRegexFilter(filter: string): boolean {
  let i = skipFilterWhitespace(filter, 0);
  if (filter[i] === '(') {
    i = skipFilterWhitespace(filter, i + 1);
  }
  const start = i;
  while (isFieldPathChar(filter[i])) {
    i++;
  }
  if (i === start || KEYWORDS.has(filter.slice(start, i)) || !isFilterWhitespace(filter[i])) {
    return false;
  }
  i = skipFilterWhitespace(filter, i);
  const operator = filter.slice(i, i + 2);
  const after = filter[i + 2];
  return (
    (operator === 'eq' || operator === 'ne') &&
    (after === undefined || isFilterWhitespace(after) || after === ')')
  );
}

/**
 * Parses the regular-expression grammar:
 *
 *   field eq literal                          one unparenthesised comparison; the literal is the rest
 *                                             of the filter, optionally wrapped in '...' or "..."
 *   (field1 eq literal) (field2 ne "literal")  several parenthesised comparisons, ANDed
 *
 * Each literal is an RE2 pattern that must match the entire field value.
 */
export function parseRegexFilter(filter: string): ListFilterNode {
  const first = skipFilterWhitespace(filter, 0);
  if (filter[first] !== '(') {
    const head = readHead(filter, first);
    const rest = trimFilterWhitespace(filter.slice(head.end));
    if (rest === '') {
      throw new ListFilterSyntaxError('missing regular expression');
    }
    return regexNode(head, unquoteWhole(rest));
  }
  const comparisons: ListFilterNode[] = [];
  let i = first;
  while (i < filter.length) {
    if (filter[i] !== '(') {
      throw new ListFilterSyntaxError('expected (');
    }
    const head = readHead(filter, skipFilterWhitespace(filter, i + 1));
    const literal = readGroupLiteral(filter, skipFilterWhitespace(filter, head.end));
    comparisons.push(regexNode(head, literal.pattern));
    i = skipFilterWhitespace(filter, literal.end);
  }
  return comparisons.length === 1 ? comparisons[0] : { kind: 'and', operands: comparisons };
}

function readHead(filter: string, index: number): ComparisonHead {
  let i = index;
  while (isFieldPathChar(filter[i])) {
    i++;
  }
  const field = parseFieldPath(filter.slice(index, i));
  if (!isFilterWhitespace(filter[i])) {
    throw new ListFilterSyntaxError('expected eq or ne');
  }
  i = skipFilterWhitespace(filter, i);
  const operator = filter.slice(i, i + 2);
  if (operator !== 'eq' && operator !== 'ne') {
    throw new ListFilterSyntaxError('expected eq or ne');
  }
  const end = i + 2;
  if (end < filter.length && !isFilterWhitespace(filter[end]) && filter[end] !== ')') {
    throw new ListFilterSyntaxError('expected eq or ne');
  }
  return { field, negated: operator === 'ne', end };
}

/**
 * The literal of a parenthesised comparison, and the index after its closing `)`.
 * Unquoted literals run to the `)` that balances the group, so `(name eq (a|b)-.*)` works.
 */
function readGroupLiteral(filter: string, index: number): { pattern: string; end: number } {
  let pattern: string;
  let i = index;
  if (isQuote(filter[i])) {
    const close = findClosingQuote(filter, i);
    if (close < 0) {
      throw new ListFilterSyntaxError('unterminated string');
    }
    pattern = filter.slice(i + 1, close);
    i = skipFilterWhitespace(filter, close + 1);
  } else {
    const start = i;
    let depth = 0;
    while (i < filter.length) {
      const c = filter[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '[') {
        i = skipCharacterClass(filter, i);
        continue;
      }
      if (c === ')') {
        if (depth === 0) {
          break;
        }
        depth--;
      } else if (c === '(') {
        depth++;
      }
      i++;
    }
    pattern = trimFilterWhitespace(filter.slice(start, i));
    if (pattern === '') {
      throw new ListFilterSyntaxError('missing regular expression');
    }
  }
  if (filter[i] !== ')') {
    throw new ListFilterSyntaxError('missing )');
  }
  return { pattern, end: i + 1 };
}

/** Index just past a `[...]` class starting at `index` (or the end of the filter). */
function skipCharacterClass(filter: string, index: number): number {
  let i = index + 1;
  if (filter[i] === '^') {
    i++;
  }
  if (filter[i] === ']') {
    i++;
  }
  while (i < filter.length && filter[i] !== ']') {
    i += filter[i] === '\\' ? 2 : 1;
  }
  return i + 1;
}

/** Index of the quote closing the one at `index`, skipping backslash escapes; -1 if none. */
function findClosingQuote(text: string, index: number): number {
  const quote = text[index];
  for (let i = index + 1; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
    } else if (text[i] === quote) {
      return i;
    }
  }
  return -1;
}

/** `"x"` / `'x'` -> `x` when the quotes wrap the whole text; escapes stay for RE2 to read. */
function unquoteWhole(text: string): string {
  if (isQuote(text[0]) && findClosingQuote(text, 0) === text.length - 1 && text.length > 1) {
    return text.slice(1, -1);
  }
  return text;
}

function trimFilterWhitespace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isFilterWhitespace(text[start])) {
    start++;
  }
  while (end > start && isFilterWhitespace(text[end - 1])) {
    end--;
  }
  return text.slice(start, end);
}

function regexNode(head: ComparisonHead, pattern: string): ListFilterNode {
  return { kind: 'regex', field: head.field, negated: head.negated, matcher: Re2Matcher.compile(pattern) };
}
