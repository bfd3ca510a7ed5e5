#!/usr/bin/env node
// Where does the emulator's time go? Runs one emulator under `node --cpu-prof`, through one scenario, and
// summarises the profile: self time by package, inclusive time of the start phases, and the hottest functions.
// Evidence for docs/benchmarks.md; not part of `npm run bench`.
//
//   node bench/profile.mjs [--scenario start|get|insert] [--duration 5] [--concurrency 16] [--keep-profile DIR]
//                          [--cli path/to/dist/cli/main.js]
//
// start:  a warm start (the data directory is created by a first start that is not profiled), stopped after the
//         banner and the first 200 from /readyz. get / insert: after the warm start, `--duration` seconds of load like bench/run.mjs.
// Talks to 127.0.0.1 only; every loop is bounded; the process and the temporary directory are removed at the end.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let CLI = join(ROOT, 'dist/cli/main.js');
const HOST = '127.0.0.1';

const options = { scenario: 'start', durationS: 5, concurrency: 16, keep: undefined };
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === '--scenario') options.scenario = process.argv[++i];
  else if (arg === '--duration') options.durationS = Math.min(60, Math.max(1, Number(process.argv[++i])));
  else if (arg === '--concurrency')
    options.concurrency = Math.min(256, Math.max(1, Number(process.argv[++i])));
  else if (arg === '--keep-profile') options.keep = process.argv[++i];
  else if (arg === '--cli') CLI = resolve(process.argv[++i]);
  else throw new Error(`unknown argument ${arg}`);
}
if (!['start', 'get', 'insert'].includes(options.scenario))
  throw new Error('--scenario: start, get or insert');
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.mjs first`);

const children = new Set();
const tempRoot = mkdtempSync(join(os.tmpdir(), 'gke-emulator-profile-'));
chmodSync(tempRoot, 0o755); // as root the embedded PostgreSQL runs as `postgres` and must enter the data dir

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function request(agent, port, method, path, body) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: HOST,
        port,
        method,
        path,
        agent,
        timeout: 10_000,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
        res.on('error', () => resolve({ status: 0, body: '' }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    if (payload) req.write(payload);
    req.end();
  });
}

async function start(dataDir, nodeArgs) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [...nodeArgs, CLI, 'start', '--host', HOST, '--port', String(port), '--data-dir', dataDir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: Object.fromEntries(
        Object.entries(process.env).filter(
          ([key]) => key !== 'DATABASE_URL' && !key.startsWith('GKE_EMULATOR_'),
        ),
      ),
    },
  );
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  for (let i = 0; i < 6000 && !stdout.includes('gke-emulator listening on'); i++) {
    if (child.exitCode !== null) throw new Error(`emulator exited early:\n${stderr.slice(-2000)}`);
    await sleep(10);
  }
  if (!stdout.includes('gke-emulator listening on')) throw new Error('emulator did not start in 60 s');
  const bannerMs = performance.now() - t0;
  // The first 200 from /readyz can come after the banner: it is the first query through Prisma.
  const agent = new http.Agent({ keepAlive: false });
  let readyMs = null;
  for (let i = 0; i < 3000 && readyMs === null; i++) {
    if ((await request(agent, port, 'GET', '/readyz')).status === 200) readyMs = performance.now() - t0;
    else await sleep(10);
  }
  agent.destroy();
  return { child, port, exited, bannerMs, readyMs, stderr: () => stderr };
}

async function stop(emulator) {
  emulator.child.kill('SIGTERM');
  const timeout = sleep(20_000).then(() => 'timeout');
  const result = await Promise.race([emulator.exited, timeout]);
  if (result === 'timeout') {
    emulator.child.kill('SIGKILL');
    await emulator.exited;
  }
  children.delete(emulator.child);
  // The embedded postmaster is the emulator's child and finishes its shutdown on its own: wait for it, bounded.
  for (let i = 0; i < 1500 && existsSync(join(emulator.dataDir ?? '', 'pg', 'postmaster.pid')); i++)
    await sleep(10);
  return result;
}

async function load(port, durationMs, next) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  let issued = 0;
  let ok = 0;
  const deadline = performance.now() + durationMs;
  const client = async () => {
    while (performance.now() < deadline && issued < 1_000_000) {
      const { method, path, body } = next(issued++);
      const res = await request(agent, port, method, path, body);
      if (res.status === 200) ok++;
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, client));
  agent.destroy();
  return Math.round(ok / ((performance.now() - t) / 1000));
}

// ------------------------------------------------------------------------------------------- profile analysis

function packageOf(url) {
  if (!url) return null;
  if (url.startsWith('node:')) return 'node (internals)';
  if (url.startsWith('wasm://')) return 'wasm';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.includes('/dist/')) return 'gke-emulator (dist)';
  return url.replace(/^file:\/\//, '');
}

function analyse(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  const selfFn = new Map();
  const inclusive = new Map();
  const phaseNames = [
    'startEmbeddedPostgres',
    'migrateDatabase',
    'loadSchemaEngine',
    'startApi',
    'startWorker',
    'compileFunction',
    'wrapSafe',
    'compileSourceTextModule',
    'Module._load',
  ];
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    total += delta;
    const leaf = nodes.get(profile.samples[i]);
    const frame = leaf.callFrame;
    const special = frame.functionName.startsWith('(') ? frame.functionName : null;
    const bucket = special ?? packageOf(frame.url) ?? '(unknown)';
    self.set(bucket, (self.get(bucket) ?? 0) + delta);
    const fnKey = `${frame.functionName || '(anonymous)'} ${packageOf(frame.url) ?? ''}`;
    selfFn.set(fnKey, (selfFn.get(fnKey) ?? 0) + delta);
    const seen = new Set();
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
      const name = nodes.get(id).callFrame.functionName;
      if (phaseNames.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + delta);
      }
    }
  }
  // Time under require()/import, by the package the bundle (or the CLI) asked for: the first frame from
  // node_modules below the outermost Module._load of a sample.
  const loadByPackage = new Map();
  // A timeline in 100 ms slices: what the process was doing (package of the leaf frame, or "require").
  const slices = [];
  let clock = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    clock += delta;
    const stack = [];
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id))
      stack.push(nodes.get(id).callFrame);
    stack.reverse(); // root first
    const outer = stack.findIndex((frame) => frame.functionName === 'Module._load');
    let activity;
    if (outer >= 0) {
      const below = stack.slice(outer + 1).find((frame) => /node_modules\//.test(frame.url));
      const pkg = below ? packageOf(below.url) : '(node internals / resolution)';
      loadByPackage.set(pkg, (loadByPackage.get(pkg) ?? 0) + delta);
      activity = `require ${pkg}`;
    } else {
      const leaf = stack[stack.length - 1];
      activity = leaf.functionName.startsWith('(') ? leaf.functionName : (packageOf(leaf.url) ?? '(unknown)');
    }
    const slice = Math.floor(clock / 100);
    slices[slice] ??= new Map();
    slices[slice].set(activity, (slices[slice].get(activity) ?? 0) + delta);
  }
  const timeline = slices.map((slice, index) => {
    const parts = [...(slice ?? new Map()).entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    return `${index * 100}-${index * 100 + 100} ms: ${parts.map(([name, ms]) => `${name} ${Math.round(ms)}`).join(', ')}`;
  });
  const top = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), pct: Math.round((ms / total) * 1000) / 10 }));
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  return {
    wallMs: Math.round(wallMs),
    sampledMs: Math.round(total),
    selfByPackage: top(self, 20),
    inclusivePhases: top(inclusive, 20),
    requireByPackage: top(loadByPackage, 20),
    timeline: timeline.length <= 40 ? timeline : undefined,
    hottestFunctions: top(selfFn, 25),
  };
}

// ------------------------------------------------------------------------------------------- main

let exitCode = 0;
try {
  const dataDir = join(tempRoot, 'data');
  const first = await start(dataDir, []);
  first.dataDir = dataDir;
  await stop(first);
  const profileDir = join(tempRoot, 'profile');
  mkdirSync(profileDir);
  const emulator = await start(dataDir, [
    '--cpu-prof',
    `--cpu-prof-dir=${profileDir}`,
    '--cpu-prof-interval=200',
  ]);
  emulator.dataDir = dataDir;
  const result = {
    scenario: options.scenario,
    bannerMs: Math.round(emulator.bannerMs),
    readyMs: Math.round(emulator.readyMs),
  };
  const base = '/compute/v1/projects/prof-proj';
  if (options.scenario !== 'start') {
    const agent = new http.Agent({ keepAlive: false });
    await request(agent, emulator.port, 'POST', `${base}/global/networks`, {
      name: 'prof-net',
      autoCreateSubnetworks: false,
    });
    await request(agent, emulator.port, 'POST', `${base}/regions/us-central1/subnetworks`, {
      name: 's-get',
      network: 'prof-net',
      ipCidrRange: '192.168.0.0/29',
    });
    agent.destroy();
    const durationMs = options.durationS * 1000;
    result.rps =
      options.scenario === 'get'
        ? await load(emulator.port, durationMs, () => ({
            method: 'GET',
            path: `${base}/regions/us-central1/subnetworks/s-get`,
          }))
        : await load(emulator.port, durationMs, (n) => {
            const b = (10 << 24) + n * 8;
            return {
              method: 'POST',
              path: `${base}/regions/us-central1/subnetworks`,
              body: {
                name: `s-${n}`,
                network: 'prof-net',
                ipCidrRange: `${(b >>> 24) & 255}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/29`,
              },
            };
          });
  }
  result.exit = await stop(emulator);
  const files = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no profile written (exit ${JSON.stringify(result.exit)})`);
  const profile = JSON.parse(readFileSync(join(profileDir, files[0]), 'utf8'));
  Object.assign(result, analyse(profile));
  if (options.keep) {
    mkdirSync(options.keep, { recursive: true });
    cpSync(join(profileDir, files[0]), join(options.keep, `${options.scenario}.cpuprofile`));
  }
  process.stdout.write(JSON.stringify(result, null, 1) + '\n');
} catch (error) {
  process.stderr.write(`profile failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  exitCode = 1;
} finally {
  for (const child of children) child.kill('SIGKILL');
  await sleep(children.size ? 500 : 0);
  // A postmaster orphaned by a killed emulator: fast shutdown by its pid, then wait for it, bounded.
  const pidFile = join(tempRoot, 'data', 'pg', 'postmaster.pid');
  const postmaster = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
  if (postmaster > 0) {
    try {
      process.kill(postmaster, 'SIGINT');
    } catch {
      // gone
    }
    for (let i = 0; i < 1000 && existsSync(pidFile); i++) await sleep(10);
  }
  rmSync(tempRoot, { recursive: true, force: true });
}
process.exit(exitCode);
