import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  createGcloud,
  gcloudAvailable,
  kubectlWithAuthPluginAvailable,
  testProject,
  useTestApp,
} from '@gke-emulator/testing';

/**
 * `gke-emulator env --cluster`: the kubeconfig `gcloud container clusters get-credentials` writes, read from the
 * running emulator's container API, and kubectl through it with gke-gcloud-auth-plugin.
 */

const root = resolve(__dirname, '../../..');
const cli = join(root, 'dist/cli/main.js');
const app = useTestApp();
const dirs: string[] = [];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- kubeconfig read loosely in assertions
type Json = Record<string, any>;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gke-emulator-env-'));
  dirs.push(dir);
  return dir;
}

/** The environment of the developer's shell without gcloud or kubectl settings that could leak in. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('CLOUDSDK_') || key === 'KUBECONFIG' || key === 'GKE_EMULATOR_DATA_DIR') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function run(args: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolvePromise) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

function kubectl(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolvePromise) => {
    execFile('kubectl', args, { env, timeout: 30_000, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolvePromise({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

let subnets = 0;

async function createCluster(project: string, location: string, name: string): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
  };
  const compute = `/compute/v1/projects/${project}`;
  if (subnets === 0) await post(`${compute}/global/networks`, { name: 'vpc', autoCreateSubnetworks: false });
  const region = location.replace(/-[a-z]$/, '');
  const subnet = `s${++subnets}`;
  await post(`${compute}/regions/${region}/subnetworks`, {
    name: subnet,
    network: 'vpc',
    ipCidrRange: `10.0.${subnets}.0/24`,
  });
  await post(`/v1/projects/${project}/locations/${location}/clusters`, {
    cluster: { name, network: 'vpc', subnetwork: subnet, initialNodeCount: 1 },
  });
}

let project: string;

beforeAll(async () => {
  project = testProject('env');
  await createCluster(project, 'us-central1-a', 'c1');
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('gke-emulator env --cluster', () => {
  it('prints the kubeconfig of get-credentials, with the cluster endpoint and CA, finding the location', async () => {
    const printed = await run(['env', '--url', app.url, '--project', project, '--cluster', 'c1']);
    expect(printed.stderr).toBe('');
    expect(printed.code).toBe(0);
    const kubeconfig = parse(printed.stdout) as Json;
    const cluster = (await (
      await fetch(`${app.url}/v1/projects/${project}/locations/us-central1-a/clusters/c1`)
    ).json()) as Json;
    const name = `gke_${project}_us-central1-a_c1`;
    expect(kubeconfig).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name,
          cluster: {
            server: `https://127.0.0.1:${app.api.kubePort}/k8s/${project}/us-central1-a/c1`,
            'certificate-authority-data': cluster['masterAuth'].clusterCaCertificate,
          },
        },
      ],
      contexts: [{ name, context: { cluster: name, user: name } }],
      users: [
        {
          name,
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'gke-gcloud-auth-plugin',
              installHint: expect.stringContaining('Install gke-gcloud-auth-plugin'),
              provideClusterInfo: true,
            },
          },
        },
      ],
      'current-context': name,
      preferences: {},
    });
    expect(String(kubeconfig['clusters'][0].cluster.server)).toBe(`https://${cluster['endpoint']}`);

    // CLOUDSDK_CORE_PROJECT stands in for --project, and --location skips the search
    const byEnv = await run(
      ['env', '--url', app.url, '--cluster', 'c1', '--location', 'us-central1-a'],
      cleanEnv({ CLOUDSDK_CORE_PROJECT: project }),
    );
    expect(byEnv.code, byEnv.stderr).toBe(0);
    expect(parse(byEnv.stdout)).toEqual(kubeconfig);
  });

  it.skipIf(!gcloudAvailable())('prints what gcloud container clusters get-credentials writes', async () => {
    const gcloud = createGcloud(app.url, project);
    try {
      const written = await gcloud.run([
        'container',
        'clusters',
        'get-credentials',
        'c1',
        '--zone=us-central1-a',
      ]);
      expect(written.code, written.stderr).toBe(0);
      const fromGcloud = parse(readFileSync(gcloud.env['KUBECONFIG'] as string, 'utf8'));
      const printed = await run(['env', '--url', app.url, '--project', project, '--cluster', 'c1']);
      expect(parse(printed.stdout)).toEqual(fromGcloud);
    } finally {
      gcloud.dispose();
    }
  });

  it.skipIf(!kubectlWithAuthPluginAvailable())(
    'kubectl works with the printed kubeconfig through gke-gcloud-auth-plugin and a token file',
    async () => {
      const dir = tempDir();
      const printed = await run(['env', '--url', app.url, '--project', project, '--cluster', 'c1']);
      writeFileSync(join(dir, 'kubeconfig'), printed.stdout);
      writeFileSync(join(dir, 'token'), 'any-token\n');
      const env = cleanEnv({
        KUBECONFIG: join(dir, 'kubeconfig'),
        CLOUDSDK_CONFIG: dir,
        CLOUDSDK_AUTH_ACCESS_TOKEN_FILE: join(dir, 'token'),
      });
      const nodes = await kubectl(['get', 'nodes', '-o', 'name'], env);
      expect(nodes.stderr).toBe('');
      expect(nodes.stdout).toMatch(/^node\/gke-c1-default-pool-[0-9a-f]{8}-[a-z0-9]{4}\n$/);
      const ns = await kubectl(['get', 'namespace', 'default', '-o', 'jsonpath={.metadata.name}'], env);
      expect(ns.stdout).toBe('default');
    },
  );

  it('--write-kubeconfig merges into the first file of $KUBECONFIG, keeping other entries, and makes it current', async () => {
    const dir = tempDir();
    const file = join(dir, 'config');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster: {server: https://example.invalid}\n' +
        'users:\n- name: other\n  user: {token: t}\ncontexts:\n- name: other\n  context: {cluster: other, user: other}\n' +
        'current-context: other\n',
    );
    const env = cleanEnv({ KUBECONFIG: `${file}:${join(dir, 'second')}` });
    const args = ['env', '--url', app.url, '--project', project, '--cluster', 'c1', '--write-kubeconfig'];
    for (let i = 0; i < 2; i++) {
      const written = await run(args, env);
      expect(written.code, written.stderr).toBe(0);
      expect(written.stdout).toBe('');
      expect(written.stderr).toContain(`written to ${file}`);
    }
    const merged = parse(readFileSync(file, 'utf8')) as Json;
    const name = `gke_${project}_us-central1-a_c1`;
    expect(merged['clusters'].map((c: Json) => c.name)).toEqual(['other', name]);
    expect(merged['users'].map((c: Json) => c.name)).toEqual(['other', name]);
    expect(merged['contexts'].map((c: Json) => c.name)).toEqual(['other', name]);
    expect(merged['current-context']).toBe(name);

    const explicit = join(dir, 'explicit');
    const toFile = await run([...args, explicit], cleanEnv());
    expect(toFile.code, toFile.stderr).toBe(0);
    expect((parse(readFileSync(explicit, 'utf8')) as Json)['current-context']).toBe(name);
  });

  it('names the option in its errors: unknown cluster, ambiguous name, no project, no emulator', async () => {
    const unknown = await run(['env', '--url', app.url, '--project', project, '--cluster', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      `gke-emulator: --cluster: no cluster "nope" in --project ${project} at ${app.url}\n`,
    );
    const wrongPlace = await run([
      'env',
      ...['--url', app.url, '--project', project, '--cluster', 'c1', '--location', 'europe-west1-b'],
    ]);
    expect(wrongPlace.code).toBe(1);
    expect(wrongPlace.stderr).toContain('--cluster: no cluster "c1" in --location europe-west1-b');

    await createCluster(project, 'us-central1-b', 'c1');
    const ambiguous = await run(['env', '--url', app.url, '--project', project, '--cluster', 'c1']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain(
      '--cluster: "c1" exists in several locations (us-central1-a, us-central1-b): pass --location',
    );
    const chosen = await run([
      'env',
      ...['--url', app.url, '--project', project, '--cluster', 'c1', '--location', 'us-central1-b'],
    ]);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stdout).toContain(`/k8s/${project}/us-central1-b/c1`);

    const noProject = await run(['env', '--url', app.url, '--cluster', 'c1']);
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toContain('--project: required with --cluster');
    const locationAlone = await run(['env', '--url', app.url, '--location', 'us-central1-a']);
    expect(locationAlone.code).toBe(2);
    expect(locationAlone.stderr).toContain('--location: only applies with --cluster');

    const closed = await new Promise<number>((resolvePromise) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolvePromise(port));
      });
    });
    const down = await run([
      'env',
      ...['--url', `http://127.0.0.1:${closed}`, '--project', project, '--cluster', 'c1'],
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`no emulator answers at http://127.0.0.1:${closed}`);
    expect(down.stderr).toContain('--url or --data-dir');
  });
});
