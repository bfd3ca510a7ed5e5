import { createPool } from '@gke-emulator/db';
import {
  computeClusterDataplane,
  recordDataplaneFailure,
  requeueStaleClusters,
} from '@gke-emulator/effective/worker';
import { pruneOperations } from '@gke-emulator/operations/worker';
import type { Runner, TaskList } from 'graphile-worker';

export interface WorkerServer {
  stop(): Promise<void>;
}

/**
 * The job runner (graphile-worker on the same PostgreSQL; see docs/decisions.md for why). Several workers may run
 * against one database: graphile-worker hands each job to exactly one of them and retries jobs of a worker that
 * died. The data-plane computations land here as tasks.
 */
/** How often the worker looks for clusters whose results are behind with no live job (a worker died mid-job). */
export const STALE_SWEEP_MS = 2000;

const TASKS: TaskList = {
  compute_cluster_dataplane: async (payload, helpers) => {
    const clusterId = BigInt(String((payload as { clusterId?: unknown }).clusterId));
    await helpers.withPgClient(async (client) => {
      try {
        const outcome = await computeClusterDataplane(client, clusterId);
        helpers.logger.debug(`dataplane ${JSON.stringify(outcome)}`);
      } catch (error) {
        await recordDataplaneFailure(client, clusterId, error).catch(() => undefined);
        throw error;
      }
    });
  },
  prune_operations: async (_payload, helpers) => {
    await helpers.withPgClient((client) => pruneOperations(client));
  },
};

export async function startWorker(options: {
  databaseUrl: string;
  concurrency?: number;
}): Promise<WorkerServer> {
  const { run, Logger } = await import('graphile-worker');
  const pgPool = createPool(options.databaseUrl, (options.concurrency ?? 2) + 2);
  const runner: Runner = await run({
    pgPool,
    concurrency: options.concurrency ?? 2,
    noHandleSignals: true,
    // Jobs due now arrive by LISTEN/NOTIFY, at once; the poll finds jobs that were due later (a data-plane
    // computation delayed after a long one).
    pollInterval: 250,
    taskList: TASKS,
    crontab: '0 * * * * prune_operations',
    logger: new Logger(() => () => undefined),
  });
  let stopped = false;
  const sweep = setInterval(() => {
    void pgPool
      .connect()
      .then(async (client) => {
        try {
          await requeueStaleClusters(client);
        } finally {
          client.release();
        }
      })
      .catch(() => undefined);
  }, STALE_SWEEP_MS);
  sweep.unref();
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(sweep);
      await runner.stop();
      await pgPool.end().catch(() => undefined);
    },
  };
}
