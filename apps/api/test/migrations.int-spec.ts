import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionTestDatabase, type ProvisionedDatabase } from '@gke-emulator/testing';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, prismaDir } from '@gke-emulator/db';

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

/** A fresh database (on the provisioned one's server) migrated up to, not including, the last migration. */
async function migratedToLastButOne(): Promise<{ url: string; last: string }> {
  const name = `gke_emulator_migrations_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  await query(database.url, `create database ${name}`);
  databases.push(name);
  const url = new URL(database.url);
  url.pathname = `/${name}`;
  const full = prismaDir();
  const names = readdirSync(join(full, 'migrations'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
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

  it('leaves to the engine an unfinished migration whose script did commit', async () => {
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
