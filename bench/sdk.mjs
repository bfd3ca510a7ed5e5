#!/usr/bin/env node
// Figures of @gke-emulator/sdk (docs/benchmarks.md, "SDK"): startEmulator() to ready on a warm embedded database
// (child process and in-process), project() per call, and reset({ project }) of a project holding 1,000 resources.
//
//   node bench/sdk.mjs [--starts 5] [--resources 1000] [--resets 3] [--wait-quiet S] [--cli dist/cli/main.js]
//
// --wait-quiet S: before each start, wait up to S seconds until the machine's CPUs are less than a quarter of a core
// busy (on a shared machine, other test runs otherwise dominate the start figures); the JSON says how busy it was.
//
// Uses the built SDK (libs/sdk/dist; built here when missing) and the built emulator (dist/). Everything talks to
// 127.0.0.1; every emulator it starts is stopped, even on error. Misses print FAIL; the exit code stays 0 unless the
// benchmark could not run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
function option(name, fallback) {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
}
const STARTS = Number(option('starts', '5'));
const RESOURCES = Number(option('resources', '1000'));
const RESETS = Number(option('resets', '3'));
const CLI = resolve(option('cli', join(ROOT, 'dist/cli/main.js')));
const WAIT_QUIET_S = Number(option('wait-quiet', '0'));

if (!existsSync(join(ROOT, 'libs/sdk/dist/index.js'))) {
  const built = spawnSync(process.execPath, [join(ROOT, 'libs/sdk/build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(1);
}
const { startEmulator } = createRequire(import.meta.url)(join(ROOT, 'libs/sdk/dist/index.js'));

const running = new Set();
async function stopAll() {
  await Promise.all([...running].map((emu) => emu.stop().catch(() => undefined)));
}
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => void stopAll().then(() => process.exit(130)));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const log = (line) => process.stderr.write(`${line}\n`);

async function timedStart(options) {
  const started = performance.now();
  const emu = await startEmulator({ bin: CLI, ...options });
  const ms = performance.now() - started;
  running.add(emu);
  return { emu, ms };
}

async function stop(emu) {
  await emu.stop();
  running.delete(emu);
}

/**
 * The CLI alone, for comparison at the same moment: spawn `gke-emulator start` on its own warm data directory and
 * wait for its banner; then SIGTERM it and wait for its exit.
 */
async function timedCliStart(dataDir) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [CLI, 'start', '--port', '0', '--data-dir', dataDir, '--log-level', 'error'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise((r) => child.once('exit', r));
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const ms = await new Promise((resolveReady, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (/gke-emulator listening on/.test(out)) resolveReady(performance.now() - started);
    });
    void exited.then(() => reject(new Error(`gke-emulator start exited: ${stderr.slice(-500)}`)));
  });
  child.kill('SIGTERM');
  await exited;
  return ms;
}

function cpuTimes() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3] + (line[4] ?? 0);
  return { idle, total: line.reduce((a, b) => a + b, 0) };
}

/** Cores busy over the last `ms` (Linux /proc/stat; 0 elsewhere). */
async function busyCores(ms = 500) {
  if (!existsSync('/proc/stat')) return 0;
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTimes();
  return ((b.total - a.total - (b.idle - a.idle)) / Math.max(1, b.total - a.total)) * os.cpus().length;
}

const busyBeforeStarts = [];
async function waitQuiet() {
  const deadline = Date.now() + WAIT_QUIET_S * 1000;
  let busy = await busyCores();
  while (busy > 0.25 && Date.now() < deadline) busy = await busyCores();
  busyBeforeStarts.push(round(busy, 2));
}

/** POSTs with bounded concurrency; throws on the first non-2xx. */
async function createAll(url, paths, concurrency = 16) {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const [path, body] = paths[next++];
      const res = await globalThis.fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const results = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length };
