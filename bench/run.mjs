#!/usr/bin/env node
// Measures the emulator's start time, idle memory and request throughput (see docs/benchmarks.md).
// Plain Node, nothing extra to install: the load generator is Node's `http` with a keep-alive agent, and the
// raw-PostgreSQL comparison uses the project's own `pg`. Everything talks to 127.0.0.1 only, every loop is bounded
// in count and time, and every process and temporary directory it makes is cleaned up, even on error.
//
//   node bench/run.mjs [--duration 5] [--concurrency 16] [--warm-starts 5] [--fresh-starts 3] [--no-external]
//                      [--wait-quiet S] [--json-out file] [--cli path/to/dist/cli/main.js]
//
// --wait-quiet S: before each measured phase, wait up to S seconds for other processes on the machine to use less
// than a quarter of a core (useful on a shared development machine; the report shows their share either way).
//
// Target misses are reported as FAIL but the exit code stays 0: this is a measurement, not a test. It exits 1 only
// when the benchmark itself could not run (for example the emulator did not start).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { setTimeout, clearTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';

const require = createRequire(import.meta.url);
const pg = require('pg');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let CLI = join(ROOT, 'dist/cli/main.js');
const HOST = '127.0.0.1';
const PROJECT = 'bench-proj';
const REGION = 'us-central1';
const NETWORK = 'bench-net';
const GET_SUBNET = 's-get';

const TARGETS = {
  warmStartMs: { max: 1500 },
  firstStartMs: { max: 5000 },
  idleRssMb: { max: 250 },
  getRps: { min: 3000 },
  insertRps: { min: 500 },
};

// ---------------------------------------------------------------------------------------------- options

function parseArgs(argv) {
  const options = {
    durationS: 5,
    warmupS: 1,
    concurrency: 16,
    warmStarts: 5,
    freshStarts: 3,
    external: true,
    adminUrl: process.env['BENCH_PG_ADMIN_URL'] ?? `postgresql://postgres@${HOST}:5432/postgres`,
    jsonOut: undefined,
    waitQuietS: 0,
  };
  const number = (flag, value, min, max) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new Error(`${flag}: expected a number in [${min}, ${max}]`);
    return n;
  };
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => argv[++i];
    if (arg === '--duration') options.durationS = number(arg, next(), 1, 60);
    else if (arg === '--warmup') options.warmupS = number(arg, next(), 0, 30);
    else if (arg === '--concurrency') options.concurrency = Math.round(number(arg, next(), 1, 256));
    else if (arg === '--warm-starts') options.warmStarts = Math.round(number(arg, next(), 1, 20));
    else if (arg === '--fresh-starts') options.freshStarts = Math.round(number(arg, next(), 1, 10));
    else if (arg === '--no-external') options.external = false;
    else if (arg === '--wait-quiet') options.waitQuietS = number(arg, next(), 0, 600);
    else if (arg === '--json-out') options.jsonOut = next();
    else if (arg === '--cli') CLI = resolve(next());
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(
        'usage: node bench/run.mjs [--duration S] [--warmup S] [--concurrency N] [--warm-starts N] ' +
          '[--fresh-starts N] [--no-external] [--wait-quiet S] [--json-out FILE] [--cli dist/cli/main.js]\n' +
          'BENCH_PG_ADMIN_URL: PostgreSQL on 127.0.0.1 for the external-database run ' +
          '(default postgresql://postgres@127.0.0.1:5432/postgres)\n',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  const admin = new URL(options.adminUrl);
  if (!['127.0.0.1', 'localhost'].includes(admin.hostname)) {
    throw new Error(`BENCH_PG_ADMIN_URL must point at 127.0.0.1, got ${admin.hostname}`);
  }
  return options;
}

// ---------------------------------------------------------------------------------------------- helpers

const log = (line) => process.stderr.write(`[bench] ${line}\n`);
const round = (n, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n) ? null : Number(n.toFixed(digits));

function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

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

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------- /proc

let clockTicks = 100;
try {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  if (out.status === 0 && Number(out.stdout) > 0) clockTicks = Number(out.stdout);
} catch {
  // keep 100
}

/** pid -> { ppid, comm, cpuTicks } for every process (Linux /proc). */
function processTable() {
  const table = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readText(`/proc/${entry}/stat`);
    if (!stat) continue;
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' '); // fields[0] is field 3 (state)
    table.set(Number(entry), {
      ppid: Number(fields[1]),
      comm,
      cpuTicks: Number(fields[11]) + Number(fields[12]),
    });
  }
  return table;
}

function descendants(pid, table = processTable()) {
  const children = new Map();
  for (const [child, info] of table) {
    if (!children.has(info.ppid)) children.set(info.ppid, []);
    children.get(info.ppid).push(child);
  }
  const out = [];
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length > 0 && out.length < 10_000) {
    const next = stack.pop();
    out.push(next);
    stack.push(...(children.get(next) ?? []));
  }
  return out;
}

/** VmRSS and (when readable) Pss of one process, in kB. */
function memoryOf(pid) {
  const status = readText(`/proc/${pid}/status`) ?? '';
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  const rollup = readText(`/proc/${pid}/smaps_rollup`) ?? '';
  const pss = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? NaN);
  return { rssKb: rss, pssKb: pss };
}

