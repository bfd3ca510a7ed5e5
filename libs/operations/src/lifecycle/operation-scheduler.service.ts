import { Injectable } from '@nestjs/common';
import type { SqlClient } from '@gke-emulator/db';
import { OperationTimingService } from '../settings/operation-timing.service';
import { operationTimes, type OperationTimes } from './operation-lifecycle';

/** Starts operations: every Compute and GKE mutation's operation is DONE after the delay its project sees. */
@Injectable()
export class OperationScheduler {
  constructor(private readonly timing: OperationTimingService) {}

  /**
   * The times of an operation a mutation of `project` records now. Inside the mutation's unit of work pass it: the
   * delay is read through it, never from the pool while it is open.
   */
  async schedule(project: string, tx?: SqlClient): Promise<OperationTimes> {
    const now = new Date();
    return operationTimes(now, await this.timing.delayMs(project, tx));
  }
}
