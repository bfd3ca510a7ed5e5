import { afterAll, beforeAll, inject } from 'vitest';
import { startWorker, type WorkerServer } from '@gke-emulator/server';
import { eventually } from './eventually';

/** Runs a worker beside the file's test app (in this process, on the test database), for all its tests. */
export function useTestWorker(): void {
  let worker: WorkerServer | undefined;
  beforeAll(async () => {
    worker = await startWorker({ databaseUrl: inject('databaseUrl') });
  });
  afterAll(async () => {
    await worker?.stop();
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the control API's answer, read loosely in assertions
type DataplaneStatus = Record<string, any>;

/**
 * Waits until every cluster of the project reflects everything written so far (`GET /emulator/v1/dataplane`), and
 * returns that answer.
 */
export async function dataplaneConverged(url: string, project: string): Promise<DataplaneStatus> {
  return eventually(async () => {
    const res = await fetch(`${url}/emulator/v1/dataplane?project=${encodeURIComponent(project)}`);
    if (res.status !== 200) throw new Error(`GET /emulator/v1/dataplane: HTTP ${res.status}`);
    const body = (await res.json()) as DataplaneStatus;
    return body['converged'] && body['clusters'].length > 0 ? body : undefined;
  }, 'the data plane to converge');
}
