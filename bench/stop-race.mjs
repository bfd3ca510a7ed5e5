#!/usr/bin/env node
// How does `gke-emulator start` (embedded PostgreSQL) end on SIGTERM? Starts it N times on one data directory and
// sends SIGTERM at a chosen moment: `ready` (right after the first 200 from /readyz, before the banner) or `banner`
// (right after the banner, i.e. fully started) or `idle` (banner + 1 s). Tallies exit codes and first error lines.
// Evidence for docs/benchmarks.md; not part of `npm run bench`.
//
//   node bench/stop-race.mjs [--runs 10] [--at ready|banner|idle] [--cli path/to/dist/cli/main.js]
//
// Talks to 127.0.0.1 only; bounded; removes its processes and temporary directory at the end.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let CLI = join(ROOT, 'dist/cli/main.js');
let runs = 10;
let at = 'ready';
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === '--runs') runs = Math.min(50, Math.max(1, Number(process.argv[++i])));
  else if (arg === '--at') at = process.argv[++i];
  else if (arg === '--cli') CLI = resolve(process.argv[++i]);
  else throw new Error(`unknown argument ${arg}`);
}
if (!['ready', 'banner', 'idle'].includes(at)) throw new Error('--at: ready, banner or idle');

const tempRoot = mkdtempSync(join(os.tmpdir(), 'gke-emulator-stop-race-'));
chmodSync(tempRoot, 0o755);
const dataDir = join(tempRoot, 'data');
const pidFile = join(dataDir, 'pg', 'postmaster.pid');
let current = null;

function freePort() {
  return new Promise((done, fail) => {
    const server = net.createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function readyz(port) {
  return new Promise((done) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(0));
  });
}

async function waitPostmasterGone() {
  for (let i = 0; i < 1500 && existsSync(pidFile); i++) await sleep(10);
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // gone
      }
    }
    for (let i = 0; i < 1000 && existsSync(pidFile); i++) await sleep(10);
    return false;
  }
  return true;
}

async function once(when) {
  const port = await freePort();
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'DATABASE_URL' && !key.startsWith('GKE_EMULATOR_')),
  );
  const child = spawn(process.execPath, [CLI, 'start', '--port', String(port), '--data-dir', dataDir], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  current = child;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
  for (let i = 0; i < 3000 && child.exitCode === null; i++) {
    if (when === 'ready' ? (await readyz(port)) === 200 : stdout.includes('listening on')) break;
    await sleep(10);
  }
  if (when === 'idle') await sleep(1000);
  const bannerBeforeStop = stdout.includes('listening on');
  child.kill('SIGTERM');
  const timeout = sleep(20_000).then(() => null);
  let result = await Promise.race([exited, timeout]);
  if (!result) {
    child.kill('SIGKILL');
    result = { ...(await exited), killedAfter20s: true };
  }
  current = null;
  const postgresStoppedCleanly = await waitPostmasterGone();
  const error = stderr
    .split('\n')
    .map((line) => line.trim())
    .find((line) => /^(error|Error|[A-Za-z]*Error):|gke-emulator:/.test(line));
  return { ...result, bannerBeforeStop, postgresStoppedCleanly, error: error ?? null };
}

let exitCode = 0;
try {
  await once('idle'); // creates the cluster
  const tally = new Map();
  const results = [];
  for (let i = 0; i < runs; i++) {
    const result = await once(at);
    results.push(result);
    const key = `exit ${result.code ?? result.signal}${result.error ? `: ${result.error.slice(0, 120)}` : ''}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  process.stdout.write(`SIGTERM at "${at}", ${runs} runs:\n`);
  for (const [key, count] of tally) process.stdout.write(`  ${count} x ${key}\n`);
  process.stdout.write(
    `  banner printed before SIGTERM in ${results.filter((r) => r.bannerBeforeStop).length} runs; ` +
      `postmaster gone within 15 s in ${results.filter((r) => r.postgresStoppedCleanly).length} runs\n`,
  );
} catch (error) {
  process.stderr.write(`stop-race failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  exitCode = 1;
} finally {
  if (current) current.kill('SIGKILL');
  await waitPostmasterGone();
  rmSync(tempRoot, { recursive: true, force: true });
}
process.exit(exitCode);
