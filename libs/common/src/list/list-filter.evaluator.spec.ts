import { describe, expect, it } from 'vitest';
import { matchesFilter } from './list-filter.evaluator';
import { parseListFilter } from './list-filter.parser';

const NETWORK = 'https://www.googleapis.com/compute/v1/projects/p/global/networks/default';
const ZONE_A = 'https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a';
const ZONE_B = 'https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-b';

/** Wire JSON as Compute Engine returns it: camelCase, int64 as strings, links as URLs. */
const RESOURCES = [
  {
    name: 'web-1',
    id: '1001',
    zone: ZONE_A,
    status: 'RUNNING',
    cpuPlatform: 'Intel Skylake',
    cpuCount: 4,
    canIpForward: false,
    creationTimestamp: '2024-01-01T10:00:00.000-07:00',
    scheduling: { automaticRestart: true, preemptible: false },
    labels: { env: 'prod', owner: 'alice' },
    tags: { items: ['http-server', 'web'] },
    networkInterfaces: [{ network: NETWORK, networkIP: '10.0.0.2' }],
  },
  {
    name: 'web-2',
    id: '1002',
    zone: ZONE_B,
    status: 'TERMINATED',
    cpuPlatform: 'Intel Broadwell',
    cpuCount: 2,
    canIpForward: true,
    creationTimestamp: '2024-01-02T10:00:00.000-07:00',
    scheduling: { automaticRestart: false },
    labels: { env: 'dev' },
    tags: { items: ['web'] },
    networkInterfaces: [{ network: NETWORK, networkIP: '10.0.0.3' }],
  },
  {
    name: 'web-3',
    id: '1003',
    zone: ZONE_A,
    status: 'RUNNING',
    cpuPlatform: 'Intel Skylake',
    cpuCount: 8,
    creationTimestamp: '2024-01-03T10:00:00.000-07:00',
    scheduling: { automaticRestart: false },
    labels: {},
  },
  {
    name: 'db-instance',
    id: '999',
    zone: ZONE_B,
    status: 'RUNNING',
    cpuPlatform: 'AMD Rome',
    cpuCount: 16,
    description: 'primary (main) database',
    creationTimestamp: '2023-12-31T23:00:00.000-08:00',
    scheduling: { automaticRestart: true },
    labels: { env: 'prod', owner: 'bob' },
    networkInterfaces: [
      { network: NETWORK, networkIP: '10.0.0.4', aliasIpRanges: [{ ipCidrRange: '10.1.0.0/24' }] },
    ],
  },
  { name: 'foo', id: '7', status: 'STOPPING', description: '', creationTimestamp: '2024-02-01T00:00:00Z' },
  {
    name: 'foobar',
    id: '8',
    status: 'STOPPING',
    creationTimestamp: '2024-02-02T00:00:00Z',
    secondaryIpRanges: null,
  },
];
const ALL = RESOURCES.map((resource) => resource.name);
const except = (...names: string[]): string[] => ALL.filter((name) => !names.includes(name));

function matching(filter: string): string[] {
  const parsed = parseListFilter(filter);
  return RESOURCES.filter((resource) => matchesFilter(parsed, resource)).map((resource) => resource.name);
}

