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
import { gzipSync } from 'node:zlib';
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
    // Transfer size: what a first visit downloads (the emulator does not compress; gzip shown for reference).
    const html = Buffer.from(await (await fetch(`${base}/topology`)).arrayBuffer());
    const script = Buffer.from(await (await fetch(`${base}/topology/assets/topology.js`)).arrayBuffer());
    const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
    console.log(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      `transfer: page ${kib(html.length)} + script ${kib(script.length)} = ${kib(html.length + script.length)} ` +
        `(gzip -9 would be ${kib(gzipSync(html).length + gzipSync(script, { level: 9 }).length)})`,
    );
    for (const size of SIZES) {
      const { project, cluster } = answers(syntheticInput(size));
      const projectBody = JSON.stringify(project);
      const clusterBody = JSON.stringify(cluster);
      const times: number[] = [];
      const inPage: number[] = [];
      const cpu: number[] = [];
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
        // Main-thread CPU time (Chrome's TaskDuration) as well as wall time: on a loaded machine the wall time
        // mostly measures waiting for a core.
        const cdp = await context.newCDPSession(page);
        await cdp.send('Performance.enable');
        await page.goto(`${base}/topology?project=synthetic`);
        await page.waitForSelector('body[data-rendered-at]', { timeout: 120_000 });
        times.push(Number(await page.locator('body').getAttribute('data-rendered-at')));
        inPage.push(Number(await page.locator('body').getAttribute('data-render-ms')));
        const metrics = (await cdp.send('Performance.getMetrics')).metrics;
        cpu.push(Math.round((metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN) * 1000));
        phases.push((await page.locator('body').getAttribute('data-phases')) ?? '');
        elements = await page.locator('#canvas [data-id]').count();
        await context.close();
      }
      const ms = median(times);
      console.log(
        `${size.nodes} nodes / ${size.pods} pods / ${size.services} Services: first full render ${ms} ms median ` +
          `(runs ${times.join(', ')} ms; of which fetch→drawn ${median(inPage)} ms; main-thread CPU ${median(cpu)} ms; ` +
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
