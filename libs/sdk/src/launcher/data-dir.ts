import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { GkeEmulatorOptionError } from '../errors';

/**
 * Where the SDK keeps warm embedded databases: `GKE_EMULATOR_SDK_DATA_ROOT`, else `<os tmpdir>/gke-emulator-sdk-<uid>`.
 * Private to its user (0700): run as root, the emulator keeps the clusters its PostgreSQL user cannot enter elsewhere.
 */
export function defaultDataRoot(env: Record<string, string | undefined> = process.env): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : userInfo().username;
  return env['GKE_EMULATOR_SDK_DATA_ROOT'] || join(tmpdir(), `gke-emulator-sdk-${uid}`);
}

/** How many warm databases the SDK keeps at most (one per emulator running at the same time). */
export const MAX_SLOTS = 16;

export interface DataDirLock {
  dir: string;
  release(): void;
}

const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Takes `<dir>.lock` for this process: false when a live process (or another emulator of this one) holds it. A lock
 * left by a dead process is taken over. (Two processes taking over the same stale lock at once is the one race left:
 * PostgreSQL's own `postmaster.pid` then refuses the second, and the launcher reports it.)
 */
export function tryLockDataDir(dir: string, pid = process.pid): DataDirLock | undefined {
  const lock = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(pid), { flag: 'wx' });
      held.add(lock);
      return {
        dir,
        release: () => {
          if (!held.delete(lock)) return;
          rmSync(lock, { force: true });
        },
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      let owner = NaN;
      try {
        owner = Number(readFileSync(lock, 'utf8'));
      } catch {
        continue;
      }
      const ours = owner === pid && held.has(lock);
      if (ours || (owner !== pid && Number.isInteger(owner) && owner > 0 && alive(owner))) return undefined;
      rmSync(lock, { force: true });
    }
  }
  return undefined;
}

/** The data directory asked for, locked; an error naming `dataDir` when an emulator running now uses it. */
export function lockGivenDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const lock = tryLockDataDir(dir);
  if (!lock) {
    throw new GkeEmulatorOptionError(
      'dataDir',
      `${dir} is in use by another running emulator (${dir}.lock): use another directory, or omit dataDir`,
    );
  }
  return lock;
}

/** The first free warm slot under `root` (`slot-0`, `slot-1`...), locked. */
export function lockWarmSlot(root: string = defaultDataRoot()): DataDirLock {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    const lock = tryLockDataDir(join(root, `slot-${slot}`));
    if (lock) return lock;
  }
  throw new GkeEmulatorOptionError(
    'dataDir',
    `all ${MAX_SLOTS} warm databases under ${root} are in use: pass dataDir, or ephemeral: true`,
  );
}
