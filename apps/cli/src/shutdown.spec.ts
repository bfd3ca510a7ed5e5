import { describe, expect, it } from 'vitest';
import { Shutdown, bounded } from './shutdown';

describe('Shutdown', () => {
  it('stops the users of the database first (together), then the database steps, last registered first', async () => {
    const order: string[] = [];
    let exitCode: number | undefined;
    const shutdown = new Shutdown(10_000, (code) => (exitCode = code));
    shutdown.database(async () => void order.push('server'));
    shutdown.database(async () => void order.push('pool'));
    shutdown.beforeDatabase(async () => {
      await new Promise((resolveLater) => setTimeout(resolveLater, 20));
      order.push('api');
    });
    shutdown.beforeDatabase(async () => void order.push('worker'));
    expect(shutdown.stopping).toBe(false);
    await shutdown.stop();
    expect(shutdown.stopping).toBe(true);
    expect(order).toEqual(['worker', 'api', 'pool', 'server']);
    expect(exitCode).toBe(0);
  });

  it('exits at the deadline when a step never ends, and a failing step does not stop the others', async () => {
    const exits: number[] = [];
    const shutdown = new Shutdown(50, (code) => exits.push(code));
    let serverStopped = false;
    shutdown.beforeDatabase(() => Promise.reject(new Error('boom')));
    shutdown.database(async () => void (serverStopped = true));
    shutdown.database(() => new Promise(() => undefined));
    const stopped = shutdown.stop();
    await new Promise((resolveLater) => setTimeout(resolveLater, 200));
    expect(exits).toEqual([0]);
    expect(serverStopped).toBe(false);
    void stopped;
  });

  it('passes each step the time left', async () => {
    const shutdown = new Shutdown(1000, () => undefined);
    let given = -1;
    shutdown.database(async (remainingMs) => void (given = remainingMs));
    await shutdown.stop();
    expect(given).toBeGreaterThan(0);
    expect(given).toBeLessThanOrEqual(1000);
  });
});

describe('bounded', () => {
  it('settles with the work, or after the bound', async () => {
    expect(await bounded(Promise.resolve('done'), 1000)).toBe('done');
    expect(await bounded(new Promise(() => undefined), 10)).toBeUndefined();
  });
});
