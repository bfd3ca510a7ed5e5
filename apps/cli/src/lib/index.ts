// The programmatic entry of the emulator package (`dist/lib/index.js`): what @gke-emulator/sdk's
// `startEmulator({ mode: 'in-process' })` loads. Everything runs in the caller's process, the worker included.
import { loadConfig } from '@gke-emulator/common';
import { launchEmbeddedDatabase } from '../launch-embedded';

export interface InProcessOptions {
  host?: string;
  /** 0 picks a free port */
  port?: number;
  kubePort?: number;
  /** external PostgreSQL; else embedded in `dataDir` (or a throw-away one with `ephemeral`) */
  databaseUrl?: string;
  dataDir?: string;
  ephemeral?: boolean;
  operationDelayMs?: number;
  /** run the data-plane worker in this process too (default true) */
  worker?: boolean;
  logLevel?: 'silent' | 'error' | 'info' | 'debug';
  /** every API wants `Authorization: Bearer <authToken>` */
  authToken?: string;
  /** host names clients may use beyond loopback names and the listen address */
  allowedHosts?: string[];
}

export interface InProcessEmulator {
  url: string;
  kubeUrl: string;
  /** where the embedded PostgreSQL keeps its data, when one was started */
  dataDir?: string;
  /** stops the worker, the API and the embedded PostgreSQL; idempotent */
  stop(): Promise<void>;
}

/** Starts the API (and the worker) in this process; resolves once it serves. Reads no environment variable. */
export async function startInProcess(options: InProcessOptions = {}): Promise<InProcessEmulator> {
  const config = loadConfig({
    env: {},
    flags: {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      kubePort: options.kubePort ?? 0,
      databaseUrl: options.databaseUrl,
      dataDir: options.dataDir,
      ephemeral: options.ephemeral ?? false,
      operationDelayMs: options.operationDelayMs ?? 0,
      logLevel: options.logLevel ?? 'silent',
      authToken: options.authToken,
      allowedHosts: options.allowedHosts?.join(','),
    },
  });
  // Embedded PostgreSQL starts (a child process) while the server's modules load.
  const embedded = await launchEmbeddedDatabase(config);
  const [{ openDatabase, startApi, startWorker }, { OperationTimingService }] = await Promise.all([
    import('@gke-emulator/server'),
    import('@gke-emulator/operations'),
  ]);
  const opened = await openDatabase(config, { embedded });
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  let worker: { stop(): Promise<void> } | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await worker?.stop();
      await api?.close();
      await opened.close();
    })());
  try {
    api = await startApi({
      database: opened.database,
      host: config.host,
      port: config.port,
      kubePort: config.kubePort,
      logLevel: config.logLevel,
      allowedHosts: config.allowedHosts,
      authToken: config.authToken,
    });
    if (options.operationDelayMs !== undefined) {
      await api.app.get(OperationTimingService).setDelayMs(config.operationDelayMs);
    }
    if (options.worker !== false) worker = await startWorker({ databaseUrl: opened.url });
  } catch (error) {
    await stop();
    throw error;
  }
  opened.database.warmUp();
  return { url: api.url, kubeUrl: api.kubeUrl, dataDir: opened.embedded?.dataDir, stop };
}
