// Figures of the topology page (docs/benchmarks.md, "Topology page"): time to first full render in headless
// Chromium (navigation start → every box and line drawn) at 100 nodes / 1,000 pods / 200 Services and at
// 1,000 nodes / 5,000 pods / 200 Services, and the page's transfer size.
//
// The emulator serves the real page and its bundle; the page's two GraphQL queries are answered by the bench
// (page.route) with synthetic answers of those sizes, shaped exactly as the API answers (libs/topology's
// syntheticInput): creating 1,000 nodes and 5,000 pods through the API takes far longer than the render it feeds,
// and what is measured is the page — fetch, model, ELK layout, SVG. Only 127.0.0.1 is contacted.
//
// Built by scripts/build.mjs into dist/bench/topology.js; run (needs DATABASE_URL and Chromium):
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node dist/bench/topology.js [--runs 3]
import http from 'node:http';
import os from 'node:os';
import { resolve } from 'node:path';
import process from 'node:process';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { syntheticInput, type TopologyInput } from '@gke-emulator/topology';
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 3;
const CLI = resolve(__dirname, '../cli/main.js');
const SIZES = [
  { nodes: 100, pods: 1000, services: 200 },
  { nodes: 1000, pods: 5000, services: 200 },
];
const GOAL_MS = 2000;

interface TraceEvent {
  pid: number;
  tid: number;
  ph: string;
  name: string;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * A Chrome performance trace (browser.startTracing) read for the page's CPU: the renderer main thread's and the
 * ELK worker's busy time (top-level tasks), and the main thread's self time by trace event (what to attack).
 */
export function traceCpu(trace: { traceEvents: TraceEvent[] }) {
  const names = new Map<string, string>();
  for (const e of trace.traceEvents)
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) names.set(`${e.pid}:${e.tid}`, e.args.name);
  const tasks = new Map<string, number>();
  for (const e of trace.traceEvents)
    if (e.ph === 'X' && e.name === 'RunTask' && e.dur) {
      const key = `${e.pid}:${e.tid}`;
      tasks.set(key, (tasks.get(key) ?? 0) + e.dur);
    }
  const busiest = (thread: string) =>
    [...tasks].filter(([key]) => names.get(key) === thread).sort((a, b) => b[1] - a[1])[0];
  const main = busiest('CrRendererMain');
  const worker = busiest('DedicatedWorker thread');
  // Self time per event name on the main thread (children's time subtracted).
  const self = new Map<string, number>();
  if (main) {
    const events = trace.traceEvents
      .filter((e) => e.ph === 'X' && e.dur !== undefined && `${e.pid}:${e.tid}` === main[0])
      .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const stack: { end: number; name: string; child: number; dur: number }[] = [];
    const close = (until: number) => {
      while (stack.length && (stack[stack.length - 1]?.end ?? 0) <= until) {
        const done = stack.pop() as { end: number; name: string; child: number; dur: number };
        self.set(done.name, (self.get(done.name) ?? 0) + done.dur - done.child);
      }
    };
    for (const e of events) {
      close(e.ts);
      const parent = stack[stack.length - 1];
      if (parent) parent.child += e.dur ?? 0;
      stack.push({ end: e.ts + (e.dur ?? 0), name: e.name, child: 0, dur: e.dur ?? 0 });
    }
    close(Number.POSITIVE_INFINITY);
  }
  const ms = (us: number) => Math.round(us / 1000);
  return {
    mainMs: ms(main?.[1] ?? NaN),
    workerMs: ms(worker?.[1] ?? 0),
    top: [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([name, us]) => `${name} ${ms(us)}`)
      .join(', '),
  };
}

if (!process.env['DATABASE_URL']) {
  console.error(
    'dist/bench/topology.js needs DATABASE_URL (a PostgreSQL server it may create a database on)',
  );
  process.exit(2);
}

/** The GraphQL answers the page would get for `input`. */
function answers(input: TopologyInput) {
  const clusters = input.clusters.map(({ kubernetes: _, ...cluster }) => cluster);
  const project = {
    networks: input.networks,
    firewalls: input.firewalls,
    clusters,
    forwardingRules: [],
    targetPools: [],
    targetHttpProxies: [],
    targetHttpsProxies: [],
    targetTcpProxies: [],
    urlMaps: [],
    backendServices: [],
  };
  return { project: { data: project }, cluster: { data: { kubernetes: input.clusters[0]?.kubernetes } } };
}

