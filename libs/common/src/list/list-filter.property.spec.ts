import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListFilterError } from './list-errors';
import { matchesFilter } from './list-filter.evaluator';
import { parseListFilter } from './list-filter.parser';
import type { ListFilter } from './list-filter.ast';

const RESOURCE = {
  name: 'web-1',
  id: '1001',
  cpuCount: 4,
  labels: { env: 'prod', owner: 'alice' },
  scheduling: { automaticRestart: true },
  tags: { items: ['a', 'b'] },
  networkInterfaces: [
    { network: 'https://www.googleapis.com/compute/v1/projects/p/global/networks/default' },
  ],
  description: `${'a'.repeat(200)}(x)`,
};

/** Pieces of both grammars, so random filters get deep into the parsers. */
const FRAGMENTS = [
  'name',
  'labels.env',
  'labels',
  'tags.items',
  'cpuCount',
  'scheduling.automaticRestart',
  'description',
  ' ',
  ' ',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  ':',
  '*',
  '!',
  'eq',
  'ne',
  ' eq ',
  ' ne ',
  'AND',
  'OR',
  'NOT',
  ' AND ',
  ' OR ',
  '-',
  '(',
  ')',
  '"',
  "'",
  '\\',
  'web-1',
  '1',
  '4',
  'true',
  'false',
  '.',
  '.*',
  '+',
  '?',
  '[',
  ']',
  '{',
  '}',
  '|',
  '(?i)',
  '\\d',
  'https://x/y',
  '^',
  '$',
  '\t',
];

function parseOrError(filter: string): ListFilter | undefined | ListFilterError {
  try {
    return parseListFilter(filter);
  } catch (error) {
    expect(error).toBeInstanceOf(ListFilterError);
    expect((error as ListFilterError).message).toBe(
      `Invalid value for field 'filter': '${filter}'. Invalid list filter expression.`,
    );
    return error as ListFilterError;
  }
}

function checkTotal(filter: string): void {
  const started = performance.now();
  const parsed = parseOrError(filter);
  if (!(parsed instanceof ListFilterError)) {
    expect(typeof matchesFilter(parsed, RESOURCE)).toBe('boolean');
    expect(typeof matchesFilter(parsed, {})).toBe('boolean');
  }
  expect(performance.now() - started).toBeLessThan(1000);
}

describe('parseListFilter on arbitrary input', () => {
  it('parses or throws ListFilterError for any ASCII string, and evaluation never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), checkTotal), { numRuns: 3000 });
  });

  it('parses or throws ListFilterError for any Unicode string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), checkTotal), { numRuns: 2000 });
  });

  it('parses or throws ListFilterError for strings assembled from grammar fragments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join('')),
        checkTotal,
      ),
      { numRuns: 5000 },
    );
  });

  it('accepts every well-formed AIP-160 filter built from the grammar', () => {
    const comparison = fc
      .tuple(
        fc.constantFrom('name', 'labels.env', 'cpuCount', 'tags.items', 'scheduling.automaticRestart'),
        fc.constantFrom('=', '!=', '<', '<=', '>', '>=', ':'),
        fc.constantFrom('web-1', '"a b"', "'x'", '4', 'true', '*', 'https://x/y:z'),
      )
      .map(([field, operator, value]) => `${field} ${operator} ${value}`);
    const { expression } = fc.letrec<{ expression: string }>((tie) => ({
      expression: fc.oneof(
        { maxDepth: 4 },
        comparison,
        tie('expression').map((inner) => `(${inner})`),
        tie('expression').map((inner) => `NOT ${inner}`),
        tie('expression').map((inner) => `-${inner}`),
        fc
          .tuple(tie('expression'), fc.constantFrom(' AND ', ' OR ', ' '), tie('expression'))
          .map(([left, joiner, right]) => `(${left})${joiner}(${right})`),
      ),
    }));
    fc.assert(
      fc.property(expression, (filter) => {
        const parsed = parseListFilter(filter);
        expect(parsed?.grammar).toBe('aip160');
        expect(typeof matchesFilter(parsed, RESOURCE)).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('handles very long inputs quickly', () => {
    for (const filter of [
      ' '.repeat(100_000),
      `name = ${'a'.repeat(100_000)}`,
      `name eq ${'a*'.repeat(2_000)}`,
      `name eq ${'('.repeat(10_000)}`,
      'name = a '.repeat(10_000),
      'NOT '.repeat(10_000) + 'name = a',
      '('.repeat(100_000),
      `(name eq ${'['.repeat(50_000)}`,
      `name = "${'\\'.repeat(50_000)}`,
      `${'name eq a '.repeat(5_000)}`,
      `${'1'.repeat(100_000)} = 1`,
      `cpuCount = ${'1'.repeat(100_000)}x`,
    ]) {
      checkTotal(filter);
    }
  });
});
