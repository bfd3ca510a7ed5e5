import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrateDatabase, startEmbeddedPostgres } from '@gke-emulator/db';
import { dockerEngineReachable } from './docker-engine';

export interface ProvisionedDatabase {
  url: string;
  kind: 'DATABASE_URL' | 'testcontainers' | 'embedded';
  teardown(): Promise<void>;
}

/** A fresh database on the server of `serverUrl`, dropped on teardown. */
async function freshDatabaseOn(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `gke_emulator_test_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export async function provisionTestDatabase(env = process.env): Promise<ProvisionedDatabase> {
  const external = env['DATABASE_URL'];
  if (external) {
    const db = await freshDatabaseOn(external);
    await migrateDatabase(db.url);
    return { url: db.url, kind: 'DATABASE_URL', teardown: db.drop };
  }
  if (env['GKE_EMULATOR_TEST_TESTCONTAINERS'] !== 'false' && (await dockerEngineReachable(500, env))) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:17-alpine').start();
    const url = container.getConnectionUri();
    await migrateDatabase(url);
    return { url, kind: 'testcontainers', teardown: async () => void (await container.stop()) };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: '', ephemeral: true });
  await migrateDatabase(embedded.url);
  return { url: embedded.url, kind: 'embedded', teardown: embedded.stop };
}
