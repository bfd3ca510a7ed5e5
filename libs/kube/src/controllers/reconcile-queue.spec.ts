import type { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECONCILE_RETRIES, ReconcileQueue } from './reconcile-queue';

const logger = { warn: () => undefined } as unknown as Logger;

describe('the reconcile queue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries a failed reconcile with backoff until it succeeds', async () => {
    const runs: string[] = [];
    let failures = 2;
    const queue = new ReconcileQueue<string>(
      (item) => item,
      async (item) => {
        runs.push(item);
        if (failures-- > 0) throw new Error('transient');
      },
      logger,
    );
    queue.schedule('a');
    await queue.idle();
    expect(runs).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(500);
    await queue.idle();
    expect(runs).toEqual(['a', 'a']);
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await queue.idle();
    expect(runs).toHaveLength(3);
    // succeeded: no more retries
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toHaveLength(3);
    await queue.close();
  });

  it('gives up after RECONCILE_RETRIES retries, and a new change starts afresh', async () => {
    let runs = 0;
    const queue = new ReconcileQueue<string>(
      (item) => item,
      async () => {
        runs++;
        throw new Error('permanent');
      },
      logger,
    );
    queue.schedule('a');
    await vi.advanceTimersByTimeAsync(120_000);
    await queue.idle();
    expect(runs).toBe(1 + RECONCILE_RETRIES);
    queue.schedule('a');
    await queue.idle();
    expect(runs).toBe(2 + RECONCILE_RETRIES);
    await queue.close();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runs).toBe(2 + RECONCILE_RETRIES);
  });

  it('coalesces changes that arrive during a reconcile into one more pass', async () => {
    const runs: string[] = [];
    let release: () => void = () => undefined;
    const queue = new ReconcileQueue<string>(
      () => 'key',
      async (item) => {
        runs.push(item);
        if (item === 'first') await new Promise<void>((resolve) => (release = resolve));
      },
      logger,
    );
    queue.schedule('first');
    queue.schedule('second');
    queue.schedule('third');
    release();
    await queue.idle();
    expect(runs).toEqual(['first', 'third']);
    await queue.close();
  });
});
