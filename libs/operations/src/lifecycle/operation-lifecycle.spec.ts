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

  it('resolves at once for an operation already DONE', async () => {
    await expect(waitForOperation({ doneAt: new Date(Date.now() - 1) })).resolves.toBeUndefined();
  });
});
