import type { EmulatorConfig } from '@gke-emulator/common';
import type { LaunchedEmbeddedPostgres } from '@gke-emulator/db';

/**
 * Embedded PostgreSQL, launched (a child process) before the server's modules are imported so that it starts while
 * they load; none when DATABASE_URL is given. Hand the result to `openDatabase(config, { embedded })`.
 */
export async function launchEmbeddedDatabase(
  config: Pick<EmulatorConfig, 'databaseUrl' | 'dataDir' | 'ephemeral'>,
  progress?: (message: string) => void,
): Promise<LaunchedEmbeddedPostgres | undefined> {
  if (config.databaseUrl) return undefined;
  const { launchEmbeddedPostgres } = await import('@gke-emulator/db');
  return launchEmbeddedPostgres({ dataDir: config.dataDir, ephemeral: config.ephemeral, progress });
}
