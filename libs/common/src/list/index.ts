export {
  ListFilterError,
  ListFilterTooExpensiveError,
  ListMaxResultsError,
  type ListMaxResultsProblem,
  ListOrderByError,
  ListPageTokenError,
  ListQueryError,
  type ListQueryField,
} from './list-errors';
export type {
  ListFilter,
  ListFilterFieldPath,
  ListFilterGrammar,
  ListFilterLiteral,
  ListFilterNode,
  ListFilterOperator,
} from './list-filter.ast';
export { matchesFilter } from './list-filter.evaluator';
export { parseListFilter } from './list-filter.parser';
export {
  DEFAULT_LIST_MAX_RESULTS,
  LIST_MAX_RESULTS_LIMIT,
  parseListMaxResults,
} from './list-max-results.parser';
export { DEFAULT_LIST_ORDER_BY, type ListOrderBy, parseListOrderBy } from './list-order-by.parser';
export { applyListQuery, applyParsedListQuery, MAX_FILTER_STEPS, parseListQuery } from './list-query';
export type { ListPage, ListQueryParams, ListSortKeys, ParsedListQuery } from './list-query.types';
