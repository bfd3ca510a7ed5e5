// The worker process's entry to this library (`@gke-emulator/effective/worker`): the data-plane computation alone,
// so the worker's bundle holds none of the Nest modules, controllers and GraphQL the barrel (index.ts) also exports.
export {
  computeClusterDataplane,
  recordDataplaneFailure,
  requeueStaleClusters,
  STALE_LOCK_SECONDS,
  type ComputeOutcome,
  type PgClientLike,
} from './compute-cluster.task';
