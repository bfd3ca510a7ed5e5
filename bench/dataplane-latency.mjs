// Figures of the data-plane issue measured end to end through PostgreSQL and the worker (docs/benchmarks.md,
// "Effective data plane"):
//   - the full computation of a cluster of N nodes, S services, 5 endpoints each (and as many pods), from the
//     database: the first computation of the cluster, forced by setting its observed generation back to 0;
//   - one endpoint change (a PATCH of an EndpointSlice through the Kubernetes API) → every affected node current:
//     p50 and p99 over --samples changes, and how many nodes each recomputed;
//   - reading one node's iptables text after a change (GET …/nodes/{n}/iptables).
// The cluster and its nodes are created through the Container API; the Services, EndpointSlices and pods are
// written straight into the database (the same triggers record them) because creating 10,000 Services through
// the controllers would take most of an hour here.
// Needs DATABASE_URL (a server where it may create a database). Run: node bench/dataplane-latency.mjs
//   [--nodes 1000] [--services 10000] [--samples 50] [--full-repeats 1]
// --full-repeats N forces the full computation N times on the same cluster and prints each and the median, to compare
// two builds with less noise than one run each.
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import pg from 'pg';
import { call, createCluster, createClusterNetwork, startEmulator } from './emulator.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const NODES = option('nodes', 1000);
const SERVICES = option('services', 10000);
const SAMPLES = option('samples', 50);
const FULL_REPEATS = option('full-repeats', 1);
const ENDPOINTS_PER_SERVICE = 5;
const NAMESPACES = 100;
const CLI = resolve(import.meta.dirname, '../dist/cli/main.js');

if (!process.env.DATABASE_URL) {
  console.error(
    'bench/dataplane-latency.mjs needs DATABASE_URL (a PostgreSQL server it may create a database on)',
  );
  process.exit(2);
}
const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
await admin.connect();
const database = `bench_dataplane_${Date.now()}`;
await admin.query(`CREATE DATABASE ${database}`);
const url = new URL(process.env.DATABASE_URL);
url.pathname = `/${database}`;
const databaseUrl = url.toString();

