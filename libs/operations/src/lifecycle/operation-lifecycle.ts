/** When an operation was accepted, and when it is DONE (accepted time plus the delay that applied). */
export interface OperationTimes {
  insertTime: Date;
  doneAt: Date;
}

/**
 * The life of an emulated operation: RUNNING from its acceptance until `doneAt`, then DONE. Derived when read
 * instead of stored, so it needs no background process and every process against one database agrees.
 */
export type OperationStatus = 'RUNNING' | 'DONE';

/** Whether the operation is DONE at `at`: at `doneAt` itself it is. */
export function isOperationDone(op: Pick<OperationTimes, 'doneAt'>, at: Date): boolean {
  return at.getTime() >= op.doneAt.getTime();
}

export function operationStatus(op: Pick<OperationTimes, 'doneAt'>, at: Date): OperationStatus {
  return isOperationDone(op, at) ? 'DONE' : 'RUNNING';
}

/** An operation accepted at `now` under `delayMs`. */
export function operationTimes(now: Date, delayMs: number): OperationTimes {
  return { insertTime: now, doneAt: new Date(now.getTime() + delayMs) };
}

/** Compute's `operations.wait` returns after at most about two minutes, done or not. */
export const WAIT_DEADLINE_MS = 120_000;

/** How long a wait that starts at `now` sleeps: until the operation is DONE, at most `deadlineMs`. */
export function waitMs(
  op: Pick<OperationTimes, 'doneAt'>,
  now: number,
  deadlineMs: number = WAIT_DEADLINE_MS,
): number {
  return Math.max(0, Math.min(op.doneAt.getTime() - now, deadlineMs));
}

/** The clock and timer a wait uses (tests give their own). */
export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: WaitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Resolves once the operation is DONE, or once `deadlineMs` has passed (the caller reads it again either way). A
 * timer may fire a millisecond before the wall clock reaches its time (timers and `Date.now()` round differently),
 * so the wait sleeps again until the clock says DONE: the answer read right after it is never still RUNNING.
 */
export async function waitForOperation(
  op: Pick<OperationTimes, 'doneAt'>,
  deadlineMs: number = WAIT_DEADLINE_MS,
  clock: WaitClock = REAL_CLOCK,
): Promise<void> {
  const until = clock.now() + deadlineMs;
  for (;;) {
    const now = clock.now();
    const sleep = Math.min(op.doneAt.getTime() - now, until - now);
    if (sleep <= 0) return;
    await clock.sleep(sleep);
  }
}
