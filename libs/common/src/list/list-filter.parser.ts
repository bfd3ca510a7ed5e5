import { ListFilterError } from './list-errors';
import { parseAip160Filter } from './list-filter-aip160.parser';
import { skipFilterWhitespace } from './list-filter-chars';
import { isRegexFilter, parseRegexFilter } from './list-filter-regex.parser';
import { ListFilterSyntaxError } from './list-filter-syntax.error';
import { Re2SyntaxError } from './re2-syntax.error';
import type { ListFilter } from './list-filter.ast';

/**
 * Parses a Compute Engine v1 list `filter`. Returns `undefined` for an absent or blank
 * filter (everything matches). Picks the grammar from the first comparison
 * (`field eq|ne ...` means regular expressions, anything else AIP-160); a filter that
 * does not parse in that grammar, mixes the two, or holds an invalid RE2 pattern
 * throws `ListFilterError`. Nothing else is thrown, whatever the input.
 */
export function parseListFilter(filter: string | undefined): ListFilter | undefined {
  if (filter === undefined || skipFilterWhitespace(filter, 0) === filter.length) {
    return undefined;
  }
  try {
    return isRegexFilter(filter)
      ? { grammar: 'regex', root: parseRegexFilter(filter), source: filter }
      : { grammar: 'aip160', root: parseAip160Filter(filter), source: filter };
  } catch (error) {
    if (error instanceof ListFilterSyntaxError || error instanceof Re2SyntaxError) {
      throw new ListFilterError(filter);
    }
    throw error;
  }
}
