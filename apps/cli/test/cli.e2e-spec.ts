import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '@gke-emulator/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'dist/cli/main.js');
const children: ChildProcess[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gke-emulator-cli-'));
  dirs.push(dir);
  return dir;
}

/** Spawns a process and resolves with the first stdout line matching `ready`, or rejects when it exits first. */
function spawnUntil(
  file: string,
  args: string[],
  ready: RegExp,
  env: Record<string, string | undefined> = {},
): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string }> {
  const child = spawn(process.execPath, [file, ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 60s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, match, output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolvePromise(child.exitCode);
    child.once('exit', (code) => resolvePromise(code));
    child.kill('SIGTERM');
  });
}

function run(args: string[], env: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolvePromise) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

afterAll(async () => {
  await Promise.all(children.map(stop));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('gke-emulator start', () => {
  it('picks a free port with --port 0, prints how to aim clients, and keeps data across restarts', async () => {
    const dataDir = tempDir();
    const first = await spawnUntil(
      cli,
      ['start', '--port', '0', '--data-dir', dataDir],
      /listening on (http:\/\/127\.0\.0\.1:(\d+))/,
    );
    const url = first.match[1] as string;
    expect(Number(first.match[2])).toBeGreaterThan(0);
    expect(first.output()).toContain(`CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE=${url}/compute/v1/`);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const created = await fetch(`${url}/compute/v1/projects/persist/global/networks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'kept', autoCreateSubnetworks: false }),
    });
    expect(created.status).toBe(200);

    const env = await run(['env', '--data-dir', dataDir, '--project', 'persist']);
    expect(env.code).toBe(0);
    expect(env.stdout).toContain(`export GKE_EMULATOR_URL=${url}\n`);
    expect(env.stdout).toContain(`export CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE=${url}/compute/v1/\n`);
    expect(env.stdout).toContain(
      `export CLOUDSDK_AUTH_ACCESS_TOKEN_FILE=${join(dataDir, 'gke-emulator-access-token')}\n`,
    );
    expect(env.stdout).toContain('export CLOUDSDK_CORE_PROJECT=persist\n');

    expect(await stop(first.child)).toBe(0);
    const second = await spawnUntil(
      cli,
      ['start', '--port', '0', '--data-dir', dataDir],
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    const again = await fetch(`${second.match[1]}/compute/v1/projects/persist/global/networks/kept`);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { name: string }).name).toBe('kept');

    const reset = await run(['reset', '--data-dir', dataDir, '--project', 'persist']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('"projectsDeleted":1');
    expect(await stop(second.child)).toBe(0);
  });

  it('leaves no PostgreSQL behind when stopped while it starts', async () => {
    const dataDir = tempDir();
    const warm = await spawnUntil(cli, ['start', '--port', '0', '--data-dir', dataDir], /listening on/);
    expect(await stop(warm.child)).toBe(0);
    const pidFile = join(dataDir, 'pg', 'postmaster.pid');
    // The CLI stops everything at once and exits within its bound; its supervisor sees PostgreSQL's shutdown through.
    await eventually(() => (existsSync(pidFile) ? undefined : true), 'the first PostgreSQL to stop', 10_000);

    // Stopped as soon as its PostgreSQL exists: before, or just after, the CLI takes over its signals.
    const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--data-dir', dataDir], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: undefined },
      stdio: 'ignore',
    });
    children.push(child);
    const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
    const postgresPid = await eventually(
      () =>
        existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) || undefined : undefined,
      'the PostgreSQL of the starting emulator',
      30_000,
      5,
    );
    child.kill('SIGTERM');
    await exited;
    await eventually(() => (alive(postgresPid) ? undefined : true), `PostgreSQL ${postgresPid} to stop`);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('refuses bad flags with one clear error naming the option', async () => {
    const badPort = await run(['start', '--port', '70000', '--ephemeral']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port: expected a port number between 0 and 65535');
    const badUrl = await run(['start', '--ephemeral'], { DATABASE_URL: 'mysql://nope' });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('DATABASE_URL');
    // Reachable from other machines: a token, or an explicit --insecure.
    const open = await run(['start', '--host', '0.0.0.0', '--ephemeral']);
    expect(open.code).toBe(2);
    expect(open.stderr).toContain('--host: 0.0.0.0 is reachable from other machines: set --auth-token');
  });

  it('prints the token with env when the emulator of the data directory runs with one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gke-emulator-env-'));
    try {
      writeFileSync(
        join(dir, 'emulator.json'),
        JSON.stringify({ url: 'http://127.0.0.1:1', pid: 1, auth: true }),
      );
      writeFileSync(join(dir, 'gke-emulator-access-token'), 'the-token-0123\n');
      const env = await run(['env', '--data-dir', dir]);
      expect(env.code).toBe(0);
      expect(env.stdout).toContain('export GKE_EMULATOR_AUTH_TOKEN=the-token-0123\n');
      expect(env.stdout).toContain(
        `export CLOUDSDK_AUTH_ACCESS_TOKEN_FILE=${join(dir, 'gke-emulator-access-token')}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('apps/api and apps/worker as separate processes', () => {
  it('serve one DATABASE_URL', async () => {
    const databaseUrl = inject('databaseUrl');
    const api = await spawnUntil(
      join(root, 'dist/api/main.js'),
      [],
      /api listening on (http:\/\/127\.0\.0\.1:\d+)/,
      {
        DATABASE_URL: databaseUrl,
        GKE_EMULATOR_PORT: '0',
      },
    );
    const worker = await spawnUntil(join(root, 'dist/worker/main.js'), [], /worker running/, {
      DATABASE_URL: databaseUrl,
    });
    expect((await fetch(`${api.match[1]}/readyz`)).status).toBe(200);
    expect(await stop(worker.child)).toBe(0);
    expect(await stop(api.child)).toBe(0);
  });

  it('the standalone worker needs DATABASE_URL', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolvePromise) => {
      const child = spawn(process.execPath, [join(root, 'dist/worker/main.js')], {
        env: { ...process.env, DATABASE_URL: '' },
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('exit', (code) => resolvePromise({ code, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL');
  });
});
