import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A process (initdb, postgres) run under a small `sh` supervisor that ends it when we end, however we end — a
 * SIGKILL or the OOM killer included, which no signal handler sees. The supervisor holds the read end of a pipe
 * whose only write end is ours: the kernel closes it when this process dies, the supervisor reads end-of-file and
 * sends the process SIGINT (PostgreSQL's fast shutdown; initdb removes what it created), then SIGQUIT after 10 s
 * (PostgreSQL's immediate shutdown) should it hang. `stop()` closes the pipe the same way.
 *
 * The supervisor runs in its own session: a signal to our process group (Ctrl-C in a terminal, `kill -- -pgid`)
 * does not reach the database directly, so the emulator stops it in order, after the API and the worker.
 */
const SUPERVISOR = [
  'signal=$1; shift',
  'exec 3<&0',
  '"$@" </dev/null &',
  'child=$!',
  '{ while read -r _; do :; done; kill -"$signal" "$child" 2>/dev/null || exit 0',
  '  n=0; while [ "$n" -lt 10 ] && kill -0 "$child" 2>/dev/null; do sleep 1; n=$((n + 1)); done',
  '  kill -QUIT "$child" 2>/dev/null; } <&3 &',
  'watch=$!',
  'exec 3<&-',
  'wait "$child"',
  'status=$?',
  'kill "$watch" 2>/dev/null',
  'exit "$status"',
].join('\n');

export interface SupervisedProcess {
  /** the supervisor's process (the supervised one is its child) */
  readonly supervisor: ChildProcess;
  /** settles when the supervised process has ended (its exit code, or 128 + signal number) */
  readonly exited: Promise<number | null>;
  /** Ends the process (SIGINT through the supervisor) and resolves once it has ended, or after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<boolean>;
}

export interface SupervisedOptions {
  uid?: number;
  gid?: number;
  env: NodeJS.ProcessEnv;
  /** called with the supervised process's stderr (and stdout), chunk by chunk */
  onOutput?: (text: string) => void;
  /** what ends it: INT (PostgreSQL's fast shutdown; the default) or QUIT (immediate: for a throw-away cluster) */
  stopSignal?: 'INT' | 'QUIT';
}

export function superviseProcess(
  binary: string,
  args: readonly string[],
  options: SupervisedOptions,
): SupervisedProcess {
  const supervisor = spawn(
    '/bin/sh',
    [...['-c', SUPERVISOR, 'gke-emulator-supervisor', options.stopSignal ?? 'INT'], ...[binary, ...args]],
    {
      uid: options.uid,
      gid: options.gid,
      env: options.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const onOutput = options.onOutput;
  for (const stream of [supervisor.stdout, supervisor.stderr]) {
    stream?.setEncoding('utf8').on('data', (text: string) => onOutput?.(text));
  }
  // Nothing is ever written: the pipe only tells the supervisor that we are alive.
  supervisor.stdin?.on('error', () => undefined);
  const exited = new Promise<number | null>((resolveExit) => {
    supervisor.once('error', () => resolveExit(null));
    supervisor.once('exit', (code) => resolveExit(code));
  });
  return {
    supervisor,
    exited,
    async stop(timeoutMs = 10_000) {
      supervisor.stdin?.destroy();
      let timer: NodeJS.Timeout | undefined;
      const ended = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolveLate) => (timer = setTimeout(() => resolveLate(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      return ended;
    },
  };
}
