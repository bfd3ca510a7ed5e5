import { ListPageTokenError } from './list-errors';

const TOKEN_VERSION = 1;
/** Tokens we issue are ~40 characters; anything much longer is not ours. */
const MAX_TOKEN_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Where the next page starts, and the query (see `hashListQuery`) the token is valid for. */
export interface ListPageTokenPayload {
  readonly offset: number;
  readonly queryHash: string;
}

/** An opaque, URL-safe token. */
export function encodeListPageToken(payload: ListPageTokenPayload): string {
  const json = JSON.stringify({ v: TOKEN_VERSION, o: payload.offset, q: payload.queryHash });
  return btoa(json).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The offset a token points at. Throws `ListPageTokenError` if the token is malformed,
 * not one of ours, or was issued for a different filter / orderBy.
 */
export function decodeListPageToken(token: string, expectedQueryHash: string): number {
  const payload = tryDecode(token);
  if (payload === undefined || payload.queryHash !== expectedQueryHash) {
    throw new ListPageTokenError(token);
  }
  return payload.offset;
}

function tryDecode(token: string): ListPageTokenPayload | undefined {
  if (token.length > MAX_TOKEN_LENGTH || !BASE64URL.test(token)) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(token.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return undefined;
  }
  const { v, o, q } = parsed as Record<string, unknown>;
  if (
    v !== TOKEN_VERSION ||
    typeof o !== 'number' ||
    !Number.isSafeInteger(o) ||
    o < 0 ||
    typeof q !== 'string'
  ) {
    return undefined;
  }
  return { offset: o, queryHash: q };
}
