// Figures of the GraphQL limits (docs/benchmarks.md, "GraphQL limits"): how long the queries the limits refuse take
// to be refused, and /healthz latency while they arrive back to back from several clients (goal: <= 100 ms).
// Usage: node bench/graphql-limits.mjs [--seconds 10] [--clients 8] [--samples 50] [--cli dist/cli/main.js]
//        [--port 18210]
// Starts one ephemeral emulator on 127.0.0.1 (embedded PostgreSQL unless DATABASE_URL is set), talks only to it,
// and stops it at the end (also on error).
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { call, startEmulator } from './emulator.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const SECONDS = Math.min(60, Number(option('--seconds', '10')));
const CLIENTS = Math.min(32, Number(option('--clients', '8')));
const SAMPLES = Math.min(500, Number(option('--samples', '50')));
const CLI = resolve(ROOT, option('--cli', 'dist/cli/main.js'));
const PORT = option('--port', '0');

const K = 'kubernetes(project: "bench", location: "us-central1-a", cluster: "c1")';
let deep = 'name';
for (let i = 0; i < 40; i++) deep = `subnetworks { network { ${deep} } }`;
const QUERIES = {
  // the query of issue 13 that took 54 s over 60 pods
  cycle: `{ ${K} { nodes { pods { node { pods { node { pods { name } } } } } } } }`,
  aliases2000: `{ ${Array.from({ length: 2000 }, (_, i) => `a${i.toString(36)}:__typename`).join(' ')} }`,
  depth80: `{ networks(project: "bench") { ${deep} } }`,
  tokens15000: `{ ${'a '.repeat(15_000)} }`,
  length44k: `{ ${'__typename '.repeat(4_000)} }`,
  // refused on its content-length (256 KiB), unread
  length660k: `{ ${'__typename '.repeat(60_000)} }`,
};

// /healthz is probed from a worker thread with its own event loop, so the time the load clients of this process
// spend building and sending their bodies (JSON.stringify of 660 KB per request) is not counted as the emulator's
// latency. The in-process probe of earlier runs is still reported ("same-loop") for comparison.
const PROBER = `
  const { parentPort, workerData } = require('node:worker_threads');
  const http = require('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = () => new Promise((resolve, reject) => {
    const started = performance.now();
    http.get({ host: '127.0.0.1', port: workerData.port, path: '/healthz', agent }, (res) => {
      res.resume();
      res.on('end', () => res.statusCode === 200 ? resolve(performance.now() - started)
        : reject(new Error('/healthz answered ' + res.statusCode)));
    }).on('error', reject);
  });
  (async () => {
    const times = [];
    while (Date.now() < workerData.until) {
      times.push(await once());
      await new Promise((r) => setTimeout(r, 20));
    }
    parentPort.postMessage(times);
  })().catch((e) => { throw e; });
`;
function probeInWorker(port, until) {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(PROBER, { eval: true, workerData: { port, until } });
    worker.once('message', resolvePromise);
    worker.once('error', reject);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const summary = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: +percentile(sorted, 0.5).toFixed(1),
    p99: +percentile(sorted, 0.99).toFixed(1),
    max: +sorted[sorted.length - 1].toFixed(1),
  };
};

async function refusedOnce(port, query) {
  const started = performance.now();
  const res = await call(port, 'POST', '/graphql', { query });
  const ms = performance.now() - started;
  const body = JSON.parse(res.body);
  if (!body.errors?.length || body.data) throw new Error(`not refused: ${res.body.slice(0, 300)}`);
  return { ms, code: body.errors[0].extensions?.code ?? body.errors[0].message.slice(0, 60) };
}

const emulator = await startEmulator(CLI, {
  extraArgs: ['--ephemeral', '--no-worker', '--log-level', 'error', '--port', PORT],
  env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? '' },
});
const results = {};
try {
  const port = emulator.port;
  await call(port, 'POST', '/graphql', { query: '{ __typename }' }); // GraphQL is built by its first request
  for (const [name, query] of Object.entries(QUERIES)) {
    const sequential = [];
    let code;
    for (let i = 0; i < SAMPLES; i++) {
      const once = await refusedOnce(port, query);
      sequential.push(once.ms);
      code = once.code;
    }
    // CLIENTS clients sending the query back to back for SECONDS, /healthz asked every 20 ms meanwhile.
    const until = Date.now() + SECONDS * 1000;
    const underLoad = [];
    const health = [];
    const isolated = probeInWorker(port, until);
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) underLoad.push((await refusedOnce(port, query)).ms);
    });
    const prober = (async () => {
      while (Date.now() < until) {
        const started = performance.now();
        const res = await call(port, 'GET', '/healthz');
        if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
        health.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const [probed] = await Promise.all([isolated, ...clients, prober]);
    results[name] = {
      code,
      bytes: Buffer.byteLength(query),
      alone: summary(sequential),
      underLoad: summary(underLoad),
      healthz: summary(probed),
      healthzSameLoop: summary(health),
    };
    const r = results[name];
    process.stdout.write(
      `${name.padEnd(12)} ${String(code).padEnd(18)} alone p50 ${r.alone.p50} ms max ${r.alone.max} ms | ` +
        `${CLIENTS} clients: p50 ${r.underLoad.p50} ms max ${r.underLoad.max} ms (${r.underLoad.n} refused) | ` +
        `/healthz p50 ${r.healthz.p50} p99 ${r.healthz.p99} max ${r.healthz.max} ms ` +
        `${r.healthz.p99 <= 100 ? 'PASS' : 'FAIL'} (p99 <= 100 ms) | same-loop p99 ${r.healthzSameLoop.p99} ms\n`,
    );
  }
} finally {
  await emulator.stop();
}
process.stdout.write(
  `${JSON.stringify({ date: new Date().toISOString(), seconds: SECONDS, clients: CLIENTS, results })}\n`,
);
