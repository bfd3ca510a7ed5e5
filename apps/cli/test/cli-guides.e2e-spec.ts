// What the CLI tells a person: the exact first line of each common mistake, the start banner, `env` from any
// directory, and `GET /`. Every run gets a HOME of its own, so the per-user "last started" file is this test's.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'dist/cli/main.js');
const children: ChildProcess[] = [];
const dirs: string[] = [];
const servers: Server[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gke-emulator-guides-'));
  dirs.push(dir);
  return dir;
}
const home = tempDir();

function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_STATE_HOME: undefined,
    DATABASE_URL: undefined,
  };
  for (const name of Object.keys(env)) if (name.startsWith('GKE_EMULATOR_')) env[name] = undefined;
  return { ...env, ...extra };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}) {
  return new Promise<Run>((resolvePromise) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd ?? root,
      env: baseEnv(options.env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

const firstLine = (text: string) => text.split('\n')[0];

/** A port something listens on (held until the end of the file). */
async function busyPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((done) => server.listen({ host: '127.0.0.1', port: 0 }, done));
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen({ host: '127.0.0.1', port: 0 }, done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
  }
  for (const server of servers) server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the CLI names the mistake in its first line', () => {
  it('an unknown command, with the closest one', async () => {
    const result = await run(['strat']);
    expect(result.code).toBe(2);
    expect(firstLine(result.stderr)).toBe("gke-emulator: unknown command 'strat' (did you mean 'start'?)");
  });

  it('`start --help` shows the defaults', async () => {
    const result = await run(['start', '--help']);
    expect(result.code).toBe(0);
    const help = result.stdout.replace(/\s+/g, ' ');
    for (const shown of [
      '(default: 127.0.0.1)',
      '(default: 8085)',
      '(default: ./.gke-emulator)',
      '(default: info)',
    ]) {
      expect(help).toContain(shown);
    }
  });

  it('a port in use, before PostgreSQL starts', async () => {
    const port = await busyPort();
    const dataDir = join(tempDir(), 'data');
    const result = await run(['start', '--port', String(port), '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(firstLine(result.stderr)).toBe(
      `gke-emulator: --port: ${port} is in use on 127.0.0.1 (pick another port, or 0 for a free one)`,
    );
    expect(existsSync(dataDir)).toBe(false); // no database was created
    const kube = await run(['start', '--port', '0', '--kube-port', String(port), '--data-dir', dataDir]);
    expect(firstLine(kube.stderr)).toBe(
      `gke-emulator: --kube-port: ${port} is in use on 127.0.0.1 (pick another port, or 0 for a free one)`,
    );
  });

  it('a DATABASE_URL nothing answers', async () => {
    const port = await freePort();
    const result = await run(['start', '--port', '0'], {
      env: { DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/postgres` },
    });
    expect(result.code).toBe(1);
    expect(firstLine(result.stderr)).toBe(
      `gke-emulator: DATABASE_URL: cannot connect to 127.0.0.1:${port} as postgres (connection refused)`,
    );
  });

  it('a DATABASE_URL whose server refuses the role', async () => {
    const url = new URL(inject('databaseUrl'));
    url.username = 'no_such_role_here';
    // A password too: embedded PostgreSQL asks for one (SCRAM) and then refuses the login; a trust server says the
    // role does not exist. Either way the server's refusal, named in one line.
    url.password = 'not-the-password';
    const result = await run(['start', '--port', '0'], { env: { DATABASE_URL: url.toString() } });
    expect(result.code).toBe(1);
    expect([
      `(role "no_such_role_here" does not exist)`,
      `(password authentication failed for user "no_such_role_here")`,
    ]).toContain(
      firstLine(result.stderr).replace(
        `gke-emulator: DATABASE_URL: cannot connect to ${url.hostname}:${url.port || '5432'} as no_such_role_here `,
        '',
      ),
    );
  });

  it('`reset` names the URL it tried and where the URL came from', async () => {
    const port = await freePort();
    const result = await run(['reset', '--url', `http://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(firstLine(result.stderr)).toBe(
      `gke-emulator: reset: no emulator answers at http://127.0.0.1:${port} (connection refused; URL from --url)`,
    );
  });
});

describe('a started emulator', () => {
  it('prints its version, TLS port and an env line for itself; env finds it from any directory; / redirects', async () => {
    const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--ephemeral'], {
      cwd: root,
      env: baseEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const banner = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no banner within 60 s:\n${output}`)), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/playground: \S+\n/.test(output)) {
          clearTimeout(timer);
          done(output);
        }
      });
      child.on('exit', (code) => fail(new Error(`exited (${code}):\n${output}`)));
    });
    const url = /listening on (http:\/\/\S+)/.exec(banner)?.[1] ?? '';
    // A first start says what takes its time, before it listens.
    const before = banner.slice(0, banner.indexOf('listening on'));
    expect(before).toContain('gke-emulator: creating a throw-away PostgreSQL database');
    expect(before).toMatch(/gke-emulator: applying \d+ database migrations\n/);
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(banner).toContain(`  version: ${version}\n`);
    expect(banner).toMatch(/ {2}Kubernetes API \(TLS\): https:\/\/127\.0\.0\.1:\d+\n/);
    expect(banner).toContain(`eval "$(node ./dist/cli/main.js env --url ${url})"`);

    // From another directory, with no flag and no variable: the per-user file names the last emulator started.
    const elsewhere = tempDir();
    const env = await run(['env'], { cwd: elsewhere });
    expect(env.code).toBe(0);
    expect(env.stdout).toContain(`export GKE_EMULATOR_URL=${url}\n`);
    const tokenFile = /CLOUDSDK_AUTH_ACCESS_TOKEN_FILE=(\S+)/.exec(env.stdout)?.[1] ?? '';
    expect(existsSync(tokenFile)).toBe(true);
    expect(existsSync(join(elsewhere, '.gke-emulator'))).toBe(false); // nothing written where it ran

    const rootPage = await fetch(`${url}/`, { redirect: 'manual' });
    expect(rootPage.status).toBe(302);
    expect(rootPage.headers.get('location')).toBe('/playground');

    // At info, one line per request: time, method, path, status, milliseconds, project.
    await fetch(`${url}/emulator/v1/dataplane?project=guides-project`);
    const deadline = Date.now() + 10_000;
    const logged =
      /^\d\d:\d\d:\d\d\.\d{3} GET {4}\/emulator\/v1\/dataplane\?project=guides-project 200 [\d.]+ms project=guides-project$/m;
    while (!logged.test(output) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
    expect(output).toMatch(logged);
    expect(output).toMatch(/^\d\d:\d\d:\d\d\.\d{3} GET {4}\/ 302 [\d.]+ms$/m);
  });

  it('`env` with no emulator running prints the default URL and a token file that exists', async () => {
    const result = await run(['env'], { cwd: tempDir(), env: { HOME: tempDir() } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('export GKE_EMULATOR_URL=http://127.0.0.1:8085\n');
    const tokenFile = /CLOUDSDK_AUTH_ACCESS_TOKEN_FILE=(\S+)/.exec(result.stdout)?.[1] ?? '';
    expect(existsSync(tokenFile)).toBe(true);
  });
});
