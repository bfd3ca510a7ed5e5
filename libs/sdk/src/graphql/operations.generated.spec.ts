import { buildSchema, parse, validate } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GkeEmulatorClient } from '../client';
import { generatedFile, generateOperations } from './codegen.mjs';
import * as operations from './operations.generated';
import { ClustersDocument, ServicesDocument } from './operations.generated';

const OUT_OF_DATE = 'libs/sdk/src/graphql/operations.generated.ts is out of date: run npm run codegen:sdk';

/** The first line where the two texts part, for a failure message that says where to look. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `line ${i + 1}: committed ${JSON.stringify(a[i] ?? '<end of file>')}, generated ${JSON.stringify(b[i] ?? '<end of file>')}`;
  }
  return 'no line differs';
}

describe('operations.generated.ts', () => {
  it('is what graphql-codegen makes of schema.graphql and the operations', async () => {
    const generated = await generateOperations();
    const committed = readFileSync(generatedFile, 'utf8');
    if (generated !== committed) throw new Error(`${OUT_OF_DATE} (${firstDifference(committed, generated)})`);
    expect(generated).toContain('export const ServicesDocument');
  }, 60_000);

  it('holds every operation as a valid document, each fragment defined once though its text is written once', () => {
    const schema = buildSchema(readFileSync(join(__dirname, '../../../../schema.graphql'), 'utf8'));
    const documents = Object.entries(operations).filter(([name]) => name.endsWith('Document'));
    expect(documents.length).toBeGreaterThan(10);
    for (const [name, document] of documents) {
      const errors = validate(schema, parse(String(document))).map((error) => error.message);
      expect({ name, errors }).toEqual({ name, errors: [] });
    }
    expect(
      String(operations.ConnectivityTestDocument).match(/fragment ReachabilityDetailsFields /g),
    ).toHaveLength(1);
    expect(readFileSync(generatedFile, 'utf8').match(/fragment ReachabilityDetailsFields /g)).toHaveLength(1);
  });

  it('holds documents graphql() sends as their text, with no graphql package needed', async () => {
    expect(String(ClustersDocument)).toMatch(/^\s*query Clusters\(\$project: String!, \$location: String\)/);
    const sent: string[] = [];
    const client = new GkeEmulatorClient({ url: 'http://emulator.invalid:8085' });
    const fetchBefore = globalThis.fetch;
    globalThis.fetch = (async (_url: string | URL | Request, init?: RequestInit) => {
      sent.push(String(init?.body));
      return new Response(JSON.stringify({ data: { kubernetes: { services: [] } } }), {
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch;
    try {
      const result = await client.graphql(ServicesDocument, { project: 'p', location: 'l', cluster: 'c' });
      expect(result.kubernetes.services).toEqual([]);
    } finally {
      globalThis.fetch = fetchBefore;
    }
    const body = JSON.parse(sent[0] ?? '{}') as { query: string; variables: unknown };
    expect(body.query).toBe(String(ServicesDocument));
    expect(body.variables).toEqual({ project: 'p', location: 'l', cluster: 'c' });
  });
});
