import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ListFilterError,
  ListFilterTooExpensiveError,
  ListMaxResultsError,
  ListOrderByError,
  ListPageTokenError,
  ListQueryError,
} from './list-errors';
import { applyListQuery, applyParsedListQuery, MAX_FILTER_STEPS, parseListQuery } from './list-query';
import type { ListQueryParams, ListSortKeys } from './list-query.types';

interface Subnetwork {
  readonly name: string;
  readonly creationTimestamp: string;
  readonly region: string;
  readonly ipCidrRange: string;
}

const REGION = 'https://www.googleapis.com/compute/v1/projects/p/regions/';

function subnet(name: string, creationTimestamp: string, region = 'us-central1'): Subnetwork {
  return { name, creationTimestamp, region: `${REGION}${region}`, ipCidrRange: '10.0.0.0/24' };
}

const SUBNETS: readonly Subnetwork[] = [
  subnet('charlie', '2024-03-01T00:00:00.000-07:00'),
  subnet('alpha-2', '2024-01-01T00:00:00.000-07:00', 'europe-west1'),
  subnet('bravo', '2024-05-01T00:00:00.000-07:00'),
  subnet('alpha-10', '2024-02-01T00:00:00.000-07:00'),
  subnet('alpha', '2024-04-01T00:00:00.000-07:00', 'europe-west1'),
  // 2024-04-01T06:00:00Z is one hour before alpha's 07:00:00Z despite its larger local time
  subnet('delta', '2024-04-01T06:00:00.000+00:00'),
];
const keys = (item: Subnetwork): ListSortKeys => item;
const names = (items: readonly Subnetwork[]): string[] => items.map((item) => item.name);

/** Follows nextPageToken until the end, returning every page's names. */
function allPages(query: ListQueryParams, items: readonly Subnetwork[] = SUBNETS): string[][] {
  const pages: string[][] = [];
  let pageToken: string | undefined;
  do {
    const page = applyListQuery(items, { ...query, pageToken }, keys);
    pages.push(names(page.items));
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined && pages.length < 100);
  return pages;
}