function cpuSecondsOf(pids, table = processTable()) {
  let ticks = 0;
  for (const pid of pids) ticks += table.get(pid)?.cpuTicks ?? 0;
  return ticks / clockTicks;
}

/** Busy and total jiffies of the whole machine (/proc/stat), to see how loaded it was during a phase. */
function machineCpu() {
  const line = (readText('/proc/stat') ?? '').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / clockTicks, total: total / clockTicks };
}

// ---------------------------------------------------------------------------------------------- emulator processes

const emulators = new Set();

function cleanEnv(extra = {}) {
  const inherited = Object.entries(process.env).filter(
    ([key]) => !key.startsWith('GKE_EMULATOR_') && key !== 'DATABASE_URL',
  );
  return { ...Object.fromEntries(inherited), ...extra };
}

/** The embedded PostgreSQL's postmaster.pid: pid, port and status ("starting", "ready", "stopping"). */
function postmasterInfo(dataDir) {
  const text = readText(join(dataDir, 'pg', 'postmaster.pid'));
  if (!text) return null;
  const lines = text.split('\n');
  return {
    pid: Number(lines[0]),
    port: Number(lines[3]),
    socketDir: lines[4],
    status: (lines[7] ?? '').trim(),
  };
}

/**
 * Spawns `gke-emulator start` on a port chosen here (so /readyz can be polled from the moment of spawn) and
 * resolves when /readyz first answers 200. Phase marks come from outside the process only: the embedded cluster's
 * files, postmaster.pid's status line, and the banner on stdout.
 */
async function startEmulator({ dataDir, env = {}, label }) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEmulatorOnce({ dataDir, env, label });
    } catch (error) {
      if (attempt < 3 && /EADDRINUSE/.test(String(error.message))) continue;
      throw error;
    }
  }
}

async function startEmulatorOnce({ dataDir, env, label }) {
  const port = await freePort();
  const url = `http://${HOST}:${port}`;
  const embedded = !env.DATABASE_URL;
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [CLI, 'start', '--host', HOST, '--port', String(port), '--data-dir', dataDir],
    {
      cwd: ROOT,
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const handle = {
    label,
    child,
    pid: child.pid,
    port,
    url,
    dataDir,
    embedded,
    stdout: '',
    stderr: '',
    exit: null,
    marks: {},
  };
  emulators.add(handle);
  handle.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      handle.exit = { code, signal, at: performance.now() };
      resolve(handle.exit);
    });
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    if (handle.stdout.length < 64_000) handle.stdout += chunk;
    if (handle.bannerMs === undefined && handle.stdout.includes('gke-emulator listening on')) {
      handle.bannerMs = performance.now() - t0;
    }
  });
  child.stderr.on('data', (chunk) => {
    if (handle.stderr.length < 64_000) handle.stderr += chunk;
  });

  const deadline = t0 + 60_000;
  let polls = 0;
  while (performance.now() < deadline && polls < 20_000) {
    polls++;
    if (handle.exit) {
      throw new Error(
        `emulator (${label}) exited with ${handle.exit.code ?? handle.exit.signal} before it was ready:\n` +
          handle.stderr.slice(-2000),
      );
    }
    if (embedded) {
      const now = performance.now() - t0;
      if (handle.marks.clusterExistsMs === undefined && existsSync(join(dataDir, 'pg', 'PG_VERSION'))) {
        handle.marks.clusterExistsMs = now;
      }
      const postmaster = postmasterInfo(dataDir);
      if (postmaster && postmaster.pid > 0 && isAlive(postmaster.pid)) {
        if (handle.marks.postmasterMs === undefined) handle.marks.postmasterMs = now;
        if (handle.marks.postgresReadyMs === undefined && postmaster.status === 'ready') {
          handle.marks.postgresReadyMs = now;
        }
      }
    }
    const status = await probe(`${url}/readyz`, 2000);
    if (status === 200) {
      handle.readyMs = performance.now() - t0;
      handle.polls = polls;
      // /readyz answers once the API listens; the CLI starts the worker and prints its banner after that. Stopping
      // before the banner races the startup (see docs/benchmarks.md), so wait for it, bounded, and record when.
      const bannerDeadline = performance.now() + 15_000;
      while (handle.bannerMs === undefined && !handle.exit && performance.now() < bannerDeadline) {
        await sleep(5);
      }
      handle.marks.bannerMs = handle.bannerMs;
      return handle;
    }
    await sleep(10);
  }
  throw new Error(
    `emulator (${label}) not ready after 60 s (${polls} polls):\n${handle.stderr.slice(-2000)}`,
  );
}

/** One GET on a fresh connection; resolves to the status code, or 0 when refused / timed out. */
function probe(url, timeoutMs) {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', () => resolve(0));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve(0));
  });
}

