// Shared plumbing of the HTTP benchmarks: one emulator started as a child process, a keep-alive client, timing.
import { spawn } from 'node:child_process';
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

const quietSockets = new WeakSet();

/** One request to the emulator on 127.0.0.1: `{ status, body }` (the body as text). */
export function call(port, method, path, body, headers = {}) {
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolvePromise({ status: res.statusCode, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    // A server may answer before it has read the whole body (413) and close the connection later: the client's
    // unfinished upload then fails on a socket no request listens to any more. The answer was received; ignore it.
    req.on('socket', (socket) => {
      if (socket.listenerCount('error') === 0 || !quietSockets.has(socket)) {
        quietSockets.add(socket);
        socket.on('error', () => undefined);
      }
    });
    req.end(payload);
  });
}

/** `call`'s answer, or an error naming `what` when the emulator refused it. */
export async function must(promise, what) {
  const res = await promise;
  if (res.status >= 300) throw new Error(`${what}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  return res;
}

/**
 * The VPC `vpc` with subnetwork `s1` (10.0.0.0/20 in us-central1, secondary ranges `pods` 10.64.0.0/14 and `svc`
 * `servicesRange`) that the GKE benchmarks put their cluster on.
 */
export async function createClusterNetwork(port, project, servicesRange) {
  const compute = `/compute/v1/projects/${project}`;
  await must(
    call(port, 'POST', `${compute}/global/networks`, { name: 'vpc', autoCreateSubnetworks: false }),
    'network',
  );
  await must(
    call(port, 'POST', `${compute}/regions/us-central1/subnetworks`, {
      name: 's1',
      network: 'vpc',
      ipCidrRange: '10.0.0.0/20',
      secondaryIpRanges: [
        { rangeName: 'pods', ipCidrRange: '10.64.0.0/14' },
        { rangeName: 'svc', ipCidrRange: servicesRange },
      ],
    }),
    'subnetwork',
  );
}

/** GKE cluster `big` of `nodes` nodes in us-central1-a on that network (VPC-native, ranges `pods` and `svc`). */
export async function createCluster(port, project, nodes) {
  await must(
    call(port, 'POST', `/v1/projects/${project}/locations/us-central1-a/clusters`, {
      cluster: {
        name: 'big',
        network: 'vpc',
        subnetwork: 's1',
        initialNodeCount: nodes,
        ipAllocationPolicy: {
          useIpAliases: true,
          clusterSecondaryRangeName: 'pods',
          servicesSecondaryRangeName: 'svc',
        },
      },
    }),
    'cluster',
  );
}

/** p50 and p90 of `samples` sequential runs of `run` (stops early at `deadline`, epoch ms). */
export async function timed(samples, run, deadline = Infinity) {
  const times = [];
  for (let i = 0; i < samples && Date.now() < deadline; i++) {
    const started = performance.now();
    const res = await run(i);
    times.push(performance.now() - started);
    if (res && res.status >= 400) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  }
  times.sort((a, b) => a - b);
  return {
    p50: times[Math.floor(times.length / 2)],
    p90: times[Math.floor(times.length * 0.9)],
    n: times.length,
  };
}

/**
 * Starts `node <cli> start --port 0 ...extraArgs` and resolves with `{ port, stop }` once it listens. `nodeArgs`
 * go before the script (e.g. --cpu-prof).
 */
export async function startEmulator(cli, { extraArgs = [], nodeArgs = [], env = process.env } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, cli, 'start', '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const port = await new Promise((resolvePromise, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start:\n${out}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (match) {
        clearTimeout(timer);
        resolvePromise(Number(match[1]));
      }
    });
    child.stderr.on('data', (chunk) => (out += chunk));
    if (process.env.BENCH_EMULATOR_OUTPUT) {
      child.stdout.pipe(process.stderr);
      child.stderr.pipe(process.stderr);
    }
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}:\n${out}`)));
  });
  const stop = () =>
    new Promise((resolvePromise) => {
      if (child.exitCode !== null) return resolvePromise();
      child.once('exit', () => resolvePromise());
      child.kill('SIGTERM');
    });
  process.on('SIGINT', () => void stop().then(() => process.exit(130)));
  return {
    port,
    stop: async () => {
      await stop();
      agent.destroy();
    },
  };
}
