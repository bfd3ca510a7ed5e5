import { describe, expect, it } from 'vitest';
import { parseArmorRequest } from './armor-request.parser';

describe('parseArmorRequest', () => {
  it('reads a request, splitting the query off the path and the Host into the headers', () => {
    expect(
      parseArmorRequest({
        sourceIp: '198.51.100.7',
        method: 'post',
        host: 'shop.example.com',
        path: '/cart?id=1',
        headers: { 'User-Agent': 'curl' },
        regionCode: 'au',
        asn: 64500,
      }),
    ).toEqual({
      ok: true,
      request: {
        sourceIp: '198.51.100.7',
        method: 'POST',
        path: '/cart',
        query: 'id=1',
        headers: { 'user-agent': 'curl', host: 'shop.example.com' },
        regionCode: 'AU',
        asn: 64500,
      },
    });
    expect(parseArmorRequest({ sourceIp: '2001:db8::1' })).toMatchObject({
      ok: true,
      request: { method: 'GET', path: '/' },
    });
  });

  it.each([
    [{}, 'sourceIp'],
    [{ sourceIp: '10.0.0.300' }, 'sourceIp'],
    [{ sourceIp: '1.2.3.4', path: 'x' }, 'path'],
    [{ sourceIp: '1.2.3.4', method: 'G ET' }, 'method'],
    [{ sourceIp: '1.2.3.4', headers: { a: 1 } }, 'headers.a'],
    [{ sourceIp: '1.2.3.4', headers: [] }, 'headers'],
    [{ sourceIp: '1.2.3.4', asn: 'x' }, 'asn'],
    [{ sourceIp: '1.2.3.4', scheme: 'ftp' }, 'scheme'],
    [{ sourceIp: '1.2.3.4', regionCode: 'USA' }, 'regionCode'],
    [{ sourceIp: '1.2.3.4', path: '/a?b', query: 'c' }, 'query'],
    [{ sourceIp: '1.2.3.4', bogus: true }, 'bogus'],
    [{ sourceIp: 5 }, 'sourceIp'],
    ['text', 'request'],
  ])('refuses %j naming %s', (body, field) => {
    const parsed = parseArmorRequest(body, '');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.field).toBe(field);
  });
});
