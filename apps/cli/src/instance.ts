// Where a running emulator is, for the client commands (`env`, `reset`): the --url flag, GKE_EMULATOR_URL, the
// state file of a data directory, or the per-user file naming the last emulator started, in that order.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensureTokenFile, readRunning, tokenFileIn, type RunningEmulator } from './client-env';

/** What `start` records of itself, in its data directory and in the per-user file. */
export interface InstanceRecord extends RunningEmulator {
  /** the token file `env` prints for gcloud; exists while the emulator runs */
  tokenFile?: string;
  dataDir?: string;
}

export interface FoundInstance {
  url: string;
  /** how it was found, for messages: `--url`, `GKE_EMULATOR_URL`, a state file, or the default */
  source: string;
  tokenFile?: string;
  /** the emulator was started with an auth token, which its token file holds */
  auth?: boolean;
}

type Env = Record<string, string | undefined>;

/** The per-user state directory: `$XDG_STATE_HOME/gke-emulator`, else `~/.local/state/gke-emulator`. */
export function userStateDir(env: Env = process.env): string {
  const base = env['XDG_STATE_HOME'] || join(env['HOME'] || homedir(), '.local', 'state');
  return join(base, 'gke-emulator');
}

export function userStateFile(env: Env = process.env): string {
  return join(userStateDir(env), 'last-started.json');
}

/** Records the emulator just started as the user's last one (best effort: a read-only home only loses the hint). */
export function writeLastStarted(record: InstanceRecord, env: Env = process.env): void {
  try {
    mkdirSync(userStateDir(env), { recursive: true });
    writeFileSync(userStateFile(env), JSON.stringify(record) + '\n');
  } catch {
    // no per-user state: `env` then needs --url, GKE_EMULATOR_URL or --data-dir
  }
}

function readRecord(path: string): InstanceRecord | null {
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as Partial<InstanceRecord>;
    return typeof record.url === 'string' && typeof record.pid === 'number'
      ? (record as InstanceRecord)
      : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface FindOptions {
  url?: string;
  /** a data directory named by --data-dir or GKE_EMULATOR_DATA_DIR */
  dataDir?: string;
  /** the default data directory (`./.gke-emulator`), consulted when it holds a running emulator's state */
  defaultDataDir: string;
  defaultUrl: string;
  env?: Env;
}

/** The emulator the client commands talk to, and how it was found. Running emulators only, except for --url. */
export function findInstance(options: FindOptions): FoundInstance {
  const env = options.env ?? process.env;
  const records: { record: InstanceRecord; source: string }[] = [];
  for (const [dir, source] of [
    [options.dataDir, `the emulator of --data-dir ${options.dataDir}`],
    [options.dataDir ? undefined : options.defaultDataDir, `the emulator of ${options.defaultDataDir}`],
  ] as const) {
    const record = dir ? (readRunning(dir) as InstanceRecord | null) : null;
    // A state file without `tokenFile` (older versions) means the data directory's own token file.
    if (record && dir)
      records.push({ record: { tokenFile: tokenFileIn(dir), ...record, dataDir: dir }, source });
  }
  const last = readRecord(userStateFile(env));
  if (last) records.push({ record: last, source: `the last started emulator (${userStateFile(env)})` });
  const tokenFor = (url: string): Pick<FoundInstance, 'tokenFile' | 'auth'> => {
    const record = records.find(
      ({ record }) => record.url === url && record.tokenFile && existsSync(record.tokenFile),
    )?.record;
    return record ? { tokenFile: record.tokenFile, ...(record.auth ? { auth: true } : {}) } : {};
  };

  const trim = (url: string) => url.replace(/\/$/, '');
  if (options.url) return { url: trim(options.url), source: '--url', ...tokenFor(trim(options.url)) };
  const fromEnv = env['GKE_EMULATOR_URL'];
  if (fromEnv) return { url: trim(fromEnv), source: 'GKE_EMULATOR_URL', ...tokenFor(trim(fromEnv)) };
  for (const { record, source } of records) {
    if (!alive(record.pid)) continue;
    return { url: trim(record.url), source, ...tokenFor(trim(record.url)) };
  }
  return { url: options.defaultUrl, source: 'the default URL' };
}

/** A token file that exists: the instance's own, else one in the per-user state directory. */
export function tokenFileFor(found: FoundInstance, env: Env = process.env): string {
  if (found.tokenFile && existsSync(found.tokenFile)) return found.tokenFile;
  return ensureTokenFile(userStateDir(env));
}
