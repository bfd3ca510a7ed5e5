import { GkeEmulatorClient } from '../client';
import { GkeEmulatorUnavailableError } from '../errors';
import type { EmulatorExit, StartEmulatorOptions } from './options';

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

/** Starts an emulator (a child process by default) and resolves once it serves. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  void options;
  throw new Error('startEmulator: not implemented yet');
}
