import { afterAll, beforeAll, inject } from 'vitest';
import { Database } from '@gke-emulator/db';
import { startApi, type ApiServer, type StartApiOptions } from '@gke-emulator/server';

export interface TestApp {
  url: string;
  port: number;
  api: ApiServer;
  database: Database;
  close(): Promise<void>;
}

/** The API on a free port against the run's test database, for supertest and real clients. */
export async function startTestApp(
  options: Pick<StartApiOptions, 'allowedHosts' | 'authToken'> = {},
): Promise<TestApp> {
  const database = new Database(inject('databaseUrl'), { poolSize: 10 });
  const api = await startApi({ database, host: '127.0.0.1', port: 0, logLevel: 'silent', ...options });
  return {
    url: api.url,
    port: api.port,
    api,
    database,
    async close() {
      await api.close();
      await database.close();
    },
  };
}

/**
 * The emulator in process for the whole test file: started before its tests, closed after them. The returned
 * object reads the running app, so tests use `app.url`, `app.port` and `app.database` as usual.
 */
export function useTestApp(): TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startTestApp();
  });
  afterAll(async () => {
    await started?.close();
  });
  const current = (): TestApp => {
    if (!started) throw new Error('the emulator is not running: use the app inside tests or hooks');
    return started;
  };
  return {
    get url() {
      return current().url;
    },
    get port() {
      return current().port;
    },
    get api() {
      return current().api;
    },
    get database() {
      return current().database;
    },
    close: () => current().close(),
  };
}
