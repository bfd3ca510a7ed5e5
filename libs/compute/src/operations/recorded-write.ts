import { GoogleErrors } from '@gke-emulator/common';
import { asConstraintViolation, type Database, type Tx } from '@gke-emulator/db';
import type { ComputeContext, WireObject } from '../shared/compute-context';
import type { NewOperation } from './operation.model';
import type { OperationService } from './operation.service';

/** What a write's operation records, beside the project: its scope, type, target and the client's requestId. */
export type WriteTarget = Omit<NewOperation, 'project' | 'error'>;

/**
 * Runs `work` and records its operation in one transaction, then renders the operation. A violation of
 * `uniqueKey`, the table's (project, name) key (a resource of that name inserted meanwhile), is Google's 409
 * alreadyExists for the target; any other error is rethrown.
 */
export async function writeWithOperation(
  db: Database,
  operations: OperationService,
  ctx: ComputeContext,
  target: WriteTarget,
  uniqueKey: string,
  work: (tx: Tx) => Promise<void>,
): Promise<WireObject> {
  try {
    const op = await db.transaction(async (tx) => {
      await work(tx);
      return operations.record(tx, { project: ctx.project, ...target });
    });
    return operations.render(op, ctx.base);
  } catch (error) {
    if (asConstraintViolation(error)?.constraint === uniqueKey)
      throw GoogleErrors.alreadyExists(target.targetLink);
    throw error;
  }
}
