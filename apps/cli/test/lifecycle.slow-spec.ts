// Crashes and stops of `gke-emulator start` on embedded PostgreSQL (issue 13, items 1-3): nothing acknowledged is
// lost when everything is killed, children do not outlive a killed emulator, and a SIGTERM at any moment of a start
// ends it within 3 s. GKE_EMULATOR_TEST_KILLS sets how many kills the first test makes (default 4; the figure in
// docs/benchmarks.md is from 20).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '@gke-emulator/testing';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'dist/cli/main.js');
const dirs: string[] = [];
const running = new Set<ChildProcess>();

afterAll(() => {
  for (const child of running) killGroup(child, 'SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gke-emulator-lifecycle-'));
  dirs.push(dir);
  return join(dir, 'data');
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Started {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** resolves with the URL once the banner is printed; rejects if the process exits first */
  ready: Promise<string>;
  output(): string;
}

/** `gke-emulator start` in a process group of its own (what `setsid npm start` gives). */
function start(dataDir: string): Started {
  const child = spawn(
    process.execPath,
    [cli, 'start', '--port', '0', '--kube-port', '0', '--data-dir', dataDir],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  running.add(child);
  let output = '';
  const exited = new Promise<number | null>((resolveExit) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolveExit(code);
    }),
  );
  const ready = new Promise<string>((resolveReady, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url) resolveReady(url);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });
  ready.catch(() => undefined);
  return { child, exited, ready, output: () => output };
}

async function startReady(dataDir: string): Promise<Started & { url: string }> {
  const started = start(dataDir);
  const url = await Promise.race([
    started.ready,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`not ready within 90 s:\n${started.output()}`)), 90_000),
    ),
  ]);
  return { ...started, url };
}

async function stopCleanly(started: Started): Promise<number | null> {
  killGroup(started.child, 'SIGTERM');
  return started.exited;
}

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return pid > 0 ? pid : undefined;
}

