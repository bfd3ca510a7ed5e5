import type { ListFilter } from './list-filter.ast';
import type { ListOrderBy } from './list-order-by.parser';

/** The list query parameters as they arrive on the wire. */
export interface ListQueryParams {
  readonly filter?: string;
  readonly orderBy?: string;
  readonly maxResults?: string | number;
  readonly pageToken?: string;
}

/** Validated list query parameters (see `parseListQuery`). */
export interface ParsedListQuery {
  readonly filter: ListFilter | undefined;
  readonly orderBy: ListOrderBy;
  /** Page size, 1..500. */
  readonly maxResults: number;
  /** Index, in the filtered and sorted collection, of the page's first item. */
  readonly offset: number;
  /** Fingerprint of filter + orderBy carried by page tokens. */
  readonly queryHash: string;
}

/** What `orderBy` sorts on. */
export interface ListSortKeys {
  readonly name: string;
  /** RFC 3339, as on the wire. */
  readonly creationTimestamp: string;
}

export interface ListPage<T> {
  readonly items: T[];
  /** Present only when more items remain. */
  readonly nextPageToken?: string;
}
