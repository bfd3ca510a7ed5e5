import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Database } from '@gke-emulator/db';
import { OperationTimingService } from './operation-timing.service';

// Only per-project keys: the emulator-wide ones belong to every test sharing this database.
const db = new Database(inject('databaseUrl'), { poolSize: 4 });
afterAll(() => db.close());

const project = () => `timing-${randomUUID().slice(0, 8)}`;

describe('OperationTimingService', () => {
  it("reads a project's own settings, each apart, and falls back to the emulator-wide ones", async () => {
    const p = project();
    const timing = new OperationTimingService(db);
    const wide = await timing.settings();
    expect(await timing.settings(p)).toEqual(wide);
    await timing.update({ operationDelayMs: 1234 }, p);
    expect(await timing.settings(p)).toEqual({ ...wide, operationDelayMs: 1234 });
    await timing.setDelayMs(50, p, 'podReadyDelayMs');
    expect(await timing.delayMs(p, undefined, 'podReadyDelayMs')).toBe(50);
    expect(await timing.delayMs(p)).toBe(1234);
  });

  it('agrees across processes: a second instance (another process) reads what the first stored', async () => {
    const p = project();
    await new OperationTimingService(db).update({ operationDelayMs: 700, podReadyDelayMs: 80 }, p);
    expect(await new OperationTimingService(db).settings(p)).toEqual({
      operationDelayMs: 700,
      podReadyDelayMs: 80,
    });
  });

  it('reads through an open transaction, never the pool', async () => {
    const p = project();
    const timing = new OperationTimingService(db);
    await timing.update({ operationDelayMs: 300 }, p);
    const other = new OperationTimingService(db);
    expect(await db.transaction(async (tx) => other.delayMs(p, tx))).toBe(300);
  });

  it("forgets one project's settings with the transaction that resets it, once it commits", async () => {
    const p = project();
    const q = project();
    const timing = new OperationTimingService(db);
    await timing.update({ operationDelayMs: 900, podReadyDelayMs: 90 }, p);
    await timing.update({ operationDelayMs: 400 }, q);
    const wide = await timing.settings();
    await expect(
      db.transaction(async (tx) => {
        await timing.clear(p, tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await timing.settings(p)).toEqual({ operationDelayMs: 900, podReadyDelayMs: 90 });
    await db.transaction((tx) => timing.clear(p, tx));
    expect(await timing.settings(p)).toEqual(wide);
    expect(await timing.delayMs(q)).toBe(400);
  });
});
