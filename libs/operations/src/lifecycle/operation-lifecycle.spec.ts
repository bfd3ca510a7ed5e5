import { describe, expect, it } from 'vitest';
import {
  isOperationDone,
  operationStatus,
  operationTimes,
  WAIT_DEADLINE_MS,
  waitForOperation,
  waitMs,
} from './operation-lifecycle';

const ACCEPTED = new Date('2026-01-01T00:00:00.000Z');
const after = (ms: number) => new Date(ACCEPTED.getTime() + ms);

describe('operation life cycle', () => {
  it('is accepted now and DONE after the delay', () => {
    expect(operationTimes(ACCEPTED, 250)).toEqual({ insertTime: ACCEPTED, doneAt: after(250) });
    expect(operationTimes(ACCEPTED, 0)).toEqual({ insertTime: ACCEPTED, doneAt: ACCEPTED });
  });

  it.each([
    [0, 0, 'DONE'],
    [0, 1, 'DONE'],
    [250, 0, 'RUNNING'],
    [250, 249, 'RUNNING'],
    [250, 250, 'DONE'],
    [250, 10_000, 'DONE'],
    [3_600_000, 3_599_999, 'RUNNING'],
  ] as const)('under a %i ms delay, read %i ms after acceptance, is %s', (delay, read, status) => {
    const op = operationTimes(ACCEPTED, delay);
    expect(operationStatus(op, after(read))).toBe(status);
    expect(isOperationDone(op, after(read))).toBe(status === 'DONE');
  });

  it.each([
    [250, 0, 250],
    [250, 100, 150],
    [250, 250, 0],
    [250, 900, 0],
    [3_600_000, 0, WAIT_DEADLINE_MS],
  ])(
    'a wait on an operation with a %i ms delay, begun %i ms after acceptance, sleeps %i ms',
    (delay, begun, sleep) => {
      expect(waitMs(operationTimes(ACCEPTED, delay), after(begun).getTime())).toBe(sleep);
    },
  );

  it('sleeps at most the deadline it is given', () => {
    expect(waitMs(operationTimes(ACCEPTED, 60_000), ACCEPTED.getTime(), 5)).toBe(5);
  });

  it('sleeps again when the timer fires before the clock reaches DONE (networks.e2e saw RUNNING after a wait)', async () => {
    let now = ACCEPTED.getTime();
    const sleeps: number[] = [];
    // A timer that fires one millisecond early, as Node's may against Date.now().
    const clock = {
      now: () => now,
      sleep: async (ms: number) => void (sleeps.push(ms), (now += Math.max(1, ms - 1))),
    };
    await waitForOperation({ doneAt: after(400) }, WAIT_DEADLINE_MS, clock);
    expect(now).toBeGreaterThanOrEqual(after(400).getTime());
    expect(sleeps).toEqual([400, 1]);
  });

  it('stops at the deadline however early the timer fires', async () => {
    let now = ACCEPTED.getTime();
    const clock = { now: () => now, sleep: async (ms: number) => void (now += Math.max(1, ms - 1)) };
    await waitForOperation({ doneAt: after(10 * WAIT_DEADLINE_MS) }, 1_000, clock);
    expect(now - ACCEPTED.getTime()).toBeGreaterThanOrEqual(1_000);
    expect(now - ACCEPTED.getTime()).toBeLessThan(1_010);
  });

  it('resolves at once for an operation already DONE', async () => {
    await expect(waitForOperation({ doneAt: new Date(Date.now() - 1) })).resolves.toBeUndefined();
  });
});
