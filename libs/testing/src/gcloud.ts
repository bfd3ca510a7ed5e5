import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { testProject } from './projects';
import { startTestApp, type TestApp } from './test-app';

/** What one gcloud invocation left behind. */
export interface GcloudResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GcloudRunOptions {
  /**
   * Answers gcloud's confirmation prompts: prompts are enabled for this one invocation and `answer` is written to
   * its stdin (e.g. `'y\n'`). Without it prompts are disabled and gcloud takes each prompt's default.
   */
  answer?: string;
}

export interface Gcloud {
  /** Runs `gcloud ...args` (no shell) against the emulator; never rejects, a failure is a non-zero `code`. */
  run(args: string[], options?: GcloudRunOptions): Promise<GcloudResult>;
  /** Runs `gcloud ...args --format=json` and parses stdout; throws with gcloud's stderr when it exits non-zero. */
  json<T = unknown>(args: string[]): Promise<T>;
  /** The throw-away CLOUDSDK_CONFIG directory. */
  configDir: string;
  /**
   * The environment gcloud runs with (CLOUDSDK_CONFIG, the token file, the endpoint overrides) and KUBECONFIG in
   * the configuration directory: what kubectl and gke-gcloud-auth-plugin need after `get-credentials`.
   */
  env: NodeJS.ProcessEnv;
  /** Runs `kubectl ...args` (no shell) with `env`; never rejects, a failure is a non-zero `code`. */
  kubectl(args: string[], options?: { stdin?: string }): Promise<GcloudResult>;
  /** Deletes the throw-away configuration directory. */
  dispose(): void;
}

const GCLOUD_TIMEOUT_MS = 60_000;

/**
 * Debugging aid: when set to a directory, every invocation runs with `--log-http` and leaves a transcript there
 * (arguments, exit code, stdout, and stderr with the HTTP exchanges), to see exactly what gcloud sent and got.
 */
const TRANSCRIPT_DIR = process.env['GKE_EMULATOR_GCLOUD_TRANSCRIPTS'];
let transcriptSeq = 0;

let available: boolean | undefined;
const executables = new Map<string, boolean>();

/** Whether an executable `name` is on PATH (presence only, like gcloudAvailable). */
export function executableAvailable(name: string): boolean {
  let found = executables.get(name);
  if (found === undefined) {
    const names = process.platform === 'win32' ? [`${name}.cmd`, `${name}.exe`, name] : [name];
    found = (process.env['PATH'] ?? '')
      .split(delimiter)
      .filter(Boolean)
      .some((dir) =>
        names.some((candidate) => {
          try {
            accessSync(join(dir, candidate), constants.X_OK);
            return true;
          } catch {
            return false;
          }
        }),
      );
    executables.set(name, found);
  }
  return found;
}

/** kubectl and gke-gcloud-auth-plugin, what the kubeconfig of `get-credentials` needs besides gcloud. */
export function kubectlWithAuthPluginAvailable(): boolean {
  return executableAvailable('kubectl') && executableAvailable('gke-gcloud-auth-plugin');
}

/**
 * Whether a `gcloud` executable is installed on PATH. Only presence is checked: a gcloud that is installed but
 * broken must make the tests fail, not skip them.
 */
export function gcloudAvailable(): boolean {
  if (available === undefined) {
    const names = process.platform === 'win32' ? ['gcloud.cmd', 'gcloud.exe', 'gcloud'] : ['gcloud'];
    available = (process.env['PATH'] ?? '')
      .split(delimiter)
      .filter(Boolean)
      .some((dir) =>
        names.some((name) => {
          try {
            accessSync(join(dir, name), constants.X_OK);
            return true;
          } catch {
            return false;
          }
        }),
      );
  }
  return available;
}

/**
 * A gcloud aimed at the emulator at `url` (e.g. http://127.0.0.1:PORT) for `project`, with a fresh configuration
 * directory of its own so the developer's real gcloud login, project and properties never leak in, and a token
 * file so gcloud needs no login.
 */
