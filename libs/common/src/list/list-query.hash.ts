import type { ListOrderBy } from './list-order-by.parser';

/**
 * Fingerprint of the query a page token belongs to (filter text and sort order), so a
 * token replayed against a different query is rejected. cyrb53: a fast, non-crypto
 * 53-bit hash; tokens are not a security boundary.
 */
export function hashListQuery(filter: string | undefined, orderBy: ListOrderBy): string {
  const text = `${(filter ?? '').trim()}\u0000${orderBy}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
