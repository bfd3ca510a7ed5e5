import { inject } from 'vitest';
import { Database } from '@gke-emulator/db';
import { startApi, type ApiServer } from '@gke-emulator/server';

export interface TestApp {
  url: string;
  port: number;
  api: ApiServer;
  database: Database;
  close(): Promise<void>;
}

/** The API on a free port against the run's test database, for supertest and real clients. */
export async function startTestApp(): Promise<TestApp> {
  const database = new Database(inject('databaseUrl'), { poolSize: 10 });
  const api = await startApi({ database, host: '127.0.0.1', port: 0, logLevel: 'silent' });
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
