import { isRecord } from './list-filter-field.resolver';
import { matchesWildcard } from './list-filter-wildcard.matcher';
import type { ListFilterLiteral, ListFilterOperator } from './list-filter.ast';

/** Decimal number syntax (`-12`, `3.5`, `2.997e9`); unambiguous, so linear to test. */
const NUMBER = /^[+-]?\d*(?:\.\d*)?(?:[eE][+-]?\d+)?$/;
/** RFC 3339 timestamp as Compute Engine writes them (`2024-01-02T03:04:05.678-07:00`). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Evaluates one AIP-160 comparison against the values a field path resolved to
 * (one per repeated element; none when the field is missing):
 *
 * - `=`, `<`, `<=`, `>`, `>=`, `:` hold when ANY value satisfies them (so never for a missing field);
 * - `!=` is the negation of `=` (so it holds for a missing field, and for a repeated
 *   field only when no element equals the literal);
 * - `field:*` holds when the field is present (non-empty);
 * - `:` is substring match on strings, key presence on maps/messages (`labels:env`),
 *   equality on numbers and booleans.
 *
 * Literals are typed by the field value they meet: numbers and booleans compare by
 * value (`diskSizeGb > 10` also works on int64 fields, which the wire carries as
 * strings, when the literal is unquoted), RFC 3339 timestamps by instant, other
 * strings exactly and lexically, with `*` wildcards for `=` and `!=`.
 */
export function evaluateComparison(
  operator: ListFilterOperator,
  values: readonly unknown[],
  literal: ListFilterLiteral,
): boolean {
  switch (operator) {
    case '=':
      return values.some((value) => isEqual(value, literal));
    case '!=':
      return !values.some((value) => isEqual(value, literal));
    case ':':
      if (literal.text === '*' && !literal.quoted) {
        return values.some(isPresent);
      }
      return values.some((value) => has(value, literal));
    case '<':
      return values.some((value) => satisfiesOrder(compareOrder(value, literal), (c) => c < 0));
    case '<=':
      return values.some((value) => satisfiesOrder(compareOrder(value, literal), (c) => c <= 0));
    case '>':
      return values.some((value) => satisfiesOrder(compareOrder(value, literal), (c) => c > 0));
    case '>=':
      return values.some((value) => satisfiesOrder(compareOrder(value, literal), (c) => c >= 0));
  }
}

function satisfiesOrder(comparison: number | undefined, test: (comparison: number) => boolean): boolean {
  return comparison !== undefined && test(comparison);
}

function isPresent(value: unknown): boolean {
  if (isRecord(value)) {
    return Object.keys(value).length > 0;
  }
  return value !== '';
}

function has(value: unknown, literal: ListFilterLiteral): boolean {
  if (typeof value === 'string') {
    return value.includes(literal.text);
  }
  if (isRecord(value)) {
    return Object.prototype.hasOwnProperty.call(value, literal.text);
  }
  return isEqual(value, literal);
}

function isEqual(value: unknown, literal: ListFilterLiteral): boolean {
  if (typeof value === 'string') {
    const numeric = compareNumericString(value, literal);
    if (numeric !== undefined) {
      return numeric === 0;
    }
    const instant = compareTimestamps(value, literal.text);
    if (instant !== undefined) {
      return instant === 0;
    }
    return literal.text.includes('*') ? matchesWildcard(literal.text, value) : value === literal.text;
  }
  return compareOrder(value, literal) === 0;
}

/** Negative, zero or positive as `value` sorts before, with or after the literal; `undefined` if incomparable. */
function compareOrder(value: unknown, literal: ListFilterLiteral): number | undefined {
  switch (typeof value) {
    case 'number': {
      const number = parseNumber(literal.text);
      return number === undefined ? undefined : Math.sign(value - number);
    }
    case 'boolean': {
      const text = literal.text.toLowerCase();
      return text === 'true' || text === 'false' ? Number(value) - Number(text === 'true') : undefined;
    }
    case 'string':
      return (
        compareNumericString(value, literal) ??
        compareTimestamps(value, literal.text) ??
        (value < literal.text ? -1 : value > literal.text ? 1 : 0)
      );
    default:
      return undefined;
  }
}

/** int64 fields travel as strings; an unquoted numeric literal compares with them numerically. */
function compareNumericString(value: string, literal: ListFilterLiteral): number | undefined {
  if (literal.quoted) {
    return undefined;
  }
  const left = parseNumber(value);
  const right = parseNumber(literal.text);
  return left === undefined || right === undefined ? undefined : Math.sign(left - right);
}

function compareTimestamps(left: string, right: string): number | undefined {
  if (!TIMESTAMP.test(left) || !TIMESTAMP.test(right)) {
    return undefined;
  }
  const leftTime = Date.parse(left);
  const rightTime = Date.parse(right);
  if (Number.isNaN(leftTime) || Number.isNaN(rightTime)) {
    return undefined;
  }
  return Math.sign(leftTime - rightTime);
}

export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text) || !/\d/.test(text)) {
    return undefined;
  }
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
