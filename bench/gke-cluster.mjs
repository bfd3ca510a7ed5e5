// Figures of the GKE issue (docs/benchmarks.md, "GKE clusters and Kubernetes objects"):
//   - a 100-node cluster with 5,000 pods (500 Deployments of 10) and 500 Services, created through the APIs
//     (container v1 for the cluster, the Kubernetes API for the rest): total time and rate, target under 60 s;
//   - `kubectl get pods -A` against those 5,000 pods: server time (the list request, as kubectl sends it with
//     server-side printing), target under 300 ms; also the plain JSON list.
// Usage: node bench/gke-cluster.mjs [--nodes 100] [--deployments 500] [--replicas 10] [--concurrency 4]
//                                  [--no-worker] [--cli dist/cli/main.js]
// BENCH_CPU_PROF=<dir> runs the emulator under `node --cpu-prof` and leaves its profile there.
// Starts one ephemeral emulator on 127.0.0.1 (embedded PostgreSQL unless DATABASE_URL is set), and stops it.
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { call, createCluster, createClusterNetwork, must, startEmulator, timed } from './emulator.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const NODES = Number(option('--nodes', '100'));
const DEPLOYMENTS = Number(option('--deployments', '500'));
const REPLICAS = Number(option('--replicas', '10'));
const NAMESPACES = Math.max(1, Math.ceil(DEPLOYMENTS / 10));
const CONCURRENCY = Number(option('--concurrency', '4'));
const CLI = resolve(ROOT, option('--cli', 'dist/cli/main.js'));

/** Runs `work(i)` for i < count with `limit` in flight. */
async function pool(count, limit, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

const emulator = await startEmulator(CLI, {
  extraArgs: [
    ...(process.env.DATABASE_URL ? [] : ['--ephemeral']),
    ...(args.includes('--no-worker') ? ['--no-worker'] : []),
    '--log-level',
    'error',
  ],
  nodeArgs: process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
});

try {
  const port = emulator.port;
  const project = `bench-${Date.now()}`;
  const kube = `/k8s/${project}/us-central1-a/big`;
  const started = performance.now();
  await createClusterNetwork(port, project, '10.96.0.0/20');
  await createCluster(port, project, NODES);
  const clusterS = (performance.now() - started) / 1000;

  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `ns-${i}`);
  await pool(namespaces.length, CONCURRENCY, (i) =>
    must(
      call(port, 'POST', `${kube}/api/v1/namespaces`, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespaces[i] },
      }),
      'namespace',
    ),
  );
  const objectsStarted = performance.now();
  await pool(DEPLOYMENTS, CONCURRENCY, async (i) => {
    const ns = namespaces[i % NAMESPACES];
    const app = `app-${i}`;
    await must(
      call(port, 'POST', `${kube}/api/v1/namespaces/${ns}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: app },
        spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      }),
      `service ${i}`,
    );
    await must(
      call(port, 'POST', `${kube}/apis/apps/v1/namespaces/${ns}/deployments`, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: app },
        spec: {
          replicas: REPLICAS,
          selector: { matchLabels: { app } },
          template: {
            metadata: { labels: { app } },
            spec: {
              containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }],
            },
          },
        },
      }),
      `deployment ${i}`,
    );
  });
  const objectsS = (performance.now() - objectsStarted) / 1000;
  const totalS = (performance.now() - started) / 1000;

  const podList = await must(call(port, 'GET', `${kube}/api/v1/pods?limit=500`), 'pods');
  const listed = JSON.parse(podList.body);
  const all = await must(call(port, 'GET', `${kube}/api/v1/pods`), 'pods');
  const pods = JSON.parse(all.body).items.length;
  const table = {
    accept:
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
  };
  const getPodsA = await timed(10, () =>
    must(call(port, 'GET', `${kube}/api/v1/pods?limit=500`, undefined, table), 'table'),
  );
  const getPodsAll = await timed(5, () =>
    must(call(port, 'GET', `${kube}/api/v1/pods`, undefined, table), 'table'),
  );
  const jsonAll = await timed(5, () => must(call(port, 'GET', `${kube}/api/v1/pods`), 'json'));

  const figures = {
    nodes: NODES,
    pods,
    services: DEPLOYMENTS,
    clusterCreateSeconds: Number(clusterS.toFixed(2)),
    objectsSeconds: Number(objectsS.toFixed(1)),
    totalSeconds: Number(totalS.toFixed(1)),
    podsPerSecond: Math.round(pods / objectsS),
    firstPageContinue: Boolean(listed.metadata?.continue),
    kubectlGetPodsAFirstPageP50Ms: Number(getPodsA.p50.toFixed(1)),
    getPodsAllTableP50Ms: Number(getPodsAll.p50.toFixed(1)),
    getPodsAllJsonP50Ms: Number(jsonAll.p50.toFixed(1)),
  };
  const verdict = (value, target) => (value < target ? 'PASS' : 'FAIL');
  console.log(
    `cluster of ${NODES} nodes, ${pods} pods, ${DEPLOYMENTS} services: ${figures.totalSeconds} s (< 60) ${verdict(totalS, 60)}`,
  );
  console.log(
    `  cluster create ${figures.clusterCreateSeconds} s; Kubernetes objects ${figures.objectsSeconds} s (${figures.podsPerSecond} pods/s)`,
  );
  console.log(
    `kubectl get pods -A (first page of 500, as kubectl asks): p50 ${figures.kubectlGetPodsAFirstPageP50Ms} ms (< 300) ${verdict(getPodsA.p50, 300)}`,
  );
  console.log(
    `  all ${pods} pods in one Table: p50 ${figures.getPodsAllTableP50Ms} ms; as JSON: p50 ${figures.getPodsAllJsonP50Ms} ms`,
  );
  console.log(JSON.stringify(figures));
} finally {
  await emulator.stop();
}
