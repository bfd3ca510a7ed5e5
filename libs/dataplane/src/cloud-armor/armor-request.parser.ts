// An HTTP request given as JSON (the `:evaluate` read, a connectivity trace) checked field by field into the
// attributes Cloud Armor rules see. The first problem names its field.
import { parseIpAddress } from './ip-address';
import type { ArmorRequest } from './security-policy.types';

export type ParsedArmorRequest =
  | { readonly ok: true; readonly request: ArmorRequest }
  | { readonly ok: false; readonly field: string; readonly value: unknown; readonly message: string };

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Reads `{sourceIp, method, host, path (with ?query), query, scheme, headers, userIp, regionCode, asn,
 * tlsJa3Fingerprint, tlsJa4Fingerprint, sni}`: `sourceIp` is required; `method` defaults to GET, `path` to `/`;
 * `host` becomes the Host header.
 */
export function parseArmorRequest(body: unknown, prefix = ''): ParsedArmorRequest {
  const fail = (field: string, value: unknown, message: string): ParsedArmorRequest => ({
    ok: false,
    field: `${prefix}${field}`,
    value,
    message,
  });
  if (!isRecord(body)) return fail('request', body, 'Must be a JSON object.');
  const known = new Set([
    'sourceIp',
    'method',
    'host',
    'path',
    'query',
    'scheme',
    'headers',
    'userIp',
    'regionCode',
    'asn',
    'tlsJa3Fingerprint',
    'tlsJa4Fingerprint',
    'sni',
  ]);
  for (const key of Object.keys(body)) {
    if (!known.has(key))
      return fail(key, body[key], `Unknown field; expected one of ${[...known].join(', ')}.`);
  }
  const text = (field: string): string | undefined | ParsedArmorRequest => {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' ? value : fail(field, value, 'Must be a string.');
  };
  const fields: Record<string, string | undefined> = {};
  for (const field of known) {
    if (field === 'headers' || field === 'asn') continue;
    const value = text(field);
    if (typeof value === 'object') return value;
    fields[field] = value;
  }
  const { sourceIp, userIp, method = 'GET', host, scheme, regionCode } = fields;
  if (!sourceIp) return fail('sourceIp', sourceIp ?? '', 'Required: the client address (origin.ip).');
  if (parseIpAddress(sourceIp) === null)
    return fail('sourceIp', sourceIp, 'Must be an IPv4 or IPv6 address.');
  if (userIp && parseIpAddress(userIp) === null)
    return fail('userIp', userIp, 'Must be an IPv4 or IPv6 address.');
  if (!TOKEN.test(method)) return fail('method', method, 'Must be an HTTP method token, e.g. GET.');
  let path = fields['path'] ?? '/';
  let query = fields['query'];
  if (!path.startsWith('/') || /[\s#]/.test(path))
    return fail('path', path, "Must start with '/' and hold no spaces or fragment.");
  const mark = path.indexOf('?');
  if (mark >= 0) {
    if (query !== undefined) return fail('query', query, 'Give the query in path or in query, not both.');
    query = path.slice(mark + 1);
    path = path.slice(0, mark);
  }
  if (scheme !== undefined && !['http', 'https'].includes(scheme.toLowerCase()))
    return fail('scheme', scheme, 'Must be http or https.');
  if (regionCode !== undefined && !/^[A-Za-z]{2}$/.test(regionCode))
    return fail('regionCode', regionCode, 'Must be an ISO 3166-1 alpha-2 code, e.g. US.');
  if (host !== undefined && (host === '' || /[\s/]/.test(host)))
    return fail('host', host, 'Must be a host name or address, optionally with :port.');
  const asn = body['asn'];
  if (asn !== undefined && (typeof asn !== 'number' || !Number.isInteger(asn) || asn < 0 || asn > 4294967295))
    return fail('asn', asn, 'Must be an integer from 0 to 4294967295.');
  const headers: Record<string, string> = {};
  const given = body['headers'];
  if (given !== undefined) {
    if (!isRecord(given))
      return fail('headers', given, 'Must be an object of header names to string values.');
    for (const [name, value] of Object.entries(given)) {
      if (!TOKEN.test(name)) return fail(`headers`, name, 'Header names must be HTTP tokens.');
      if (typeof value !== 'string') return fail(`headers.${name}`, value, 'Must be a string.');
      headers[name.toLowerCase()] = value;
    }
  }
  if (host !== undefined) headers['host'] = host;
  return {
    ok: true,
    request: {
      sourceIp,
      method: method.toUpperCase(),
      path,
      ...(query !== undefined ? { query } : {}),
      ...(scheme !== undefined ? { scheme: scheme.toLowerCase() } : {}),
      headers,
      ...(userIp ? { userIp } : {}),
      ...(regionCode ? { regionCode: regionCode.toUpperCase() } : {}),
      ...(asn !== undefined ? { asn } : {}),
      ...(fields['tlsJa3Fingerprint'] !== undefined
        ? { tlsJa3Fingerprint: fields['tlsJa3Fingerprint'] }
        : {}),
      ...(fields['tlsJa4Fingerprint'] !== undefined
        ? { tlsJa4Fingerprint: fields['tlsJa4Fingerprint'] }
        : {}),
      ...(fields['sni'] !== undefined ? { sni: fields['sni'] } : {}),
    },
  };
}
