import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadSchemaEngine, type MigrationList, NO_FILTER } from './schema-engine';
import { prismaDir } from './paths';

export function readMigrationList(migrationsDir: string): MigrationList {
  const names = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter(
          (entry) => entry.isDirectory() && existsSync(join(migrationsDir, entry.name, 'migration.sql')),
        )
        .map((entry) => entry.name)
        .sort()
    : [];
  const lockPath = join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/** Names of finished migrations recorded by Prisma, or null when the database has never been migrated. */
async function appliedMigrations(url: string, migrationsList: MigrationList): Promise<Set<string> | null> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const table = await client.query<{ exists: boolean }>(
      `select to_regclass('public._prisma_migrations') is not null as exists`,
    );
    if (!table.rows[0]?.exists) return null;
    await forgetInterruptedMigrations(client, migrationsList);
    const rows = await client.query<{ migration_name: string }>(
      'select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null',
    );
    return new Set(rows.rows.map((row) => row.migration_name));
  } finally {
    await client.end();
  }
}

/**
 * A start stopped while applying a migration (SIGTERM, a crash) leaves its `_prisma_migrations` row unfinished, and
 * Prisma then refuses every later migration. The engine runs a migration's script as one statement batch, which
 * PostgreSQL commits or rolls back whole: when the script still applies cleanly (tried in a transaction that is
 * rolled back), it never committed, and the row is forgotten so the migration is applied again. Any other unfinished
 * row is left for the engine to report.
 */
async function forgetInterruptedMigrations(client: Client, migrationsList: MigrationList): Promise<void> {
  const unfinished = await client.query<{ id: string; migration_name: string }>(
    'select id, migration_name from _prisma_migrations where finished_at is null and rolled_back_at is null',
  );
  for (const row of unfinished.rows) {
    const migration = migrationsList.migrationDirectories.find((m) => m.path === row.migration_name);
    if (!migration) continue;
    await client.query('BEGIN');
    const applies = await client.query(migration.migrationFile.content.value).then(
      () => true,
      () => false,
    );
    await client.query('ROLLBACK');
    if (applies) await client.query('delete from _prisma_migrations where id = $1', [row.id]);
  }
}

/**
 * Applies pending migrations exactly as `prisma migrate deploy` would, through the WASM schema engine. Loading
 * the engine costs a few hundred milliseconds, so a start with nothing pending checks `_prisma_migrations` first.
 */
export async function migrateDatabase(
  url: string,
  dir = prismaDir(),
  progress?: (message: string) => void,
): Promise<string[]> {
  const migrationsList = readMigrationList(join(dir, 'migrations'));
  const applied = await appliedMigrations(url, migrationsList);
  let names: string[] = [];
  const pending = migrationsList.migrationDirectories.filter((m) => !applied?.has(m.path));
  if (pending.length > 0) {
    progress?.(`applying ${pending.length} database migration${pending.length === 1 ? '' : 's'}`);
    const engine = await loadSchemaEngine(join(dir, 'schema.prisma'), url);
    try {
      names = (await engine.applyMigrations({ migrationsList, filters: NO_FILTER })).appliedMigrationNames;
    } finally {
      engine.free?.();
    }
  }
  await applySqlFunctions(url, dir);
  return names;
}

const FUNCTIONS_KEY = 'emulator.sqlFunctions';

/**
 * Applies `prisma/functions.sql` (functions and triggers, idempotent) when it differs from what the database last
 * got, under an advisory lock so concurrent starts apply it once. It is run whole on one connection, which
 * handles plpgsql's dollar-quoted bodies that the schema engine cannot.
 */
export async function applySqlFunctions(url: string, dir = prismaDir()): Promise<boolean> {
  const path = join(dir, 'functions.sql');
  if (!existsSync(path)) return false;
  const script = readFileSync(path, 'utf8');
  const hash = createHash('sha256').update(script).digest('hex');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const current = await client.query<{ value: string }>(
      `SELECT value #>> '{}' AS value FROM setting WHERE key = $1`,
      [FUNCTIONS_KEY],
    );
    if (current.rows[0]?.value === hash) return false;
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('gke-emulator:sql-functions'))`);
    await client.query(script);
    await client.query(
      `INSERT INTO setting (key, value) VALUES ($1, to_jsonb($2::text)) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [FUNCTIONS_KEY, hash],
    );
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
