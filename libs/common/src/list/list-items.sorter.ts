import type { ListOrderBy } from './list-order-by.parser';
import type { ListSortKeys } from './list-query.types';

interface SortEntry<T> {
  readonly item: T;
  readonly index: number;
  readonly name: string;
  readonly creationTimestamp: string;
  readonly createdAt: number;
}

/**
 * Sorts a copy of `items`: by name ascending (code-unit order, i.e. alphanumerical for
 * resource names), or newest first for `creationTimestamp desc` (ties by name). Ties
 * fall back to input order, so the result is deterministic and pages are stable.
 */
export function sortListItems<T>(
  items: readonly T[],
  orderBy: ListOrderBy,
  sortKeys: (item: T) => ListSortKeys,
): T[] {
  const entries: SortEntry<T>[] = items.map((item, index) => {
    const keys = sortKeys(item);
    return {
      item,
      index,
      name: keys.name,
      creationTimestamp: keys.creationTimestamp,
      createdAt: Date.parse(keys.creationTimestamp),
    };
  });
  const byName = (a: SortEntry<T>, b: SortEntry<T>): number =>
    compareText(a.name, b.name) || a.index - b.index;
  const newestFirst = (a: SortEntry<T>, b: SortEntry<T>): number => compareTimestamps(b, a) || byName(a, b);
  entries.sort(orderBy === 'name' ? byName : newestFirst);
  return entries.map((entry) => entry.item);
}

function compareTimestamps<T>(a: SortEntry<T>, b: SortEntry<T>): number {
  const aValid = !Number.isNaN(a.createdAt);
  const bValid = !Number.isNaN(b.createdAt);
  if (aValid && bValid && a.createdAt !== b.createdAt) {
    return a.createdAt - b.createdAt;
  }
  if (aValid !== bValid) {
    return aValid ? 1 : -1; // unparsable timestamps sort as oldest
  }
  return compareText(a.creationTimestamp, b.creationTimestamp);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
