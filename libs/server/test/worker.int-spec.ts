import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OPERATION_RETENTION_DAYS } from '@gke-emulator/operations/worker';
import { startWorker, type WorkerServer } from '../src';

let worker: WorkerServer;
let client: Client;
beforeAll(async () => {
  client = new Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  worker = await startWorker({ databaseUrl: inject('databaseUrl') });
});
afterAll(async () => {
  await worker?.stop();
  await client?.end();
});

async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  deadlineMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('worker', () => {
  it('runs prune_operations from the queue: old Compute and GKE operations go, recent ones stay', async () => {
    const project = `worker-${Date.now()}`;
    await client.query(`insert into project (id, number) values ($1, $2)`, [project, Date.now()]);
    const insert = (id: number, name: string, ageDays: number) =>
      client.query(
        `insert into operation (id, project_id, name, scope, insert_time, done_at, resource)
         values ($1, $2, $3, 'global', now() - make_interval(days => $4), now(), '{}')`,
        [id, project, name, ageDays],
      );
    const base = Date.now() * 1000;
    await insert(base + 1, 'old', OPERATION_RETENTION_DAYS + 1);
    await insert(base + 2, 'recent', 1);
    const insertGke = (id: number, name: string, ageDays: number) =>
      client.query(
        `insert into container_operation (id, project_id, location, name, insert_time, done_at, resource)
         values ($1, $2, 'us-central1-a', $3, now() - make_interval(days => $4), now(), '{}')`,
        [id, project, name, ageDays],
      );
    await insertGke(base + 3, 'old-gke', OPERATION_RETENTION_DAYS + 1);
    await insertGke(base + 4, 'recent-gke', 1);
    // The job is added the way use cases add theirs: a SQL call that could sit in any transaction.
    await client.query(`select graphile_worker.add_job('prune_operations', '{}'::json)`);
    const names = await pollUntil(
      async () =>
        (await client.query<{ name: string }>(`select name from operation where project_id = $1`, [project]))
          .rows,
      (rows) => rows.length === 1,
    );
    expect(names.map((row) => row.name)).toEqual(['recent']);
    const gke = await pollUntil(
      async () =>
        (
          await client.query<{ name: string }>(`select name from container_operation where project_id = $1`, [
            project,
          ])
        ).rows,
      (rows) => rows.length === 1,
    );
    expect(gke.map((row) => row.name)).toEqual(['recent-gke']);
    await client.query(`delete from project where id = $1`, [project]);
  });
});
