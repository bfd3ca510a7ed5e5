import type { Logger } from '@nestjs/common';

/**
 * Runs a controller's reconciles one at a time per key, coalescing: a change that arrives while its key is being
 * reconciled makes one more pass afterwards, however many arrive. Errors are logged and the next change retries.
 */
export class ReconcileQueue<T> {
  private readonly running = new Map<string, { again: T | undefined; done: Promise<void> }>();
  private closed = false;

  constructor(
    private readonly keyOf: (item: T) => string,
    private readonly work: (item: T) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  schedule(item: T): void {
    if (this.closed) return;
    const key = this.keyOf(item);
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
        } catch (error) {
          this.logger.warn(`${key}: ${error instanceof Error ? error.message : String(error)}`);
        }
        next = entry.again;
      }
      this.running.delete(key);
    })();
    this.running.set(key, entry);
  }

  /** Resolves when every reconcile asked for so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((entry) => entry.done));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.running.values()].map((entry) => entry.done.catch(() => undefined)));
  }
}