/** Processes whose parent is `pid` (Linux). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const PROJECT = 'crash';

async function insertFirewall(url: string, name: string): Promise<boolean> {
  const response = await fetch(`${url}/compute/v1/projects/${PROJECT}/global/firewalls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      network: 'global/networks/net',
      allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
      sourceRanges: ['10.0.0.0/8'],
    }),
  });
  if (response.status !== 200) return false;
  return ((await response.json()) as { status?: string }).status === 'DONE';
}

async function expectStopWithin3s(starting: Started, moment: string): Promise<void> {
  const signalled = Date.now();
  killGroup(starting.child, 'SIGTERM');
  const code = await starting.exited;
  const tookMs = Date.now() - signalled;
  expect(tookMs, `exit after ${moment}:\n${starting.output()}`).toBeLessThanOrEqual(3000);
  // Exit code 0 (a clean stop), or the signal's own when it came before the process took over its signals.
  expect([0, null], starting.output()).toContain(code);
}

const linux = process.platform === 'linux';

describe.skipIf(!linux)('gke-emulator start, killed and stopped (reads /proc: Linux only)', () => {
  it('loses no operation it reported DONE when the emulator and PostgreSQL are killed mid-burst', async () => {
    const kills = Number(process.env['GKE_EMULATOR_TEST_KILLS'] ?? 4);
    const dataDir = tempDir();
    const acknowledged: string[] = [];
    let lost = 0;
    for (let kill = 0; kill <= kills; kill++) {
      const emulator = await startReady(dataDir);
      // Every firewall reported DONE before the previous kill is there.
      const missing: string[] = [];
      for (const name of acknowledged) {
        const response = await fetch(
          `${emulator.url}/compute/v1/projects/${PROJECT}/global/firewalls/${name}`,
        );
        if (response.status !== 200) missing.push(name);
      }
      lost += missing.length;
      expect(missing, `firewalls reported DONE and lost after kill ${kill}`).toEqual([]);
      if (kill === kills) {
        expect(await stopCleanly(emulator)).toBe(0);
        break;
      }
      if (kill === 0) {
        const network = await fetch(`${emulator.url}/compute/v1/projects/${PROJECT}/global/networks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'net', autoCreateSubnetworks: false }),
        });
        expect(network.status).toBe(200);
      }
      // A burst of inserts, 8 at a time, and SIGKILL for the whole group and the postmaster at a random moment.
      const postmaster = postmasterPid(dataDir) as number;
      let stop = false;
      let next = 0;
      const burst = Array.from({ length: 8 }, async () => {
        while (!stop) {
          const name = `fw-${kill}-${next++}`;
          try {
            if (await insertFirewall(emulator.url, name)) acknowledged.push(name);
          } catch {
            // the kill cut the request short: not acknowledged
          }
        }
      });
      // However slow the machine, some inserts of this round are acknowledged before the kill.
      const before = acknowledged.length;
      await eventually(() => (acknowledged.length >= before + 10 ? true : undefined), '10 inserts', 120_000);
      await new Promise((resolveLater) => setTimeout(resolveLater, Math.random() * 500));
      killGroup(emulator.child, 'SIGKILL');
      process.kill(postmaster, 'SIGKILL');
      stop = true;
      await Promise.all(burst);
      await emulator.exited;
    }
    process.stdout.write(
      `[lifecycle] ${kills} kills mid-burst: ${acknowledged.length} inserts reported DONE, ${lost} lost\n`,
    );
    expect(acknowledged.length).toBeGreaterThanOrEqual(10 * kills);
  }, 600_000);

  it('stops PostgreSQL and the worker when only the main process is killed, and starts again at once', async () => {
    const dataDir = tempDir();
    const first = await startReady(dataDir);
    const pid = first.child.pid as number;
    const postmaster = await eventually(() => postmasterPid(dataDir), 'the postmaster');
    const worker = await eventually(
      () =>
        childrenOf(pid).find((child) =>
          readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('worker/main.js'),
        ),
      'the worker process',
    );
    process.kill(pid, 'SIGKILL');
    await first.exited;
    // At once: the new start waits for the previous PostgreSQL, which is shutting down.
    const second = await startReady(dataDir);
    await eventually(
      () => (alive(postmaster) || alive(worker) ? undefined : true),
      'the orphans to exit',
      15_000,
    );
    const response = await fetch(`${second.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await stopCleanly(second)).toBe(0);
    // And nothing is left behind once it is stopped.
    await eventually(() => (postmasterPid(dataDir) === undefined ? true : undefined), 'postmaster.pid to go');
  }, 300_000);

  it('ends within 3 s on SIGTERM at any moment of a start (first start included), and starts again', async () => {
    const dataDir = tempDir();
    // How long a start takes here, to spread the signals over it.
    const probe = startReady(dataDir);
    const t0 = Date.now();
    const measured = await probe;
    const startMs = Date.now() - t0;
    expect(await stopCleanly(measured)).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
    // Five random moments of a start (the first one creates the cluster), then one right after it is ready.
    const moments = [...Array.from({ length: 5 }, () => Math.round(Math.random() * startMs)), -1];
    for (const delayMs of moments) {
      const starting = start(dataDir);
      if (delayMs < 0) await starting.ready.catch(() => undefined);
      else await new Promise((resolveLater) => setTimeout(resolveLater, delayMs));
      await expectStopWithin3s(starting, `SIGTERM at ${delayMs} ms`);
    }
    const after = await startReady(dataDir);
    expect((await fetch(`${after.url}/readyz`)).status).toBe(200);
    expect(await stopCleanly(after)).toBe(0);
  }, 600_000);

  it('ends within 3 s on SIGTERM while the first start applies its migrations, and the next start applies them', async () => {
    // Each round a new data directory, signalled once its start says it applies migrations, a little later each
    // round (0, 50, 100… ms): all in one transaction, they are rolled back whole.
    for (let round = 0; round < 4; round++) {
      const dataDir = tempDir();
      const starting = start(dataDir);
      await eventually(
        () => (/applying \d+ database migrations?/.test(starting.output()) ? true : undefined),
        'the migrations to begin',
        90_000,
        5,
      );
      await new Promise((resolveLater) => setTimeout(resolveLater, round * 50));
      await expectStopWithin3s(starting, `SIGTERM ${round * 50} ms into the migrations`);
      const after = await startReady(dataDir);
      expect((await fetch(`${after.url}/compute/v1/projects/${PROJECT}/global/networks`)).status).toBe(200);
      expect(await stopCleanly(after)).toBe(0);
    }
  }, 600_000);
});
