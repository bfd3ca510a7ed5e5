import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Database } from '@gke-emulator/db';
import { buildGraphqlSchema, descriptionCoverage, printGraphqlSchema } from '@gke-emulator/server';

const schemaFile = resolve(dirname(fileURLToPath(import.meta.url)), '../../../schema.graphql');
const OUT_OF_DATE = 'schema.graphql is out of date: run npm run schema:graphql';

/** The first line where the two texts part, for a failure message that says where to look. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `line ${i + 1}: committed ${JSON.stringify(a[i] ?? '<end of file>')}, server ${JSON.stringify(b[i] ?? '<end of file>')}`;
  }
  return 'no line differs';
}

describe('schema.graphql', () => {
  it('is the schema the server builds', async () => {
    // Exactly what `gke-emulator print-graphql-schema` does: building the schema never connects to the database
    // (the pool is lazy), so an unreachable URL is enough and keeps this a plain unit test.
    const database = new Database('postgresql://unused@127.0.0.1:1/unused');
    let built: string;
    try {
      built = await printGraphqlSchema(database);
    } finally {
      await database.close();
    }
    if (!existsSync(schemaFile)) throw new Error(`${OUT_OF_DATE} (the file is missing)`);
    const committed = readFileSync(schemaFile, 'utf8');
    if (built !== committed) throw new Error(`${OUT_OF_DATE} (${firstDifference(committed, built)})`);
    expect(built).toContain('type Query');
  });
});

describe('the GraphQL schema documents itself', () => {
  it('describes every type, field, argument, input field and enum value', async () => {
    const database = new Database('postgresql://unused@127.0.0.1:1/unused');
    let coverage: ReturnType<typeof descriptionCoverage>;
    try {
      coverage = descriptionCoverage(await buildGraphqlSchema(database));
    } finally {
      await database.close();
    }
    const described = coverage.total - coverage.missing.length;
    const percent = ((100 * described) / coverage.total).toFixed(1);
    if (coverage.missing.length > 0)
      throw new Error(
        `${described} of ${coverage.total} (${percent}%) described; no description:\n  ${coverage.missing.join('\n  ')}`,
      );
    // The walk reached the schema's depths: root fields, arguments, input fields.
    expect(coverage.total).toBeGreaterThan(500);
  });
});
