import { describe, expect, it } from 'vitest';
import type { OperationRepository } from './operation.repository';
import type { OperationTimingService } from './operation-timing.service';
import { OperationService } from './operation.service';

const BASE = 'http://127.0.0.1:8085/compute/v1/';

function service(delayMs: number): OperationService {
  const timing = { delayMs: async () => delayMs } as unknown as OperationTimingService;
  return new OperationService({} as OperationRepository, timing);
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
