// apps/worker: the job runner alone, against DATABASE_URL. Several may run against one database.
import { ConfigError, loadConfig, saveCodeCache } from '@gke-emulator/common';
import { migrateDatabase } from '@gke-emulator/db';
import { startWorker } from '@gke-emulator/server';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'the standalone worker needs DATABASE_URL');
  await migrateDatabase(config.databaseUrl);
  const worker = await startWorker({ databaseUrl: config.databaseUrl });
  process.stdout.write('gke-emulator worker running\n');
  saveCodeCache();
  const stop = async () => {
    await worker.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`gke-emulator worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
