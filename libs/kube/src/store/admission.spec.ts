import { describe, expect, it } from 'vitest';
import type { ClusterRecord } from '@gke-emulator/container';
import type { UnitOfWork } from '@gke-emulator/db';
import type { KubeObject } from '../api/kube-object';
import { kindByResource } from '../api/resources';
import { admissionWriter } from './admission';
import type { KubeStore } from './kube-store';

const PODS = kindByResource('pods');

describe('the admission writer', () => {
  const sql = { name: 'the write`s transaction' } as unknown as UnitOfWork;
  const cluster = { id: 7n } as unknown as ClusterRecord;
  const calls: unknown[][] = [];
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x' } };
  const store = {
    lockCluster: async (...args: unknown[]) => void calls.push(['lockCluster', ...args]),
    get: async (...args: unknown[]) => (calls.push(['get', ...args]), pod),
    list: async (...args: unknown[]) => (
      calls.push(['list', ...args]),
      { items: [pod], resourceVersion: '9' }
    ),
    create: async (...args: unknown[]) => (calls.push(['create', ...args]), pod),
    update: async (...args: unknown[]) => (calls.push(['update', ...args]), pod),
    delete: async (...args: unknown[]) => (calls.push(['delete', ...args]), pod),
  } as unknown as KubeStore;
  const objects = admissionWriter(store, sql, cluster);

  it('binds every operation to the write`s transaction and cluster', async () => {
    calls.length = 0;
    await objects.lockCluster();
    expect(await objects.get(PODS, 'x', 'p')).toBe(pod);
    await objects.delete(PODS, 'x', 'p');
    expect(calls).toEqual([
      ['lockCluster', sql, cluster],
      ['get', sql, cluster, PODS, 'x', 'p'],
      ['delete', sql, cluster, PODS, 'x', 'p'],
    ]);
  });

  it('lists the items only, passing on no paging', async () => {
    calls.length = 0;
    const filter = () => true;
    expect(
      await objects.list(PODS, { namespace: 'x', filter, limit: 1 } as Parameters<typeof objects.list>[1]),
    ).toEqual([pod]);
    expect(calls).toEqual([['list', sql, cluster, PODS, { namespace: 'x', filter }]]);
  });

  it('passes on only a created object`s uid and an update`s status subresource', async () => {
    calls.length = 0;
    await objects.create(PODS, pod, { uid: 'u', dryRun: true } as Parameters<typeof objects.create>[2]);
    await objects.create(PODS, pod);
    await objects.update(PODS, pod, { subresource: 'status' });
    await objects.update(PODS, pod, { expectedResourceVersion: '1' } as Parameters<typeof objects.update>[2]);
    expect(calls).toEqual([
      ['create', sql, cluster, PODS, pod, { uid: 'u' }],
      ['create', sql, cluster, PODS, pod, {}],
      ['update', sql, cluster, PODS, pod, { subresource: 'status' }],
      ['update', sql, cluster, PODS, pod, {}],
    ]);
  });
});
