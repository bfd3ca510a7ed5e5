// The worker process's entry to this library (`@gke-emulator/operations/worker`): the hourly pruning alone, without
// the Nest module and services the barrel (index.ts) also exports.
export { OPERATION_RETENTION_DAYS, pruneOperations, type PruneClient } from './retention/operation-retention';
