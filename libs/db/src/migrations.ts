import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
async function appliedMigrations(url: string): Promise<Set<string> | null> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const table = await client.query<{ exists: boolean }>(
      `select to_regclass('public._prisma_migrations') is not null as exists`,
    );
    if (!table.rows[0]?.exists) return null;
    const rows = await client.query<{ migration_name: string }>(
      'select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null',
    );
    return new Set(rows.rows.map((row) => row.migration_name));
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations exactly as `prisma migrate deploy` would, through the WASM schema engine. Loading
 * the engine costs a few hundred milliseconds, so a start with nothing pending checks `_prisma_migrations` first.
 */
export async function migrateDatabase(url: string, dir = prismaDir()): Promise<string[]> {
  const migrationsList = readMigrationList(join(dir, 'migrations'));
  const applied = await appliedMigrations(url);
  if (applied && migrationsList.migrationDirectories.every((m) => applied.has(m.path))) return [];
  const engine = await loadSchemaEngine(join(dir, 'schema.prisma'), url);
  try {
    const result = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return result.appliedMigrationNames;
  } finally {
    engine.free?.();
  }
}
