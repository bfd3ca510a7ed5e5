/**
 * How `gke-emulator start` ends on SIGINT/SIGTERM once its server's modules have loaded (before, the signal's default
 * action ends it at once; its supervisor stops PostgreSQL): everything the start has begun (the database, the API,
 * the worker) is stopped at once, in parallel — PostgreSQL's fast shutdown rolls back what is in flight and keeps
 * every commit, so nothing needs the API closed first — and the process exits within `deadlineMs` (1 s) of the stop's
 * steps starting, whatever a step is waiting for (a long request, initdb). A step still running at the deadline is
 * cut short: every write is durable, and the database's own supervisor finishes its shutdown after we exit (the next
 * start waits for it). Migrations are one of the steps: they run in one transaction, and stopping them rolls it back.
 */
export class Shutdown {
  private readonly steps: ((remainingMs: number) => Promise<unknown>)[] = [];
  private started = false;
  private deadline = 0;

  constructor(
    private readonly deadlineMs = 1000,
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

  /** Something to stop (the API, the worker, the database's pool and server): all of them at once. */
  step(step: (remainingMs: number) => Promise<unknown>): void {
    this.steps.push(step);
  }

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
    await Promise.all(this.steps.map((step) => step(this.remaining()).catch(() => undefined)));
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
