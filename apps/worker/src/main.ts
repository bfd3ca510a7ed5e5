// apps/worker: the job runner alone, against DATABASE_URL. Several may run against one database.
import { ConfigError, loadConfig, saveCodeCache } from '@gke-emulator/common';
import { migrateDatabase } from '@gke-emulator/db';
import { startWorker, type WorkerServer } from '@gke-emulator/server/worker';

let worker: WorkerServer | undefined;
let stopping = false;
const migrations = new AbortController();

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  migrations.abort();
  // A job in progress is cut short after 5 s: a worker killed mid-job is recovered by the others' sweep.
  setTimeout(() => process.exit(0), 5000).unref();
  await worker?.stop();
  process.exit(0);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Started by `gke-emulator start` with an IPC channel it never uses: the channel closes when that process ends,
  // however it ends (SIGKILL, the OOM killer), and the worker must not outlive it.
  if (process.channel) {
    process.on('disconnect', () => void stop());
    process.channel.unref();
  }
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'the standalone worker needs DATABASE_URL');
  await migrateDatabase(config.databaseUrl, undefined, undefined, migrations.signal);
  if (stopping) return;
  worker = await startWorker({ databaseUrl: config.databaseUrl });
  if (stopping) return void (await worker.stop());
  process.stdout.write('gke-emulator worker running\n');
  saveCodeCache();
}

main().catch((error: unknown) => {
  if (stopping) return;
  process.stderr.write(`gke-emulator worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
