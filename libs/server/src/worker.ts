// The worker process's entry to this library (`@gke-emulator/server/worker`): the job runner alone, so the worker's
// bundle holds none of the HTTP/GraphQL server the barrel (index.ts) also exports.
export { startWorker, type WorkerServer } from './start-worker';
