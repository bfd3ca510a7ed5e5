// apps/api: the HTTP server alone, against DATABASE_URL (the docker-compose shape). Migrations run here.
import { ConfigError, loadConfig, saveCodeCache } from '@gke-emulator/common';
import { openDatabase, startApi } from '@gke-emulator/server';

async function main(): Promise<void> {
  const config = loadConfig();
  const opened = await openDatabase(config);
  const api = await startApi({
    database: opened.database,
    host: config.host,
    port: config.port,
    logLevel: config.logLevel,
    allowedHosts: config.allowedHosts,
    authToken: config.authToken,
    logFormat: config.logFormat,
  });
  process.stdout.write(`gke-emulator api listening on ${api.url}\n`);
  saveCodeCache(() => api.prepareGraphql());
  opened.database.warmUp();
  const stop = async () => {
    await api.close();
    await opened.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `gke-emulator api: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
