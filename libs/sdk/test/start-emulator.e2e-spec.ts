import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  GkeEmulatorOptionError,
  GkeEmulatorUnavailableError,
  startEmulator,
  type RunningEmulator,
} from '../src';
import { EMULATOR_BIN, listening, processAlive } from './emulator-bin';

/**
 * startEmulator against the real emulator: both modes start and stop with nothing left behind (no process, the port
 * closed, the data-directory lock released), crashes are reported, and wrong options are named.
 */
const started: RunningEmulator[] = [];
async function start(options: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  const emu = await startEmulator({ bin: EMULATOR_BIN, ...options });
  started.push(emu);
  return emu;
}
afterAll(async () => {
  await Promise.all(started.map((emu) => emu.stop()));
});

async function expectGone(emu: RunningEmulator): Promise<void> {
  expect(await listening(emu.url)).toBe(false);
  if (emu.mode === 'child') expect(processAlive(emu.pid)).toBe(false);
  if (emu.dataDir) expect(existsSync(`${emu.dataDir}.lock`)).toBe(false);
}

describe('startEmulator', () => {
  it('runs the CLI as a child on a warm embedded database; stop() is idempotent and leaves nothing running', async () => {
    const emu = await start();
    expect(emu.mode).toBe('child');
    expect(emu.pid).not.toBe(process.pid);
    expect(emu.dataDir).toBeDefined();
    expect(existsSync(`${emu.dataDir}.lock`)).toBe(true);
    expect(await emu.settings.get()).toEqual({ operationDelayMs: 0, podReadyDelayMs: 0 });
    const project = emu.project();
    const [op] = await emu.compute
      .networks()
      .insert({ project, networkResource: { name: 'vpc', autoCreateSubnetworks: false } });
    expect((await emu.compute.wait(op)).status).toBe('DONE');

    await Promise.all([emu.stop(), emu.stop()]);
    await emu.stop();
    await expectGone(emu);
    expect(await emu.exited).toMatchObject({ expected: true });
    await expect(emu.settings.get()).rejects.toThrow(/was stopped/);

    // The same warm database again: what the first run wrote is still there.
    const again = await start();
    expect(again.dataDir).toBe(emu.dataDir);
    expect((await again.compute.networks().list({ project }))[0].map((n) => n.name)).toEqual(['vpc']);
    await again.reset({ project });
    await again.stop();
    await expectGone(again);
  });

  it('starts with an auth token that every client it makes sends, and that others need', async () => {
    const authToken = 'sdk-test-token-0123';
    const emu = await start({ authToken });
    const project = emu.project();
    const [op] = await emu.compute
      .networks()
      .insert({ project, networkResource: { name: 'vpc', autoCreateSubnetworks: false } });
    expect((await emu.compute.wait(op)).status).toBe('DONE');
    expect(await emu.settings.get()).toMatchObject({ operationDelayMs: 0 });
    expect(await emu.graphql('{ networks(project: "' + project + '") { name } }')).toEqual({
      networks: [{ name: 'vpc' }],
    });
    const env = emu.gcloudEnv();
    expect(env['GKE_EMULATOR_AUTH_TOKEN']).toBe(authToken);
    expect(readFileSync(env['CLOUDSDK_AUTH_ACCESS_TOKEN_FILE'] as string, 'utf8').trim()).toBe(authToken);
    const anonymous = await fetch(`${emu.url}/compute/v1/projects/${project}/global/networks`);
    expect(anonymous.status).toBe(401);
    await emu.stop();
  }, 180_000);

  it('gives concurrent emulators distinct data directories', async () => {
    const [a, b] = await Promise.all([start(), start({ mode: 'in-process' })]);
    expect(a.dataDir).not.toBe(b.dataDir);
    expect(a.url).not.toBe(b.url);
    expect(await a.settings.get()).toMatchObject({ operationDelayMs: 0 });
    expect(await b.settings.get()).toMatchObject({ operationDelayMs: 0 });
    await Promise.all([a.stop(), b.stop()]);
    await expectGone(a);
    await expectGone(b);
  });

  it('runs in this process, with the worker, on an ephemeral database deleted on stop', async () => {
    const emu = await start({ mode: 'in-process', ephemeral: true, operationDelayMs: 250 });
    expect(emu.pid).toBe(process.pid);
    expect(emu.dataDir).toBeUndefined();
    expect(await emu.settings.get()).toMatchObject({ operationDelayMs: 250 });
    await emu.stop();
    await emu.stop();
    await expectGone(emu);
  });

  it('reports a crash of the child: exited settles and later calls fail at once naming it', async () => {
    const emu = await start();
    // SIGTERM: the emulator stops cleanly (its PostgreSQL too) but unasked, which is what the SDK must notice.
    process.kill(emu.pid, 'SIGTERM');
    const exit = await emu.exited;
    expect(exit.expected).toBe(false);
    await expect(emu.settings.get()).rejects.toThrow(GkeEmulatorUnavailableError);
    await expect(emu.settings.get()).rejects.toThrow(/ended unexpectedly \(exit code 0\)/);
    await emu.stop();
    await expectGone(emu);
  });

  it('rejects, with its stderr, a child that exits before it is ready', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdk-bad-bin-'));
    try {
      const bin = join(dir, 'main.js');
      writeFileSync(
        bin,
        "process.stderr.write('gke-emulator: something broke at start\\n'); process.exit(3);\n",
      );
      const error = await startEmulator({ bin, ephemeral: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GkeEmulatorUnavailableError);
      expect(String(error)).toMatch(
        /exited before it was ready \(exit code 3\):\ngke-emulator: something broke at start/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the option that is wrong', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const address = holder.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const cases: [Parameters<typeof startEmulator>[0], RegExp][] = [
        [{ port }, new RegExp(`^port: ${port} is in use`)],
        [{ port: -1 }, /^port: expected an integer/],
        [
          { databaseUrl: `postgresql://u:p@127.0.0.1:${port + 1}/x`, timeoutMs: 5000 },
          /^databaseUrl: no PostgreSQL answers/,
        ],
        [{ timeoutMs: 0 }, /^timeoutMs: must be a positive number/],
        [{ bin: '/nowhere/main.js' }, /^bin: no emulator CLI at \/nowhere\/main\.js/],
        [{ mode: 'thread' as never }, /^mode: /],
        [{ logLevel: 'loud' as never }, /^logLevel: /],
        [{ dataDir: '/tmp/x', ephemeral: true }, /^dataDir: not with ephemeral/],
      ];
      for (const [options, message] of cases) {
        const error = await startEmulator({ bin: EMULATOR_BIN, ...options }).catch((e: unknown) => e);
        expect(error, JSON.stringify(options)).toBeInstanceOf(GkeEmulatorOptionError);
        expect(String((error as Error).message), JSON.stringify(options)).toMatch(message);
      }
    } finally {
      holder.close();
    }
  });

  it('names timeoutMs when the emulator is not ready in time, and leaves no child behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdk-slow-bin-'));
    try {
      const bin = join(dir, 'main.js');
      writeFileSync(
        bin,
        `require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'pid'))}, String(process.pid)); setInterval(() => {}, 1000);\n`,
      );
      const error = await startEmulator({ bin, ephemeral: true, timeoutMs: 1500 }).catch((e: unknown) => e);
      expect(String(error)).toMatch(
        /^GkeEmulatorOptionError: timeoutMs: the emulator was not ready within 1500 ms/,
      );
      const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
      expect(pid).toBeGreaterThan(0);
      expect(processAlive(pid)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
