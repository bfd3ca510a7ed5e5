import { describe, expect, it } from 'vitest';
import { type UrlMapSpec, routeUrlMap } from './url-map.matcher';

const map: UrlMapSpec = {
  name: 'um',
  defaultService: 'bs-default',
  hostRules: [
    { hosts: ['example.com'], pathMatcher: 'exact' },
    { hosts: ['*.example.com'], pathMatcher: 'wild' },
    { hosts: ['*'], pathMatcher: 'any' },
  ],
  pathMatchers: [
    {
      name: 'exact',
      defaultService: 'bs-exact',
      pathRules: [
        { paths: ['/api/*'], service: 'bs-api' },
        { paths: ['/api/v2/*'], service: 'bs-api-v2' },
        { paths: ['/login'], service: 'bs-login' },
        { paths: ['/old/*'], urlRedirect: { pathRedirect: '/new', redirectResponseCode: 'FOUND' } },
      ],
    },
    { name: 'wild', defaultService: 'bs-wild' },
    {
      name: 'any',
      defaultService: 'bs-any',
      routeRules: [
        { priority: 2, matchRules: [{ prefixMatch: '/' }], service: 'bs-route-all' },
        {
          priority: 1,
          matchRules: [
            { prefixMatch: '/beta', headerMatches: [{ headerName: 'X-Canary', exactMatch: 'yes' }] },
          ],
          routeAction: {
            weightedBackendServices: [
              { backendService: 'bs-canary', weight: 10 },
              { backendService: 'bs-stable', weight: 90 },
            ],
          },
        },
      ],
    },
  ],
};

describe('routeUrlMap', () => {
  it('picks the exact host over wildcards, and the longest path rule', () => {
    expect(routeUrlMap(map, { host: 'example.com', path: '/api/v2/users?x=1' })).toEqual({
      hostRule: { index: 0, host: 'example.com' },
      pathMatcher: 'exact',
      matched: 'pathRules[1] /api/v2/*',
      service: 'bs-api-v2',
    });
    expect(routeUrlMap(map, { host: 'EXAMPLE.com:80', path: '/api/x' }).service).toBe('bs-api');
  });

  it('matches paths without * exactly, and /x/* not /x itself', () => {
    expect(routeUrlMap(map, { host: 'example.com', path: '/login' }).service).toBe('bs-login');
    expect(routeUrlMap(map, { host: 'example.com', path: '/login/again' })).toMatchObject({
      matched: 'pathMatcher exact defaultService',
      service: 'bs-exact',
    });
    expect(routeUrlMap(map, { host: 'example.com', path: '/api' }).service).toBe('bs-exact');
  });

  it('returns a redirect instead of a service', () => {
    expect(routeUrlMap(map, { host: 'example.com', path: '/old/page' })).toMatchObject({
      matched: 'pathRules[3] /old/*',
      redirect: { pathRedirect: '/new', redirectResponseCode: 'FOUND' },
    });
  });

  it('uses suffix wildcards for subdomains, but not for the bare domain', () => {
    expect(routeUrlMap(map, { host: 'a.b.example.com', path: '/' })).toMatchObject({
      hostRule: { index: 1, host: '*.example.com' },
      service: 'bs-wild',
    });
    expect(routeUrlMap(map, { host: 'other.org', path: '/' }).service).toBe('bs-route-all');
  });

  it('evaluates route rules by priority with header matches, and weighted services', () => {
    const canary = routeUrlMap(map, { host: 'x.org', path: '/beta/1', headers: { 'x-canary': 'yes' } });
    expect(canary).toMatchObject({ matched: 'routeRules[priority 1]', service: 'bs-stable' });
    expect(canary.weighted).toEqual([
      { service: 'bs-canary', weight: 10 },
      { service: 'bs-stable', weight: 90 },
    ]);
    expect(routeUrlMap(map, { host: 'x.org', path: '/beta/1' }).service).toBe('bs-route-all');
  });

  it("falls back to the map's default without host rules or a matcher", () => {
    expect(routeUrlMap({ defaultService: 'd' }, { host: 'h', path: '/' })).toEqual({
      matched: 'defaultService',
      service: 'd',
    });
    expect(routeUrlMap({ defaultUrlRedirect: { httpsRedirect: true } }, { host: 'h', path: '/' })).toEqual({
      matched: 'defaultUrlRedirect',
      redirect: { httpsRedirect: true },
    });
    expect(
      routeUrlMap(
        { defaultService: 'd', hostRules: [{ hosts: ['h'], pathMatcher: 'gone' }] },
        { host: 'h', path: '/' },
      ).service,
    ).toBe('d');
  });

  it('survives a bad regex in a route rule (no match, no throw)', () => {
    const bad: UrlMapSpec = {
      defaultService: 'd',
      hostRules: [{ hosts: ['*'], pathMatcher: 'm' }],
      pathMatchers: [
        {
          name: 'm',
          defaultService: 'md',
          routeRules: [{ priority: 1, matchRules: [{ regexMatch: '(' }], service: 's' }],
        },
      ],
    };
    expect(routeUrlMap(bad, { host: 'h', path: '/' }).service).toBe('md');
  });
});
