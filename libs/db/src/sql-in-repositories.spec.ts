import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 17's rule (docs/decisions.md, "Raw SQL on hot paths"): raw SQL lives only in `*.repository.ts`. Services,
// controllers and resolvers call repositories' named methods; this spec fails, naming the file and line, when a
// source file elsewhere issues a statement itself.

const root = join(__dirname, '../../..');

/**
 * Files that may issue SQL outside a repository, because they are infrastructure rather than a feature's data.
 * An entry that no longer issues any is reported too, so the list cannot silently grow stale.
 */
const ALLOWED: Readonly<Record<string, string>> = {
  'libs/db/src/database.ts': 'the Database itself: the pool, its query method and the startup ping',
  'libs/db/src/unit-of-work.ts': 'begins and ends the transactions whose statements repositories hand it',
  'libs/db/src/migrations.ts': "applies the migrations and keeps Prisma's migration table",
  'libs/db/src/embedded-postgres.ts': "creates the embedded server's database",
  'libs/server/src/health.controller.ts': "the readiness probe's `select 1`, which reads no data",
  'libs/testing/src/test-database.ts': "creates and drops the tests' own databases",
};

/** Prisma's raw statements, tagged or unsafe. */
const PRISMA_RAW = /\$(?:query|execute)Raw(?:Unsafe)?\b/;
/**
 * A `query` call (pg, `Database`, a unit of work) whose first argument is SQL text: a string or template literal.
 * A pass-through (`query: (text, values) => db.query(text, values)`) holds no SQL and is not one.
 */
const QUERY_WITH_TEXT = /\.query\s*(?:<[^;()]*?>)?\s*\(\s*[`'"]/;

/** The SQL-issuing calls of one source text: `line: code` for each, comments aside. */
function sqlCalls(text: string): string[] {
  // Comments may name the calls they describe; blank them, keeping line numbers.
  const code = text
    .replace(/^[ \t]*\/\*[\s\S]*?\*\//gm, (comment) => comment.replace(/[^\n]/g, ' '))
    .replace(/^[ \t]*\/\/.*$/gm, '');
  const calls: string[] = [];
  const pattern = new RegExp(`${PRISMA_RAW.source}|${QUERY_WITH_TEXT.source}`, 'g');
  for (const match of code.matchAll(pattern)) {
    const line = code.slice(0, match.index).split('\n').length;
    calls.push(`${line}: ${(text.split('\n')[line - 1] ?? '').trim()}`);
  }
  return calls;
}

/** Whether a file is production source this rule covers: TypeScript under libs/<lib>/src, not a spec, not generated. */
function covered(path: string): boolean {
  return path.endsWith('.ts') && !/[.-]spec\.ts$/.test(path) && !path.split('/').includes('generated');
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return covered(path) ? [path] : [];
  });
}

function libSources(): string[] {
  const libs = join(root, 'libs');
  return readdirSync(libs, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      try {
        return sources(join(libs, entry.name, 'src'));
      } catch {
        return []; // a library without src/
      }
    })
    .map((path) => relative(root, path));
}

describe('raw SQL lives only in repositories', () => {
  const files = libSources();

  it('is issued by no source file outside `*.repository.ts` but the allowed infrastructure', () => {
    expect(files.length).toBeGreaterThan(100);
    const violations = files
      .filter((path) => !path.endsWith('.repository.ts') && !(path in ALLOWED))
      .flatMap((path) => sqlCalls(readFileSync(join(root, path), 'utf8')).map((call) => `${path}:${call}`));
    expect(violations, 'move these statements into a repository of the feature').toEqual([]);
  });

  it('allows only files that exist and still issue SQL', () => {
    const stale = Object.keys(ALLOWED).filter(
      (path) => !files.includes(path) || sqlCalls(readFileSync(join(root, path), 'utf8')).length === 0,
    );
    expect(stale).toEqual([]);
  });

  it('finds Prisma raw statements and SQL handed to query, wherever the literal starts', () => {
    const source = [
      'const a = await tx.$queryRaw`select 1`;',
      'await tx.$executeRawUnsafe("delete from t");',
      'const b = await this.db.query<{ id: string }>(',
      "  'select id::text from t',",
      ');',
      'const c = await client.query<Map<string, number>>(`select 2`);',
    ].join('\n');
    expect(sqlCalls(source).map((call) => call.split(':')[0])).toEqual(['1', '2', '3', '6']);
  });

  it('ignores pass-throughs, comments and other `query` names', () => {
    const source = [
      'this.reader = { query: (text, values) => db.query(text, values) };',
      '// tx.$queryRaw is what the repository runs',
      '/** calls `.query("select 1")` */',
      'const q = url.searchParams.get("query");',
      'const r = parseQuery(input);',
    ].join('\n');
    expect(sqlCalls(source)).toEqual([]);
  });
});