/** `node <cli> start --port 0` until it says where it listens (as bench/emulator.mjs does for the .mjs benches). */
async function startEmulator(databaseUrl: string) {
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--log-level', 'error'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  const port = await new Promise<number>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the emulator did not start:\n${out}`)), 60_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        done(Number(match[1]));
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => fail(new Error(`the emulator exited with ${code}:\n${out}`)));
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return { port, stop };
}

/** A response body as sent (not decompressed), asking for `encoding`. */
function raw(url: string, encoding: string): Promise<Buffer> {
  return new Promise((done, fail) => {
    http
      .get(url, { headers: { 'accept-encoding': encoding } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(Buffer.concat(chunks)));
      })
      .on('error', fail);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main() {
  const admin = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
  await admin.connect();
  const database = `bench_topology_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(process.env['DATABASE_URL'] ?? '');
  url.pathname = `/${database}`;
  const emulator = await startEmulator(url.toString());
  const base = `http://127.0.0.1:${emulator.port}`;
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    // Transfer size: what a first visit downloads, as a browser asks for it (brotli) and uncompressed.
    const html = await raw(`${base}/topology`, 'identity');
    const urls = [...html.toString().matchAll(/(?:src|data-elk-worker)="([^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
    console.log(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    for (const url of urls) {
      const [br, identity] = [await raw(`${base}${url}`, 'br'), await raw(`${base}${url}`, 'identity')];
      console.log(`transfer: ${url}: ${kib(br.length)} brotli (${kib(identity.length)} uncompressed)`);
    }
    console.log(`transfer: page ${kib(html.length)}`);
    for (const size of SIZES) {
      const { project, cluster } = answers(syntheticInput(size));
      const projectBody = JSON.stringify(project);
      const clusterBody = JSON.stringify(cluster);
      const times: number[] = [];
      const inPage: number[] = [];
      const cpu: number[] = [];
      const workerCpu: number[] = [];
      const transferred: number[] = [];
      let top = '';
      const phases: string[] = [];
      let elements = 0;
      for (let run = 0; run < RUNS; run++) {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        await page.route('**/*', (route) => {
          const requested = new URL(route.request().url());
          if (requested.hostname !== '127.0.0.1') return route.abort();
          if (requested.pathname !== '/graphql') return route.continue();
          const body = route.request().postData() ?? '';
          return route.fulfill({
            contentType: 'application/json',
            body: body.includes('TopologyCluster') ? clusterBody : projectBody,
          });
        });
        // Bytes on the wire for the page and its scripts (the GraphQL answers are the bench's, not counted).
        const sizes: Promise<number>[] = [];
        page.on('requestfinished', (request) => {
          if (new URL(request.url()).pathname === '/graphql') return;
          sizes.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
        });
        // Main-thread CPU time from Chrome's performance trace as well as wall time: on a loaded machine the wall
        // time mostly measures waiting for a core.
        await browser.startTracing(page, {
          categories: [
            'devtools.timeline',
            'disabled-by-default-devtools.timeline',
            'v8.execute',
            'toplevel',
          ],
        });
        await page.goto(`${base}/topology?project=synthetic`);
        await page.waitForSelector('body[data-rendered-at]', { timeout: 120_000 });
        const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
        times.push(Number(await page.locator('body').getAttribute('data-rendered-at')));
        inPage.push(Number(await page.locator('body').getAttribute('data-render-ms')));
        const used = traceCpu(trace);
        cpu.push(used.mainMs);
        workerCpu.push(used.workerMs);
        top = used.top;
        transferred.push((await Promise.all(sizes)).reduce((sum, n) => sum + n, 0));
        phases.push((await page.locator('body').getAttribute('data-phases')) ?? '');
        elements = await page.locator('#canvas [data-id]').count();
        await context.close();
      }
      const ms = median(times);
      console.log(
        `${size.nodes} nodes / ${size.pods} pods / ${size.services} Services: first full render ${ms} ms median ` +
          `(runs ${times.join(', ')} ms; of which fetch→drawn ${median(inPage)} ms; main-thread CPU ${median(cpu)} ms ` +
          `[${cpu.join(', ')}], ELK worker CPU ${median(workerCpu)} ms; main thread's largest: ${top}; ` +
          `transferred ${kib(median(transferred))}; ` +
          `fetch,model,layout,draw ms per run: ${phases.join(' | ')}), ${elements} boxes drawn — ` +
          `${ms < GOAL_MS ? 'ok' : 'FAIL'} (goal < ${GOAL_MS} ms)`,
      );
    }
  } finally {
    await browser.close();
    await emulator.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
