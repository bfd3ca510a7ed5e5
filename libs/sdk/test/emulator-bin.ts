import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The emulator CLI this repository builds (`npm test` builds dist/ first). */
export const EMULATOR_BIN = resolve(__dirname, '../../../dist/cli/main.js');

if (!existsSync(EMULATOR_BIN)) throw new Error(`${EMULATOR_BIN} is missing: run npm run build first`);

/** Polls `check` until it returns a value, with a deadline (never a fixed sleep). */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether a process with this pid exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether something accepts TCP connections at the URL's host and port. */
export async function listening(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/healthz`);
    return true;
  } catch {
    return false;
  }
}

// The test run's database (provided by the repository's vitest global setup, which this library does not import).
declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
