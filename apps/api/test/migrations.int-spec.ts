import { createHash, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionTestDatabase, type ProvisionedDatabase } from '@gke-emulator/testing';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationsAbortedError, migrateDatabase, prismaDir } from '@gke-emulator/db';

let database: ProvisionedDatabase;
const dirs: string[] = [];
const databases: string[] = [];
beforeAll(async () => {
  database = await provisionTestDatabase();
}, 120_000);
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  for (const name of databases) await query(database.url, `drop database if exists ${name} with (force)`);
  await database?.teardown();
});

async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the provisioned one's server. */
async function freshDatabase(): Promise<string> {
  const name = `gke_emulator_migrations_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  await query(database.url, `create database ${name}`);
  databases.push(name);
  const url = new URL(database.url);
  url.pathname = `/${name}`;
  return url.toString();
}

function migrationNames(): string[] {
  return readdirSync(join(prismaDir(), 'migrations'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

interface Row {
  migration_name: string;
  checksum: string;
  finished: boolean;
  applied_steps_count: number;
  logs: string | null;
  rolled_back_at: Date | null;
}

async function migrationRows(url: string): Promise<Row[]> {
  return query<Row>(
    url,
    `select migration_name, checksum, finished_at >= started_at as finished, applied_steps_count, logs, rolled_back_at
     from _prisma_migrations order by migration_name`,
  );
}

/** What `prisma migrate deploy` records for every migration of prisma/migrations. */
function recordedAsPrismaDoes(): Row[] {
  return migrationNames().map((name) => ({
    migration_name: name,
    checksum: createHash('sha256')
      .update(readFileSync(join(prismaDir(), 'migrations', name, 'migration.sql')))
      .digest('hex'),
    finished: true,
    applied_steps_count: 1,
    logs: null,
    rolled_back_at: null,
  }));
}

/** A fresh database (on the provisioned one's server) migrated up to, not including, the last migration. */
async function migratedToLastButOne(): Promise<{ url: string; last: string }> {
  const url = new URL(await freshDatabase());
  const full = prismaDir();
  const names = migrationNames();
  const last = names[names.length - 1] as string;
  const partial = mkdtempSync(join(tmpdir(), 'gke-emulator-migrations-'));
  dirs.push(partial);
  cpSync(join(full, 'schema.prisma'), join(partial, 'schema.prisma'));
  cpSync(join(full, 'migrations'), join(partial, 'migrations'), { recursive: true });
  rmSync(join(partial, 'migrations', last), { recursive: true });
  await migrateDatabase(url.toString(), partial);
  return { url: url.toString(), last };
}

/** The row Prisma writes before running a migration's script: what a stop in the middle leaves. */
async function unfinishedRow(url: string, migration: string): Promise<void> {
  await query(
    url,
    `insert into _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
     values ($1, 'interrupted', $2, now(), 0)`,
    [randomUUID(), migration],
  );
}

describe('migrateDatabase after a start stopped mid-migration', () => {
  it('applies again a migration whose script never committed', async () => {
    const { url, last } = await migratedToLastButOne();
    await unfinishedRow(url, last);
    await migrateDatabase(url);
    const rows = await query<{ finished: boolean }>(
      url,
      `select finished_at is not null as finished from _prisma_migrations where migration_name = $1`,
      [last],
    );
    expect(rows).toEqual([{ finished: true }]);
  }, 120_000);

  it('refuses, as prisma migrate deploy does, an unfinished migration whose script did commit', async () => {
    const { url } = await migratedToLastButOne();
    await migrateDatabase(url);
    // The first migration creates tables: run again, it fails, so it is known to have committed.
    await query(
      url,
      `update _prisma_migrations set finished_at = null
       where migration_name = (select min(migration_name) from _prisma_migrations)`,
    );
    await expect(migrateDatabase(url)).rejects.toThrow(/failed migrations/);
  }, 120_000);
});

describe('migrateDatabase in one transaction', () => {
  it('records every migration in _prisma_migrations as prisma migrate deploy does', async () => {
    const url = await freshDatabase();
    expect(await migrateDatabase(url)).toEqual(migrationNames());
    expect(await migrationRows(url)).toEqual(recordedAsPrismaDoes());
    // Nothing pending: nothing applied, nothing written.
    expect(await migrateDatabase(url)).toEqual([]);
    expect(await migrationRows(url)).toEqual(recordedAsPrismaDoes());
  }, 120_000);

  it('commits nothing when stopped in the middle, and the next run applies everything', async () => {
    const url = await freshDatabase();
    const names = migrationNames();
    // Stopped at several moments: before anything, while connecting, while applying.
    for (const delayMs of [0, 5, 30, 80]) {
      const controller = new AbortController();
      const running = migrateDatabase(url, undefined, undefined, controller.signal);
      const started = Date.now();
      setTimeout(() => controller.abort(), delayMs);
      const outcome = await running.then(
        (applied) => ({ applied }),
        (error: unknown) => ({ error }),
      );
      expect(Date.now() - started).toBeLessThan(delayMs + 3000);
      if ('error' in outcome) {
        expect(outcome.error).toBeInstanceOf(MigrationsAbortedError);
        // Rolled back whole: no table of the schema, no row (or the rows of a run that committed before).
        const tables = await query<{ count: string }>(
          url,
          `select count(*) from pg_tables where schemaname = 'public' and tablename = 'project'`,
        );
        const rows = tables[0]?.count === '0' ? [] : await migrationRows(url);
        expect([0, names.length]).toContain(rows.length);
      } else {
        expect(outcome.applied).toEqual(names);
        break;
      }
    }
    await migrateDatabase(url);
    expect(await migrationRows(url)).toEqual(recordedAsPrismaDoes());
  }, 120_000);

  it('lets two runs against one database apply each migration once', async () => {
    const url = await freshDatabase();
    const [first, second] = await Promise.all([migrateDatabase(url), migrateDatabase(url)]);
    expect([...first, ...second]).toEqual(migrationNames());
    expect(await migrationRows(url)).toEqual(recordedAsPrismaDoes());
  }, 120_000);
});
