import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * PostgreSQL refuses to run as root. Run as root, the emulator runs it as a dedicated system user, created when
 * missing, rather than the `postgres` account another PostgreSQL on the machine may use.
 */
export const SYSTEM_USER = 'gke-emulator';

/**
 * Root-owned and traversable (0711): what the system user needs and cannot reach where root keeps it (under `/root`,
 * in a private TMPDIR) — the PostgreSQL binaries, and clusters of data directories it cannot enter.
 */
export const DEFAULT_SYSTEM_DIR = '/var/lib/gke-emulator';

export interface Account {
  uid: number;
  gid: number;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function lookUp(name: string): Account | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** The system user PostgreSQL runs as when we are root; created (useradd, else busybox adduser) when missing. */
export function systemAccount(name = SYSTEM_USER): Account {
  const found = lookUp(name);
  if (found) return found;
  const attempts: [string, string[]][] = [
    [
      'useradd',
      [
        '--system',
        '--user-group',
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        '--shell',
        '/usr/sbin/nologin',
        name,
      ],
    ],
    ['adduser', ['-S', '-D', '-H', '-h', '/nonexistent', '-s', '/sbin/nologin', name]],
  ];
  const failures: string[] = [];
  for (const [command, args] of attempts) {
    try {
      execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      failures.push(`${command}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    // Another emulator starting at the same time may have created it.
    const created = lookUp(name);
    if (created) return created;
  }
  throw new Error(
    `running as root, embedded PostgreSQL runs as the system user "${name}", which could not be created ` +
      `(${failures.join('; ')}): create it, or run the emulator as another user`,
  );
}

/** Whether `account` may search (enter) `dir` according to its mode bits. */
export function mayEnter(stat: { mode: number; uid: number; gid: number }, account: Account): boolean {
  if (stat.uid === account.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === account.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/** Whether `account` can reach `path`: it may enter every directory above it (and `path` itself if `inclusive`). */
export function canReach(path: string, account: Account, inclusive: boolean): boolean {
  let dir = resolve(path);
  const chain: string[] = inclusive ? [dir] : [];
  for (;;) {
    const parent = dirname(dir);
    if (parent === dir) break;
    chain.push(parent);
    dir = parent;
  }
  return chain.every((entry) => {
    try {
      return mayEnter(statSync(entry), account);
    } catch {
      return false;
    }
  });
}

/** `dir` created if missing, root-owned and 0711: anyone may enter, nobody else may list or write. */
export function ensureSystemDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  const stat = statSync(dir);
  if (stat.uid !== 0) throw new Error(`${dir} must belong to root`);
  if ((stat.mode & 0o777) !== 0o711) chmodSync(dir, 0o711);
}

/** Copies a tree, hard-linking files where the file system allows (the binaries are large and never change). */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { mode: 0o755 });
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const target = join(to, entry);
    const stat = lstatSync(source);
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (stat.isDirectory()) copyTree(source, target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
        chmodSync(target, stat.mode & 0o755);
      }
    }
  }
}

/**
 * The PostgreSQL installation (`bin/`, `lib/`, `share/`) as `account` can run it: where it is, when the account can
 * reach it; else a copy under `systemDir` (made once per version), since a clone under `/root` is out of its reach.
 * Returns the path of the `bin` directory to use.
 */
export function reachableBinDir(
  binDir: string,
  account: Account,
  version: string,
  systemDir: string,
): string {
  const installation = dirname(binDir);
  if (canReach(join(binDir, 'postgres'), account, false)) return binDir;
  ensureSystemDir(systemDir);
  const copy = join(systemDir, `postgres-${version.replace(/[^\w.-]/g, '_')}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    const partial = `${copy}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    copyTree(installation, partial);
    try {
      renameSync(partial, copy);
    } catch (error) {
      // Another start copied it meanwhile.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(join(copy, 'bin', 'postgres'))) throw error;
    }
  }
  return join(copy, 'bin');
}

/** Gives `path` and everything under it to `account` (a cluster made by an older version as another user). */
export function chownTree(path: string, account: Account): void {
  const stat = lstatSync(path);
  // Children first: a tree whose top has the new owner was given away whole (an interrupted run is redone).
  if (stat.isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), account);
  if (stat.uid !== account.uid || stat.gid !== account.gid) chownSync(path, account.uid, account.gid);
}
