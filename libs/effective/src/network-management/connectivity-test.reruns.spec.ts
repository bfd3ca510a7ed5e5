import { describe, expect, it } from 'vitest';
import type { ClusterDirectory } from '@gke-emulator/container';
import type { Database } from '@gke-emulator/db';
import { DataplaneChannel } from '../dataplane-channel';
import type { ConnectivityTestRepository } from './connectivity-test.repository';
import { ConnectivityTestReruns } from './connectivity-test.reruns';
import type { ConnectivityTestService } from './connectivity-test.service';

/** The reruns over a fake LISTEN connection and a database that keeps saved tests or not. */
function reruns(saved: boolean) {
  let listens = 0;
  let stopped = 0;
  let queries = 0;
  let use: () => void = () => undefined;
  const db = {
    listen: async () => {
      listens++;
      return async () => void stopped++;
    },
  } as unknown as Database;
  const repository = {
    anyProject: async () => {
      queries++;
      return saved;
    },
  } as unknown as ConnectivityTestRepository;
  const tests = { onUse: (hook: () => void) => (use = hook) } as unknown as ConnectivityTestService;
  const channel = new DataplaneChannel(db);
  const followed = new ConnectivityTestReruns(channel, {} as ClusterDirectory, repository, tests);
  return {
    followed,
    channel,
    use: () => use(),
    counts: () => ({ listens, stopped, queries }),
  };
}

describe('ConnectivityTestReruns.start', () => {
  it('LISTENs at start when the database keeps saved tests, once however often it is asked', async () => {
    const { followed, channel, use, counts } = reruns(true);
    await followed.start();
    await followed.start();
    use();
    expect(counts()).toEqual({ listens: 1, stopped: 0, queries: 1 });
    await followed.onModuleDestroy();
    await channel.onModuleDestroy();
    expect(counts()).toEqual({ listens: 1, stopped: 1, queries: 1 });
  });

  it('opens no LISTEN at start without saved tests; the first use still starts following', async () => {
    const { followed, channel, use, counts } = reruns(false);
    await followed.start();
    expect(counts()).toEqual({ listens: 0, stopped: 0, queries: 1 });
    use();
    await followed.watch();
    expect(counts()).toEqual({ listens: 1, stopped: 0, queries: 1 });
    await followed.onModuleDestroy();
    await channel.onModuleDestroy();
    expect(counts().stopped).toBe(1);
  });

  it('does nothing once shutting down', async () => {
    const { followed, channel, counts } = reruns(true);
    await followed.onModuleDestroy();
    await followed.start();
    await channel.onModuleDestroy();
    expect(counts()).toEqual({ listens: 0, stopped: 0, queries: 0 });
  });
});