/** SIGTERM, wait for the process (20 s, then SIGKILL), then for its embedded PostgreSQL to be gone. */
async function stopEmulator(handle) {
  if (!emulators.has(handle)) return handle.stop;
  const t0 = performance.now();
  const postmaster = handle.embedded ? postmasterInfo(handle.dataDir) : null;
  let killed = false;
  if (!handle.exit) {
    handle.child.kill('SIGTERM');
    try {
      await withTimeout(handle.exited, 20_000, 'emulator stop');
    } catch {
      killed = true;
      handle.child.kill('SIGKILL');
      await withTimeout(handle.exited, 5_000, 'emulator kill').catch(() => undefined);
    }
  }
  const exitMs = performance.now() - t0;
  let postgresLeftRunning = false;
  if (postmaster && postmaster.pid > 0) {
    // The postmaster is the emulator's child; it must finish its own shutdown before the next start.
    const deadline = performance.now() + 15_000;
    while (isAlive(postmaster.pid) && existsSync(join(handle.dataDir, 'pg', 'postmaster.pid'))) {
      if (performance.now() > deadline) {
        postgresLeftRunning = true;
        stopPostmaster(postmaster.pid);
        break;
      }
      await sleep(20);
    }
  }
  emulators.delete(handle);
  const crash = handle.exit?.code !== 0 ? firstErrorLine(handle.stderr) : null;
  handle.stop = {
    exitMs: round(exitMs),
    postgresGoneMs: round(performance.now() - t0),
    code: handle.exit?.code ?? null,
    signal: handle.exit?.signal ?? null,
    killed,
    postgresLeftRunning,
    crash,
  };
  return handle.stop;
}

function stopPostmaster(pid) {
  try {
    process.kill(pid, 'SIGINT'); // PostgreSQL's "fast" shutdown
  } catch {
    // already gone
  }
}

function firstErrorLine(stderr) {
  const lines = stderr.split('\n').map((line) => line.trim());
  return (
    lines.find((line) => /^(error|Error|[A-Za-z]*Error):|gke-emulator:/.test(line)) ??
    lines.find((line) => line.length > 0) ??
    null
  );
}

// ---------------------------------------------------------------------------------------------- HTTP load

