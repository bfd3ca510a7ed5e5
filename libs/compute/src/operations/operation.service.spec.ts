import { describe, expect, it } from 'vitest';
import { computeTimestamp } from '../shared/timestamps';
import type { OperationRepository } from './operation.repository';
import { OperationScheduler, type OperationTimingService } from '@gke-emulator/operations';
import { OperationService } from './operation.service';

const BASE = 'http://127.0.0.1:8085/compute/v1/';

function service(delayMs: number): OperationService {
  const timing = { delayMs: async () => delayMs } as unknown as OperationTimingService;
  return new OperationService({} as OperationRepository, new OperationScheduler(timing));
}

const insert = {
  project: 'p',
  scope: 'global',
  operationType: 'insert',
  targetLink: 'projects/p/global/networks/vpc',
  targetId: 1n,
} as const;

describe('OperationService.render', () => {
  it('answers a mutation with its operation as accepted: RUNNING while a delay applies, however late it renders', async () => {
    const op = await service(200).prepare(insert);
    expect(op.doneAt.getTime() - op.insertTime.getTime()).toBe(200);
    expect(service(200).render(op, BASE)).toMatchObject({ status: 'RUNNING', progress: 0 });
    expect(service(200).render(op, BASE)).not.toHaveProperty('endTime');
  });

  it('reads at the time given: DONE with its endTime once the delay has passed', async () => {
    const op = await service(200).prepare(insert);
    const later = new Date(op.insertTime.getTime() + 300);
    expect(service(200).render(op, BASE, later)).toMatchObject({ status: 'DONE', progress: 100 });
    expect(service(200).render(op, BASE, later)).toHaveProperty('endTime');
    expect(service(200).render(op, BASE, new Date(op.insertTime.getTime() + 199))).toMatchObject({
      status: 'RUNNING',
    });
  });

  it('answers DONE at once when no delay applies', async () => {
    const op = await service(0).prepare(insert);
    expect(service(0).render(op, BASE)).toMatchObject({ status: 'DONE' });
  });
});

describe('OperationService wire shape', () => {
  const zonalFailure = {
    project: 'p',
    scope: 'zones/us-central1-a',
    operationType: 'delete',
    targetLink: 'projects/p/zones/us-central1-a/instanceGroups/ig',
    targetId: 7n,
    requestId: 'r-1',
    error: {
      code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE',
      message: 'in use',
      httpStatus: 400,
      httpMessage: 'BAD REQUEST',
    },
  };

  it('renders a running regional operation byte for byte (keys sorted, links on the base)', async () => {
    const op = await service(60_000).prepare({ ...insert, scope: 'us-central1' });
    expect(JSON.stringify(service(0).render(op, BASE))).toBe(
      JSON.stringify({
        id: op.id.toString(),
        insertTime: computeTimestamp(op.insertTime),
        kind: 'compute#operation',
        name: op.name,
        operationType: 'insert',
        progress: 0,
        region: `${BASE}projects/p/regions/us-central1`,
        selfLink: `${BASE}projects/p/regions/us-central1/operations/${op.name}`,
        startTime: computeTimestamp(op.insertTime),
        status: 'RUNNING',
        targetId: '1',
        targetLink: `${BASE}projects/p/global/networks/vpc`,
        user: 'user@gke-emulator.local',
      }),
    );
  });

  it('renders a failed zonal operation byte for byte once DONE, error and HTTP status included', async () => {
    const op = await service(0).prepare(zonalFailure);
    expect(JSON.stringify(service(0).render(op, BASE))).toBe(
      JSON.stringify({
        clientOperationId: 'r-1',
        endTime: computeTimestamp(op.doneAt),
        error: { errors: [{ code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE', message: 'in use' }] },
        httpErrorMessage: 'BAD REQUEST',
        httpErrorStatusCode: 400,
        id: op.id.toString(),
        insertTime: computeTimestamp(op.insertTime),
        kind: 'compute#operation',
        name: op.name,
        operationType: 'delete',
        progress: 100,
        selfLink: `${BASE}projects/p/zones/us-central1-a/operations/${op.name}`,
        startTime: computeTimestamp(op.insertTime),
        status: 'DONE',
        targetId: '7',
        targetLink: `${BASE}projects/p/zones/us-central1-a/instanceGroups/ig`,
        user: 'user@gke-emulator.local',
        zone: `${BASE}projects/p/zones/us-central1-a`,
      }),
    );
  });
});
