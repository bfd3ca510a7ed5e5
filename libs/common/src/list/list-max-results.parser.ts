import { ListMaxResultsError } from './list-errors';

/** "Acceptable values are `0` to `500`, inclusive. (Default: `500`)" (compute.v1 `maxResults`). */
export const LIST_MAX_RESULTS_LIMIT = 500;
export const DEFAULT_LIST_MAX_RESULTS = 500;

/**
 * The page size for a `maxResults` query parameter. Absent, blank or `0` means the
 * default (500); non-integers, negatives and values above 500 throw `ListMaxResultsError`.
 */
export function parseListMaxResults(maxResults: string | number | undefined): number {
  if (maxResults === undefined) {
    return DEFAULT_LIST_MAX_RESULTS;
  }
  const raw = String(maxResults);
  let value: number;
  if (typeof maxResults === 'number') {
    if (!Number.isInteger(maxResults)) {
      throw new ListMaxResultsError(raw, 'notAnInteger');
    }
    value = maxResults;
  } else {
    const text = maxResults.trim();
    if (text === '') {
      return DEFAULT_LIST_MAX_RESULTS;
    }
    if (!/^-?\d+$/.test(text)) {
      throw new ListMaxResultsError(raw, 'notAnInteger');
    }
    value = Number(text);
  }
  if (value < 0) {
    throw new ListMaxResultsError(raw, 'negative');
  }
  if (value > LIST_MAX_RESULTS_LIMIT) {
    throw new ListMaxResultsError(raw, 'tooLarge');
  }
  return value === 0 ? DEFAULT_LIST_MAX_RESULTS : value;
}
