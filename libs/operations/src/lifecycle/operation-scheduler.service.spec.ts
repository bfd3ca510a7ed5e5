import { describe, expect, it } from 'vitest';
import type { SqlClient } from '@gke-emulator/db';
import type { OperationTimingService } from '../settings/operation-timing.service';
import { OperationScheduler } from './operation-scheduler.service';

describe('OperationScheduler', () => {
  it("starts an operation now, DONE after its project's delay read through the open transaction", async () => {
    const reads: unknown[][] = [];
    const timing = {
      delayMs: async (...args: unknown[]) => {
        reads.push(args);
        return 1500;
      },
    } as unknown as OperationTimingService;
    const tx = { query: async () => [] } as SqlClient;
    const before = Date.now();
    const times = await new OperationScheduler(timing).schedule('p', tx);
    expect(reads).toEqual([['p', tx]]);
    expect(times.insertTime.getTime()).toBeGreaterThanOrEqual(before);
    expect(times.doneAt.getTime() - times.insertTime.getTime()).toBe(1500);
  });
});