function httpRequest(agent, port, method, path, body, timeoutMs = 10_000) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(
      {
        host: HOST,
        port,
        method,
        path,
        agent,
        timeout: timeoutMs,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : undefined,
      },
      (response) => {
        const chunks = [];
        let size = 0;
        response.on('data', (chunk) => {
          size += chunk.length;
          if (size <= 1_000_000) chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', (error) => resolve({ status: 0, body: '', error: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('request timeout')));
    request.on('error', (error) => resolve({ status: 0, body: '', error: error.message }));
    if (payload) request.write(payload);
    request.end();
  });
}

async function api(port, method, path, body) {
  const agent = new http.Agent({ keepAlive: false });
  const response = await httpRequest(agent, port, method, path, body);
  agent.destroy();
  if (response.status < 200 || response.status >= 300) {
    throw new Error(
      `${method} ${path} -> ${response.status} ${response.error ?? response.body.slice(0, 500)}`,
    );
  }
  return JSON.parse(response.body);
}

/**
 * `concurrency` closed-loop clients on one keep-alive agent, each issuing `next(i)` until `durationMs` has passed or
 * `maxRequests` were issued. Returns counts, throughput and latency percentiles of the successful requests.
 */
async function runHttpLoad({ agent, port, concurrency, durationMs, maxRequests, next, ok }) {
  const latencies = new Float64Array(maxRequests);
  let issued = 0;
  let succeeded = 0;
  let failed = 0;
  let firstFailure = null;
  const start = performance.now();
  const deadline = start + durationMs;
  const client = async () => {
    while (performance.now() < deadline && issued < maxRequests) {
      const { method, path, body } = next(issued++);
      const t = performance.now();
      const response = await httpRequest(agent, port, method, path, body);
      const elapsed = performance.now() - t;
      if (ok(response)) latencies[succeeded++] = elapsed;
      else {
        failed++;
        firstFailure ??= `${method} ${path} -> ${response.status} ${response.error ?? response.body.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsedS = (performance.now() - start) / 1000;
  const sorted = latencies.subarray(0, succeeded).sort();
  return {
    requests: succeeded,
    failed,
    firstFailure,
    elapsedS: round(elapsedS, 2),
    rps: round(succeeded / elapsedS),
    p50Ms: round(percentile(sorted, 50), 2),
    p99Ms: round(percentile(sorted, 99), 2),
    maxMs: round(sorted.length ? sorted[sorted.length - 1] : null, 2),
  };
}

/** The n-th /29 of 10.0.0.0/8 (2^21 of them): distinct, non-overlapping primary ranges. */
function rangeFor(n) {
  const base = (10 << 24) + n * 8;
  return `${(base >>> 24) & 255}.${(base >>> 16) & 255}.${(base >>> 8) & 255}.${base & 255}/29`;
}

// ---------------------------------------------------------------------------------------------- raw pg loop

async function openPgClients(url, count) {
  const clients = [];
  try {
    for (let i = 0; i < count; i++) {
      const client = new pg.Client({
        connectionString: url,
        connectionTimeoutMillis: 5000,
        statement_timeout: 10_000,
      });
      client.on('error', () => undefined);
      clients.push(client);
      await client.connect();
    }
    return clients;
  } catch (error) {
    await closePgClients(clients);
    throw error;
  }
}

function closePgClients(clients) {
  return Promise.all(clients.map((client) => client.end().catch(() => undefined)));
}

/** One closed loop of single-row autocommit inserts per client, for `durationMs` or `maxRequests` rows. */
async function runPgLoad({ clients, table, durationMs, maxRequests, payload, namePrefix }) {
  const latencies = new Float64Array(maxRequests);
  let issued = 0;
  let succeeded = 0;
  let failed = 0;
  let firstFailure = null;
  const json = JSON.stringify(payload);
  const sql = `insert into ${table} (name, resource) values ($1, $2::jsonb)`;
  const start = performance.now();
  const deadline = start + durationMs;
  const loop = async (client) => {
    while (performance.now() < deadline && issued < maxRequests) {
      const n = issued++;
      const t = performance.now();
      try {
        await client.query(sql, [`${namePrefix}-${n}`, json]);
        latencies[succeeded++] = performance.now() - t;
      } catch (error) {
        failed++;
        firstFailure ??= error.message;
      }
    }
  };
  await Promise.all(clients.map(loop));
  const elapsedS = (performance.now() - start) / 1000;
  const sorted = latencies.subarray(0, succeeded).sort();
  return {
    requests: succeeded,
    failed,
    firstFailure,
    elapsedS: round(elapsedS, 2),
    rps: round(succeeded / elapsedS),
    p50Ms: round(percentile(sorted, 50), 2),
    p99Ms: round(percentile(sorted, 99), 2),
  };
}

async function pgQuery(url, sql, params) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------- throughput run

/** CPU seconds used so far by the emulator's node process, its database backends and this load generator. */
async function cpuProbe(handle, postgresPids) {
  const pgPids = await postgresPids();
  const table = processTable();
  return {
    at: performance.now(),
    node: cpuSecondsOf([handle.pid], table),
    postgres: new Map(pgPids.map((pid) => [pid, cpuSecondsOf([pid], table)])),
    self: process.cpuUsage(),
    machine: machineCpu(),
  };
}

/** Waits (at most `maxS` seconds) until processes other than ours use under 0.25 cores; returns what it saw. */
async function waitQuiet(maxS, ourPids) {
  const started = performance.now();
  let others = null;
  for (let i = 0; i < Math.ceil(maxS) + 1; i++) {
    const pids = [process.pid, ...ourPids()];
    const t0 = processTable();
    const m0 = machineCpu();
    const s0 = performance.now();
    await sleep(1000);
    const t1 = processTable();
    const m1 = machineCpu();
    const wall = (performance.now() - s0) / 1000;
    let ours = 0;
    for (const pid of pids)
      ours += ((t1.get(pid)?.cpuTicks ?? 0) - (t0.get(pid)?.cpuTicks ?? 0)) / clockTicks;
    others = Math.max(0, (m1.busy - m0.busy - ours) / wall);
    if (others < 0.25 || performance.now() - started > maxS * 1000) break;
  }
  return { waitedS: round((performance.now() - started) / 1000, 1), otherCores: round(others, 2) };
}

/** Average cores busy during a phase, per party; "other" is the rest of the machine (other processes). */
function cpuDelta(before, after) {
  const wall = (after.at - before.at) / 1000;
  const node = after.node - before.node;
  let postgres = 0;
  // A backend that appeared during the phase counts from zero.
  for (const [pid, seconds] of after.postgres) postgres += seconds - (before.postgres.get(pid) ?? 0);
  const self = (after.self.user - before.self.user + after.self.system - before.self.system) / 1e6;
  const machine = after.machine.busy - before.machine.busy;
  const cores = (seconds) => round(seconds / wall, 2);
  return {
    emulatorNodeCores: cores(node),
    postgresCores: cores(postgres),
    loadGeneratorCores: cores(self),
    machineBusyCores: cores(machine),
    otherCores: cores(Math.max(0, machine - node - postgres - self)),
  };
}

async function throughputRun({ handle, options, dbUrl, postgresPids, label }) {
  const { port } = handle;
  const base = `/compute/v1/projects/${PROJECT}`;
  const concurrency = options.concurrency;
  const durationMs = options.durationS * 1000;
  const warmupMs = options.warmupS * 1000;
  const result = { label };
  const quiet = async (phase) => {
    if (options.waitQuietS <= 0) return;
    result.quiet ??= {};
    result.quiet[phase] = await waitQuiet(options.waitQuietS, () => [handle.pid, ...descendants(handle.pid)]);
  };

  await api(port, 'POST', `${base}/global/networks`, { name: NETWORK, autoCreateSubnetworks: false });
  const created = await api(port, 'POST', `${base}/regions/${REGION}/subnetworks`, {
    name: GET_SUBNET,
    network: NETWORK,
    ipCidrRange: '192.168.0.0/29',
  });
  if (created.kind !== 'compute#operation' || created.status !== 'DONE') {
    throw new Error(`unexpected insert answer: ${JSON.stringify(created).slice(0, 300)}`);
  }
  const getPath = `${base}/regions/${REGION}/subnetworks/${GET_SUBNET}`;
  const template = await api(port, 'GET', getPath);
  result.getBodyBytes = Buffer.byteLength(JSON.stringify(template));
  lastTemplate = template;

  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  try {
    // GET
    const getOk = (r) => r.status === 200;
    const getNext = () => ({ method: 'GET', path: getPath });
    if (warmupMs > 0) {
      await runHttpLoad({
        agent,
        port,
        concurrency,
        durationMs: warmupMs,
        maxRequests: 200_000,
        next: getNext,
        ok: getOk,
      });
    }
    await quiet('get');
    let before = await cpuProbe(handle, postgresPids);
    result.get = await runHttpLoad({
      agent,
      port,
      concurrency,
      durationMs,
      maxRequests: 2_000_000,
      next: getNext,
      ok: getOk,
    });
    result.get.cpu = cpuDelta(before, await cpuProbe(handle, postgresPids));
    log(`${label}: GET ${result.get.rps} req/s (p50 ${result.get.p50Ms} ms, p99 ${result.get.p99Ms} ms)`);

    // Decomposition, for information: the framework alone (/healthz), and the framework plus one trivial query
    // through Prisma (/readyz runs `select 1`).
    for (const [key, path] of [
      ['healthz', '/healthz'],
      ['readyz', '/readyz'],
    ]) {
      before = await cpuProbe(handle, postgresPids);
      result[key] = await runHttpLoad({
        agent,
        port,
        concurrency,
        durationMs: Math.min(durationMs, 3000),
        maxRequests: 2_000_000,
        next: () => ({ method: 'GET', path }),
        ok: getOk,
      });
      result[key].cpu = cpuDelta(before, await cpuProbe(handle, postgresPids));
      log(`${label}: GET ${path} ${result[key].rps} req/s (p50 ${result[key].p50Ms} ms)`);
    }

    // insert subnetwork (with its operation)
    let counter = 0;
    const insertNext = () => {
      const n = counter++;
      return {
        method: 'POST',
        path: `${base}/regions/${REGION}/subnetworks`,
        body: { name: `s-${n}`, network: NETWORK, ipCidrRange: rangeFor(n) },
      };
    };
    const insertOk = (r) => {
      if (r.status !== 200) return false;
      try {
        const op = JSON.parse(r.body);
        return op.kind === 'compute#operation' && op.status === 'DONE' && !op.error;
      } catch {
        return false;
      }
    };
    if (warmupMs > 0) {
      await runHttpLoad({
        agent,
        port,
        concurrency,
        durationMs: warmupMs,
        maxRequests: 100_000,
        next: insertNext,
        ok: insertOk,
      });
    }
    await quiet('insert');
    before = await cpuProbe(handle, postgresPids);
    result.insert = await runHttpLoad({
      agent,
      port,
      concurrency,
      durationMs,
      maxRequests: 500_000,
      next: insertNext,
      ok: insertOk,
    });
    result.insert.cpu = cpuDelta(before, await cpuProbe(handle, postgresPids));
    log(
      `${label}: insert ${result.insert.rps} req/s (p50 ${result.insert.p50Ms} ms, p99 ${result.insert.p99Ms} ms)`,
    );
  } finally {
    agent.destroy();
  }

  // raw pg insert loop on the same database
  if (dbUrl) {
    const table = `bench_raw_insert_${process.pid}`;
    await pgQuery(
      dbUrl,
      `create table ${table} (id bigserial primary key, name text not null unique, resource jsonb not null)`,
    );
    const clients = await openPgClients(dbUrl, concurrency);
    try {
      const load = (durationMsValue, prefix, maxRequests) =>
        runPgLoad({
          clients,
          table,
          durationMs: durationMsValue,
          maxRequests,
          payload: template,
          namePrefix: prefix,
        });
      if (warmupMs > 0) await load(warmupMs, 'warm', 500_000);
      await quiet('rawPg');
      const before = await cpuProbe(handle, postgresPids);
      result.rawPg = await load(durationMs, 'run', 2_000_000);
      result.rawPg.cpu = cpuDelta(before, await cpuProbe(handle, postgresPids));
      result.insertVsRawPg = round(result.insert.rps / result.rawPg.rps, 3);
      const settings = await pgQuery(
        dbUrl,
        `select name, setting from pg_settings where name in ('synchronous_commit', 'fsync', 'shared_buffers', 'max_connections')`,
      );
      result.pgSettings = Object.fromEntries(settings.rows.map((row) => [row.name, row.setting]));
      result.pgVersion = (await pgQuery(dbUrl, 'show server_version')).rows[0].server_version;
      log(`${label}: raw pg insert ${result.rawPg.rps} rows/s; emulator/raw = ${result.insertVsRawPg}`);
    } finally {
      await closePgClients(clients);
      await pgQuery(dbUrl, `drop table if exists ${table}`).catch(() => undefined);
    }
  }
  return result;
}

let lastTemplate = { kind: 'compute#subnetwork' };
const helpers = new Set();

const CEILING_SERVER = `
const http = require('node:http');
const body = process.env.BENCH_BODY;
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

/** The harness's own ceiling on this machine: the same load against a trivial Node HTTP server. */
async function ceilingRun(options) {
  const child = spawn(process.execPath, ['-e', CEILING_SERVER], {
    env: { ...process.env, BENCH_BODY: JSON.stringify(lastTemplate) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  helpers.add(child);
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    for (let i = 0; i < 500 && !/\n/.test(out); i++) await sleep(10);
    const port = Number(out.trim());
    if (!port) throw new Error('ceiling server did not start');
    const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
    const run = () =>
      runHttpLoad({
        agent,
        port,
        concurrency: options.concurrency,
        durationMs: Math.min(options.durationS * 1000, 3000),
        maxRequests: 2_000_000,
        next: () => ({ method: 'GET', path: '/' }),
        ok: (r) => r.status === 200,
      });
    await run(); // warm-up
    const result = await run();
    agent.destroy();
    return result;
  } finally {
    child.kill('SIGTERM');
    helpers.delete(child);
  }
}

// ---------------------------------------------------------------------------------------------- main

async function machineInfo() {
  const cpuinfo = readText('/proc/cpuinfo') ?? '';
  const free = spawnSync('free', ['-h'], { encoding: 'utf8' });
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    cpuModel: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
    memTotalGb: round(os.totalmem() / 1024 ** 3, 1),
    free: free.status === 0 ? free.stdout.trim() : null,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadavgAtStart: os.loadavg().map((n) => round(n, 2)),
  };
}

function memorySnapshot(handle) {
  const table = processTable();
  const node = memoryOf(handle.pid);
  const children = descendants(handle.pid, table);
  let childRss = 0;
  let childPss = 0;
  for (const pid of children) {
    const m = memoryOf(pid);
    if (Number.isFinite(m.rssKb)) childRss += m.rssKb;
    if (Number.isFinite(m.pssKb)) childPss += m.pssKb;
  }
  return {
    nodeRssMb: round(node.rssKb / 1024, 1),
    nodePssMb: round(node.pssKb / 1024, 1),
    childProcesses: children.length,
    totalRssMb: round((node.rssKb + childRss) / 1024, 1),
    totalPssMb: round((node.pssKb + childPss) / 1024, 1),
  };
}

async function main() {
  const options = parseArgs(process.argv);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run bench does it)`);
  const results = {
    machine: await machineInfo(),
    options: { ...options, adminUrl: undefined },
    build: { cli: CLI, builtAt: statSync(CLI).mtime.toISOString() },
  };
  log(`machine: ${results.machine.nproc} CPUs, ${results.machine.cpuModel}, node ${results.machine.node}`);

  tempRoot = mkdtempSync(join(os.tmpdir(), 'gke-emulator-bench-'));

  // 1. First starts (cluster and database created, migrations applied).
  const fresh = [];
  const freshStops = [];
  const existingDir = join(tempRoot, 'data-0');
  for (let i = 0; i < options.freshStarts; i++) {
    const dataDir = join(tempRoot, `data-${i}`);
    if (options.waitQuietS > 0) await waitQuiet(options.waitQuietS, () => []);
    const handle = await startEmulator({ dataDir, label: `fresh ${i + 1}` });
    fresh.push({ readyMs: round(handle.readyMs), ...roundMarks(handle.marks) });
    log(
      `first start ${i + 1}: ready in ${round(handle.readyMs)} ms ${JSON.stringify(roundMarks(handle.marks))}`,
    );
    freshStops.push(await stopEmulator(handle));
    if (i > 0) rmSync(dataDir, { recursive: true, force: true });
  }

  // 2. Warm starts on the existing data directory; the last one stays up for memory and throughput.
  const warm = [];
  const warmStops = [];
  let running = null;
  for (let i = 0; i < options.warmStarts; i++) {
    if (options.waitQuietS > 0) await waitQuiet(options.waitQuietS, () => []);
    const handle = await startEmulator({ dataDir: existingDir, label: `warm ${i + 1}` });
    warm.push({ readyMs: round(handle.readyMs), ...roundMarks(handle.marks) });
    log(
      `warm start ${i + 1}: ready in ${round(handle.readyMs)} ms ${JSON.stringify(roundMarks(handle.marks))}`,
    );
    if (i === options.warmStarts - 1) running = handle;
    else warmStops.push(await stopEmulator(handle));
  }
  results.start = {
    firstStart: {
      runs: fresh,
      medianMs: round(median(fresh.map((r) => r.readyMs))),
      maxMs: Math.max(...fresh.map((r) => r.readyMs)),
    },
    warmStart: {
      runs: warm,
      medianMs: round(median(warm.map((r) => r.readyMs))),
      maxMs: Math.max(...warm.map((r) => r.readyMs)),
    },
  };

  // 3. Idle memory: after ~2 s idle following a warm start.
  // VmRSS moves while the process settles (garbage collection): sample it through the idle window too.
  const idleSamples = [];
  for (let i = 0; i < 8; i++) {
    await sleep(250);
    idleSamples.push(memoryOf(running.pid).rssKb / 1024);
  }
  results.memory = { idle: memorySnapshot(running) };
  results.memory.idle.nodeRssSamplesMb = idleSamples.map((mb) => round(mb, 1));
  results.memory.idle.nodeRssMaxMb = round(Math.max(...idleSamples), 1);
  log(`idle memory: ${JSON.stringify(results.memory.idle)}`);

  // 4. Throughput against the embedded PostgreSQL (the default configuration).
  const embeddedPostmaster = postmasterInfo(existingDir);
  // The embedded server listens on a Unix socket only, with the data directory's own password.
  const embeddedPassword = readText(join(existingDir, 'postgres-password'))?.trim();
  const embeddedUrl =
    embeddedPostmaster && embeddedPassword
      ? `postgresql://postgres:${embeddedPassword}@localhost:${embeddedPostmaster.port}/gke_emulator` +
        `?host=${encodeURIComponent(embeddedPostmaster.socketDir)}`
      : null;
  const embeddedPgPids = async () => descendants(running.pid);
  results.embedded = await throughputRun({
    handle: running,
    options,
    dbUrl: embeddedUrl,
    postgresPids: embeddedPgPids,
    label: 'embedded',
  });
  results.memory.afterLoad = memorySnapshot(running);
  results.ceiling = await ceilingRun(options);
  log(`trivial node http server (harness ceiling): ${results.ceiling.rps} req/s`);
  warmStops.push(await stopEmulator(running));
  results.stops = { afterFirstStart: freshStops, afterWarmStart: warmStops };

  // 5. Throughput against an external PostgreSQL (DATABASE_URL), the same database as the raw pg loop.
  if (options.external) {
    try {
      await withTimeout(pgQuery(options.adminUrl, 'select 1'), 5000, 'external PostgreSQL');
    } catch (error) {
      results.external = {
        skipped: `PostgreSQL at ${new URL(options.adminUrl).host} unreachable: ${error.message}`,
      };
      log(results.external.skipped);
    }
    if (!results.external) {
      scratchDatabase = `gke_bench_${process.pid}_${Date.now()}`;
      await pgQuery(options.adminUrl, `create database ${scratchDatabase}`);
      const scratchUrl = new URL(options.adminUrl);
      scratchUrl.pathname = `/${scratchDatabase}`;
      const dataDir = join(tempRoot, 'data-external');
      const handle = await startEmulator({
        dataDir,
        env: { DATABASE_URL: scratchUrl.toString() },
        label: 'external',
      });
      log(`external DATABASE_URL start (migrations applied): ready in ${round(handle.readyMs)} ms`);
      // Our database's backends and the server's own processes (WAL writer, checkpointer, autovacuum...).
      const pgPids = async () => {
        const rows = await pgQuery(
          scratchUrl.toString(),
          `select pid from pg_stat_activity
            where (datname = current_database() or backend_type <> 'client backend') and pid <> pg_backend_pid()`,
        ).catch(() => ({ rows: [] }));
        return rows.rows.map((row) => Number(row.pid));
      };
      results.external = await throughputRun({
        handle,
        options,
        dbUrl: scratchUrl.toString(),
        postgresPids: pgPids,
        label: 'external',
      });
      results.external.firstStartMs = round(handle.readyMs);
      results.external.memoryAfterLoad = memorySnapshot(handle);
      results.external.stop = await stopEmulator(handle);
    }
  }
  return results;
}

function roundMarks(marks) {
  return Object.fromEntries(Object.entries(marks).map(([key, value]) => [key, round(value)]));
}

// ---------------------------------------------------------------------------------------------- report

function verdict(value, target) {
  if (value === null || value === undefined) return 'n/a';
  if (target.max !== undefined) return value <= target.max ? 'PASS' : 'FAIL';
  return value >= target.min ? 'PASS' : 'FAIL';
}

function report(results) {
  const rows = [];
  const row = (figure, target, value, unit, check) =>
    rows.push([
      figure,
      target,
      value === null || value === undefined ? 'n/a' : `${value} ${unit}`,
      check ?? '',
    ]);
  const s = results.start;
  row(
    'warm start to /readyz (median)',
    '< 1500 ms',
    s.warmStart.medianMs,
    'ms',
    verdict(s.warmStart.medianMs, TARGETS.warmStartMs),
  );
  row(
    'warm start to /readyz (max)',
    '< 1500 ms',
    s.warmStart.maxMs,
    'ms',
    verdict(s.warmStart.maxMs, TARGETS.warmStartMs),
  );
  row(
    'first start, new data dir (median)',
    '< 5000 ms',
    s.firstStart.medianMs,
    'ms',
    verdict(s.firstStart.medianMs, TARGETS.firstStartMs),
  );
  const m = results.memory.idle;
  row('idle RSS, node process', '< 250 MB', m.nodeRssMb, 'MB', verdict(m.nodeRssMb, TARGETS.idleRssMb));
  row(
    'idle RSS, node process, max over the 2 s idle',
    '< 250 MB',
    m.nodeRssMaxMb,
    'MB',
    verdict(m.nodeRssMaxMb, TARGETS.idleRssMb),
  );
  if (results.memory.afterLoad) {
    row('RSS, node process, after the load runs (info)', '-', results.memory.afterLoad.nodeRssMb, 'MB', '');
  }
  row(
    `idle RSS incl. ${m.childProcesses} postgres processes (info)`,
    '-',
    m.totalRssMb,
    'MB',
    `PSS ${m.totalPssMb} MB`,
  );
  for (const key of ['embedded', 'external']) {
    const run = results[key];
    if (!run) continue;
    if (run.skipped) {
      row(`${key} DB: throughput`, '-', null, '', `skipped: ${run.skipped}`);
      continue;
    }
    const name = key === 'embedded' ? 'embedded DB (default)' : 'external DB (DATABASE_URL)';
    row(
      `${name}: GET subnetwork`,
      '>= 3000 req/s',
      run.get.rps,
      'req/s',
      verdict(run.get.rps, TARGETS.getRps),
    );
    row(`${name}: GET p50 / p99`, '-', `${run.get.p50Ms} / ${run.get.p99Ms}`, 'ms', '');
    if (run.healthz) {
      row(
        `${name}: GET /healthz (no DB, info)`,
        '-',
        run.healthz.rps,
        'req/s',
        `p50 ${run.healthz.p50Ms} ms`,
      );
    }
    if (run.readyz) {
      row(
        `${name}: GET /readyz (select 1 via Prisma, info)`,
        '-',
        run.readyz.rps,
        'req/s',
        `p50 ${run.readyz.p50Ms} ms`,
      );
    }
    row(
      `${name}: insert subnetwork`,
      '>= 500 req/s',
      run.insert.rps,
      'req/s',
      verdict(run.insert.rps, TARGETS.insertRps),
    );
    row(`${name}: insert p50 / p99`, '-', `${run.insert.p50Ms} / ${run.insert.p99Ms}`, 'ms', '');
    if (run.rawPg) {
      row(`${name}: raw pg insert (same DB)`, '-', run.rawPg.rps, 'rows/s', `p50 ${run.rawPg.p50Ms} ms`);
      row(`${name}: emulator insert / raw pg insert`, '-', run.insertVsRawPg, '', '');
    }
    const phases = [run.get, run.insert, run.rawPg].filter(Boolean);
    const others = phases.map((phase) => phase.cpu?.otherCores ?? 0);
    const busy = others.some((cores) => cores > 0.3);
    row(
      `${name}: cores used by other processes (GET/insert/raw)`,
      '~0',
      others.join(' / '),
      'cores',
      busy ? 'machine busy: figures low' : '',
    );
    for (const [phase, label] of [
      ['get', 'GET'],
      ['readyz', '/readyz'],
      ['insert', 'insert'],
    ]) {
      const measured = run[phase];
      if (!measured?.cpu) continue;
      const cpuMs =
        measured.rps > 0 ? round((measured.cpu.emulatorNodeCores * 1000) / measured.rps, 3) : null;
      row(
        `${name}: cores used by emulator node / postgres (${label})`,
        '-',
        `${measured.cpu.emulatorNodeCores} / ${measured.cpu.postgresCores}`,
        '',
        `node ${cpuMs} ms CPU/request`,
      );
    }
    const failures = (run.get.failed ?? 0) + (run.insert.failed ?? 0);
    if (failures > 0)
      row(`${name}: failed requests`, '0', failures, '', run.get.firstFailure ?? run.insert.firstFailure);
  }
  if (results.ceiling) {
    row(
      'trivial node http server, same load (ceiling)',
      '-',
      results.ceiling.rps,
      'req/s',
      `p50 ${results.ceiling.p50Ms} ms`,
    );
  }
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...rows.map((r) => String(r[i]).length), ['figure', 'target', 'result', 'verdict'][i].length),
  );
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
  const out = [
    line(['figure', 'target', 'result', 'verdict']),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
  const stops = [
    ...results.stops.afterFirstStart,
    ...results.stops.afterWarmStart,
    results.external?.stop,
  ].filter(Boolean);
  const unclean = stops.filter((stop) => stop.code !== 0);
  out.push('');
  out.push(
    `stops: ${stops.length} SIGTERM stops, median ${round(median(stops.map((x) => x.exitMs)))} ms to exit; ` +
      `${unclean.length} exited non-zero` +
      (unclean.length ? ` (e.g. code ${unclean[0].code}: ${unclean[0].crash})` : ''),
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------- cleanup

let tempRoot = null;
let scratchDatabase = null;
let cleaning = null;

async function cleanup(adminUrl) {
  cleaning ??= (async () => {
    for (const child of helpers) child.kill('SIGKILL');
    for (const handle of [...emulators]) await stopEmulator(handle).catch(() => undefined);
    if (scratchDatabase) {
      await pgQuery(adminUrl, `drop database if exists ${scratchDatabase} with (force)`).catch((error) =>
        log(`could not drop scratch database ${scratchDatabase}: ${error.message}`),
      );
    }
    if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
  })();
  return cleaning;
}

const adminUrlForCleanup = () => {
  try {
    return parseArgs(process.argv).adminUrl;
  } catch {
    return `postgresql://postgres@${HOST}:5432/postgres`;
  }
};

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup(adminUrlForCleanup()).finally(() => process.exit(130));
  });
}
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => {
    log(`${event}: ${error instanceof Error ? error.stack : String(error)}; cleaning up`);
    void cleanup(adminUrlForCleanup()).finally(() => process.exit(1));
  });
}

let exitCode = 0;
try {
  const results = await main();
  await cleanup(adminUrlForCleanup());
  process.stdout.write(`\n${report(results)}\n\n`);
  const json = JSON.stringify({ bench: 'gke-emulator', ...results });
  const jsonOut = parseArgs(process.argv).jsonOut;
  if (jsonOut) writeFileSync(jsonOut, json + '\n');
  process.stdout.write(json + '\n');
} catch (error) {
  log(`benchmark could not run: ${error instanceof Error ? error.stack : String(error)}`);
  exitCode = 1;
} finally {
  await cleanup(adminUrlForCleanup());
}
process.exit(exitCode);
