import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The state file a running emulator leaves in its data directory, so `env` and `reset` can find it. */
export interface RunningEmulator {
  url: string;
  pid: number;
}

export function stateFile(dataDir: string): string {
  return join(dataDir, 'emulator.json');
}

export function readRunning(dataDir: string): RunningEmulator | null {
  try {
    return JSON.parse(readFileSync(stateFile(dataDir), 'utf8')) as RunningEmulator;
  } catch {
    return null;
  }
}

export function writeRunning(dataDir: string, running: RunningEmulator): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(stateFile(dataDir), JSON.stringify(running) + '\n');
}

/** gcloud needs some access token; any string works against the emulator (docs: README "Aiming clients"). */
export function ensureTokenFile(dataDir: string): string {
  const path = join(dataDir, 'gke-emulator-access-token');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, 'gke-emulator-token\n');
  }
  return path;
}

export function clientVariables(url: string, tokenFile: string, project?: string): [string, string][] {
  return [
    ['GKE_EMULATOR_URL', url],
    ['CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE', `${url}/compute/v1/`],
    ['CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER', `${url}/`],
    ['CLOUDSDK_API_ENDPOINT_OVERRIDES_SERVICEUSAGE', `${url}/`],
    ['CLOUDSDK_AUTH_ACCESS_TOKEN_FILE', tokenFile],
    ...(project ? ([['CLOUDSDK_CORE_PROJECT', project]] as [string, string][]) : []),
  ];
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function exportLines(variables: [string, string][]): string {
  return variables.map(([name, value]) => `export ${name}=${shellQuote(value)}`).join('\n') + '\n';
}

export function startBanner(url: string, variables: [string, string][], database: string): string {
  const u = new URL(url);
  return [
    `gke-emulator listening on ${url}`,
    `  database: ${database}`,
    `  GraphQL: ${url}/graphql   playground: ${url}/playground`,
    '',
    'Aim gcloud at it (or run: eval "$(gke-emulator env)"):',
    ...variables.map(([name, value]) => `  export ${name}=${shellQuote(value)}`),
    '',
    'Aim @google-cloud/compute at it:',
    `  new NetworksClient({ apiEndpoint: '${u.hostname}', port: ${u.port}, protocol: 'http', fallback: true, authClient: new PassThroughClient() })`,
    '',
  ].join('\n');
}
