import type { EmulatorConfig } from '@gke-emulator/common';
import {
  Database,
  migrateDatabase,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
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

/** DATABASE_URL when given, else embedded PostgreSQL in the data directory; migrations applied either way. */
export async function openDatabase(
  config: Pick<EmulatorConfig, 'databaseUrl' | 'dataDir' | 'ephemeral'>,
  options: { migrate?: boolean } = {},
): Promise<OpenedDatabase> {
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, ephemeral: config.ephemeral });
  const url = config.databaseUrl ?? (embedded as EmbeddedPostgresHandle).url;
  try {
    const appliedMigrations = options.migrate === false ? [] : await migrateDatabase(url);
    // The job queue's schema too, before anything serves: writes queue data-plane jobs from their triggers, and
    // the worker (a child process) may start after the API.
    if (options.migrate !== false) await migrateJobQueue(url);
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
