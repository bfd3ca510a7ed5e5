import { ListOrderByError } from './list-errors';

/**
 * The sort orders Compute Engine supports: "Currently, only sorting by `name` or
 * `creationTimestamp desc` is supported" (compute.v1 `orderBy` parameter).
 */
export type ListOrderBy = 'name' | 'creationTimestamp desc';

export const DEFAULT_LIST_ORDER_BY: ListOrderBy = 'name';

/** Absent or blank means `name`; runs of whitespace are collapsed. Anything else throws `ListOrderByError`. */
export function parseListOrderBy(orderBy: string | undefined): ListOrderBy {
  if (orderBy === undefined) {
    return DEFAULT_LIST_ORDER_BY;
  }
  const normalized = orderBy.trim().split(/\s+/).join(' ');
  switch (normalized) {
    case '':
    case 'name':
      return 'name';
    case 'creationTimestamp desc':
      return 'creationTimestamp desc';
    default:
      throw new ListOrderByError(orderBy);
  }
}
