// The two packages of `npm run pack`, installed the way the README tells a user to, into an empty project outside
// the repository (it cannot see the repository's node_modules): `npx gke-emulator start` serves, `npx gke-emulator
// env` finds it, and a vitest file there starts the emulator with `startEmulator()` and no options and checks a
// Service end to end. A slow-spec: it packs, installs from the npm cache (or the registry) and starts emulators,
// once per CI run. GKE_EMULATOR_TEST_PACKAGES=false skips it (it needs the npm registry or a warm npm cache).
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const skip = process.env['GKE_EMULATOR_TEST_PACKAGES'] === 'false';
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

interface Run {
  code: number | null;
  stdout: string;
  output: string;
  ms: number;
}

/** Runs a shell command line to its end (both streams kept, interleaved, for failure messages). */
function sh(line: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((done, fail) => {
    const started = Date.now();
    const child = spawn('sh', ['-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), (output += chunk.toString())));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, output, ms: Date.now() - started });
    });
  });
}

const tail = (text: string, lines = 60) => text.split('\n').slice(-lines).join('\n');

/** This environment without what vitest, npm and the repository's own runs set (the project must find nothing). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(VITEST|npm_|GKE_EMULATOR_|CLOUDSDK_)/i.test(name)) continue;
    if (['NODE_OPTIONS', 'NODE_ENV', 'NODE_PATH', 'TEST', 'INIT_CWD', 'DATABASE_URL'].includes(name))
      continue;
    env[name] = value;
  }
  return { ...env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1', ...extra };
}

describe.skipIf(skip)('the packages of `npm run pack`, installed into an empty project', () => {
  let work = '';
  let project = '';
  let env: NodeJS.ProcessEnv = {};
  let install: Run;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'gke-emulator-packages-'));
    chmodSync(work, 0o755); // embedded PostgreSQL runs as another user when this runs as root
    const dataRoot = join(work, 'sdk-data');
    mkdirSync(dataRoot, { mode: 0o755 });
    project = join(work, 'project');
    mkdirSync(project);
    env = cleanEnv({ GKE_EMULATOR_SDK_DATA_ROOT: dataRoot, HOME: work });
    const pack = await sh(
      `node ${join(root, 'scripts/pack.mjs')} --out ${project}`,
      root,
      cleanEnv({}),
      300_000,
    );
    expect(pack.code, tail(pack.output)).toBe(0);
    expect(
      pack.stdout
        .trim()
        .split('\n')
        .map((line) => basename(line)),
    ).toEqual([`gke-emulator-${version}.tgz`, `gke-emulator-sdk-${version}.tgz`]);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'uses-gke-emulator', version: '1.0.0', private: true, type: 'module' }, null, 2),
    );
    // The README's install lines, verbatim.
    install = await sh(
      'npm i -D --no-audit --no-fund ./gke-emulator-sdk-*.tgz ./gke-emulator-*.tgz',
      project,
      env,
      300_000,
    );
    const clients = await sh(
      'npm i -D --no-audit --no-fund --prefer-offline @google-cloud/compute@6 @google-cloud/container@6 @kubernetes/client-node@1 vitest@4',
      project,
      env,
      300_000,
    );
    expect(clients.code, tail(clients.output)).toBe(0);
    cpSync(join(__dirname, 'installed-project/emulator.test.ts'), join(project, 'emulator.test.ts'));
  }, 700_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs both tarballs with no warning about engines or peers', () => {
    expect(install.code, tail(install.output)).toBe(0);
    expect(install.output).not.toMatch(/EBADENGINE|ERESOLVE|peer dep/i);
    const sizes = ['gke-emulator', 'gke-emulator-sdk'].map(
      (name) => statSync(join(project, `${name}-${version}.tgz`)).size,
    );
    console.log(`install of both tarballs: ${install.ms} ms; tarballs: ${sizes.join(' and ')} bytes`);
  });

  it('`npx gke-emulator start` serves, and `npx gke-emulator env` from the project finds it', async () => {
    const child = spawn('npx', ['gke-emulator', 'start', '--port', '0'], {
      cwd: project,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const url = await new Promise<string>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`not listening within 120 s:\n${output}`)), 120_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match?.[1]) {
            clearTimeout(timer);
            done(match[1]);
          }
        });
        child.on('exit', (code) => fail(new Error(`exited (${code}) before listening:\n${output}`)));
      });
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      const playground = await fetch(`${url}/playground/assets/graphiql.min.js`);
      expect(playground.status).toBe(200);
      await playground.arrayBuffer();
      // the discovery documents ship in the package (dist/discovery), rooted on the emulator
      const discovery = await fetch(`${url}/discovery/v1/apis/compute/v1/rest`);
      expect(discovery.status).toBe(200);
      expect(((await discovery.json()) as { rootUrl: string }).rootUrl).toBe(`${url}/`);

      const printed = await sh('npx gke-emulator env', project, env, 60_000);
      expect(printed.code, printed.output).toBe(0);
      expect(printed.stdout).toContain(`export GKE_EMULATOR_URL=${url}\n`);
      const tokenFile = /CLOUDSDK_AUTH_ACCESS_TOKEN_FILE=(\S+)/.exec(printed.stdout)?.[1] ?? '';
      expect(statSync(tokenFile).isFile()).toBe(true);
    } finally {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await new Promise((done) => (child.exitCode === null ? child.on('exit', done) : done(undefined)));
    }
  }, 180_000);

  it('a vitest file there starts the emulator with startEmulator() and checks a Service end to end', async () => {
    const run = await sh('npx vitest run --reporter=verbose', project, env, 600_000);
    expect(run.code, tail(run.output)).toBe(0);
    expect(run.output).toMatch(/1 passed/);
    const timings = JSON.parse(readFileSync(join(project, 'timings.json'), 'utf8')) as Record<string, number>;
    console.log(
      `startEmulator() in the installed project: cold ${Math.round(timings['coldStartMs'] ?? 0)} ms, ` +
        `warm ${Math.round(timings['warmStartMs'] ?? 0)} ms`,
    );
  }, 620_000);
});
