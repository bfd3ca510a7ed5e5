import type { NormalizedArmorRequest } from './armor-request.normalizer';
import { parseIpAddress } from './ip-address';
import type { EnforceOnKey, EnforceOnKeyType } from './security-policy-rule.model';

/**
 * The value a rate-based rule counts requests against (rate-limiting overview, "enforceOnKey"), with the documented
 * fallbacks: HTTP_HEADER/HTTP_COOKIE/SNI/TLS fingerprints -> ALL when absent, XFF_IP/USER_IP -> IP when absent or
 * invalid. Header, cookie, path and SNI values are cut to their first 128 bytes. REGION_CODE falls back to ALL
 * (our choice; the docs do not say).
 */
export interface RateLimitKey {
  /** Opaque, stable identity of the key; combined keys are joined. */
  readonly value: string;
  /** The key types in effect after fallbacks, one per configured key. */
  readonly types: readonly EnforceOnKeyType[];
}

const MAX_KEY_BYTES = 128;
const encoder = new TextEncoder();

/** First 128 bytes, one character per byte so distinct byte strings stay distinct. */
function first128Bytes(text: string): string {
  return String.fromCharCode(...encoder.encode(text).slice(0, MAX_KEY_BYTES));
}

function validIp(text: string): string | undefined {
  const address = parseIpAddress(text.trim());
  return address !== null && address.zone === '' ? text.trim() : undefined;
}

function cookie(request: NormalizedArmorRequest, name: string): string | undefined {
  for (const pair of (request.headers.get('cookie') ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq >= 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

function resolveOne(key: EnforceOnKey, request: NormalizedArmorRequest): [EnforceOnKeyType, string] {
  const orAll = (value: string | undefined): [EnforceOnKeyType, string] =>
    value ? [key.type, first128Bytes(value)] : ['ALL', ''];
  switch (key.type) {
    case 'ALL':
      return ['ALL', ''];
    case 'IP':
      return ['IP', request.sourceIp];
    case 'HTTP_HEADER':
      return orAll(request.headers.get((key.name ?? '').toLowerCase()));
    case 'HTTP_COOKIE':
      return orAll(cookie(request, key.name ?? ''));
    case 'HTTP_PATH':
      return orAll(request.path);
    case 'SNI':
      return orAll(request.scheme === 'https' ? request.sni : undefined);
    case 'REGION_CODE':
      return orAll(request.regionCode);
    case 'TLS_JA3_FINGERPRINT':
      return orAll(request.tlsJa3Fingerprint);
    case 'TLS_JA4_FINGERPRINT':
      return orAll(request.tlsJa4Fingerprint);
    case 'XFF_IP': {
      const first = validIp((request.headers.get('x-forwarded-for') ?? '').split(',')[0] ?? '');
      return first ? ['XFF_IP', first] : ['IP', request.sourceIp];
    }
    case 'USER_IP': {
      const userIp = validIp(request.userIp);
      return userIp ? ['USER_IP', userIp] : ['IP', request.sourceIp];
    }
  }
}

export function resolveRateLimitKey(
  keys: readonly EnforceOnKey[],
  request: NormalizedArmorRequest,
): RateLimitKey {
  const parts = keys.map((key) => resolveOne(key, request));
  return {
    value: parts.map(([type, value]) => `${type}=${value}`).join('\u0000'),
    types: parts.map(([type]) => type),
  };
}
