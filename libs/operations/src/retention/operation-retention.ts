/** Operations older than this are forgotten, so a long-lived emulator does not grow without bound. */
export const OPERATION_RETENTION_DAYS = 7;

/** Both APIs' operation tables: Compute's (`compute#operation`) and GKE's. */
const OPERATION_TABLES = ['operation', 'container_operation'] as const;

/** The one call of a pg client (graphile-worker's) or a unit of work that pruning makes. */
export interface PruneClient {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Deletes the Compute and GKE operations accepted more than `days` days ago (the worker's hourly job). */
export async function pruneOperations(
  client: PruneClient,
  days: number = OPERATION_RETENTION_DAYS,
): Promise<void> {
  for (const table of OPERATION_TABLES) {
    await client.query(`delete from ${table} where insert_time < now() - make_interval(days => $1)`, [days]);
  }
}
