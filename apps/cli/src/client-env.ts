import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** The state file a running emulator leaves in its data directory, so `env` and `reset` can find it. */
export interface RunningEmulator {
  url: string;
  pid: number;
  /** started with an auth token (kept in the token file) */
  auth?: boolean;
  /** the token file `env` prints for gcloud */
  tokenFile?: string;
  dataDir?: string;
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
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writePrivateFile(stateFile(dataDir), JSON.stringify(running) + '\n');
}

/** Token and state files are for their owner only (another local user has no business reading them). */
function writePrivateFile(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function tokenFileIn(dataDir: string): string {
  return join(dataDir, 'gke-emulator-access-token');
}

/**
 * The file gcloud (CLOUDSDK_AUTH_ACCESS_TOKEN_FILE) and gke-gcloud-auth-plugin read the access token from: the
 * emulator's `--auth-token` when it has one (written at every start), else any string (it accepts any).
 */
export function ensureTokenFile(dataDir: string, token?: string): string {
  const path = tokenFileIn(dataDir);
  if (token !== undefined || !existsSync(path)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writePrivateFile(path, `${token ?? 'gke-emulator-token'}\n`);
  } else {
    // Written by an older version, readable by others.
    const stat = statSync(path);
    if ((stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) chmodSync(path, 0o600);
  }
  return path;
}

/**
 * The token clients must send: GKE_EMULATOR_AUTH_TOKEN, else the token file of the running emulator found, when it
 * was started with a token.
 */
export function clientToken(
  config: { authToken?: string },
  found: { auth?: boolean; tokenFile?: string },
): string | undefined {
  if (config.authToken) return config.authToken;
  if (!found.auth || !found.tokenFile) return undefined;
  try {
    return readFileSync(found.tokenFile, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function clientVariables(
  url: string,
  tokenFile: string,
  project?: string,
  token?: string,
): [string, string][] {
  return [
    ['GKE_EMULATOR_URL', url],
    ...(token ? ([['GKE_EMULATOR_AUTH_TOKEN', token]] as [string, string][]) : []),
    ['CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE', `${url}/compute/v1/`],
    ['CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER', `${url}/`],
    ['CLOUDSDK_API_ENDPOINT_OVERRIDES_SERVICEUSAGE', `${url}/`],
    ['CLOUDSDK_API_ENDPOINT_OVERRIDES_NETWORKMANAGEMENT', `${url}/networkmanagement/`],
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

export interface BannerFacts {
  url: string;
  /** the Kubernetes API over HTTPS (clusters' endpoints) */
  kubeUrl: string;
  version: string;
  variables: [string, string][];
  /** where the data lives, in words */
  database: string;
  /** the command that prints the variables for this instance */
  envCommand: string;
}

export function startBanner(facts: BannerFacts): string {
  const { url, kubeUrl, version, variables, database, envCommand } = facts;
  const u = new URL(url);
  return [
    `gke-emulator listening on ${url}`,
    `  version: ${version}`,
    `  Kubernetes API (TLS): ${kubeUrl}`,
    `  database: ${database}`,
    `  GraphQL: ${url}/graphql   playground: ${url}/playground`,
    `  topology: ${url}/topology`,
    '',
    `Aim gcloud at it (or run: eval "$(${envCommand})"):`,
    ...variables.map(([name, value]) => `  export ${name}=${shellQuote(value)}`),
    '',
    'Aim @google-cloud/compute at it:',
    `  new NetworksClient({ apiEndpoint: '${u.hostname}', port: ${u.port}, protocol: 'http', fallback: true, authClient: new PassThroughClient() })`,
    '',
  ].join('\n');
}

/** What `env --cluster` reads of a cluster (Container v1 `Cluster`). */
export interface ClusterCredentials {
  name: string;
  location: string;
  endpoint?: string;
  masterAuth?: { clusterCaCertificate?: string };
}

export interface Kubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: { name: string; cluster: Record<string, unknown> }[];
  contexts: { name: string; context: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  'current-context': string;
  preferences: Record<string, unknown>;
}

const INSTALL_HINT =
  'Install gke-gcloud-auth-plugin for use with kubectl by following ' +
  'https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin';

/**
 * The kubeconfig `gcloud container clusters get-credentials` writes for a cluster: `gke_<p>_<l>_<c>` as cluster,
 * user and context, `server: https://<endpoint>` with the cluster CA, and the user authenticated by
 * gke-gcloud-auth-plugin (which reads CLOUDSDK_AUTH_ACCESS_TOKEN_FILE).
 */
export function kubeconfigFor(project: string, cluster: ClusterCredentials): Kubeconfig {
  const name = `gke_${project}_${cluster.location}_${cluster.name}`;
  return {
    apiVersion: 'v1',
    clusters: [
      {
        cluster: {
          'certificate-authority-data': cluster.masterAuth?.clusterCaCertificate ?? '',
          server: `https://${cluster.endpoint ?? ''}`,
        },
        name,
      },
    ],
    contexts: [{ context: { cluster: name, user: name }, name }],
    'current-context': name,
    kind: 'Config',
    preferences: {},
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'gke-gcloud-auth-plugin',
            installHint: INSTALL_HINT,
            provideClusterInfo: true,
          },
        },
      },
    ],
  };
}

/** A failure of `env --cluster` that the CLI prints as it is. */
export class ClusterLookupError extends Error {
  override name = 'ClusterLookupError';
}

async function getJson(
  url: string,
  emulator: string,
  token?: string,
): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ClusterLookupError(
      `no emulator answers at ${emulator} (${cause?.code ?? cause?.message ?? String(error)}): ` +
        'start one with `gke-emulator start`, or pass --url or --data-dir',
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

function googleMessage(body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' ? message : JSON.stringify(body);
}

/**
 * Reads the cluster from the running emulator's container API: `locations/<location>/clusters/<name>`, or when no
 * location is given the one cluster of that name in `locations/-`.
 */
export async function findCluster(options: {
  url: string;
  project: string;
  cluster: string;
  location?: string;
  token?: string;
}): Promise<ClusterCredentials> {
  const base = `${options.url}/v1/projects/${encodeURIComponent(options.project)}/locations`;
  if (options.location) {
    const { status, body } = await getJson(
      `${base}/${encodeURIComponent(options.location)}/clusters/${encodeURIComponent(options.cluster)}`,
      options.url,
      options.token,
    );
    if (status === 404) {
      throw new ClusterLookupError(
        `--cluster: no cluster "${options.cluster}" in --location ${options.location} of --project ${options.project} at ${options.url}`,
      );
    }
    if (status !== 200) {
      throw new ClusterLookupError(`--cluster: the emulator answered ${status}: ${googleMessage(body)}`);
    }
    return body as ClusterCredentials;
  }
  const { status, body } = await getJson(`${base}/-/clusters`, options.url, options.token);
  if (status !== 200) {
    throw new ClusterLookupError(`--cluster: the emulator answered ${status}: ${googleMessage(body)}`);
  }
  const matches = ((body as { clusters?: ClusterCredentials[] }).clusters ?? []).filter(
    (c) => c.name === options.cluster,
  );
  if (matches.length === 0) {
    throw new ClusterLookupError(
      `--cluster: no cluster "${options.cluster}" in --project ${options.project} at ${options.url}`,
    );
  }
  if (matches.length > 1) {
    throw new ClusterLookupError(
      `--cluster: "${options.cluster}" exists in several locations (${matches.map((c) => c.location).join(', ')}): pass --location`,
    );
  }
  return matches[0] as ClusterCredentials;
}

/** Where gcloud writes credentials: the first path in $KUBECONFIG, else ~/.kube/config. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = (env['KUBECONFIG'] ?? '').split(delimiter).find(Boolean);
  return first ?? join(homedir(), '.kube', 'config');
}

/**
 * `entry` merged into an existing kubeconfig the way gcloud does it: its cluster, user and context replace the
 * ones of the same name (others are kept) and it becomes the current context.
 */
export function mergeKubeconfig(existing: Record<string, unknown> | null, entry: Kubeconfig): Kubeconfig {
  const base = (existing ?? {}) as Partial<Kubeconfig>;
  const merge = <T extends { name: string }>(current: T[] | undefined, added: T[]): T[] => {
    const names = new Set(added.map((a) => a.name));
    return [...(current ?? []).filter((c) => !names.has(c.name)), ...added];
  };
  return {
    ...base,
    apiVersion: 'v1',
    kind: 'Config',
    clusters: merge(base.clusters, entry.clusters),
    contexts: merge(base.contexts, entry.contexts),
    users: merge(base.users, entry.users),
    'current-context': entry['current-context'],
    preferences: base.preferences ?? {},
  };
}

/** Merges `entry` into the kubeconfig file at `path` (created with mode 0600 when missing). */
export function writeKubeconfig(path: string, entry: Kubeconfig): void {
  const existing = existsSync(path)
    ? (parseYaml(readFileSync(path, 'utf8')) as Record<string, unknown>)
    : null;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringifyYaml(mergeKubeconfig(existing, entry)), { mode: 0o600 });
}

export function kubeconfigYaml(kubeconfig: Kubeconfig): string {
  return stringifyYaml(kubeconfig);
}