/** UTF-8, then base64url without padding: the shape of the tokens we issue. */
function base64Url(text: string): string {
  const binary = Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join('');
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('applyListQuery', () => {
  it('returns every item sorted by name, without a page token, by default', () => {
    const page = applyListQuery(SUBNETS, {}, keys);
    expect(names(page.items)).toEqual(['alpha', 'alpha-10', 'alpha-2', 'bravo', 'charlie', 'delta']);
    expect(page).not.toHaveProperty('nextPageToken');
  });

  it('does not modify its input', () => {
    const copy = [...SUBNETS];
    applyListQuery(SUBNETS, { orderBy: 'creationTimestamp desc' }, keys);
    expect(SUBNETS).toEqual(copy);
  });

  it.each<[orderBy: string | undefined, expected: string[]]>([
    [undefined, ['alpha', 'alpha-10', 'alpha-2', 'bravo', 'charlie', 'delta']],
    ['', ['alpha', 'alpha-10', 'alpha-2', 'bravo', 'charlie', 'delta']],
    ['name', ['alpha', 'alpha-10', 'alpha-2', 'bravo', 'charlie', 'delta']],
    [' name ', ['alpha', 'alpha-10', 'alpha-2', 'bravo', 'charlie', 'delta']],
    ['creationTimestamp desc', ['bravo', 'alpha', 'delta', 'charlie', 'alpha-10', 'alpha-2']],
    ['creationTimestamp   desc', ['bravo', 'alpha', 'delta', 'charlie', 'alpha-10', 'alpha-2']],
  ])('orders by %j', (orderBy, expected) => {
    expect(names(applyListQuery(SUBNETS, { orderBy }, keys).items)).toEqual(expected);
  });

  it('breaks creationTimestamp ties by name, then input order', () => {
    const same = '2024-01-01T00:00:00Z';
    const items = [subnet('b', same), subnet('a', same), subnet('a', same, 'europe-west1')];
    const sorted = applyListQuery(items, { orderBy: 'creationTimestamp desc' }, keys).items;
    expect(sorted).toEqual([items[1], items[2], items[0]]);
  });

  it.each(['creationTimestamp', 'creationTimestamp asc', 'name desc', 'name asc', 'id', 'NAME', 'name,id'])(
    'rejects orderBy %j',
    (orderBy) => {
      const error = thrown(() => applyListQuery(SUBNETS, { orderBy }, keys));
      expect(error).toBeInstanceOf(ListOrderByError);
      expect(error).toMatchObject({
        field: 'orderBy',
        reason: 'invalid',
        value: orderBy,
        message: `Invalid value for field 'orderBy': '${orderBy}'. Unsupported sort order.`,
      });
    },
  );

  it('filters before sorting and paging', () => {
    const query = { filter: 'region eq .*/europe-west1', orderBy: 'creationTimestamp desc' };
    expect(names(applyListQuery(SUBNETS, query, keys).items)).toEqual(['alpha', 'alpha-2']);
  });

  it.each<[maxResults: string | number | undefined, pages: string[][]]>([
    [undefined, [['alpha', 'alpha-10', 'alpha-2', 'bravo', 'charlie', 'delta']]],
    ['', [['alpha', 'alpha-10', 'alpha-2', 'bravo', 'charlie', 'delta']]],
    [0, [['alpha', 'alpha-10', 'alpha-2', 'bravo', 'charlie', 'delta']]],
    ['0', [['alpha', 'alpha-10', 'alpha-2', 'bravo', 'charlie', 'delta']]],
    [6, [['alpha', 'alpha-10', 'alpha-2', 'bravo', 'charlie', 'delta']]],
    [500, [['alpha', 'alpha-10', 'alpha-2', 'bravo', 'charlie', 'delta']]],
    [
      '2',
      [
        ['alpha', 'alpha-10'],
        ['alpha-2', 'bravo'],
        ['charlie', 'delta'],
      ],
    ],
    [
      4,
      [
        ['alpha', 'alpha-10', 'alpha-2', 'bravo'],
        ['charlie', 'delta'],
      ],
    ],
    [5, [['alpha', 'alpha-10', 'alpha-2', 'bravo', 'charlie'], ['delta']]],
    [1, [['alpha'], ['alpha-10'], ['alpha-2'], ['bravo'], ['charlie'], ['delta']]],
  ])('pages with maxResults %j', (maxResults, pages) => {
    expect(allPages({ maxResults })).toEqual(pages);
  });

  it('pages across a filtered, creationTimestamp-ordered collection', () => {
    expect(allPages({ filter: 'name = alpha*', orderBy: 'creationTimestamp desc', maxResults: 2 })).toEqual([
      ['alpha', 'alpha-10'],
      ['alpha-2'],
    ]);
  });

  it('pages through 1234 items with the default page size', () => {
    const many = Array.from({ length: 1234 }, (_, i) =>
      subnet(`s-${String(i).padStart(4, '0')}`, '2024-01-01T00:00:00Z'),
    );
    const pages = allPages({}, many);
    expect(pages.map((page) => page.length)).toEqual([500, 500, 234]);
    expect(pages.flat()).toEqual(names(many));
  });

  it('issues stable tokens: the same request yields the same token and page', () => {
    const first = applyListQuery(SUBNETS, { maxResults: 2, filter: 'name != bravo' }, keys);
    const again = applyListQuery(SUBNETS, { maxResults: 2, filter: 'name != bravo' }, keys);
    expect(first.nextPageToken).toBeDefined();
    expect(again.nextPageToken).toBe(first.nextPageToken);
    const query = { maxResults: 2, filter: 'name != bravo', pageToken: first.nextPageToken };
    expect(names(applyListQuery(SUBNETS, query, keys).items)).toEqual(['alpha-2', 'charlie']);
    expect(names(applyListQuery(SUBNETS, query, keys).items)).toEqual(['alpha-2', 'charlie']);
    expect(first.nextPageToken).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('lets maxResults change between pages', () => {
    const first = applyListQuery(SUBNETS, { maxResults: 2 }, keys);
    const second = applyListQuery(SUBNETS, { maxResults: 3, pageToken: first.nextPageToken }, keys);
    expect(names(second.items)).toEqual(['alpha-2', 'bravo', 'charlie']);
  });

  it('returns an empty last page when the collection shrank under a token', () => {
    const first = applyListQuery(SUBNETS, { maxResults: 5 }, keys);
    const page = applyListQuery(SUBNETS.slice(0, 3), { maxResults: 5, pageToken: first.nextPageToken }, keys);
    expect(page).toEqual({ items: [] });
  });

  it.each<[description: string, query: ListQueryParams]>([
    ['a different filter', { filter: 'name = alpha' }],
    ['a different orderBy', { orderBy: 'creationTimestamp desc' }],
    ['a filter where there was none', { filter: 'name eq .*' }],
  ])('rejects a token replayed with %s', (_, query) => {
    const token = applyListQuery(SUBNETS, { maxResults: 1 }, keys).nextPageToken;
    const error = thrown(() => applyListQuery(SUBNETS, { ...query, maxResults: 1, pageToken: token }, keys));
    expect(error).toBeInstanceOf(ListPageTokenError);
  });

  it('accepts a token when the filter only differs by surrounding whitespace', () => {
    const token = applyListQuery(SUBNETS, { maxResults: 1, filter: 'name != x' }, keys).nextPageToken;
    expect(() =>
      applyListQuery(SUBNETS, { maxResults: 1, filter: '  name != x ', pageToken: token }, keys),
    ).not.toThrow();
  });

  it.each([
    'garbage',
    'x'.repeat(1000),
    '!!!',
    '0',
    'eyJ2IjoxfQ',
    btoa('{"v":1,"o":-1,"q":"x"}'),
    btoa('{"v":2,"o":1,"q":"x"}'),
    btoa('{"v":1,"o":1.5,"q":"x"}'),
    btoa('[1,2]'),
    btoa('null'),
    btoa('not json'),
  ])('rejects page token %j', (pageToken) => {
    const error = thrown(() => applyListQuery(SUBNETS, { pageToken }, keys));
    expect(error).toBeInstanceOf(ListPageTokenError);
    expect(error).toMatchObject({
      field: 'pageToken',
      reason: 'invalid',
      message: `Invalid value for field 'pageToken': '${pageToken}'. Invalid page token.`,
    });
  });

  it('treats an empty page token as the first page', () => {
    expect(names(applyListQuery(SUBNETS, { pageToken: '', maxResults: 1 }, keys).items)).toEqual(['alpha']);
  });

  it.each<[maxResults: string | number, requirement: string]>([
    [501, 'Must be less than or equal to 500'],
    ['501', 'Must be less than or equal to 500'],
    ['99999999999999999999999', 'Must be less than or equal to 500'],
    [-1, 'Must be greater than or equal to 0'],
    ['-1', 'Must be greater than or equal to 0'],
    ['abc', 'Must be an integer between 0 and 500'],
    ['1.5', 'Must be an integer between 0 and 500'],
    [1.5, 'Must be an integer between 0 and 500'],
    [Number.NaN, 'Must be an integer between 0 and 500'],
    [Number.POSITIVE_INFINITY, 'Must be an integer between 0 and 500'],
    ['1e2', 'Must be an integer between 0 and 500'],
    ['0x10', 'Must be an integer between 0 and 500'],
    ['+5', 'Must be an integer between 0 and 500'],
  ])('rejects maxResults %j', (maxResults, requirement) => {
    const error = thrown(() => applyListQuery(SUBNETS, { maxResults }, keys));
    expect(error).toBeInstanceOf(ListMaxResultsError);
    expect(error).toMatchObject({
      field: 'maxResults',
      message: `Invalid value for field 'maxResults': '${String(maxResults)}'. ${requirement}`,
    });
  });

  it('rejects an invalid filter', () => {
    const error = thrown(() => applyListQuery(SUBNETS, { filter: 'name eq a AND (' }, keys));
    expect(error).toBeInstanceOf(ListFilterError);
    expect(error).toBeInstanceOf(ListQueryError);
    expect(error).toMatchObject({
      field: 'filter',
      reason: 'invalid',
      name: 'ListFilterError',
      message: "Invalid value for field 'filter': 'name eq a AND ('. Invalid list filter expression.",
    });
  });
});

describe('parseListQuery', () => {
  it('returns the parsed form', () => {
    const parsed = parseListQuery({ filter: 'name = a', orderBy: 'creationTimestamp desc', maxResults: '7' });
    expect(parsed).toMatchObject({ orderBy: 'creationTimestamp desc', maxResults: 7, offset: 0 });
    expect(parsed.filter?.grammar).toBe('aip160');
    expect(typeof parsed.queryHash).toBe('string');
  });

  it('reads the offset from a page token', () => {
    const token = applyListQuery(SUBNETS, { maxResults: 4 }, keys).nextPageToken;
    expect(parseListQuery({ pageToken: token }).offset).toBe(4);
  });

  it('validates filter, then orderBy, then maxResults, then pageToken', () => {
    const all = { filter: '(', orderBy: 'x', maxResults: 'x', pageToken: 'x' };
    expect(thrown(() => parseListQuery(all))).toBeInstanceOf(ListFilterError);
    expect(thrown(() => parseListQuery({ ...all, filter: undefined }))).toBeInstanceOf(ListOrderByError);
    expect(thrown(() => parseListQuery({ ...all, filter: undefined, orderBy: undefined }))).toBeInstanceOf(
      ListMaxResultsError,
    );
    expect(thrown(() => parseListQuery({ pageToken: 'x' }))).toBeInstanceOf(ListPageTokenError);
  });

  it('can be applied later to the data', () => {
    const parsed = parseListQuery({ filter: 'name eq alpha.*', maxResults: 2 });
    const page = applyParsedListQuery(SUBNETS, parsed, keys);
    expect(names(page.items)).toEqual(['alpha', 'alpha-10']);
    expect(page.nextPageToken).toBeDefined();
  });

  it('either parses or throws a ListQueryError for arbitrary parameters', () => {
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
    const token = fc.oneof(
      text,
      fc.base64String({ maxLength: 60 }),
      fc
        .record({ v: fc.anything(), o: fc.anything(), q: fc.anything() })
        .map((payload) => base64Url(JSON.stringify(payload))),
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            filter: text,
            orderBy: fc.oneof(text, fc.constantFrom('name', 'creationTimestamp desc')),
            maxResults: fc.oneof(text, fc.integer(), fc.double()),
            pageToken: token,
          },
          { requiredKeys: [] },
        ),
        (query) => {
          try {
            const parsed = parseListQuery(query);
            expect(parsed.maxResults).toBeGreaterThanOrEqual(1);
            expect(parsed.maxResults).toBeLessThanOrEqual(500);
            expect(Number.isSafeInteger(parsed.offset) && parsed.offset >= 0).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(ListQueryError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('applyListQuery: bounded regular-expression work', () => {
  const described = (count: number, length: number) =>
    Array.from({ length: count }, (_, index) => ({
      ...subnet(`s-${index}`, '2024-01-01T00:00:00.000-07:00'),
      description: 'a'.repeat(length),
    }));
  const keys = (item: Subnetwork): ListSortKeys => ({
    name: item.name,
    creationTimestamp: item.creationTimestamp,
  });

  it('refuses a filter whose matching would exceed the per-request budget, as an invalid filter', () => {
    const filter = 'description eq "(a*){1000}b"';
    const expensive = () => applyListQuery(described(50, 2048), { filter }, keys);
    expect(expensive).toThrow(ListFilterTooExpensiveError);
    expect(expensive).toThrow(
      `Invalid value for field 'filter': '${filter}'. The filter is too expensive to evaluate`,
    );
    // The same pattern over one short description is cheap, and answers.
    expect(applyListQuery(described(1, 3), { filter }, keys).items).toEqual([]);
  });

  it('lets ordinary filters over large collections through', () => {
    const many = Array.from({ length: 10_000 }, (_, index) =>
      subnet(`web-${index}-frontend`, '2024-01-01T00:00:00.000-07:00'),
    );
    const page = applyListQuery(many, { filter: 'name eq "web-.*"', maxResults: '500' }, keys);
    expect(page.items).toHaveLength(500);
    expect(MAX_FILTER_STEPS).toBeGreaterThan(10_000 * 40);
  });
});
