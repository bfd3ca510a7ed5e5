import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The postmaster recorded in `postmaster.pid` (pid and data directory), when the file is there. */
export function recordedPostmaster(clusterDir: string): { pid: number; dataDir: string } | undefined {
  let text: string;
  try {
    text = readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const [pid, dataDir] = text.split('\n');
  const number = Number(pid);
  if (!Number.isInteger(number) || number <= 0 || dataDir === undefined) return undefined;
  return { pid: number, dataDir };
}

/**
 * Whether process `pid` is a postmaster of `clusterDir`: on Linux its command line says `-D <clusterDir>` (what we
 * start it with); elsewhere the `postmaster.pid` it wrote must do.
 */
function isPostmasterOf(pid: number, clusterDir: string): boolean {
  if (process.platform !== 'linux') return true;
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const at = args.indexOf('-D');
    return at >= 0 && args[at + 1] === clusterDir && /postgres$/.test(args[0] ?? '');
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
  return true;
}

/**
 * Called with the data directory's lock held (so no live emulator uses the cluster): a postmaster still running on
 * `clusterDir` is what a previous emulator left — shutting down after its parent died (its supervisor saw that), or
 * orphaned. Waits for it to end, then stops it (fast, then immediate shutdown, then SIGKILL) if it does not.
 * A process that is not provably a postmaster of this cluster is left alone (PostgreSQL then reports the lock).
 */
export async function settlePreviousPostmaster(
  clusterDir: string,
  log: (line: string) => void,
): Promise<void> {
  const recorded = recordedPostmaster(clusterDir);
  if (!recorded || recorded.dataDir !== clusterDir || !alive(recorded.pid)) return;
  if (!isPostmasterOf(recorded.pid, clusterDir)) return;
  log(`waiting for the PostgreSQL a previous emulator left running (pid ${recorded.pid}) to stop`);
  if (await waitGone(recorded.pid, 3000)) return;
  for (const [signal, ms] of [
    ['SIGINT', 5000],
    ['SIGQUIT', 3000],
    ['SIGKILL', 3000],
  ] as const) {
    try {
      process.kill(recorded.pid, signal);
    } catch {
      return;
    }
    if (await waitGone(recorded.pid, ms)) return;
  }
}
