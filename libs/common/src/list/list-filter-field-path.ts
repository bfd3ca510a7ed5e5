import { ListFilterSyntaxError } from './list-filter-syntax.error';
import type { ListFilterFieldPath } from './list-filter.ast';

/** Letters, digits, `_` and `-` (label keys such as `labels.cost-center`). */
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Splits `a.b.c` into segments. Segments are camelCase wire names or map keys;
 * a path may not start with `-` (that is AIP-160 negation) nor have empty segments.
 */
export function parseFieldPath(text: string): ListFilterFieldPath {
  const segments = text.split('.');
  if (text.startsWith('-') || segments.some((segment) => !SEGMENT.test(segment))) {
    throw new ListFilterSyntaxError(`invalid field path: ${text}`);
  }
  return segments;
}
