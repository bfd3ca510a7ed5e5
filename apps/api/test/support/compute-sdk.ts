import { GlobalOperationsClient, RegionOperationsClient } from '@google-cloud/compute';
import request from 'supertest';
import { expect } from 'vitest';
import { computeClientOptions, testProject, type TestApp } from '@gke-emulator/testing';

/** What the specs driving @google-cloud/compute read of an operation. */
export type Operation = {
  name?: string | null;
  status?: unknown;
  operationType?: string | null;
  targetLink?: string | null;
  error?: { errors?: { code?: string | null; message?: string | null }[] | null } | null;
};
/** A client's long-running operation, as a write method answers it (`[lro, ...]`). */
export type Lro = { latestResponse: unknown };

/**
 * What a rejected call carried: its HTTP status and Google's error message. With a PassThroughClient the REST
 * transport rejects with the HTTP error, whose message is the response body (Google's error JSON): read the
 * message out of it, so the assertions compare Google's words and not their JSON escaping.
 */
export async function googleError(call: Promise<unknown>): Promise<{ status: unknown; message: string }> {
  const error = await call.then(
    () => {
      throw new Error('the call succeeded; an error was expected');
    },
    (rejected: unknown) => rejected as { message: string; status?: unknown; code?: unknown },
  );
  let message = error.message;
  try {
    message = (JSON.parse(message) as { error: { message: string } }).error.message;
  } catch {
    // Already the bare message.
  }
  return { status: error.status ?? error.code, message };
}

/**
 * A fresh project whose operations stay RUNNING for `delayMs`, so the clients' polling is exercised, and the
 * followers of its operations: `waitGlobal`/`waitRegion` take a write's `[lro, ...]`, check the operation was
 * RUNNING first and follow it with operations.wait to DONE.
 */
export async function slowOperationsProject(app: TestApp, prefix: string, delayMs: number) {
  const project = testProject(prefix);
  await request(app.url)
    .patch('/emulator/v1/settings')
    .query({ project })
    .send({ operationDelayMs: delayMs })
    .expect(200);
  const options = computeClientOptions(app);
  const globalOps = new GlobalOperationsClient(options);
  const regionOps = new RegionOperationsClient(options);
  const follow = async (lro: Lro, wait: (name: string) => Promise<Operation>): Promise<Operation> => {
    let op = lro.latestResponse as Operation;
    expect(op.status).toBe('RUNNING');
    for (let polls = 0; op.status !== 'DONE'; polls++) {
      if (polls > 50) throw new Error('operation never finished');
      op = await wait(String(op.name));
    }
    return op;
  };
  return {
    project,
    options,
    link: (path: string) => `${app.url}/compute/v1/projects/${project}/${path}`,
    waitGlobal: ([lro]: [Lro, ...unknown[]]) =>
      follow(lro, async (operation) => (await globalOps.wait({ project, operation }))[0]),
    waitRegion: ([lro]: [Lro, ...unknown[]], region = 'us-central1') =>
      follow(lro, async (operation) => (await regionOps.wait({ project, region, operation }))[0]),
  };
}
