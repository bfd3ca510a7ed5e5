import { describe, expect, it } from 'vitest';
import { Shutdown, bounded } from './shutdown';

const later = (ms: number) => new Promise((resolveLater) => setTimeout(resolveLater, ms));

describe('Shutdown', () => {
  it('starts every step at once and exits 0 once they have all ended', async () => {
    const started: string[] = [];
    const ended: string[] = [];
    let exitCode: number | undefined;
    const shutdown = new Shutdown(10_000, (code) => (exitCode = code));
    for (const [name, ms] of [
      ['api', 30],
      ['worker', 10],
      ['database', 20],
    ] as const) {
      shutdown.step(async () => {
        started.push(name);
        await later(ms);
        ended.push(name);
      });
    }
    expect(shutdown.stopping).toBe(false);
    const stopped = shutdown.stop();
    expect(shutdown.stopping).toBe(true);
    // All started before any ended: the slowest step bounds the stop, not their sum.
    expect(started).toEqual(['api', 'worker', 'database']);
    expect(ended).toEqual([]);
    expect(exitCode).toBeUndefined();
    await stopped;
    expect(ended).toEqual(['worker', 'database', 'api']);
    expect(exitCode).toBe(0);
  });

  it('exits at the deadline when a step never ends, and a failing step does not stop the others', async () => {
    const exits: number[] = [];
    const shutdown = new Shutdown(50, (code) => exits.push(code));
    let serverStopped = false;
    shutdown.step(() => Promise.reject(new Error('boom')));
    shutdown.step(async () => void (serverStopped = true));
    shutdown.step(() => new Promise(() => undefined));
    void shutdown.stop();
    await later(200);
    expect(exits).toEqual([0]);
    expect(serverStopped).toBe(true);
  });

  it('passes each step the time left', async () => {
    const shutdown = new Shutdown(1000, () => undefined);
    let given = -1;
    shutdown.step(async (remainingMs) => void (given = remainingMs));
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
