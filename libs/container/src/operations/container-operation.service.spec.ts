import { describe, expect, it } from 'vitest';
import type { Database, Tx } from '@gke-emulator/db';
import { OperationScheduler, type OperationTimingService } from '@gke-emulator/operations';
import type { ContainerContext } from '../wire/container-context';
import { ContainerOperationRepository } from './container-operation.repository';
import { ContainerOperationService, CREATE_CLUSTER_METRICS } from './container-operation.service';

const BASE = 'http://127.0.0.1:8085/v1/';
const ctx: ContainerContext = { project: 'p', base: BASE, link: (path) => `${BASE}${path}` };

function service(delayMs: number): ContainerOperationService {
  const timing = { delayMs: async () => delayMs } as unknown as OperationTimingService;
  return new ContainerOperationService(
    new ContainerOperationRepository({} as Database),
    new OperationScheduler(timing),
  );
}

/** A transaction that knows project `p` as number 123 and keeps the operation rows it is given. */
function fakeTx(): { tx: Tx; created: Record<string, unknown>[] } {
  const created: Record<string, unknown>[] = [];
  const tx = {
    $queryRaw: async () => [{ number: 123n }],
    containerOperation: {
      create: async ({ data }: { data: Record<string, unknown> }) => void created.push(data),
    },
  } as unknown as Tx;
  return { tx, created };
}

describe('ContainerOperationService', () => {
  it('records an operation whose links name the project by number, and stores it', async () => {
    const { tx, created } = fakeTx();
    const op = await service(0).record(tx, {
      project: 'p',
      location: 'us-central1-a',
      type: 'DELETE_CLUSTER',
      target: 'clusters/c',
    });
    expect(op.name).toMatch(/^operation-\d+-[0-9a-f]{8}$/);
    expect(created).toEqual([
      expect.objectContaining({ projectId: 'p', location: 'us-central1-a', name: op.name }),
    ]);
  });

  it('renders a running zonal operation byte for byte', async () => {
    const { tx } = fakeTx();
    const op = await service(60_000).record(tx, {
      project: 'p',
      location: 'us-central1-a',
      type: 'CREATE_CLUSTER',
      target: 'clusters/c',
      metrics: CREATE_CLUSTER_METRICS,
    });
    expect(JSON.stringify(service(0).render(op, ctx))).toBe(
      JSON.stringify({
        name: op.name,
        zone: 'us-central1-a',
        operationType: 'CREATE_CLUSTER',
        status: 'RUNNING',
        selfLink: `${BASE}projects/123/zones/us-central1-a/operations/${op.name}`,
        targetLink: `${BASE}projects/123/zones/us-central1-a/clusters/c`,
        startTime: op.insert_time.toISOString(),
      }),
    );
  });

  it('renders a finished regional operation byte for byte: detail, endTime and progress metrics', async () => {
    const { tx } = fakeTx();
    const op = await service(0).record(tx, {
      project: 'p',
      location: 'us-central1',
      type: 'UPGRADE_NODES',
      target: 'clusters/c/nodePools/pool',
      detail: 'Upgrading nodes',
      metrics: [{ name: 'NODES_TOTAL', intValue: '3' }],
    });
    expect(JSON.stringify(service(0).render(op, ctx))).toBe(
      JSON.stringify({
        name: op.name,
        zone: 'us-central1',
        operationType: 'UPGRADE_NODES',
        status: 'DONE',
        detail: 'Upgrading nodes',
        selfLink: `${BASE}projects/123/locations/us-central1/operations/${op.name}`,
        targetLink: `${BASE}projects/123/locations/us-central1/clusters/c/nodePools/pool`,
        startTime: op.insert_time.toISOString(),
        endTime: op.done_at.toISOString(),
        progress: { metrics: [{ name: 'NODES_TOTAL', intValue: '3' }] },
      }),
    );
  });

  it('renders as accepted by default, and at the time given on reads', async () => {
    const { tx } = fakeTx();
    const op = await service(200).record(tx, {
      project: 'p',
      location: 'us-central1-a',
      type: 'SET_LABELS',
      target: 'clusters/c',
    });
    expect(op.done_at.getTime() - op.insert_time.getTime()).toBe(200);
    expect(service(0).render(op, ctx)).toMatchObject({ status: 'RUNNING' });
    const at = (ms: number) => new Date(op.insert_time.getTime() + ms);
    expect(service(0).render(op, ctx, at(199))).toMatchObject({ status: 'RUNNING' });
    expect(service(0).render(op, ctx, at(200))).toMatchObject({ status: 'DONE' });
  });
});
