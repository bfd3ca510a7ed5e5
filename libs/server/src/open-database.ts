import type { EmulatorConfig } from '@gke-emulator/common';
import {
  Database,
  migrateDatabase,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
  type LaunchedEmbeddedPostgres,
} from '@gke-emulator/db';

export interface OpenedDatabase {
  database: Database;
  url: string;
  /** Set when this process started an embedded PostgreSQL. */
  embedded?: EmbeddedPostgresHandle;
  appliedMigrations: string[];
  close(): Promise<void>;
}

async function migrateJobQueue(url: string): Promise<void> {
  const { runMigrations, Logger } = await import('graphile-worker');
  await runMigrations({ connectionString: url, logger: new Logger(() => () => undefined) });
}

/**
 * DATABASE_URL when given, else embedded PostgreSQL in the data directory; migrations applied either way.
 * `options.embedded`: a server the caller launched already (`launchEmbeddedPostgres`), so that PostgreSQL starts
 * while the caller loads its modules.
 */
export async function openDatabase(
  config: Pick<EmulatorConfig, 'databaseUrl' | 'dataDir' | 'ephemeral'>,
  options: {
    migrate?: boolean;
    embedded?: LaunchedEmbeddedPostgres;
    /** what a slow step is doing (creating the database, applying migrations), for a person waiting */
    progress?: (message: string) => void;
    /** stops the migrations (they commit nothing) and the opening rejects */
    signal?: AbortSignal;
  } = {},
): Promise<OpenedDatabase> {
  const embedded = config.databaseUrl
    ? undefined
    : await (options.embedded?.ready ??
        startEmbeddedPostgres({
          dataDir: config.dataDir,
          ephemeral: config.ephemeral,
          progress: options.progress,
        }));
  const url = config.databaseUrl ?? (embedded as EmbeddedPostgresHandle).url;
  try {
    // The job queue's schema too, before anything serves: writes queue data-plane jobs from their triggers, and
    // the worker (a child process) may start after the API. The two are independent (the triggers look the queue's
    // function up when they run), so they are checked or applied together.
    const [appliedMigrations] =
      options.migrate === false
        ? [[]]
        : await Promise.all([
            migrateDatabase(url, undefined, options.progress, options.signal),
            migrateJobQueue(url),
          ]);
    const database = new Database(url);
    return {
      database,
      url,
      embedded,
      appliedMigrations,
      async close() {
        await database.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
