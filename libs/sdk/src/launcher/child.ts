import { spawn, type ChildProcess } from 'node:child_process';
import { GkeEmulatorOptionError, GkeEmulatorUnavailableError } from '../errors';
import type { EmulatorExit, LogLevel } from './options';
import { bannerUrl, optionOfStartFailure, OutputTail } from './output-tail';

export interface ChildLaunch {
  bin: string;
  args: string[];
  env: Record<string, string | undefined>;
  timeoutMs: number;
  logLevel: LogLevel;
  databaseUrlGiven: boolean;
  /** how long `stop()` waits after SIGTERM before SIGKILL */
  killAfterMs?: number;
}

export interface LaunchedEmulator {
  url: string;
  pid: number;
  exited: Promise<EmulatorExit>;
  stop(): Promise<void>;
}

/**
 * Ends the child when this process ends, however it ends: the child gets an IPC channel it does not otherwise use,
 * and SIGTERMs itself (a clean stop: worker, API, embedded PostgreSQL) when the channel closes.
 */
const PARENT_WATCH =
  'data:text/javascript,' +
  encodeURIComponent(
    'process.on("disconnect",()=>process.kill(process.pid,"SIGTERM"));if(process.channel)process.channel.unref();',
  );

/** How long the exit waits for stderr's end once the child is gone. */
const STDERR_DRAIN_MS = 2000;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killLiveOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGTERM');
  });
}

/**
 * Runs `node <bin> start ...` and resolves with its URL once its start banner says it serves. Rejects, with the
 * last lines of its stderr, when it exits first; kills it and rejects naming `timeoutMs` when it takes too long.
 */
export function launchChild(launch: ChildLaunch): Promise<LaunchedEmulator> {
  const child = spawn(process.execPath, [`--import=${PARENT_WATCH}`, launch.bin, ...launch.args], {
    env: launch.env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  live.add(child);
  killLiveOnExit();
  // A forgotten stop() must not hold the test process open: the exit hook and the parent watch end the child.
  child.unref();
  child.channel?.unref();
  (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  const stderr = new OutputTail();
  const stdout = new OutputTail(10);
  const forwardStderr = launch.logLevel !== 'silent';
  const forwardStdout = launch.logLevel === 'info' || launch.logLevel === 'debug';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(chunk);
    if (forwardStderr) process.stderr.write(chunk);
  });

  let stopRequested = false;
  /** set by stop(): from then on the wait for the exit holds the process */
  let keepAlive = false;
  const exited = new Promise<EmulatorExit>((resolveExit) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      // stderr may still hold the last words: let the pipe drain first (a grandchild that inherited it may keep
      // it open: not for long).
      let drain: NodeJS.Timeout | undefined;
      const settle = () => {
        clearTimeout(drain);
        resolveExit({ code, signal, expected: stopRequested, stderrTail: stderr.toString() });
      };
      if (child.stderr && !child.stderr.readableEnded) {
        child.stderr.once('end', settle);
        drain = setTimeout(settle, STDERR_DRAIN_MS);
        if (!keepAlive) drain.unref();
      } else settle();
    });
  });

  const stop = (() => {
    let stopping: Promise<void> | undefined;
    return () =>
      (stopping ??= (async () => {
        stopRequested = true;
        // The child and its pipes are unref'd (a forgotten stop() must not hold this process open), so nothing
        // else keeps the event loop alive while we wait for the exit: once a SIGKILL timer has fired, or while
        // stderr drains, the loop would empty and Node end a script awaiting stop() at top level with exit code 13
        // ("unsettled top-level await"). Waiting for the exit is what stop() promises: hold the process for it.
        keepAlive = true;
        child.ref();
        (child.stderr as unknown as { ref?: () => void } | null)?.ref?.();
        if (child.exitCode === null && child.signalCode === null) {
          const killer = setTimeout(() => child.kill('SIGKILL'), launch.killAfterMs ?? 10_000);
          child.kill('SIGTERM');
          await exited;
          clearTimeout(killer);
        } else {
          await exited;
        }
      })());
  })();

  return new Promise<LaunchedEmulator>((resolveReady, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      void stop().then(() =>
        reject(
          new GkeEmulatorOptionError(
            'timeoutMs',
            `the emulator was not ready within ${launch.timeoutMs} ms (stopped it)` +
              (stderr.toString() ? `; its stderr:\n${stderr.toString()}` : ''),
          ),
        ),
      );
    }, launch.timeoutMs);
    child.once('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(
        new GkeEmulatorUnavailableError(`could not run ${launch.bin}: ${error.message}`, { cause: error }),
      );
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (forwardStdout) process.stdout.write(chunk);
      for (const line of stdout.push(chunk)) {
        const url = bannerUrl(line);
        if (url && !settled) {
          settled = true;
          clearTimeout(timer);
          resolveReady({ url, pid: child.pid as number, exited, stop });
        }
      }
    });
    void exited.then((exit) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const how = exit.signal ?? `exit code ${exit.code}`;
      const tail = exit.stderrTail || stdout.toString();
      const option = optionOfStartFailure(tail, { databaseUrl: launch.databaseUrlGiven });
      const message = `the emulator exited before it was ready (${how})${tail ? `:\n${tail}` : ''}`;
      reject(option ? new GkeEmulatorOptionError(option, message) : new GkeEmulatorUnavailableError(message));
    });
  });
}