const must = async (promise, what) => {
  const res = await promise;
  if (res.status >= 400) throw new Error(`${what}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  return res.body ? JSON.parse(res.body) : undefined;
};
const ip = (n) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

const emulator = await startEmulator(CLI, {
  extraArgs: ['--log-level', process.env.BENCH_LOG_LEVEL ?? 'error'],
  env: { ...process.env, DATABASE_URL: databaseUrl },
});
const db = new pg.Client({ connectionString: databaseUrl });
try {
  await db.connect();
  const port = emulator.port;
  const project = `bench-${Date.now()}`;
  const kube = `/k8s/${project}/us-central1-a/big`;
  await createClusterNetwork(port, project, '10.96.0.0/16');
  let started = performance.now();
  await createCluster(port, project, NODES);
  console.log(
    `cluster with ${NODES} nodes created in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const [{ id: clusterId }] = (
    await db.query(`SELECT id::text FROM cluster WHERE project_id = $1`, [project])
  ).rows;
  const nodes = (
    await db.query(
      `SELECT name, host(internal_ip) AS ip, pod_cidr::text FROM node WHERE cluster_id = $1 ORDER BY name`,
      [clusterId],
    )
  ).rows;

  // Services, their EndpointSlices and pods, written in batches (one transaction each, as a controller would).
  started = performance.now();
  const rows = [];
  let rv = 0;
  const object = (resource, namespace, name, body) =>
    rows.push({ resource, namespace, name, body, rv: ++rv });
  for (let n = 0; n < NAMESPACES; n++) {
    object('namespaces', '', `ns-${n}`, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: `ns-${n}` },
    });
  }
  for (let s = 0; s < SERVICES; s++) {
    const namespace = `ns-${s % NAMESPACES}`;
    const name = `svc-${s}`;
    const clusterIP = ip(0x0a600000 + 10 + s);
    object('services', namespace, name, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: {
        type: s % 10 === 0 ? 'NodePort' : 'ClusterIP',
        clusterIP,
        clusterIPs: [clusterIP],
        selector: { app: name },
        ports: [
          {
            name: 'http',
            protocol: 'TCP',
            port: 80,
            targetPort: 8080,
            ...(s % 10 === 0 ? { nodePort: 30000 + (s % 2700) } : {}),
          },
        ],
      },
    });
    const endpoints = [];
    for (let e = 0; e < ENDPOINTS_PER_SERVICE; e++) {
      const p = s * ENDPOINTS_PER_SERVICE + e;
      const node = nodes[p % nodes.length];
      const podIp = ip((ip2n(node.pod_cidr.split('/')[0]) + 2 + ((p / nodes.length) | 0)) >>> 0);
      endpoints.push({ addresses: [podIp], conditions: { ready: true }, nodeName: node.name });
      object('pods', namespace, `${name}-${e}`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${name}-${e}`, namespace, labels: { app: name } },
        spec: {
          nodeName: node.name,
          containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080 }] }],
        },
        status: { phase: 'Running', podIP: podIp },
      });
    }
    object('endpointslices', namespace, `${name}-abcde`, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-abcde`, namespace, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      endpoints,
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    });
  }
  for (let i = 0; i < rows.length; i += 2000) {
    const batch = rows.slice(i, i + 2000);
    await db.query(
      `INSERT INTO kube_object (uid, cluster_id, resource, namespace, name, resource_version, body)
       SELECT gen_random_uuid(), $1, r.resource, r.namespace, r.name, nextval('kube_resource_version'), r.body
         FROM jsonb_to_recordset($2::jsonb) AS r(resource text, namespace text, name text, body jsonb)`,
      [clusterId, JSON.stringify(batch)],
    );
  }
  console.log(`${rows.length} objects written in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const generation = async () =>
    BigInt(
      (
        await db.query(`SELECT generation::text AS g FROM dataplane_generation WHERE cluster_id = $1`, [
          clusterId,
        ])
      ).rows[0].g,
    );
  const observed = async () =>
    BigInt(
      (
        await db.query(`SELECT observed_generation::text AS g FROM cluster_dataplane WHERE cluster_id = $1`, [
          clusterId,
        ])
      ).rows[0]?.g ?? '0',
    );
  const waitFor = async (target, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    while ((await observed()) < target) {
      if (Date.now() > deadline) throw new Error(`not current after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return performance.now();
  };
  await waitFor(await generation(), 600_000);

  // The full computation, from the database: force the next job to start from nothing. An empty job queued by the
  // earlier writes may still run after it and overwrite last_computation, so the job's own figure is read from the
  // worker's log row only when it says "full".
  const fulls = [];
  for (let repeat = 0; repeat < FULL_REPEATS; repeat++) {
    await db.query(`UPDATE cluster_dataplane SET observed_generation = 0 WHERE cluster_id = $1`, [clusterId]);
    started = performance.now();
    await db.query(`SELECT dataplane_touch($1)`, [clusterId]);
    const fullDone = await waitFor(await generation(), 600_000);
    const full = (
      await db.query(`SELECT last_computation FROM cluster_dataplane WHERE cluster_id = $1`, [clusterId])
    ).rows[0].last_computation;
    const wall = fullDone - started;
    fulls.push({ wall, job: full.mode === 'full' ? full.ms : undefined });
    console.log(
      `full computation through the database: ${(wall / 1000).toFixed(2)} s (job ${full.mode === 'full' ? `${full.ms} ms` : 'figure overwritten by a later empty job'}, ${full.nodes.total} nodes): ${JSON.stringify(full)}`,
    );
  }
  if (FULL_REPEATS > 1) {
    const median = (values) => values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
    const jobs = fulls.flatMap((f) => (f.job === undefined ? [] : [f.job]));
    console.log(
      `full computation, median of ${FULL_REPEATS}: ${(median(fulls.map((f) => f.wall)) / 1000).toFixed(2)} s wall, ` +
        `job ${jobs.length ? `${median(jobs)} ms (of ${jobs.length})` : 'n/a'}`,
    );
  }

  // One endpoint change at a time: its readiness flips, through the Kubernetes API.
  const latencies = [];
  const recomputed = [];
  for (let i = 0; i < SAMPLES + 3; i++) {
    const s = (i * 7919) % SERVICES;
    const namespace = `ns-${s % NAMESPACES}`;
    const path = `${kube}/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices/svc-${s}-abcde`;
    const slice = await must(call(port, 'GET', path), 'get slice');
    slice.endpoints[0].conditions.ready = !slice.endpoints[0].conditions.ready;
    const t0 = performance.now();
    await must(call(port, 'PUT', path, slice), 'put slice');
    const done = await waitFor(await generation(), 60_000);
    if (i < 3) continue; // the first changes follow the full computation's delay
    latencies.push(done - t0);
    const last = (
      await db.query(`SELECT last_computation FROM cluster_dataplane WHERE cluster_id = $1`, [clusterId])
    ).rows[0].last_computation;
    recomputed.push(last.nodes.kubeProxy);
  }
  latencies.sort((a, b) => a - b);
  const p50 = percentile(latencies, 0.5);
  const p99 = percentile(latencies, 0.99);
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  console.log(
    `one endpoint change → affected nodes current (${NODES} nodes, ${SERVICES} services, ${SERVICES * ENDPOINTS_PER_SERVICE} endpoints, n=${latencies.length}): ` +
      `p50 ${p50.toFixed(0)} ms (< 200) ${verdict(p50 < 200)}, p99 ${p99.toFixed(0)} ms (< 1000) ${verdict(p99 < 1000)}; ` +
      `nodes recomputed per change ${Math.min(...recomputed)}–${Math.max(...recomputed)}`,
  );

  const node = nodes[0].name;
  const reads = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const res = await call(
      port,
      'GET',
      `/emulator/v1/projects/${project}/locations/us-central1-a/clusters/big/nodes/${node}/iptables`,
    );
    if (res.status !== 200) throw new Error(`iptables: HTTP ${res.status} ${res.body.slice(0, 200)}`);
    reads.push({ ms: performance.now() - t0, bytes: res.body.length });
  }
  console.log(
    `GET one node's iptables after the changes: first ${reads[0].ms.toFixed(0)} ms, then ${reads[1].ms.toFixed(0)} / ${reads[2].ms.toFixed(0)} ms (${(reads[0].bytes / 1e6).toFixed(1)} MB)`,
  );
} finally {
  await db.end().catch(() => undefined);
  await emulator.stop();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
}

function ip2n(text) {
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0) >>> 0;
}
