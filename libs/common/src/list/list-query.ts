import { ListFilterTooExpensiveError } from './list-errors';
import { matchesFilter } from './list-filter.evaluator';
import { parseListFilter } from './list-filter.parser';
import { sortListItems } from './list-items.sorter';
import { parseListMaxResults } from './list-max-results.parser';
import { parseListOrderBy } from './list-order-by.parser';
import { decodeListPageToken, encodeListPageToken } from './list-page-token.codec';
import { hashListQuery } from './list-query.hash';
import type { ListPage, ListQueryParams, ListSortKeys, ParsedListQuery } from './list-query.types';
import { Re2Budget, Re2BudgetExceeded } from './re2.matcher';

/**
 * Regular-expression steps one list request may take (an NFA instruction visited, a character decoded): 60–120 ms
 * on the busy 2-core test machine, so a hostile filter cannot hold the event loop for long, and more than real
 * filters over real collections need (`name eq "web-.*"` over 10,000 resources is about 460,000 steps).
 */
export const MAX_FILTER_STEPS = 1_000_000;

/**
 * Validates Compute Engine v1 list query parameters up front, in the order filter,
 * orderBy, maxResults, pageToken, and returns their parsed form. Throws a
 * `ListQueryError` subclass (`ListFilterError`, `ListOrderByError`,
 * `ListMaxResultsError`, `ListPageTokenError`) for the first invalid one.
 */
export function parseListQuery(query: ListQueryParams): ParsedListQuery {
  const filter = parseListFilter(query.filter);
  const orderBy = parseListOrderBy(query.orderBy);
  const maxResults = parseListMaxResults(query.maxResults);
  const queryHash = hashListQuery(query.filter, orderBy);
  const offset =
    query.pageToken === undefined || query.pageToken === ''
      ? 0
      : decodeListPageToken(query.pageToken, queryHash);
  return { filter, orderBy, maxResults, offset, queryHash };
}

/** Filters, sorts and pages `items` with an already parsed query. */
export function applyParsedListQuery<T extends object>(
  items: readonly T[],
  query: ParsedListQuery,
  sortKeys: (item: T) => ListSortKeys,
): ListPage<T> {
  const budget = new Re2Budget(MAX_FILTER_STEPS);
  let matching: T[];
  try {
    matching = items.filter((item) => matchesFilter(query.filter, item, budget));
  } catch (error) {
    if (error instanceof Re2BudgetExceeded) throw new ListFilterTooExpensiveError(query.filter?.source ?? '');
    throw error;
  }
  const sorted = sortListItems(matching, query.orderBy, sortKeys);
  const end = query.offset + query.maxResults;
  const page = sorted.slice(query.offset, end);
  if (end >= sorted.length) {
    return { items: page };
  }
  return { items: page, nextPageToken: encodeListPageToken({ offset: end, queryHash: query.queryHash }) };
}

/**
 * Compute Engine v1 list semantics over an in-memory collection: `filter`, `orderBy`,
 * `maxResults`, `pageToken`. `nextPageToken` is set only when more items remain.
 * Throws a `ListQueryError` subclass for invalid parameters.
 */
export function applyListQuery<T extends object>(
  items: readonly T[],
  query: ListQueryParams,
  sortKeys: (item: T) => ListSortKeys,
): ListPage<T> {
  return applyParsedListQuery(items, parseListQuery(query), sortKeys);
}
