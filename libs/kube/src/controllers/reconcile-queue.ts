import type { Logger } from '@nestjs/common';

/** Retries of a failed reconcile, as a controller's rate-limited work queue requeues it: after 0.5, 1, 2, 4, 8 s. */
export const RECONCILE_RETRIES = 5;
const FIRST_RETRY_MS = 500;

/**
 * Runs a controller's reconciles one at a time per key, coalescing: a change that arrives while its key is being
 * reconciled makes one more pass afterwards, however many arrive. A failed reconcile is logged and retried with
 * exponential backoff (`RECONCILE_RETRIES` times; a transient failure, such as two controllers creating the same
 * instance group at once, heals without waiting for the next change); a new change retries at once.
 */
export class ReconcileQueue<T> {
  private readonly running = new Map<string, { again: T | undefined; done: Promise<void> }>();
  private readonly retries = new Map<string, { attempt: number; timer?: NodeJS.Timeout }>();
  private closed = false;

  constructor(
    private readonly keyOf: (item: T) => string,
    private readonly work: (item: T) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  schedule(item: T): void {
    this.run(item, false);
  }

  private run(item: T, retry: boolean): void {
    if (this.closed) return;
    const key = this.keyOf(item);
    const pending = this.retries.get(key);
    if (pending?.timer) {
      clearTimeout(pending.timer);
      pending.timer = undefined;
    }
    if (!retry) this.retries.delete(key);
    const current = this.running.get(key);
    if (current) {
      current.again = item;
      return;
    }
    const entry: { again: T | undefined; done: Promise<void> } = {
      again: undefined,
      done: Promise.resolve(),
    };
    entry.done = (async () => {
      let next: T | undefined = item;
      while (next !== undefined && !this.closed) {
        entry.again = undefined;
        try {
          await this.work(next);
          if (entry.again === undefined) this.retries.delete(key);
        } catch (error) {
          this.logger.warn(`${key}: ${error instanceof Error ? error.message : String(error)}`);
          if (entry.again === undefined) this.retryLater(key, next);
        }
        next = entry.again;
      }
      this.running.delete(key);
    })();
    this.running.set(key, entry);
  }

  private retryLater(key: string, item: T): void {
    const state = this.retries.get(key) ?? { attempt: 0 };
    if (this.closed || state.attempt >= RECONCILE_RETRIES) {
      this.retries.delete(key);
      return;
    }
    const timer = setTimeout(
      () => {
        state.timer = undefined;
        this.run(item, true);
      },
      FIRST_RETRY_MS * 2 ** state.attempt,
    );
    timer.unref();
    state.attempt++;
    state.timer = timer;
    this.retries.set(key, state);
  }

  /** Resolves when every reconcile asked for so far has finished (retries waiting for their backoff aside). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((entry) => entry.done));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { timer } of this.retries.values()) if (timer) clearTimeout(timer);
    this.retries.clear();
    await Promise.all([...this.running.values()].map((entry) => entry.done.catch(() => undefined)));
  }
}
