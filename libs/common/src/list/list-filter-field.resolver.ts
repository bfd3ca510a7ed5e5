import type { ListFilterFieldPath } from './list-filter.ast';

/**
 * The values at `path` in a wire JSON resource. Arrays met along the way or at the
 * end are flattened one level (`secondaryIpRanges.rangeName` yields every range's
 * name), so a repeated field contributes one value per element. Missing keys,
 * `null` and `undefined` contribute nothing; only own properties are followed.
 */
export function resolveFieldValues(resource: unknown, path: ListFilterFieldPath): unknown[] {
  let current: unknown[] = [resource];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const value of current) {
      for (const element of Array.isArray(value) ? value : [value]) {
        if (isRecord(element) && Object.prototype.hasOwnProperty.call(element, segment)) {
          const child = element[segment];
          if (child !== undefined && child !== null) {
            next.push(child);
          }
        }
      }
    }
    if (next.length === 0) {
      return [];
    }
    current = next;
  }
  return current
    .flatMap((value) => (Array.isArray(value) ? value : [value]))
    .filter((value) => value != null);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
