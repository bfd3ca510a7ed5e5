/**
 * How `gke-emulator start` ends on SIGINT/SIGTERM once its API serves (before, the signal's default action ends it
 * at once; its supervisor stops PostgreSQL): what the start has begun (the database, the API, the worker) is stopped
 * in order — the worker and the API first, the database last — and the
 * process exits within `deadlineMs` (1.5 s) whatever a step is waiting for (a long request, a migration, initdb). A step
 * still running at the deadline is cut short: every write is durable, and the database's own supervisor finishes
 * its shutdown after we exit (the next start waits for it).
 */
export class Shutdown {
  private readonly first: (() => Promise<unknown>)[] = [];
  private readonly last: (() => Promise<unknown>)[] = [];
  private started = false;

  constructor(
    private readonly deadlineMs = 1500,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  /** True once a signal arrived: the start must not begin anything new. */
  get stopping(): boolean {
    return this.started;
  }

  /** Installs the signal handlers. */
  listen(): this {
    process.on('SIGINT', () => void this.stop());
    process.on('SIGTERM', () => void this.stop());
    return this;
  }

  /** Something stopped before the database: the API, the worker (all of them at once). */
  beforeDatabase(step: (remainingMs: number) => Promise<unknown>): void {
    this.first.push(() => step(this.remaining()));
  }

  /** The database (its pool, then the server), after everything that uses it. */
  database(step: (remainingMs: number) => Promise<unknown>): void {
    this.last.unshift(() => step(this.remaining()));
  }

  private deadline = 0;

  private remaining(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  async stop(code = 0): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.deadline = Date.now() + this.deadlineMs;
    const timer = setTimeout(() => {
      process.stderr.write(`gke-emulator: stopped after ${this.deadlineMs} ms with work still running\n`);
      this.exit(code);
    }, this.deadlineMs);
    const settle = (steps: (() => Promise<unknown>)[]) =>
      Promise.all(steps.map((step) => step().catch(() => undefined)));
    await settle(this.first);
    for (const step of this.last) await settle([step]);
    clearTimeout(timer);
    this.exit(code);
  }
}

/** `work`, or nothing after `ms`: for a step whose end does not matter once the process exits. */
export function bounded(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.finally(() => clearTimeout(timer)),
    new Promise((resolveLate) => (timer = setTimeout(resolveLate, ms))),
  ]);
}

/** Records SIGINT/SIGTERM instead of dying of them, until `release()`: for work that must not be cut short. */
export function holdSignals(): { readonly signalled: boolean; release(): void } {
  let signalled = false;
  const hold = () => (signalled = true);
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  return {
    get signalled() {
      return signalled;
    },
    release() {
      process.removeListener('SIGINT', hold);
      process.removeListener('SIGTERM', hold);
    },
  };
}
