import { resolve } from 'node:path';

/**
 * The emulator's whole configuration, read once from flags and environment variables and validated here:
 * nothing else reads `process.env`. Every field is documented in README.md ("Flags and environment variables").
 */
export interface EmulatorConfig {
  /** Address to listen on. */
  host: string;
  /** Port for every HTTP API; 0 picks a free one. */
  port: number;
  /** Port of the Kubernetes API's TLS listener (what kubectl talks to); 0 picks a free one. */
  kubePort: number;
  /** External PostgreSQL; when absent an embedded PostgreSQL is started. */
  databaseUrl?: string;
  /** Where the embedded PostgreSQL keeps its data. */
  dataDir: string;
  /** Embedded PostgreSQL in a temporary directory, deleted on stop. */
  ephemeral: boolean;
  /** How long new operations stay RUNNING before they are DONE (ms); settable at run time. */
  operationDelayMs: number;
  /** Run the data-plane worker inside this process. */
  worker: boolean;
  logLevel: 'silent' | 'error' | 'info' | 'debug';
  /** Host names requests may use beyond loopback names and the listen addresses (`*`: any). */
  allowedHosts: string[];
  /** When set, every API but the probes wants `Authorization: Bearer <authToken>`. */
  authToken?: string;
  /** Listen on a non-loopback address without a token (explicitly). */
  insecure: boolean;
  /** The request log's lines: `pretty` (one readable line per request) or `json` (one JSON object per line). */
  logFormat: 'pretty' | 'json';
}

export const DEFAULT_PORT = 8085;

export class ConfigError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigSources {
  flags?: Partial<Record<keyof EmulatorConfig, string | number | boolean | undefined>>;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

function parsePort(option: string, value: string | number): number {
  const port = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(option, `expected a port number between 0 and 65535, got '${value}'`);
  }
  return port;
}

function parseBool(option: string, value: string | boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(option, `expected true or false, got '${value}'`);
}

export function defaultDataDir(env: Record<string, string | undefined>, cwd: string): string {
  if (env['GKE_EMULATOR_DATA_DIR']) return resolve(cwd, env['GKE_EMULATOR_DATA_DIR']);
  return resolve(cwd, '.gke-emulator');
}

/** 127.0.0.0/8, ::1 and localhost: only this machine reaches them. */
export function isLoopbackAddress(host: string): boolean {
  const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

function parseHostList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function loadConfig(sources: ConfigSources = {}): EmulatorConfig {
  const env = sources.env ?? process.env;
  const flags = sources.flags ?? {};
  const cwd = sources.cwd ?? process.cwd();
  const port = flags.port ?? env['GKE_EMULATOR_PORT'] ?? DEFAULT_PORT;
  const delay = flags.operationDelayMs ?? env['GKE_EMULATOR_OPERATION_DELAY_MS'] ?? 0;
  const delayMs = typeof delay === 'number' ? delay : /^\d+$/.test(String(delay)) ? Number(delay) : NaN;
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 3_600_000) {
    throw new ConfigError(
      '--operation-delay-ms',
      `expected milliseconds between 0 and 3600000, got '${delay}'`,
    );
  }
  // An empty DATABASE_URL (`DATABASE_URL= gke-emulator start`) means unset, as shells and compose files write it.
  const databaseUrl = ((flags.databaseUrl as string | undefined) ?? env['DATABASE_URL']) || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', `expected a postgresql:// URL, got '${databaseUrl}'`);
  }
  const logLevel = String(flags.logLevel ?? env['GKE_EMULATOR_LOG_LEVEL'] ?? 'info');
  if (!['silent', 'error', 'info', 'debug'].includes(logLevel)) {
    throw new ConfigError('--log-level', `expected silent, error, info or debug, got '${logLevel}'`);
  }
  const logFormat = String(flags.logFormat ?? env['GKE_EMULATOR_LOG_FORMAT'] ?? 'pretty');
  if (!['pretty', 'json'].includes(logFormat)) {
    throw new ConfigError('--log-format', `expected pretty or json, got '${logFormat}'`);
  }
  const dataDirFlag = flags.dataDir as string | undefined;
  const host = String(flags.host ?? env['GKE_EMULATOR_HOST'] ?? '127.0.0.1');
  const authToken = String(flags.authToken ?? env['GKE_EMULATOR_AUTH_TOKEN'] ?? '') || undefined;
  if (authToken !== undefined && !/^[\x21-\x7e]{8,}$/.test(authToken)) {
    throw new ConfigError(
      '--auth-token',
      'expected at least 8 printable characters without spaces (what an Authorization: Bearer header carries)',
    );
  }
  const insecure = parseBool(
    '--insecure',
    (flags.insecure as boolean | undefined) ?? env['GKE_EMULATOR_INSECURE'] ?? false,
  );
  if (!isLoopbackAddress(host) && authToken === undefined && !insecure) {
    throw new ConfigError(
      '--host',
      `${host} is reachable from other machines: set --auth-token (or GKE_EMULATOR_AUTH_TOKEN), or pass --insecure to serve anyone who reaches it`,
    );
  }
  return {
    host,
    port: parsePort('--port', port as string | number),
    kubePort: parsePort(
      '--kube-port',
      (flags.kubePort ?? env['GKE_EMULATOR_KUBE_PORT'] ?? 0) as string | number,
    ),
    databaseUrl: databaseUrl || undefined,
    dataDir: dataDirFlag ? resolve(cwd, dataDirFlag) : defaultDataDir(env, cwd),
    ephemeral: parseBool(
      '--ephemeral',
      (flags.ephemeral as boolean | undefined) ?? env['GKE_EMULATOR_EPHEMERAL'] ?? false,
    ),
    operationDelayMs: delayMs,
    worker: parseBool(
      '--worker',
      (flags.worker as boolean | undefined) ?? env['GKE_EMULATOR_WORKER'] ?? true,
    ),
    logLevel: logLevel as EmulatorConfig['logLevel'],
    allowedHosts: parseHostList(String(flags.allowedHosts ?? env['GKE_EMULATOR_ALLOWED_HOSTS'] ?? '')),
    ...(authToken ? { authToken } : {}),
    insecure,
    logFormat: logFormat as EmulatorConfig['logFormat'],
  };
}
