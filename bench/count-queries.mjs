#!/usr/bin/env node
// How many PostgreSQL round trips does one API call make? Runs the emulator against a scratch database on an
// external PostgreSQL through a small counting proxy (client-to-server messages: Sync = one extended-protocol round
// trip, Query = one simple-protocol round trip), then makes one GET and one insert of a subnetwork and prints the
// statements each sent. Evidence for docs/benchmarks.md; not part of `npm run bench`.
//
//   node bench/count-queries.mjs [--cli path/to/dist/cli/main.js]
//   BENCH_PG_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres): must be on 127.0.0.1.
//
// Bounded; drops the scratch database and removes its process and temporary directory at the end.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';

const require = createRequire(import.meta.url);
const pg = require('pg');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
let CLI = join(ROOT, 'dist/cli/main.js');
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--cli') CLI = resolve(process.argv[++i]);
  else throw new Error(`unknown argument ${process.argv[i]}`);
}
const admin = new URL(process.env['BENCH_PG_ADMIN_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
if (!['127.0.0.1', 'localhost'].includes(admin.hostname))
  throw new Error('BENCH_PG_ADMIN_URL must be on 127.0.0.1');

const database = `gke_bench_count_${process.pid}`;
const tempRoot = mkdtempSync(join(os.tmpdir(), 'gke-emulator-count-'));
chmodSync(tempRoot, 0o755);
let child = null;
let proxy = null;
let created = false;

async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

let messages = [];

/** Parses the frontend half of the protocol: the startup packet, then (type byte, int32 length, body) messages. */
function watch(socket) {
  let buffer = Buffer.alloc(0);
  let started = false;
  socket.on('data', (data) => {
    buffer = Buffer.concat([buffer, data]);
    for (let guard = 0; guard < 10_000; guard++) {
      if (!started) {
        if (buffer.length < 4 || buffer.length < buffer.readInt32BE(0)) return;
        buffer = buffer.subarray(buffer.readInt32BE(0));
        started = true;
        continue;
      }
      if (buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) return;
      const type = String.fromCharCode(buffer[0]);
      const body = buffer.subarray(5, 1 + buffer.readInt32BE(1));
      buffer = buffer.subarray(1 + buffer.readInt32BE(1));
      if (type === 'Q') messages.push({ type, sql: body.toString('utf8', 0, body.length - 1) });
      else if (type === 'P') {
        const nameEnd = body.indexOf(0);
        messages.push({ type, sql: body.toString('utf8', nameEnd + 1, body.indexOf(0, nameEnd + 1)) });
      } else if (type === 'S') messages.push({ type });
    }
  });
}

async function call(url, method, path, body) {
  const response = await globalThis.fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: globalThis.AbortSignal.timeout(10_000),
  });
  await response.text();
  return response.status;
}

let exitCode = 0;
try {
  await adminQuery(`create database ${database}`);
  created = true;
  proxy = net.createServer((client) => {
    const server = net.connect(Number(admin.port || 5432), admin.hostname);
    client.pipe(server);
    server.pipe(client);
    watch(client);
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
  });
  await new Promise((done) => proxy.listen(0, '127.0.0.1', done));
  const dbUrl = new URL(admin.toString());
  dbUrl.hostname = '127.0.0.1';
  dbUrl.port = String(proxy.address().port);
  dbUrl.pathname = `/${database}`;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'DATABASE_URL' && !key.startsWith('GKE_EMULATOR_')),
  );
  child = spawn(
    process.execPath,
    [CLI, 'start', '--host', '127.0.0.1', '--port', '0', '--data-dir', join(tempRoot, 'data'), '--no-worker'],
    { env: { ...env, DATABASE_URL: dbUrl.toString() }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  for (let i = 0; i < 600 && !/listening on (\S+)/.test(stdout) && child.exitCode === null; i++)
    await sleep(50);
  const url = /listening on (\S+)/.exec(stdout)?.[1];
  if (!url) throw new Error('emulator did not start');
  const base = '/compute/v1/projects/count';
  await call(url, 'POST', `${base}/global/networks`, { name: 'n', autoCreateSubnetworks: false });
  await call(url, 'POST', `${base}/regions/us-central1/subnetworks`, {
    name: 's0',
    network: 'n',
    ipCidrRange: '10.0.0.0/29',
  });
  await call(url, 'GET', `${base}/regions/us-central1/subnetworks/s0`);
  const cases = [
    ['GET subnetwork', () => call(url, 'GET', `${base}/regions/us-central1/subnetworks/s0`)],
    [
      'insert subnetwork',
      () =>
        call(url, 'POST', `${base}/regions/us-central1/subnetworks`, {
          name: 's1',
          network: 'n',
          ipCidrRange: '10.0.0.8/29',
        }),
    ],
  ];
  for (const [label, run] of cases) {
    await sleep(200);
    messages = [];
    const status = await run();
    await sleep(300);
    const syncs = messages.filter((m) => m.type === 'S').length;
    const simple = messages.filter((m) => m.type === 'Q').length;
    process.stdout.write(
      `${label} -> HTTP ${status}: ${syncs + simple} round trips ` +
        `(${syncs} extended-protocol, ${simple} simple: BEGIN/COMMIT)\n`,
    );
    for (const m of messages.filter((x) => x.sql)) {
      process.stdout.write(`    ${m.type} ${m.sql.replace(/\s+/g, ' ').trim().slice(0, 110)}\n`);
    }
  }
} catch (error) {
  process.stderr.write(`count-queries failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  exitCode = 1;
} finally {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await Promise.race([new Promise((done) => child.on('exit', done)), sleep(15_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  proxy?.close();
  if (created) await adminQuery(`drop database if exists ${database} with (force)`).catch(() => undefined);
  rmSync(tempRoot, { recursive: true, force: true });
}
process.exit(exitCode);