describe('matchesFilter', () => {
  it('matches everything without a filter', () => {
    expect(RESOURCES.every((resource) => matchesFilter(undefined, resource))).toBe(true);
  });

  describe('AIP-160 grammar', () => {
    it.each<[filter: string, expected: string[]]>([
      // exact string equality, any quoting
      ['name = web-1', ['web-1']],
      ['name = "web-1"', ['web-1']],
      ["name = 'web-1'", ['web-1']],
      ['name = foo', ['foo']],
      ['name = fo', []],
      ['name != web-1', except('web-1')],
      ['status = running', []],
      // `*` wildcards in string equality (AIP-160)
      ['name = web-*', ['web-1', 'web-2', 'web-3']],
      ['name = "*-instance"', ['db-instance']],
      ['name = f*r', ['foobar']],
      ['name != foo*', except('foo', 'foobar')],
      // booleans by value, nested fields
      ['scheduling.automaticRestart = false', ['web-2', 'web-3']],
      ['scheduling.automaticRestart = true', ['web-1', 'db-instance']],
      ['scheduling.automaticRestart = TRUE', ['web-1', 'db-instance']],
      ['scheduling.automaticRestart = "true"', ['web-1', 'db-instance']],
      ['scheduling.automaticRestart != true', except('web-1', 'db-instance')],
      ['scheduling.preemptible = false', ['web-1']],
      ['canIpForward = true', ['web-2']],
      ['scheduling = true', []],
      // numbers by value (16 > 2 although "16" < "2"), int64 strings with unquoted literals
      ['cpuCount > 2', ['web-1', 'web-3', 'db-instance']],
      ['cpuCount >= 4', ['web-1', 'web-3', 'db-instance']],
      ['cpuCount < 4', ['web-2']],
      ['cpuCount <= 4', ['web-1', 'web-2']],
      ['cpuCount = 8.0', ['web-3']],
      ['cpuCount = "8"', ['web-3']],
      ['cpuCount != 8', except('web-3')],
      ['cpuCount > abc', []],
      ['id > 1000', ['web-1', 'web-2', 'web-3']],
      ['id < 1000', ['db-instance', 'foo', 'foobar']],
      ['id = 999', ['db-instance']],
      ['id < "1000"', []],
      // strings order lexically; RFC 3339 timestamps by instant
      ['name < c', []],
      ['name >= web-2', ['web-2', 'web-3']],
      ['creationTimestamp > "2024-01-01T12:00:00Z"', except('db-instance')],
      ['creationTimestamp < 2024-01-01T08:00:00Z', ['db-instance']],
      ['creationTimestamp = "2024-01-01T07:00:00Z"', ['db-instance']],
      // maps: nested keys, presence, key lookup
      ['labels.env = prod', ['web-1', 'db-instance']],
      ['labels.owner:*', ['web-1', 'db-instance']],
      ['labels:*', ['web-1', 'web-2', 'db-instance']],
      ['-labels.owner:*', except('web-1', 'db-instance')],
      ['NOT labels.owner:*', except('web-1', 'db-instance')],
      ['labels:owner', ['web-1', 'db-instance']],
      ['labels.owner = alice', ['web-1']],
      ['labels.owner != alice', except('web-1')],
      ['description:*', ['db-instance']],
      // `:` is substring match on strings
      ['cpuPlatform:Intel', ['web-1', 'web-2', 'web-3']],
      ['description:database', ['db-instance']],
      ['zone:us-central1-a', ['web-1', 'web-3']],
      ['cpuCount:16', ['db-instance']],
      // repeated fields: any element; != means no element equals
      ['tags.items = web', ['web-1', 'web-2']],
      ['tags.items = http-server', ['web-1']],
      ['tags.items != web', except('web-1', 'web-2')],
      ['tags.items:http', ['web-1']],
      ['tags.items:*', ['web-1', 'web-2']],
      ['networkInterfaces.networkIP = "10.0.0.3"', ['web-2']],
      ['networkInterfaces.aliasIpRanges.ipCidrRange = 10.1.0.0/24', ['db-instance']],
      ['secondaryIpRanges:*', []],
      // links are full URLs, compared as stored
      [`networkInterfaces.network = ${NETWORK}`, ['web-1', 'web-2', 'db-instance']],
      [`networkInterfaces.network = "${NETWORK}"`, ['web-1', 'web-2', 'db-instance']],
      ['networkInterfaces.network = default', []],
      [`zone = ${ZONE_A}`, ['web-1', 'web-3']],
      // missing fields never match, except !=
      ['nonexistent = x', []],
      ['nonexistent != x', ALL],
      ['nonexistent > 1', []],
      ['nonexistent:*', []],
      ['labels.nonexistent.deeper = x', []],
      ['constructor = x', []],
      ['name.length > 1', []],
      // AND / OR / NOT / parentheses
      ['(scheduling.automaticRestart = true) (cpuPlatform = "Intel Skylake")', ['web-1']],
      [
        '(cpuPlatform = "Intel Skylake") OR (cpuPlatform = "Intel Broadwell") AND (scheduling.automaticRestart = true)',
        ['web-1'],
      ],
      [
        'cpuPlatform = "Intel Skylake" OR cpuPlatform = "Intel Broadwell" AND scheduling.automaticRestart = false',
        ['web-2', 'web-3'],
      ],
      ['name = web-1 OR name = web-2', ['web-1', 'web-2']],
      ['name = web-1 name = web-2', []],
      ['status = RUNNING AND -name = web-1', ['web-3', 'db-instance']],
      ['NOT (status = RUNNING OR status = TERMINATED)', ['foo', 'foobar']],
      ['(status = RUNNING) (labels.env = prod OR cpuCount > 4)', ['web-1', 'web-3', 'db-instance']],
    ])('%s', (filter, expected) => {
      expect(matching(filter)).toEqual(expected);
    });
  });

  describe('regular-expression grammar', () => {
    it.each<[filter: string, expected: string[]]>([
      ['name eq web-.*', ['web-1', 'web-2', 'web-3']],
      ['name eq foo', ['foo']],
      ['name eq fo', []],
      ['name eq oo', []],
      ['name eq foo.*', ['foo', 'foobar']],
      ["name eq 'foo.*'", ['foo', 'foobar']],
      ['name eq "foo.*"', ['foo', 'foobar']],
      ['name eq foo|web-1', ['web-1', 'foo']],
      ['name eq (?i)WEB-1', ['web-1']],
      ['name eq WEB-1', []],
      ['name ne .*instance', except('db-instance')],
      ['name ne foo', except('foo')],
      ['(name eq web-.*) (status ne RUNNING)', ['web-2']],
      ['(labels.env eq prod) (name ne db-.*)', ['web-1']],
      ['(name eq (web|db)-.*)', ['web-1', 'web-2', 'web-3', 'db-instance']],
      ['description eq "primary \\(main\\) database"', ['db-instance']],
      ['description eq primary \\(main\\) database', ['db-instance']],
      ['description eq ""', ['foo']],
      ['zone eq .*/zones/us-central1-a', ['web-1', 'web-3']],
      ['zone eq us-central1-a', []],
      // repeated fields: eq if any element matches; ne if none does
      ['tags.items eq http-.*', ['web-1']],
      ['tags.items ne web', except('web-1', 'web-2')],
      ['networkInterfaces.networkIP eq 10\\.0\\.0\\.[23]', ['web-1', 'web-2']],
      // numbers and booleans compare as their text
      ['scheduling.automaticRestart eq false', ['web-2', 'web-3']],
      ['cpuCount eq 1[0-9]', ['db-instance']],
      ['id eq 100[12]', ['web-1', 'web-2']],
      // missing fields: eq never matches, ne always does
      ['labels.owner eq .*', ['web-1', 'db-instance']],
      ['labels.owner ne alice', except('web-1')],
      ['nonexistent eq .*', []],
      ['nonexistent ne x', ALL],
      ['labels eq .*', []],
    ])('%s', (filter, expected) => {
      expect(matching(filter)).toEqual(expected);
    });
  });

  it('compares against any JSON value without throwing', () => {
    const parsed = parseListFilter('a.b = 1');
    for (const value of [
      null,
      undefined,
      1,
      'x',
      true,
      [],
      [[{ a: { b: 1 } }]],
      { a: null },
      { a: [null, { b: '1' }] },
    ]) {
      expect(typeof matchesFilter(parsed, value)).toBe('boolean');
    }
    expect(matchesFilter(parsed, { a: [null, { b: '1' }] })).toBe(true);
  });

  it('evaluates hostile regular expressions in linear time', () => {
    const parsed = parseListFilter('name eq (a+)+b');
    const started = performance.now();
    expect(matchesFilter(parsed, { name: 'a'.repeat(10_000) })).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
