import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectivityApi } from './connectivity';
import { DataplaneApi, type DataplaneStatus } from './dataplane';
import { GkeEmulatorGraphqlError, GkeEmulatorOptionError } from './errors';
import { documentText, type GraphqlDocument } from './graphql-document';
import { EmulatorHttp } from './http';
import { findCluster, kubeconfigDocument, kubeFor, type EmulatorKube, KUBE_TOKEN } from './kube';
import { ComputeClients, ContainerClients } from './official-clients';
import { ProjectIds } from './project-id';

export interface GkeEmulatorClientOptions {
  /** where the emulator listens, e.g. `http://127.0.0.1:8085` (default: `GKE_EMULATOR_URL`) */
  url?: string;
  /** the project of calls that take one and are given none (`kube`, `kubeconfigPath`, `gcloudEnv`) */
  project?: string;
  /** first part of the ids `project()` hands out (1-12 lowercase letters or digits; default `test`) */
  projectPrefix?: string;
  /** the emulator's `--auth-token`, sent by every client made here (default: `GKE_EMULATOR_AUTH_TOKEN`) */
  authToken?: string;
}

/** The emulator-wide timing settings, or those one project sees. */
export interface EmulatorSettings {
  /** how long new operations stay `RUNNING` */
  operationDelayMs: number;
  /** how long new pods run before they turn Ready */
  podReadyDelayMs: number;
}

export interface ResetResult {
  [key: string]: unknown;
}

export interface ProjectOption {
  project?: string;
}

export interface ClusterOptions {
  project?: string;
  /** zone or region; when omitted the one cluster of that name in any location */
  location?: string;
}

export interface WaitForConvergenceOptions {
  /** only this project's clusters */
  project?: string;
  /** give up after this long (default 30000) */
  timeoutMs?: number;
  /** how often to ask (default 25) */
  intervalMs?: number;
}

/**
 * A client of a running gke-emulator: what only the emulator has (reset, settings, convergence, the effective
 * data plane, GraphQL), and the official Google and Kubernetes clients already aimed at it, with no credentials.
 */
export class GkeEmulatorClient {
  readonly url: string;
  /** the effective data plane: status, per-node routes, firewall, network policies, iptables, traces */
  readonly dataplane: DataplaneApi;
  /** Connectivity Tests and one-off traces: every hop from a client to a pod, and the rule that decided */
  readonly connectivity: ConnectivityApi;
  /** `@google-cloud/compute` clients aimed at the emulator (the package is an optional peer dependency) */
  readonly compute: ComputeClients;
  /** `@google-cloud/container` clients aimed at the emulator (an optional peer dependency) */
  readonly container: ContainerClients;
  readonly settings: {
    get(options?: ProjectOption): Promise<EmulatorSettings>;
    update(settings: Partial<EmulatorSettings>, options?: ProjectOption): Promise<EmulatorSettings>;
  };
  protected readonly http: EmulatorHttp;
  private readonly authToken: string | undefined;
  private readonly defaultProject: string | undefined;
  private readonly projectIds: ProjectIds;
  private tempDir: string | undefined;

