import { createRequire } from 'node:module';
import { GkeEmulatorOptionError } from '../errors';
import type { EmulatorExit, LogLevel } from './options';
import type { LaunchedEmulator } from './child';

/** What the emulator package's `dist/lib/index.js` exports (see apps/cli/src/lib/index.ts there). */
interface EmulatorLibrary {
  startInProcess(options: {
    host?: string;
    port?: number;
    databaseUrl?: string;
    dataDir?: string;
    ephemeral?: boolean;
    operationDelayMs?: number;
    logLevel?: LogLevel;
    authToken?: string;
  }): Promise<{ url: string; stop(): Promise<void> }>;
}

const requireFromHere = createRequire(__filename);

/** Loads the emulator's programmatic entry (a CommonJS bundle: `require`d, not transformed by a test runner). */
export function loadEmulatorLibrary(entry: string): EmulatorLibrary {
  let library: Partial<EmulatorLibrary>;
  try {
    library = requireFromHere(entry) as Partial<EmulatorLibrary>;
  } catch (error) {
    throw new GkeEmulatorOptionError(
      'mode',
      `'in-process' needs the emulator's programmatic entry ${entry}, which did not load: ` +
        `${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof library.startInProcess !== 'function') {
    throw new GkeEmulatorOptionError(
      'mode',
      `'in-process': ${entry} exports no startInProcess (too old an emulator?)`,
    );
  }
  return library as EmulatorLibrary;
}

/** Starts the emulator inside this process; `exited` settles when it is stopped (it cannot crash apart from us). */
export async function launchInProcess(
  entry: string,
  options: Parameters<EmulatorLibrary['startInProcess']>[0],
): Promise<LaunchedEmulator> {
  const library = loadEmulatorLibrary(entry);
  const running = await library.startInProcess(options);
  let markExited: (exit: EmulatorExit) => void = () => undefined;
  const exited = new Promise<EmulatorExit>((resolveExit) => (markExited = resolveExit));
  let stopping: Promise<void> | undefined;
  return {
    url: running.url,
    pid: process.pid,
    exited,
    stop: () =>
      (stopping ??= running
        .stop()
        .then(() => markExited({ code: 0, signal: null, expected: true, stderrTail: '' }))),
  };
}
