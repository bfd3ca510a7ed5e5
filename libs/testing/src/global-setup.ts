import type { TestProject } from 'vitest/node';
import { provisionTestDatabase, type ProvisionedDatabase } from './test-database';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: string;
  }
}

// Vitest runs this file once per project, possibly as separate module instances: share through globalThis.
const SHARED = Symbol.for('gke-emulator.test-database');
type Shared = { provisioned: Promise<ProvisionedDatabase>; users: number };
const global = globalThis as typeof globalThis & { [SHARED]?: Shared };

/**
 * One database for the whole run, migrated once: DATABASE_URL's server when set (a fresh database on it),
 * else a testcontainers PostgreSQL when a Docker engine answers, else embedded PostgreSQL.
 */
export default async function setup(project: TestProject) {
  const shared = (global[SHARED] ??= { provisioned: provisionTestDatabase(), users: 0 });
  shared.users += 1;
  const db = await shared.provisioned;
  project.provide('databaseUrl', db.url);
  project.provide('databaseKind', db.kind);
  return async () => {
    shared.users -= 1;
    if (shared.users === 0) {
      global[SHARED] = undefined;
      await db.teardown();
    }
  };
}
