/** The one call of a pg client (graphile-worker's) or a unit of work that pruning makes. */
export interface PruneClient {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Both APIs' operation tables: Compute's (`compute#operation`) and GKE's. */
const OPERATION_TABLES = ['operation', 'container_operation'] as const;

/**
 * Deletes, table by table, the Compute and GKE operations accepted more than `days` days ago. A function over the
 * caller's client rather than an injected class: the worker's job runs it on graphile-worker's connection.
 */
export async function deleteOperationsOlderThan(client: PruneClient, days: number): Promise<void> {
  for (const table of OPERATION_TABLES) {
    await client.query(`delete from ${table} where insert_time < now() - make_interval(days => $1)`, [days]);
  }
}
