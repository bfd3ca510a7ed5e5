import { deleteOperationsOlderThan, type PruneClient } from './operation-retention.repository';

export type { PruneClient } from './operation-retention.repository';

/** Operations older than this are forgotten, so a long-lived emulator does not grow without bound. */
export const OPERATION_RETENTION_DAYS = 7;

/** Deletes the Compute and GKE operations accepted more than `days` days ago (the worker's hourly job). */
export async function pruneOperations(
  client: PruneClient,
  days: number = OPERATION_RETENTION_DAYS,
): Promise<void> {
  await deleteOperationsOlderThan(client, days);
}
