import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, type ClientConfig } from 'pg';
import type { MigrationList } from './schema-engine';
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

/** What `_prisma_migrations` says of one migration (the columns the plan needs). */
export interface MigrationRow {
  migration_name: string;
  started_at: Date | string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

export interface MigrationPlan {
  /** unfinished rows (a start stopped by an older version mid-migration) to try again: the script may never have committed */
  retry: string[];
  /** migrations never started, in order */
  pending: string[];
}

/** Prisma's P3009, word for word but the error code: what `prisma migrate deploy` says of the same table. */
export class FailedMigrationsError extends Error {
  constructor(failed: MigrationRow[]) {
    super(
      'migrate found failed migrations in the target database, new migrations will not be applied. Read more about ' +
        'how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n' +
        failed
          .map(
            (row) =>
              `The \`${row.migration_name}\` migration started at ${new Date(row.started_at).toISOString()} failed`,
          )
          .join('\n'),
    );
    this.name = 'FailedMigrationsError';
  }
}

/**
 * Which migrations to apply, from the migration directories' names (sorted) and `_prisma_migrations`' rows, as
 * `prisma migrate deploy` decides: a finished row (not rolled back) is applied; a rolled-back one is applied again;
 * an unfinished one is failed and stops everything — except that an unfinished row of a migration we know is
 * offered for a retry (`retry`), because earlier versions ran migrations through the schema engine, which
 * records a migration apart from running it, and a stop in between left such a row for a script that never ran.
 */
export function planMigrations(names: readonly string[], rows: readonly MigrationRow[]): MigrationPlan {
  const applied = new Set(
    rows
      .filter((row) => row.finished_at !== null && row.rolled_back_at === null)
      .map((row) => row.migration_name),
  );
  const unfinished = rows.filter(
    (row) => row.finished_at === null && row.rolled_back_at === null && !applied.has(row.migration_name),
  );
  const known = new Set(names);
  const unknownFailed = unfinished.filter((row) => !known.has(row.migration_name));
  if (unknownFailed.length > 0) throw new FailedMigrationsError(unknownFailed);
  const retry = new Set(unfinished.map((row) => row.migration_name));
  return {
    retry: names.filter((name) => retry.has(name)),
    pending: names.filter((name) => !applied.has(name) && !retry.has(name)),
  };
}

/** Prisma's checksum of a migration script: the SHA-256 of its bytes, in hex. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script).digest('hex');
}

/** The key `prisma migrate` takes its advisory lock with: ours and Prisma's exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

/** `_prisma_migrations` as the schema engine creates it. */
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

/** The error a migration stopped by `signal` rejects with. */
export class MigrationsAbortedError extends Error {
  constructor() {
    super('database migrations stopped');
    this.name = 'MigrationsAbortedError';
  }
}

/**
 * Applies pending migrations (prisma/migrations/*\/migration.sql) in one PostgreSQL transaction, recording each in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does (id, checksum, started_at, finished_at,
 * applied_steps_count 1), so Prisma's tooling reads the table as its own. A stop at any moment (a signal, a crash,
 * `signal` aborting) commits nothing: the next start applies them all again. Starts against one database exclude
 * each other (and `prisma migrate`) with Prisma's advisory lock. Every migration must therefore run inside a
 * transaction (no `CREATE INDEX CONCURRENTLY`). A start with nothing pending only reads the table.
 */
export async function migrateDatabase(
  url: string,
  dir = prismaDir(),
  progress?: (message: string) => void,
  signal?: AbortSignal,
): Promise<string[]> {
  const migrationsList = readMigrationList(join(dir, 'migrations'));
  const scripts = new Map(
    migrationsList.migrationDirectories.map((m) => [m.path, m.migrationFile.content.value] as const),
  );
  const names = [...scripts.keys()];
  const client = quietClient(url);
  const applied = await abortable(url, client, signal, async () => {
    const plan = await readPlan(client, names);
    if (plan.pending.length === 0 && plan.retry.length === 0) return [];
    await client.query('BEGIN');
    try {
      await client.query(`SELECT pg_advisory_xact_lock(${PRISMA_ADVISORY_LOCK})`);
      await client.query(MIGRATIONS_TABLE);
      // Again under the lock: another start may have applied them meanwhile.
      const locked = await readPlan(client, names);
      const count = locked.pending.length + locked.retry.length;
      if (count > 0) progress?.(`applying ${count} database migration${count === 1 ? '' : 's'}`);
      const done: string[] = [];
      for (const name of names) {
        const script = scripts.get(name) as string;
        if (locked.retry.includes(name)) {
          // An unfinished row from an older version: its script either never committed (it applies cleanly now)
          // or did (it fails, and the row stays failed for a person to resolve, as Prisma would have it).
          await client.query('SAVEPOINT retry');
          const applies = await client.query(script).then(
            () => true,
            () => false,
          );
          await client.query(applies ? 'RELEASE SAVEPOINT retry' : 'ROLLBACK TO SAVEPOINT retry');
          if (!applies) {
            const rows = await client.query<MigrationRow>(
              `SELECT migration_name, started_at, finished_at, rolled_back_at FROM _prisma_migrations
               WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`,
              [name],
            );
            throw new FailedMigrationsError(rows.rows);
          }
          await client.query(
            'DELETE FROM _prisma_migrations WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL',
            [name],
          );
          await recordApplied(client, name, script, true);
          done.push(name);
        } else if (locked.pending.includes(name)) {
          const id = await recordApplied(client, name, script, false);
          await client.query(script);
          await client.query(
            `UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp()
             WHERE id = $1`,
            [id],
          );
          done.push(name);
        }
      }
      await client.query('COMMIT');
      return done;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
  if (signal?.aborted) throw new MigrationsAbortedError();
  await applySqlFunctions(url, dir);
  return applied;
}

async function readPlan(client: Client, names: readonly string[]): Promise<MigrationPlan> {
  const table = await client.query<{ exists: boolean }>(
    `select to_regclass('public._prisma_migrations') is not null as exists`,
  );
  if (!table.rows[0]?.exists) return { retry: [], pending: [...names] };
  const rows = await client.query<MigrationRow>(
    'SELECT migration_name, started_at, finished_at, rolled_back_at FROM _prisma_migrations',
  );
  return planMigrations(names, rows.rows);
}

/** Inserts the row Prisma writes for a migration (finished already when `finished`); returns its id. */
async function recordApplied(
  client: Client,
  name: string,
  script: string,
  finished: boolean,
): Promise<string> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
     VALUES ($1, $2, $3, clock_timestamp(), ${finished ? 'clock_timestamp()' : 'NULL'}, $4)`,
    [id, migrationChecksum(script), name, finished ? 1 : 0],
  );
  return id;
}

/**
 * A client whose connection may be cut under it (a stop during start-up shuts PostgreSQL down): the cut then
 * rejects the query in flight, or the next one, where the caller handles it. Without a listener, a cut between
 * queries is an 'error' event nobody hears, which ends the process with status 1.
 */
function quietClient(url: string, options: Omit<ClientConfig, 'connectionString'> = {}): Client {
  const client = new Client({ connectionString: url, ...options });
  client.on('error', () => undefined);
  return client;
}

/**
 * Runs `work` on `client` (connected here, ended after). When `signal` aborts, the query in flight is cancelled
 * (from a second connection, so the server stops at once) and the connection closed: `work` rejects with
 * MigrationsAbortedError, and an open transaction is rolled back by the server.
 */
async function abortable<T>(
  url: string,
  client: Client,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (signal?.aborted) throw new MigrationsAbortedError();
  let backendPid: number | undefined;
  let rejectAborted: (error: Error) => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => (rejectAborted = reject));
  aborted.catch(() => undefined);
  const onAbort = () => {
    rejectAborted(new MigrationsAbortedError());
    if (backendPid !== undefined) void cancelBackend(url, backendPid);
    void client.end().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race([client.connect(), aborted]);
    backendPid = (client as unknown as { processID?: number }).processID;
    if (signal?.aborted) throw new MigrationsAbortedError();
    return await Promise.race([work(), aborted]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!signal?.aborted) await client.end().catch(() => undefined);
  }
}

/** `pg_cancel_backend` from a connection of its own, given 1 s: the process may be exiting meanwhile. */
async function cancelBackend(url: string, pid: number): Promise<void> {
  const other = quietClient(url, { connectionTimeoutMillis: 1000, query_timeout: 1000 });
  try {
    await other.connect();
    await other.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    // the server is going too, or the connection already ended it
  } finally {
    await other.end().catch(() => undefined);
  }
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
  const client = quietClient(url);
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
