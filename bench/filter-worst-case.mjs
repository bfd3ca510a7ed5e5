// Worst-case list filter (issue 13, item 12): `description eq "(a*){1000}b"` over ~1 MB of descriptions (500
// networks x 2,048 characters, Compute's maximum), and how long /healthz waits meanwhile.
// Usage: node bench/filter-worst-case.mjs [--networks 500] [--samples 10] [--cli dist/cli/main.js]
// Starts one ephemeral emulator on 127.0.0.1, talks only to it, and stops it at the end (also on error).
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { call, startEmulator } from './emulator.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const NETWORKS = Math.min(2000, Number(option('--networks', '500')));
const SAMPLES = Math.min(100, Number(option('--samples', '10')));
const CLI = resolve(ROOT, option('--cli', 'dist/cli/main.js'));

const emulator = await startEmulator(CLI, {
  extraArgs: ['--ephemeral', '--no-worker'],
  env: { ...process.env, DATABASE_URL: '' },
});

/** Runs `request` while polling /healthz back to back; returns the request's time and the slowest /healthz. */
async function withHealthProbe(port, request) {
  let running = true;
  let slowest = 0;
  let probes = 0;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      await call(port, 'GET', '/healthz');
      slowest = Math.max(slowest, performance.now() - started);
      probes++;
    }
  })();
  const started = performance.now();
  const res = await request();
  const took = performance.now() - started;
  running = false;
  await probe;
  return { status: res.status, took, slowest, probes, body: res.body };
}

try {
  const port = emulator.port;
  const base = '/compute/v1/projects/bench';
  const description = 'a'.repeat(2048);
  for (let i = 0; i < NETWORKS; i++) {
    const res = await call(port, 'POST', `${base}/global/networks`, {
      name: `n-${i}`,
      autoCreateSubnetworks: false,
      description,
    });
    if (res.status !== 200) throw new Error(`insert: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  }
  const cases = {
    hostile: 'description eq "(a*){1000}b"',
    ordinary: 'name eq "n-1.*"',
  };
  const results = {};
  for (const [label, filter] of Object.entries(cases)) {
    const runs = [];
    for (let i = 0; i < SAMPLES; i++) {
      runs.push(
        await withHealthProbe(port, () =>
          call(port, 'GET', `${base}/global/networks?maxResults=500&filter=${encodeURIComponent(filter)}`),
        ),
      );
    }
    const worst = (key) => Math.max(...runs.map((run) => run[key]));
    results[label] = {
      filter,
      statuses: [...new Set(runs.map((run) => run.status))],
      worstRequestMs: Math.round(worst('took')),
      worstHealthzMs: Math.round(worst('slowest')),
      healthzProbes: runs.reduce((sum, run) => sum + run.probes, 0),
    };
  }
  console.log(
    JSON.stringify(
      { networks: NETWORKS, descriptionChars: description.length, samples: SAMPLES, results },
      null,
      2,
    ),
  );
} finally {
  await emulator.stop();
}
