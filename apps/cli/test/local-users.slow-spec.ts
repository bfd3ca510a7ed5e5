// Run as root (a CI container, a Docker image): the emulator works from private folders, and another local user
// gets nothing from it — no login to its PostgreSQL, no read of its token, state or password files (issue 13, items
// 4, 7 and 10). It needs root to create that user and to run processes as it: skipped otherwise.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// Loaded as the CLI loads it (the db library is lazy-loaded by apps/cli).
const { canReach, reachableBinDir, systemAccount } = await import('@gke-emulator/db');
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'dist/cli/main.js');
const isRoot = process.getuid?.() === 0;
const OTHER_USER = 'gke-emu-other';
const dirs: string[] = [];
const running = new Set<ChildProcess>();

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A folder only root may enter, as `mktemp -d` and `/root` are. */
function privateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gke-emulator-private-'));
  chmodSync(dir, 0o700);
  dirs.push(dir);
  return dir;
}

function otherUser(): { uid: number; gid: number } {
  const find = () =>
    readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .find((fields) => fields[0] === OTHER_USER);
  if (!find()) execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', OTHER_USER]);
  const fields = find() as string[];
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** Runs a Node snippet as the other user; its stdout. */
function asOtherUser(script: string): string {
  const user = otherUser();
  const result = spawnSync(process.execPath, ['-e', script], { ...user, cwd: '/', encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

async function startReady(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ child: ChildProcess; url: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--kube-port', '0', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolveExit) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolveExit(code);
    }),
  );
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 90 s:\n${output}`)), 90_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolveUrl(found);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
  return {
    child,
    url,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Inodes of the TCP sockets in LISTEN state on this machine. */
function tcpListeners(): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A') inodes.add(fields[9] as string);
    }
  }
  return inodes;
}

/** Inodes of the sockets process `pid` holds. */
function socketsOf(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? [];
    } catch {
      return [];
    }
  });
}

describe.skipIf(!isRoot)('run as root: private folders, and other local users kept out (needs root)', () => {
  it('starts with --data-dir under a 0700 folder, keeps its data, and lets another user in nowhere', async () => {
    const dataDir = join(privateDir(), 'data');
    const first = await startReady(['--data-dir', dataDir]);
    const created = await fetch(`${first.url}/compute/v1/projects/kept/global/networks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'kept', autoCreateSubnetworks: false }),
    });
    expect(created.status).toBe(200);

    const clusterDir = realpathSync(join(dataDir, 'pg'));
    const [postmaster, , , , socketDir] = readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split(
      '\n',
    );
    // PostgreSQL runs as the emulator's own system user, not root and not the `postgres` account.
    expect(statSync(`/proc/${postmaster}`).uid).toBe(systemAccount().uid);
    // No TCP listener: the only way in is the socket, in a directory nobody else may enter.
    const listeners = tcpListeners();
    expect(socketsOf(Number(postmaster)).filter((inode) => listeners.has(inode))).toEqual([]);
    const socket = join(socketDir as string, '.s.PGSQL.5432');
    expect(existsSync(socket)).toBe(true);
    const files = ['gke-emulator-access-token', 'emulator.json', 'postgres-password'].map((name) =>
      join(dataDir, name),
    );
    for (const file of files) expect(statSync(file).mode & 0o777, file).toBe(0o600);

    const attempts = asOtherUser(`
const fs = require('node:fs');
const net = require('node:net');
const outcome = {};
for (const file of ${JSON.stringify([...files, join(clusterDir, 'PG_VERSION')])}) {
  try { fs.readFileSync(file); outcome[file] = 'read'; } catch (error) { outcome[file] = error.code; }
}
const socket = net.connect(${JSON.stringify(socket)});
socket.on('connect', () => { outcome.socket = 'connected'; socket.destroy(); done(); });
socket.on('error', (error) => { outcome.socket = error.code; done(); });
function done() { process.stdout.write(JSON.stringify(outcome)); }
`);
    const outcome = JSON.parse(attempts) as Record<string, string>;
    expect(outcome['socket']).toBe('EACCES');
    for (const file of [...files, join(clusterDir, 'PG_VERSION')]) expect(outcome[file], file).toBe('EACCES');

    expect(await first.stop()).toBe(0);
    const second = await startReady(['--data-dir', dataDir]);
    expect((await fetch(`${second.url}/compute/v1/projects/kept/global/networks/kept`)).status).toBe(200);
    expect(await second.stop()).toBe(0);
  }, 300_000);

  it('runs --ephemeral with a private TMPDIR, and leaves nothing behind', async () => {
    const tmp = privateDir();
    const clusters = '/var/lib/gke-emulator/clusters';
    const before = new Set(existsSync(clusters) ? readdirSync(clusters) : []);
    const emulator = await startReady(['--ephemeral'], { TMPDIR: tmp });
    expect((await fetch(`${emulator.url}/readyz`)).status).toBe(200);
    const during = (existsSync(clusters) ? readdirSync(clusters) : []).filter((entry) => !before.has(entry));
    expect(await emulator.stop()).toBe(0);
    const after = existsSync(clusters) ? readdirSync(clusters) : [];
    expect(after.filter((entry) => during.includes(entry))).toEqual([]);
    expect(readdirSync(tmp).filter((entry) => entry.startsWith('gke-emulator-pg-'))).toEqual([]);
  }, 300_000);

  it('gives the system user a copy of binaries it cannot reach (a clone under /root)', () => {
    const account = systemAccount();
    const installation = join(privateDir(), 'native');
    const bin = join(installation, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'postgres'), '#!/bin/sh\necho "postgres (PostgreSQL) test"\n', { mode: 0o755 });
    expect(canReach(join(bin, 'postgres'), account, false)).toBe(false);
    const systemDir = privateDir();
    chmodSync(systemDir, 0o711);
    const copy = reachableBinDir(bin, account, `test-${Date.now()}`, join(systemDir, 'system'));
    expect(copy).not.toBe(bin);
    const run = spawnSync(join(copy, 'postgres'), [], { ...account, encoding: 'utf8' });
    expect(run.stdout).toContain('PostgreSQL');
    // Binaries it can reach are used where they are.
    const reachable = reachableBinDir(copy, account, 'unused', join(systemDir, 'unused'));
    expect(reachable).toBe(copy);
  });
});
