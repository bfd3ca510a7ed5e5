import { rmSync } from 'node:fs';
import { GkeEmulatorClient } from '../client';
import { GkeEmulatorOptionError, GkeEmulatorUnavailableError } from '../errors';
import { libEntryFor, resolveEmulatorBin } from './bin';
import { launchChild } from './child';
import { lockGivenDataDir, lockWarmSlot, type DataDirLock } from './data-dir';
import { launchInProcess } from './in-process';
import type { EmulatorExit, LogLevel, StartEmulatorOptions } from './options';
import { checkDatabaseReachable, checkPort, checkPortFree, checkTimeout } from './preflight';

/** What a launcher hands the RunningEmulator. */
export interface EmulatorLifecycle {
  pid: number;
  exited: Promise<EmulatorExit>;
  stop(): Promise<void>;
}

/** A started emulator: a client of it, and its life cycle. */
export class RunningEmulator extends GkeEmulatorClient {
  /** settles when the emulator ends; `expected` tells `stop()` from a crash */
  readonly exited: Promise<EmulatorExit>;
  /** the child's pid (`mode: 'child'`), or this process's (`'in-process'`) */
  readonly pid: number;
  readonly mode: 'child' | 'in-process';
  /** the embedded PostgreSQL's data directory kept between runs; undefined when ephemeral or on `databaseUrl` */
  readonly dataDir: string | undefined;
  private exit: EmulatorExit | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    url: string,
    private readonly lifecycle: EmulatorLifecycle,
    details: { mode: 'child' | 'in-process'; dataDir?: string; projectPrefix?: string; authToken?: string },
  ) {
    // Only the token this emulator was started with (not GKE_EMULATOR_AUTH_TOKEN, meant for another one).
    super({ url, projectPrefix: details.projectPrefix, authToken: details.authToken ?? '' });
    this.pid = lifecycle.pid;
    this.mode = details.mode;
    this.dataDir = details.dataDir;
    this.exited = lifecycle.exited.then((exit) => {
      this.exit = exit;
      return exit;
    });
  }

  /** How it ended, once it did (undefined while it runs). */
  get exitInfo(): EmulatorExit | undefined {
    return this.exit;
  }

  protected override unavailable(): Error | undefined {
    if (!this.exit) return undefined;
    if (this.exit.expected) return new GkeEmulatorUnavailableError(`the emulator at ${this.url} was stopped`);
    return new GkeEmulatorUnavailableError(
      `the emulator at ${this.url} ended unexpectedly (${this.exit.signal ?? `exit code ${this.exit.code}`})` +
        (this.exit.stderrTail ? `; its last output:\n${this.exit.stderrTail}` : ''),
    );
  }

  /** A request that found no listener may have raced the child's exit: give the exit a moment to be seen. */
  protected override async afterConnectionError(): Promise<Error | undefined> {
    if (this.mode === 'child' && !this.exit) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, 500)))]);
      clearTimeout(timer);
    }
    return this.unavailable();
  }

  /**
   * Ends the emulator (SIGTERM, then SIGKILL after 10 s) and waits until its process, port and lock are gone;
   * closes the official clients and removes temporary files. Idempotent: later calls wait for the first.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.close();
      await this.lifecycle.stop();
      await this.exited;
    })();
    return this.stopping;
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'info', 'debug'];
const MODES = ['child', 'in-process'] as const;

/**
 * Starts an emulator and resolves once it serves: the `gke-emulator` CLI as a child process (default) or inside
 * this process (`mode: 'in-process'`), on embedded PostgreSQL (a warm data directory reused between runs) or
 * `databaseUrl`. Wrong options reject with a `GkeEmulatorOptionError` naming the option.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const port = checkPort(options.port);
  const timeoutMs = checkTimeout('timeoutMs', options.timeoutMs, 60_000);
  const mode = options.mode ?? 'child';
  if (!MODES.includes(mode))
    throw new GkeEmulatorOptionError('mode', `expected 'child' or 'in-process', got ${String(mode)}`);
  const logLevel = options.logLevel ?? 'silent';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new GkeEmulatorOptionError(
      'logLevel',
      `expected one of ${LOG_LEVELS.join(', ')}, got ${String(logLevel)}`,
    );
  }
  const operationDelayMs = options.operationDelayMs ?? 0;
  if (!Number.isInteger(operationDelayMs) || operationDelayMs < 0 || operationDelayMs > 3_600_000) {
    throw new GkeEmulatorOptionError(
      'operationDelayMs',
      `expected 0 to 3600000, got ${String(operationDelayMs)}`,
    );
  }
  if (options.ephemeral && options.dataDir !== undefined) {
    throw new GkeEmulatorOptionError(
      'dataDir',
      'not with ephemeral: true (an ephemeral database lives in a temporary directory)',
    );
  }
  if (options.databaseUrl !== undefined && (options.dataDir !== undefined || options.ephemeral)) {
    throw new GkeEmulatorOptionError(
      options.dataDir !== undefined ? 'dataDir' : 'ephemeral',
      'not with databaseUrl (no embedded PostgreSQL then)',
    );
  }
  const { bin } = resolveEmulatorBin({ bin: options.bin });
  if (options.databaseUrl !== undefined) await checkDatabaseReachable(options.databaseUrl);
  await checkPortFree(HOST, port);

  const embedded = options.databaseUrl === undefined;
  const persistent = embedded && !options.ephemeral;
  // A warm slot that fails (its PostgreSQL left running by a killed emulator) is kept locked while the next is tried.
  const attempts = persistent && options.dataDir === undefined ? 2 : 1;
  const failedSlots: DataDirLock[] = [];
  let wipedSlot = false;
  try {
    for (let attempt = 1; ; attempt++) {
      const lock = persistent
        ? options.dataDir !== undefined
          ? lockGivenDataDir(options.dataDir)
          : lockWarmSlot()
        : undefined;
      try {
        const launched =
          mode === 'child'
            ? await launchChild({
                bin,
                args: [
                  'start',
                  ...['--host', HOST, '--port', String(port), '--kube-port', '0'],
                  // The banner is how the child says it is ready: `silent` would suppress it.
                  ...['--log-level', logLevel === 'silent' ? 'error' : logLevel],
                  // Only when asked: setting it is the start's first database write (~0.3 s before the banner).
                  ...(options.operationDelayMs === undefined
                    ? []
                    : ['--operation-delay-ms', String(operationDelayMs)]),
                  ...(lock ? ['--data-dir', lock.dir] : ['--ephemeral']),
                  ...(options.authToken ? ['--auth-token', options.authToken] : []),
                ],
                env: childEnv(options),
                timeoutMs,
                logLevel,
                databaseUrlGiven: !embedded,
              })
            : await launchInProcess(libEntryFor(bin), {
                host: HOST,
                port,
                databaseUrl: options.databaseUrl,
                dataDir: lock?.dir,
                ephemeral: !lock,
                operationDelayMs: options.operationDelayMs,
                logLevel,
                authToken: options.authToken,
              });
        const released = launched.exited.then((exit) => {
          lock?.release();
          return exit;
        });
        return new RunningEmulator(
          launched.url,
          { pid: launched.pid, exited: released, stop: launched.stop },
          { mode, dataDir: lock?.dir, projectPrefix: options.projectPrefix, authToken: options.authToken },
        );
      } catch (error) {
        // A warm database is a cache: one this emulator cannot migrate (made by a build whose migrations differ)
        // is deleted and made afresh, once. A dataDir the caller chose is never deleted.
        if (lock && options.dataDir === undefined && !wipedSlot && isMigrationFailure(error)) {
          wipedSlot = true;
          rmSync(lock.dir, { recursive: true, force: true });
          lock.release();
          attempt -= 1;
          continue;
        }
        if (
          lock &&
          attempt < attempts &&
          error instanceof GkeEmulatorOptionError &&
          error.option === 'dataDir'
        ) {
          failedSlots.push(lock);
          continue;
        }
        lock?.release();
        throw error;
      }
    }
  } finally {
    for (const slot of failedSlots) slot.release();
  }
}

const HOST = '127.0.0.1';

/** Whether a start failed applying the database migrations (what the emulator says then). */
export function isMigrationFailure(error: unknown): boolean {
  return /migrat(e|ion)/i.test(error instanceof Error ? error.message : String(error));
}

/**
 * The child's environment: this process's, without the emulator's own variables and DATABASE_URL (the options
 * decide those), then `options.env`, then `DATABASE_URL` from `databaseUrl`.
 */
export function childEnv(
  options: Pick<StartEmulatorOptions, 'env' | 'databaseUrl'>,
  parent: Record<string, string | undefined> = process.env,
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (name === 'DATABASE_URL' || name.startsWith('GKE_EMULATOR_')) continue;
    env[name] = value;
  }
  Object.assign(env, options.env ?? {});
  if (options.databaseUrl !== undefined) env['DATABASE_URL'] = options.databaseUrl;
  return env;
}
