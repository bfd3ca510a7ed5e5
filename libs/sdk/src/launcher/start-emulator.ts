import { GkeEmulatorClient } from '../client';
import { GkeEmulatorOptionError, GkeEmulatorUnavailableError } from '../errors';
import { libEntryFor, resolveEmulatorBin } from './bin';
import { launchChild } from './child';
import { lockGivenDataDir, lockWarmSlot, type DataDirLock } from './data-dir';
import { launchInProcess } from './in-process';
import type { EmulatorExit, LogLevel, StartEmulatorOptions } from './options';
import { checkDatabaseReachable, checkPort, checkPortFree, checkTimeout } from './preflight';

/** A started emulator: a client of it, and its life cycle. */
export class RunningEmulator extends GkeEmulatorClient {
  /** settles when the emulator's process (or in-process server) ends; `expected` tells a crash from `stop()` */
  readonly exited: Promise<EmulatorExit>;
  private exit: EmulatorExit | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    url: string,
    private readonly lifecycle: { stop(): Promise<void>; exited: Promise<EmulatorExit> },
    projectPrefix?: string,
  ) {
    super({ url, projectPrefix });
    this.exited = lifecycle.exited.then((exit) => {
      this.exit = exit;
      return exit;
    });
  }

  /** The exit, once it happened (undefined while running). */
  get exitInfo(): EmulatorExit | undefined {
    return this.exit;
  }

  protected override unavailable(): Error | undefined {
    if (!this.exit) return undefined;
    if (this.exit.expected) return new GkeEmulatorUnavailableError(`the emulator at ${this.url} was stopped`);
    return new GkeEmulatorUnavailableError(
      `the emulator at ${this.url} crashed (${this.exit.signal ?? `exit code ${this.exit.code}`})` +
        (this.exit.stderrTail ? `:\n${this.exit.stderrTail}` : ''),
    );
  }

  /** Ends the emulator and removes what it left (idempotent: later calls wait for the first). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.close();
      await this.lifecycle.stop();
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
                  ...['--operation-delay-ms', String(operationDelayMs)],
                  ...(lock ? ['--data-dir', lock.dir] : ['--ephemeral']),
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
                operationDelayMs,
                logLevel,
              });
        void launched.exited.then(() => lock?.release());
        return new RunningEmulator(launched.url, launched, options.projectPrefix);
      } catch (error) {
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