  constructor(options: GkeEmulatorClientOptions = {}) {
    const url = options.url ?? process.env['GKE_EMULATOR_URL'];
    if (!url) throw new GkeEmulatorOptionError('url', 'required (or set GKE_EMULATOR_URL)');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new GkeEmulatorOptionError('url', `"${url}" is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new GkeEmulatorOptionError('url', `"${url}" is not an http(s) URL`);
    }
    if (options.project !== undefined) checkProject(options.project, 'project');
    this.url = url.replace(/\/+$/, '');
    this.defaultProject = options.project;
    this.projectIds = new ProjectIds(options.projectPrefix);
    this.authToken = (options.authToken ?? process.env['GKE_EMULATOR_AUTH_TOKEN']) || undefined;
    this.http = new EmulatorHttp(
      this.url,
      () => this.unavailable(),
      () => this.afterConnectionError(),
      this.authToken,
    );
    this.dataplane = new DataplaneApi(this.http);
    this.connectivity = new ConnectivityApi((document, variables) => this.graphql(document, variables));
    this.compute = new ComputeClients(this.url, this.authToken);
    this.container = new ContainerClients(this.url, this.authToken);
    this.settings = {
      get: (o = {}) =>
        this.http.json({ path: '/emulator/v1/settings', query: { project: projectOrAll(o.project) } }),
      update: (settings, o = {}) =>
        this.http.json({
          method: 'PATCH',
          path: '/emulator/v1/settings',
          query: { project: projectOrAll(o.project) },
          body: settings,
        }),
    };
  }

  /** Why calls cannot reach the emulator any more (a launcher sets this when its process ended). */
  protected unavailable(): Error | undefined {
    return undefined;
  }

  /** After a connection error: why the emulator is gone, if a launcher knows (it may wait briefly for the exit). */
  protected async afterConnectionError(): Promise<Error | undefined> {
    return undefined;
  }

  /** A fresh valid project id, unique per call and per process. Projects exist on first use: no round trip. */
  project(): string {
    return this.projectIds.next();
  }

  /** Deletes everything, or one project's resources (`{ project }`). */
  reset(options: ProjectOption = {}): Promise<ResetResult> {
    const project = projectOrAll(options.project);
    return this.http.json({ method: 'POST', path: '/emulator/v1/reset', body: project ? { project } : {} });
  }

  /**
   * Resolves once the data plane reflects everything written so far (every cluster's results current), polling
   * `/emulator/v1/dataplane`; rejects after `timeoutMs` with the clusters still behind.
   */
  async waitForConvergence(options: WaitForConvergenceOptions = {}): Promise<DataplaneStatus> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      throw new GkeEmulatorOptionError(
        'timeoutMs',
        `must be a positive number of milliseconds, not ${timeoutMs}`,
      );
    }
    const intervalMs = options.intervalMs ?? 25;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.dataplane.status({ project: projectOrAll(options.project) });
      if (status.converged) return status;
      if (Date.now() >= deadline) {
        const behind = status.clusters
          .filter((c) => !c.current)
          .map(
            (c) =>
              `${c.project}/${c.location}/${c.cluster} at ${c.observedGeneration} of ${c.generation}` +
              (c.error ? ` (failing: ${c.error})` : ''),
          );
        throw new GkeEmulatorOptionError(
          'timeoutMs',
          `the data plane did not converge within ${timeoutMs} ms; behind: ${behind.join('; ')}`,
        );
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(intervalMs, Math.max(1, deadline - Date.now()))),
      );
    }
  }

  /** Runs a GraphQL query or mutation; a typed document (`TypedDocumentNode`) types the result and variables. */
  async graphql<TResult = Record<string, unknown>, TVariables = Record<string, unknown>>(
    document: GraphqlDocument<TResult, TVariables>,
    variables?: TVariables,
  ): Promise<TResult> {
    const query = await documentText(document as GraphqlDocument<unknown, unknown>);
    const answer = await this.http.json<{ data?: TResult; errors?: GkeEmulatorGraphqlError['errors'] }>({
      method: 'POST',
      path: '/graphql',
      body: { query, variables: variables ?? {} },
    });
    if (answer.errors?.length) throw new GkeEmulatorGraphqlError(answer.errors, answer.data);
    return answer.data as TResult;
  }

  /**
   * `@kubernetes/client-node` aimed at a cluster: its https `endpoint` with the CA the Container API reports, and a
   * bearer token (the emulator accepts any).
   */
  async kube(cluster: string, options: ClusterOptions = {}): Promise<EmulatorKube> {
    const project = this.projectFor(options.project);
    const found = await findCluster(this.http, { project, cluster, location: options.location });
    return kubeFor(project, found, this.authToken);
  }

  /**
   * Writes a kubeconfig for the cluster (TLS endpoint, cluster CA, static token: kubectl needs no auth plugin)
   * into a temporary directory removed by `close()`, and returns its path: `KUBECONFIG=<path> kubectl ...`.
   */
  async kubeconfigPath(cluster: string, options: ClusterOptions = {}): Promise<string> {
    const project = this.projectFor(options.project);
    const found = await findCluster(this.http, { project, cluster, location: options.location });
    const dir = join(this.ownTempDir(), `${project}_${found.location}_${found.name}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, JSON.stringify(kubeconfigDocument(project, found, this.authToken), null, 2) + '\n', {
      mode: 0o600,
    });
    return path;
  }

  /**
   * The variables `gke-emulator env` prints: aim gcloud (and anything reading `GKE_EMULATOR_URL`) at the emulator
   * with no Google login. Pass them as a subprocess's `env` (merged over `process.env`).
   */
  gcloudEnv(options: ProjectOption = {}): Record<string, string> {
    const project = options.project ?? this.defaultProject;
    if (project !== undefined) checkProject(project, 'project');
    const tokenFile = join(this.ownTempDir(), 'gke-emulator-access-token');
    writeFileSync(tokenFile, `${this.authToken ?? KUBE_TOKEN}\n`, { mode: 0o600 });
    return {
      GKE_EMULATOR_URL: this.url,
      ...(this.authToken ? { GKE_EMULATOR_AUTH_TOKEN: this.authToken } : {}),
      CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: `${this.url}/compute/v1/`,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER: `${this.url}/`,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_SERVICEUSAGE: `${this.url}/`,
      CLOUDSDK_AUTH_ACCESS_TOKEN_FILE: tokenFile,
      ...(project ? { CLOUDSDK_CORE_PROJECT: project } : {}),
    };
  }

  /** Closes the official clients made so far and removes the files `kubeconfigPath`/`gcloudEnv` wrote. */
  async close(): Promise<void> {
    await Promise.all([this.compute.close(), this.container.close()]);
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
    this.tempDir = undefined;
  }

  private projectFor(project: string | undefined): string {
    const chosen = project ?? this.defaultProject;
    if (!chosen)
      throw new GkeEmulatorOptionError('project', 'required (pass it, or give the client a project)');
    return checkProject(chosen, 'project');
  }

  private ownTempDir(): string {
    this.tempDir ??= mkdtempSync(join(tmpdir(), 'gke-emulator-sdk-'));
    return this.tempDir;
  }
}

function checkProject(project: string, option: string): string {
  // The emulator validates ids itself (it accepts Google's and shorter ones such as \`demo\`): only catch blanks.
  if (typeof project !== 'string' || project.trim() === '') {
    throw new GkeEmulatorOptionError(option, 'must be a non-empty project id');
  }
  return project;
}

function projectOrAll(project: string | undefined): string | undefined {
  return project === undefined ? undefined : checkProject(project, 'project');
}
