import { describe, expect, it } from 'vitest';
import type { ClusterDirectory, ClusterRecord, NodeRecord } from '@gke-emulator/container';
import type { Database } from '@gke-emulator/db';
import { DataplaneChannel } from '../dataplane-channel';
import type { NodeEffectiveStateChangeModel } from './effective-state.models';
import {
  DATAPLANE_NODE_CHANNEL,
  NodeEffectiveStateEvents,
  parseDataplaneNodeNotification,
} from './node-effective-state.events';

describe('parseDataplaneNodeNotification', () => {
  it.each([
    [
      '{"clusterId":"12","generation":"7","nodes":["a","b"]}',
      { clusterId: '12', generation: '7', nodes: ['a', 'b'] },
    ],
    ['{"clusterId":"12","generation":"7","nodes":null}', { clusterId: '12', generation: '7', nodes: null }],
    ['{"clusterId":12,"generation":7,"nodes":[]}', { clusterId: '12', generation: '7', nodes: [] }],
  ])('%s', (payload, expected) => {
    expect(parseDataplaneNodeNotification(payload)).toEqual(expected);
  });

  it.each([
    '',
    'not json',
    'null',
    '[]',
    '{"generation":"7","nodes":null}',
    '{"clusterId":"x","generation":"7","nodes":null}',
    '{"clusterId":"1","nodes":null}',
    '{"clusterId":"1","generation":"7"}',
    '{"clusterId":"1","generation":"7","nodes":[1]}',
    '{"clusterId":"1","generation":"7","nodes":"a"}',
  ])('ignores %j', (payload) => {
    expect(parseDataplaneNodeNotification(payload)).toBeNull();
  });
});

/** The events hub over a fake LISTEN connection and a fake directory of two clusters. */
function hub() {
  const listeners: ((payload: string) => void)[] = [];
  let listens = 0;
  let stopped = 0;
  const db = {
    listen: async (channel: string, handler: (payload: string) => void) => {
      expect(channel).toBe(DATAPLANE_NODE_CHANNEL);
      listens++;
      listeners.push(handler);
      return async () => void stopped++;
    },
  } as unknown as Database;
  const clusters: Record<string, Partial<ClusterRecord>> = {
    '1': { project: 'p', location: 'us-central1-a', name: 'c1' },
    '2': { project: 'p', location: 'us-central1-a', name: 'c2' },
  };
  const directory = {
    clusterById: async (id: bigint) => clusters[String(id)],
    listNodes: async (id: bigint) =>
      (id === 1n ? ['n1', 'n2', 'n3'] : ['m1']).map((name) => ({ name }) as NodeRecord),
  } as unknown as ClusterDirectory;
  const channel = new DataplaneChannel(db);
  const events = new NodeEffectiveStateEvents(channel, directory);
  const notify = (payload: object) => listeners.forEach((listener) => listener(JSON.stringify(payload)));
  return { events, channel, notify, counts: () => ({ listens, stopped }) };
}

async function take(iterator: AsyncIterator<NodeEffectiveStateChangeModel>, count: number) {
  const values: NodeEffectiveStateChangeModel[] = [];
  while (values.length < count) {
    const result = await iterator.next();
    if (result.done) break;
    values.push(result.value);
  }
  return values;
}

describe('NodeEffectiveStateEvents', () => {
  it('LISTENs once, from the first subscription, and sends each subscriber the nodes it asked for, in order', async () => {
    const { events, notify, counts } = hub();
    expect(counts().listens).toBe(0);
    const one = await events.subscribe({
      project: 'p',
      location: 'us-central1-a',
      cluster: 'c1',
      node: 'n2',
    });
    const all = await events.subscribe({ project: 'p', location: 'us-central1-a', cluster: 'c1' });
    const other = await events.subscribe({ project: 'p', location: 'us-central1-a', cluster: 'c2' });
    expect(counts().listens).toBe(1);

    notify({ clusterId: '1', generation: '5', nodes: ['n1'] });
    notify({ clusterId: '1', generation: '6', nodes: null });
    notify({ clusterId: '9', generation: '1', nodes: null }); // a cluster that is gone
    notify({ clusterId: '2', generation: '3', nodes: ['m1'] });

    const place = { project: 'p', location: 'us-central1-a', cluster: 'c1' };
    expect(await take(one, 1)).toEqual([{ ...place, node: 'n2', generation: '6' }]);
    expect(await take(all, 4)).toEqual([
      { ...place, node: 'n1', generation: '5' },
      { ...place, node: 'n1', generation: '6' },
      { ...place, node: 'n2', generation: '6' },
      { ...place, node: 'n3', generation: '6' },
    ]);
    expect(await take(other, 1)).toEqual([
      { project: 'p', location: 'us-central1-a', cluster: 'c2', node: 'm1', generation: '3' },
    ]);
  });

  it('ends every subscription and stops listening on shutdown; a subscription returned stops receiving', async () => {
    const { events, channel, notify, counts } = hub();
    const kept = await events.subscribe({ project: 'p', location: 'us-central1-a', cluster: 'c1' });
    const left = await events.subscribe({ project: 'p', location: 'us-central1-a', cluster: 'c1' });
    await left.return?.();
    notify({ clusterId: '1', generation: '2', nodes: ['n1'] });
    expect(await take(kept, 1)).toHaveLength(1);
    expect(await left.next()).toEqual({ value: undefined, done: true });

    const waiting = kept.next();
    events.onModuleDestroy();
    await channel.onModuleDestroy();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(counts().stopped).toBe(1);
    await expect(
      events.subscribe({ project: 'p', location: 'us-central1-a', cluster: 'c1' }),
    ).rejects.toThrow();
  });
});

describe('DataplaneChannel', () => {
  it('one LISTEN for every consumer; each gets every notification in order, a slow one delaying only itself', async () => {
    const { channel, notify, counts } = hub();
    const fast: string[] = [];
    const slow: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await channel.consume('fast', (n) => void fast.push(n.generation));
    const removeSlow = await channel.consume('slow', async (n) => {
      if (n.generation === '1') await gate;
      slow.push(n.generation);
    });
    expect(counts().listens).toBe(1);
    notify({ clusterId: '1', generation: '1', nodes: null });
    notify({ clusterId: '1', generation: '2', nodes: null });
    notify({ not: 'ours' });
    // The fast consumer has both while the slow one still waits on the first.
    await expect.poll(() => fast).toEqual(['1', '2']);
    expect(slow).toEqual([]);
    release();
    await expect.poll(() => slow).toEqual(['1', '2']);
    removeSlow();
    notify({ clusterId: '1', generation: '3', nodes: null });
    await expect.poll(() => fast).toEqual(['1', '2', '3']);
    expect(slow).toEqual(['1', '2']);
    await channel.onModuleDestroy();
    expect(counts().stopped).toBe(1);
    await expect(channel.consume('late', () => undefined)).rejects.toThrow();
  });
});