try {
  results.loadavgAtStart = os.loadavg().map((x) => round(x, 2));

  // 1. Child mode: the first start may create the warm database; the rest reuse it.
  // Each SDK start is followed by one of the CLI alone, so both see the same load on the machine.
  const child = [];
  const firstGraphql = [];
  const cliAlone = [];
  const cliDir = join(os.tmpdir(), `gke-emulator-bench-sdk-cli-${process.getuid?.() ?? 'user'}`);
  for (let i = 0; i < STARTS; i++) {
    await waitQuiet();
    const { emu, ms } = await timedStart({});
    child.push(ms);
    // GraphQL is built on its first request: how long after ready the first GraphQL answer comes.
    const queried = performance.now();
    const answer = await globalThis.fetch(`${emu.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ networks(project: "${emu.project()}") { name } }` }),
    });
    if (!answer.ok) throw new Error(`first GraphQL query: ${answer.status} ${await answer.text()}`);
    await answer.arrayBuffer();
    firstGraphql.push(performance.now() - queried);
    await stop(emu);
    await waitQuiet();
    cliAlone.push(await timedCliStart(cliDir));
    log(
      `child start ${i + 1}: ${Math.round(ms)} ms (${emu.dataDir}), first GraphQL answer ${Math.round(firstGraphql[i])} ms later; CLI alone: ${Math.round(cliAlone[i])} ms`,
    );
  }
  results.childStartMs = child.map((x) => Math.round(x));
  results.childWarmStartMedianMs = Math.round(median(child.slice(1)));
  results.firstGraphqlAfterReadyMs = firstGraphql.map((x) => Math.round(x));
  results.firstGraphqlAfterReadyMedianMs = Math.round(median(firstGraphql.slice(1)));
  results.cliAloneStartMs = cliAlone.map((x) => Math.round(x));
  results.cliAloneWarmStartMedianMs = Math.round(median(cliAlone.slice(1)));

  // 2. In-process: the first start loads the server's modules into this process, later ones reuse them.
  const inProcess = [];
  for (let i = 0; i < Math.max(2, Math.min(STARTS, 3)); i++) {
    await waitQuiet();
    const { emu, ms } = await timedStart({ mode: 'in-process' });
    inProcess.push(ms);
    log(`in-process start ${i + 1}: ${Math.round(ms)} ms`);
    await stop(emu);
  }
  results.inProcessStartMs = inProcess.map((x) => Math.round(x));

  // 3. project() and reset of a project with RESOURCES firewall rules.
  const { emu } = await timedStart({});
  const calls = 100_000;
  let started = performance.now();
  for (let i = 0; i < calls; i++) emu.project();
  results.projectCallUs = round(((performance.now() - started) * 1000) / calls, 2);
  started = performance.now();
  const fresh = emu.project();
  results.projectSingleCallUs = round((performance.now() - started) * 1000, 1);
  log(`project(): ${results.projectCallUs} µs per call (${fresh})`);

  const resets = [];
  for (let round_ = 0; round_ < RESETS; round_++) {
    const project = emu.project();
    const compute = `/compute/v1/projects/${project}`;
    await createAll(emu.url, [[`${compute}/global/networks`, { name: 'vpc', autoCreateSubnetworks: false }]]);
    const createStarted = performance.now();
    await createAll(
      emu.url,
      Array.from({ length: RESOURCES - 1 }, (_, i) => [
        `${compute}/global/firewalls`,
        {
          name: `fw-${i}`,
          network: 'global/networks/vpc',
          allowed: [{ IPProtocol: 'tcp', ports: [String(1000 + (i % 60000))] }],
          sourceRanges: ['10.0.0.0/8'],
        },
      ]),
    );
    const createMs = performance.now() - createStarted;
    const resetStarted = performance.now();
    const answer = await emu.reset({ project });
    const resetMs = performance.now() - resetStarted;
    const left = await (await globalThis.fetch(`${emu.url}${compute}/global/firewalls`)).json();
    if ((left.items ?? []).length !== 0) throw new Error(`reset left ${left.items.length} firewall rules`);
    resets.push(resetMs);
    log(
      `reset of ${RESOURCES} resources: ${Math.round(resetMs)} ms (created them in ${Math.round(createMs)} ms; ` +
        `answer ${JSON.stringify(answer).slice(0, 120)})`,
    );
  }
  results.resetMs = resets.map((x) => Math.round(x));
  results.resetMedianMs = Math.round(median(resets));
  await stop(emu);
  results.loadavgAtEnd = os.loadavg().map((x) => round(x, 2));
  results.busyCoresBeforeEachStart = busyBeforeStarts;
} catch (error) {
  await stopAll();
  log(`bench/sdk.mjs could not run: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
}

const rows = [
  ['startEmulator() to ready, warm, child (median)', '< 1.5 s', results.childWarmStartMedianMs, 1500, 'ms'],
  [
    'first GraphQL answer after ready (builds GraphQL; median)',
    '–',
    results.firstGraphqlAfterReadyMedianMs,
    Infinity,
    'ms',
  ],
  [
    'gke-emulator start alone to banner, warm (median)',
    '–',
    results.cliAloneWarmStartMedianMs,
    Infinity,
    'ms',
  ],
  [
    'startEmulator() to ready, in-process, modules loaded',
    '–',
    results.inProcessStartMs.at(-1),
    Infinity,
    'ms',
  ],
  ['emu.project()', '< 5 ms', round(results.projectCallUs / 1000, 4), 5, 'ms'],
  [`reset({ project }) with ${RESOURCES} resources (median)`, '< 200 ms', results.resetMedianMs, 200, 'ms'],
];
for (const [what, target, value, limit, unit] of rows) {
  const verdict = limit === Infinity ? '' : value < limit ? 'PASS' : 'FAIL';
  process.stdout.write(
    `${what.padEnd(55)} ${String(value).padStart(10)} ${unit}  target ${target}  ${verdict}\n`,
  );
}
process.stdout.write(`${JSON.stringify(results)}\n`);
