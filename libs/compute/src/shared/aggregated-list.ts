import type { WireObject } from './compute-context';
import { KNOWN_REGIONS } from './regions';

/** The scopes of an aggregated list of regional resources. */
export const REGION_SCOPES: readonly string[] = [...KNOWN_REGIONS]
  .sort()
  .map((region) => `regions/${region}`);

/** The scope (`global` or `regions/<r>`) of a rendered resource, from its `region` link. */
function scopeOf(item: WireObject): string {
  const region = typeof item['region'] === 'string' ? item['region'].split('/').pop() : undefined;
  return region ? `regions/${region}` : 'global';
}

/**
 * Groups one page of rendered resources by scope, as `aggregatedList` answers: every scope appears, the empty
 * ones with Google's NO_RESULTS_ON_PAGE warning.
 */
export function aggregateByScope(
  items: readonly WireObject[],
  key: string,
  scopes: readonly string[],
  scopeOfItem: (item: WireObject) => string = scopeOf,
) {
  const grouped: Record<string, WireObject> = {};
  for (const scope of scopes) {
    const inScope = items.filter((item) => scopeOfItem(item) === scope);
    grouped[scope] =
      inScope.length > 0
        ? { [key]: inScope }
        : {
            warning: {
              code: 'NO_RESULTS_ON_PAGE',
              message: `There are no results for scope '${scope}' on this page.`,
              data: [{ key: 'scope', value: scope }],
            },
          };
  }
  return grouped;
}
