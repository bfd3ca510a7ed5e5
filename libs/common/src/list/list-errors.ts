/**
 * Errors raised while validating the Compute Engine v1 list query parameters
 * (`filter`, `orderBy`, `maxResults`, `pageToken`). Each carries the wire `message`
 * and the query parameter it concerns, so a controller can render Google's error
 * envelope (`reason: 'invalid'`, HTTP 400) without knowing which check failed.
 *
 * This file deliberately depends on nothing else in the repository.
 */
export type ListQueryField = 'filter' | 'orderBy' | 'maxResults' | 'pageToken';

export abstract class ListQueryError extends Error {
  abstract readonly field: ListQueryField;
  /** Google's error reason for every list query rejection. */
  readonly reason = 'invalid' as const;
  /** The raw value the caller sent for `field`. */
  readonly value: string;

  protected constructor(message: string, value: string) {
    super(message);
    this.name = new.target.name;
    this.value = value;
  }
}

/** A filter that is not valid in either grammar, or that mixes the two. */
export class ListFilterError extends ListQueryError {
  readonly field = 'filter' as const;

  constructor(filter: string) {
    super(`Invalid value for field 'filter': '${filter}'. Invalid list filter expression.`, filter);
  }
}

/** A filter whose regular expressions would take more work than one request may do (`MAX_FILTER_STEPS`). */
export class ListFilterTooExpensiveError extends ListQueryError {
  readonly field = 'filter' as const;

  constructor(filter: string) {
    super(
      `Invalid value for field 'filter': '${filter}'. The filter is too expensive to evaluate: use simpler regular expressions or a narrower filter.`,
      filter,
    );
  }
}

/** An `orderBy` other than `name` or `creationTimestamp desc`. */
export class ListOrderByError extends ListQueryError {
  readonly field = 'orderBy' as const;

  constructor(orderBy: string) {
    super(`Invalid value for field 'orderBy': '${orderBy}'. Unsupported sort order.`, orderBy);
  }
}

export type ListMaxResultsProblem = 'notAnInteger' | 'negative' | 'tooLarge';

const MAX_RESULTS_REQUIREMENT: Readonly<Record<ListMaxResultsProblem, string>> = {
  notAnInteger: 'Must be an integer between 0 and 500',
  negative: 'Must be greater than or equal to 0',
  tooLarge: 'Must be less than or equal to 500',
};

/** A `maxResults` that is not an integer in 0..500. */
export class ListMaxResultsError extends ListQueryError {
  readonly field = 'maxResults' as const;
  readonly problem: ListMaxResultsProblem;

  constructor(maxResults: string, problem: ListMaxResultsProblem) {
    super(
      `Invalid value for field 'maxResults': '${maxResults}'. ${MAX_RESULTS_REQUIREMENT[problem]}`,
      maxResults,
    );
    this.problem = problem;
  }
}

/** A `pageToken` this module did not issue, or issued for a different filter/orderBy. */
export class ListPageTokenError extends ListQueryError {
  readonly field = 'pageToken' as const;

  constructor(pageToken: string) {
    super(`Invalid value for field 'pageToken': '${pageToken}'. Invalid page token.`, pageToken);
  }
}