export function createGcloud(url: string, project: string): Gcloud {
  const configDir = mkdtempSync(join(tmpdir(), 'gcloud-e2e-'));
  const tokenFile = join(configDir, 'token');
  writeFileSync(tokenFile, 'any-token\n');
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Drop every CLOUDSDK_* / gcloud credential variable of the developer's shell: only ours below apply.
    if (
      key.startsWith('CLOUDSDK_') ||
      key === 'GOOGLE_APPLICATION_CREDENTIALS' ||
      key === 'GOOGLE_CLOUD_PROJECT'
    )
      continue;
    env[key] = value;
  }
  Object.assign(env, {
    CLOUDSDK_CONFIG: configDir,
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_AUTH_ACCESS_TOKEN_FILE: tokenFile,
    CLOUDSDK_CORE_PROJECT: project,
    CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: `${url.replace(/\/+$/, '')}/compute/v1/`,
    CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER: `${url.replace(/\/+$/, '')}/`,
    CLOUDSDK_API_ENDPOINT_OVERRIDES_SERVICEUSAGE: `${url.replace(/\/+$/, '')}/`,
    CLOUDSDK_API_ENDPOINT_OVERRIDES_NETWORKMANAGEMENT: `${url.replace(/\/+$/, '')}/networkmanagement/`,
    CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: '1',
    CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
    CLOUDSDK_CORE_SHOW_STRUCTURED_LOGS: 'never',
    KUBECONFIG: join(configDir, 'kubeconfig'),
  });

  const transcript = (args: string[], result: GcloudResult): GcloudResult => {
    if (TRANSCRIPT_DIR) {
      mkdirSync(TRANSCRIPT_DIR, { recursive: true });
      const file = join(TRANSCRIPT_DIR, `${String(++transcriptSeq).padStart(3, '0')}-${project}.log`);
      writeFileSync(
        file,
        `$ gcloud ${args.join(' ')}\nexit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}\n`,
      );
    }
    return result;
  };

  const run = (given: string[], options: GcloudRunOptions = {}): Promise<GcloudResult> =>
    new Promise<GcloudResult>((resolve) => {
      const args = TRANSCRIPT_DIR ? [...given, '--log-http'] : given;
      const runEnv = options.answer === undefined ? env : { ...env, CLOUDSDK_CORE_DISABLE_PROMPTS: '0' };
      const child = execFile(
        'gcloud',
        args,
        { env: runEnv, timeout: GCLOUD_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (!error) return resolve({ code: 0, stdout, stderr });
          if (typeof error.code === 'number') return resolve({ code: error.code, stdout, stderr });
          // Not an exit status: killed on timeout, or gcloud could not be started at all.
          const why = error.killed
            ? `gcloud killed by ${error.signal ?? 'a signal'} after ${GCLOUD_TIMEOUT_MS} ms`
            : error.message;
          resolve({ code: 1, stdout, stderr: `${stderr}\n[${why}]` });
        },
      );
      child.stdin?.end(options.answer ?? '');
    }).then((result) => transcript(given, result));

  const kubectl = (args: string[], options: { stdin?: string } = {}): Promise<GcloudResult> =>
    new Promise<GcloudResult>((resolve) => {
      const child = execFile(
        'kubectl',
        args,
        { env, timeout: GCLOUD_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (!error) return resolve({ code: 0, stdout, stderr });
          if (typeof error.code === 'number') return resolve({ code: error.code, stdout, stderr });
          resolve({
            code: 1,
            stdout,
            stderr: `${stderr}\n[${error.killed ? 'kubectl timed out' : error.message}]`,
          });
        },
      );
      child.stdin?.end(options.stdin ?? '');
    });

  return {
    configDir,
    env,
    kubectl,
    run,
    async json<T>(args: string[]): Promise<T> {
      const result = await run([...args, '--format=json']);
      if (result.code !== 0) {
        throw new Error(`gcloud ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
      }
      return JSON.parse(result.stdout) as T;
    },
    dispose() {
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

/** `'compute networks list'` → argv; arguments that contain spaces go in `rest`. */
export function gcloudArgv(line: string, rest: string[] = []): string[] {
  return [...line.trim().split(/\s+/), ...rest];
}

export interface GcloudScenario {
  project: string;
  /** The link the emulator renders for `path`, against the base URL gcloud used. */
  link(path: string): string;
  run(line: string, options?: GcloudRunOptions & { rest?: string[] }): Promise<GcloudResult>;
  json<T>(line: string): Promise<T>;
  /** gcloud's environment, with KUBECONFIG where `container clusters get-credentials` writes. */
  env: NodeJS.ProcessEnv;
  /** Runs kubectl with `env` (so it uses that kubeconfig and the auth plugin finds the token file). */
  kubectl(args: string[], options?: { stdin?: string }): Promise<GcloudResult>;
  dispose(): void;
}

/** A fresh project with a gcloud of its own aimed at the emulator at `url`. */
export function gcloudScenario(url: string, projectPrefix: string): GcloudScenario {
  const project = testProject(projectPrefix);
  const gcloud = createGcloud(url, project);
  return {
    project,
    link: (path) => `${url}/compute/v1/projects/${project}/${path}`,
    run: (line, options) => gcloud.run(gcloudArgv(line, options?.rest), options),
    json: <T>(line: string) => gcloud.json<T>(gcloudArgv(line)),
    env: gcloud.env,
    kubectl: (args, options) => gcloud.kubectl(args, options),
    dispose: () => gcloud.dispose(),
  };
}

/**
 * gcloud exited non-zero and printed Google's error message the way it prints every failed request. With `soft`,
 * a scenario goes on after a wrong answer, so that one run reports every case that differs.
 */
export function expectGcloudFetchError(
  result: GcloudResult,
  command: string,
  message: string,
  options: { soft?: boolean } = {},
): void {
  const check = options.soft ? expect.soft : expect;
  check(result.code, result.stderr).not.toBe(0);
  check(result.stderr).toContain(`ERROR: (gcloud.${command}) Could not fetch resource:`);
  check(result.stderr).toContain(message);
}

/**
 * The hooks every gcloud suite needs: the emulator in process for the suite, and a fresh project with its own
 * gcloud configuration per scenario, disposed after each test.
 */
export function useGcloudScenarios(projectPrefix: string): { scenario(): GcloudScenario; url(): string } {
  let app: TestApp | undefined;
  const open: GcloudScenario[] = [];
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterEach(() => {
    for (const scenario of open.splice(0)) scenario.dispose();
  });
  afterAll(async () => {
    await app?.close();
  });
  const url = () => {
    if (!app) throw new Error('the emulator is not running: call scenario() inside a test');
    return app.url;
  };
  return {
    url,
    scenario() {
      const scenario = gcloudScenario(url(), projectPrefix);
      open.push(scenario);
      return scenario;
    },
  };
}
