import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql/language/parser.js';
import { getIntrospectionQuery } from 'graphql/utilities/getIntrospectionQuery.js';
import { buildSchema } from 'graphql/utilities/buildASTSchema.js';
import { describe, expect, it } from 'vitest';
import { measureQuery, QUERY_LIMITS, queryLimitErrors, querySizeError } from './query-limits';

// The committed schema (its drift from the code is a test of its own).
const schema = buildSchema(readFileSync(join(__dirname, '../../../../schema.graphql'), 'utf8'));
const K = 'kubernetes(project: "p", location: "l", cluster: "c")';
const measure = (query: string) => measureQuery(schema, parse(query));
const codes = (query: string) =>
  queryLimitErrors(measure(query)).map((error) => error.extensions['code'] as string);

describe('GraphQL query limits', () => {
  it.each([
    // the deepest queries the end-to-end tests and the SDK send
    `{ ${K} { services(namespace: "default") { name ports { name port } pods { name }
        endpoints { address ports { name port } pod { name node { name podCidr } } } loadBalancer { name } } } }`,
    `{ ${K} { nodes { name labels { key value } pods { name podIP } } pods { name node { name } services { name } } } }`,
    `{ ${K} { nodes { pods { node { pods { name } } } } } }`,
    // Lists held in their parent (rules, paths) nested three deep, then a relation: no cycle, a bounded fan-out.
    `{ ${K} { ingresses { name rules { host paths { path backend { serviceName service { name type } } } } } } }`,
    `{ networks(project: "p") { name subnetworks { name secondaryIpRanges { rangeName ipCidrRange } } } }`,
    `{ a: networks(project: "p") { name } b: networks(project: "q") { name } }`,
  ])('accepts %s', (query) => {
    expect(codes(query)).toEqual([]);
  });

  it('refuses the cycle that took 54 s, by cost', () => {
    const query = `{ ${K} { nodes { pods { node { pods { node { pods { name } } } } } } } }`;
    expect(codes(query)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(measure(query).cost).toBeGreaterThan(QUERY_LIMITS.maxCost);
  });

  it('accepts the introspection query GraphiQL sends (type references nest 8 deep)', () => {
    expect(codes(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))).toEqual([]);
  });

  it('refuses an introspection cycle (fields { type { fields ... } })', () => {
    let query = 'name';
    for (let i = 0; i < 6; i++) query = `fields { type { ${query} } }`;
    expect(codes(`{ __schema { types { ${query} } } }`)).toContain('QUERY_TOO_COMPLEX');
  });

  it('counts a list back to a type already on its path as the square of a list', () => {
    // nodes (10) -> pods (10) -> node -> pods, back to Pod: 100
    expect(measure(`{ ${K} { nodes { pods { node { pods { name } } } } } }`).cost).toBe(
      1 + 1 + 10 * (1 + 10 * (1 + 1)),
    );
    expect(measure(`{ ${K} { nodes { pods { node { pods { node { name } } } } } } }`).cost).toBe(
      1 + 1 + 10 * (1 + 10 * (1 + 100 * 1 + 1)),
    );
  });

  it('refuses depth past the limit, and stops measuring there', () => {
    let query = 'name';
    for (let i = 0; i < 400; i++) query = `node { pods { ${query} } }`;
    const measured = measure(`{ ${K} { nodes { ${query} } } }`);
    expect(measured.depth).toBeGreaterThan(QUERY_LIMITS.maxDepth);
    expect(measured.depth).toBeLessThan(QUERY_LIMITS.maxDepth + 4);
    expect(queryLimitErrors(measured).map((e) => e.extensions['code'])).toContain('QUERY_TOO_DEEP');
  });

  it('counts aliases, in fragments too', () => {
    const many = Array.from({ length: 2000 }, (_, i) => `a${i}: __typename`).join(' ');
    expect(codes(`{ ${many} }`)).toEqual(['TOO_MANY_ALIASES']);
    expect(codes(`query { ...F } fragment F on Query { ${many} }`)).toEqual(['TOO_MANY_ALIASES']);
    expect(measure(`{ x: __typename y: __typename }`).aliases).toBe(2);
  });

  it('measures fragments once: doubling spreads stay linear, cycles count as nothing', () => {
    const chain = Array.from(
      { length: 30 },
      (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    );
    const started = performance.now();
    const measured = measure(`{ ...F0 } ${chain.join(' ')} fragment F30 on Query { __typename }`);
    expect(measured.cost).toBe(0);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(measure('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }')).toEqual({
      depth: 0,
      aliases: 0,
      cost: 0,
    });
  });

  it('multiplies by the list size under each list', () => {
    // kubernetes (1) + nodes (1) + 10 × pods (1) + 10 × 10 × node (1)
    expect(measure(`{ ${K} { nodes { pods { node { name } } } } }`).cost).toBe(1 + 1 + 10 + 100);
  });

  it('reads any JSON as a document without throwing (Mercurius accepts an AST as JSON)', () => {
    for (const document of [
      {},
      { definitions: null },
      { definitions: [{ kind: 'OperationDefinition' }] },
      null,
    ])
      expect(() => measureQuery(schema, document as never)).not.toThrow();
  });

  it('counts aliases in the text before parsing: a name and a colon outside parentheses', () => {
    const limits = { ...QUERY_LIMITS, maxAliases: 2 };
    // Arguments, variable definitions, default values, object values and directive arguments are in parentheses.
    const noAliases =
      'query Q($a: Int = 1, $b: In = {x: 1, y: [2]}) { f(a: $a, b: {c: "d: e"}) @include(if: true) { g(h: 1) } }';
    expect(querySizeError(noAliases, { ...limits, maxAliases: 0 })).toBeUndefined();
    expect(querySizeError('{ x: a y: b }', limits)).toBeUndefined();
    const three = querySizeError('{ x: a y: b(c: 1) { z : d } }', limits);
    expect(three?.extensions).toEqual({ code: 'TOO_MANY_ALIASES', limit: 2, found: 3 });
    // Every alias written counts, in fragments and other operations too.
    expect(
      querySizeError('query A { x: a } query B { y: b } fragment F on T { z: c }', limits)?.extensions,
    ).toEqual({ code: 'TOO_MANY_ALIASES', limit: 2, found: 3 });
    const twoThousand = `{ ${Array.from({ length: 2000 }, (_, i) => `a${i.toString(36)}:__typename`).join(' ')} }`;
    expect(querySizeError(twoThousand)?.extensions['code']).toBe('TOO_MANY_ALIASES');
  });

  it('refuses long texts and texts of too many tokens before parsing, counting tokens as graphql-js does', () => {
    expect(querySizeError('x'.repeat(40_000))?.extensions['code']).toBe('QUERY_TOO_LARGE');
    expect(querySizeError(`{ ${'a '.repeat(10_001)} }`)?.extensions['code']).toBe('QUERY_TOO_LARGE');
    expect(querySizeError(`{ ${'a '.repeat(9_990)} }`)).toBeUndefined();
    // 10 tokens: { f ( a : "x, y" ) ... F } (commas and white space are not tokens)
    expect(querySizeError('{ f(a: "x, y"), ...F }', { ...QUERY_LIMITS, maxTokens: 10 })).toBeUndefined();
    expect(querySizeError('{ f(a: "x, y"), ...F }', { ...QUERY_LIMITS, maxTokens: 9 })).toBeDefined();
  });
});
