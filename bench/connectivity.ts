// Figures of the Connectivity Tests issue (docs/benchmarks.md, "Connectivity Tests"): one trace composed by
// libs/dataplane's connectivity.composeReachability, in process, on a synthetic cluster with 1,000 VPC firewall
// rules, 500 NetworkPolicies and 10,000 Services (2 endpoints each), 20 nodes. What a trace costs once the
// generation's inputs are compiled (the API keeps them per generation): p50/p99 over a mix of tests — the internet to
// a LoadBalancer Service (every node a backend, every endpoint a path), a pod to a ClusterIP, a pod to a pod.
// Each trace's CPU time (process.cpuUsage, every thread of the process) is reported beside its wall time: on a
// shared machine the wall time is inflated by other processes, the CPU time much less.
// Then all-pairs pod reachability (netpol.allPairsReachability) for 1,000 pods of that cluster, against the pair-by-pair
// evaluateConnection (measured on a tenth of the sources and scaled).
// Built by scripts/build.mjs into dist/bench/connectivity.js; run: node dist/bench/connectivity.js [--quick]
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { connectivity, kubeProxy, netpol, vpc } from '@gke-emulator/dataplane';

const quick = process.argv.includes('--quick');
const FIREWALLS = 1000;
const POLICIES = 500;
const SERVICES = quick ? 1000 : 10_000;
const NODES = 20;
const NAMESPACES = 50;
const SAMPLES = quick ? 50 : 300;

function ip(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const NETWORK = 'projects/bench/global/networks/vpc';
const TAG = 'gke-big-node';
const CLUSTER = 'projects/bench/locations/us-central1-a/clusters/big';

function firewalls(): vpc.FirewallRule[] {
  const rules: vpc.FirewallRule[] = [
    {
      name: 'gke-all',
      network: NETWORK,
      allowed: [{ IPProtocol: 'tcp' }, { IPProtocol: 'udp' }],
      sourceRanges: ['10.64.0.0/14'],
      targetTags: [TAG],
    },
    {
      name: 'gke-vms',
      network: NETWORK,
      allowed: [{ IPProtocol: 'tcp' }],
      sourceRanges: ['10.0.0.0/16'],
      targetTags: [TAG],
    },
    {
      name: 'hc',
      network: NETWORK,
      allowed: [{ IPProtocol: 'tcp', ports: ['10256'] }],
      sourceRanges: ['35.191.0.0/16', '209.85.152.0/22', '209.85.204.0/22'],
      targetTags: [TAG],
    },
    {
      name: 'lb',
      network: NETWORK,
      allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
      sourceRanges: ['0.0.0.0/0'],
      targetTags: [TAG],
    },
  ];
  for (let i = rules.length; i < FIREWALLS; i++) {
    // Rules for other targets and other sources: each must be looked at and rejected.
    rules.push({
      name: `rule-${i}`,
      network: NETWORK,
      priority: 500 + (i % 500),
      ...(i % 3 === 0
        ? { denied: [{ IPProtocol: 'tcp', ports: [String(1000 + i)] }] }
        : { allowed: [{ IPProtocol: 'tcp', ports: [String(2000 + i)] }] }),
      sourceRanges: [`${ip(0xc0000000 + i * 256)}/24`],
      ...(i % 2 === 0 ? { targetTags: [TAG] } : { targetTags: [`other-${i}`] }),
    });
  }
  return rules;
}

function build(): connectivity.TraceInputs {
  const nodes = Array.from({ length: NODES }, (_, i) => ({
    name: `node-${i}`,
    ip: ip(0x0a000000 + 2 + i),
    podCidr: '10.64.0.0/14',
  }));
  const services: kubeProxy.KubeService[] = [];
  const slices: kubeProxy.KubeEndpointSlice[] = [];
  const pods: netpol.PodInfo[] = [];
  for (let s = 0; s < SERVICES; s++) {
    const namespace = `ns-${s % NAMESPACES}`;
    const name = `svc-${s}`;
    const members: netpol.PodInfo[] = [0, 1].map((k) => {
      const index = s * 2 + k;
      const node = nodes[index % NODES] as (typeof nodes)[number];
      return {
        namespace,
        name: `${name}-${k}`,
        ip: ip(0x0a400000 + 2 + index),
        nodeName: node.name,
        labels: { app: name, tier: s % 2 === 0 ? 'web' : 'db' },
      };
    });
    pods.push(...members);
    services.push({
      namespace,
      name,
      type: s < 50 ? 'LoadBalancer' : 'ClusterIP',
      clusterIP: ip(0x0a800000 + 10 + s),
      ports: [{ port: 80, protocol: 'TCP', ...(s < 50 ? { nodePort: 30000 + s } : {}) }],
      ...(s < 50 ? { loadBalancerIngress: [{ ip: ip(0x22000000 + s) }] } : {}),
    });
    slices.push({
      namespace,
      name: `${name}-x`,
      serviceName: name,
      endpoints: members.map((pod) => ({ addresses: [pod.ip ?? ''], nodeName: pod.nodeName })),
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  }
  const policies: netpol.NetworkPolicy[] = Array.from({ length: POLICIES }, (_, i) => ({
    metadata: { name: `policy-${i}`, namespace: `ns-${i % NAMESPACES}` },
    spec: {
      podSelector: { matchLabels: { app: `svc-${i * 7}` } },
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { tier: 'web' } } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
    },
  }));
  const rules = firewalls();
  const routes: vpc.Route[] = [
    {
      name: 'subnet',
      network: NETWORK,
      destRange: '10.0.0.0/16',
      nextHopNetwork: NETWORK,
      routeType: 'SUBNET',
    },
    {
      name: 'pods',
      network: NETWORK,
      destRange: '10.64.0.0/14',
      nextHopNetwork: NETWORK,
      routeType: 'SUBNET',
    },
    {
      name: 'igw',
      network: NETWORK,
      destRange: '0.0.0.0/0',
      nextHopGateway: 'projects/bench/global/gateways/default-internet-gateway',
      routeType: 'STATIC',
    },
  ];
  const proxyRules = kubeProxy.compileClusterRules({
    services,
    endpointSlices: slices,
    config: { clusterCidr: '10.64.0.0/14' },
  });
  const dumps = new Map<string, ReturnType<typeof kubeProxy.compileNodeRules>>();
  const backends = nodes.map((node) => `projects/bench/zones/us-central1-a/instances/${node.name}`);
  return {
    project: 'bench',
    networks: [{ name: 'vpc', uri: NETWORK, ranges: ['10.0.0.0/16', '10.64.0.0/14', '10.128.0.0/20'] }],
    instances: nodes.map((node) => {
      const instance = { name: node.name, network: NETWORK, tags: [TAG], ipAddresses: [node.ip] };
      return {
        name: node.name,
        uri: `projects/bench/zones/us-central1-a/instances/${node.name}`,
        networkUri: NETWORK,
        internalIp: node.ip,
        tags: [TAG],
        running: true,
        firewall: vpc.buildInstanceFirewall({ firewalls: rules }, instance),
        routing: vpc.buildRoutingTable(routes, instance),
        cluster: CLUSTER,
      };
    }),
    forwardingRules: services
      .filter((service) => service.type === 'LoadBalancer')
      .map((service) => ({
        name: service.name,
        uri: `projects/bench/regions/us-central1/forwardingRules/${service.name}`,
        ip: service.loadBalancerIngress?.[0]?.ip ?? '',
        protocol: 'TCP',
        portRange: '80-80',
        scheme: 'EXTERNAL' as const,
        target: `projects/bench/regions/us-central1/targetPools/${service.name}`,
        loadBalancer: {
          loadBalancerType: 'NETWORK_TCP_UDP' as const,
          backendType: 'TARGET_POOL' as const,
          backendUri: `projects/bench/regions/us-central1/targetPools/${service.name}`,
          healthCheckPort: 10256,
          healthCheckSourceRanges: ['35.191.0.0/16', '209.85.152.0/22', '209.85.204.0/22'],
          backends,
        },
      })),
    clusters: [
      {
        name: 'big',
        uri: CLUSTER,
        networkUri: NETWORK,
        networkPolicy: { enforced: true, mode: 'ADVANCED_DATAPATH' },
        policies: netpol.compileCluster({
          namespaces: Array.from({ length: NAMESPACES }, (_, i) => ({ name: `ns-${i}` })),
          pods,
          policies,
        }),
        services,
        endpointSlices: slices,
        servicesRange: '10.128.0.0/20',
        nodeIptables(name) {
          const node = nodes.find((candidate) => candidate.name === name);
          const context = { nodeName: name, nodeIP: node?.ip ?? '', podCidr: node?.podCidr ?? '' };
          let dump = dumps.get(name);
          if (!dump) {
            dump = kubeProxy.compileNodeRules(proxyRules, context);
            dumps.set(name, dump);
          }
          return { dump, localAddresses: kubeProxy.nodeLocalAddresses(context) };
        },
      },
    ],
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

let started = performance.now();
const inputs = build();
const setupMs = performance.now() - started;
const cluster = inputs.clusters[0] as connectivity.TraceCluster;
const podIps = Object.keys(cluster.policies.podKeysByIp);
const queries = (i: number): connectivity.TraceQuery => {
  switch (i % 3) {
    case 0:
      return {
        source: { ipAddress: ip(0xcb007100 + (i % 200)) },
        destination: { ipAddress: ip(0x22000000 + (i % 50)), port: 80 },
        protocol: 'TCP',
      };
    case 1:
      return {
        source: { ipAddress: podIps[i % podIps.length] as string },
        destination: { ipAddress: ip(0x0a800000 + 10 + ((i * 7919) % SERVICES)), port: 80 },
        protocol: 'TCP',
      };
    default:
      return {
        source: { ipAddress: podIps[(i * 31) % podIps.length] as string },
        destination: { ipAddress: podIps[(i * 17) % podIps.length] as string, port: 8080 },
        protocol: 'TCP',
      };
  }
};
// Node dumps are built once per generation (the API keeps them), then the first trace builds the lookups and
// compiles the chains it walks; a warm-up of WARMUP traces follows, not measured.
started = performance.now();
for (let n = 0; n < NODES; n++) cluster.nodeIptables(`node-${n}`);
const dumpsMs = performance.now() - started;
started = performance.now();
connectivity.composeReachability(inputs, queries(0));
const firstMs = performance.now() - started;
const WARMUP = 30;
for (let i = 0; i < WARMUP; i++) connectivity.composeReachability(inputs, queries(SAMPLES + i));
const times: number[] = [];
const cpuTimes: number[] = [];
const byKind: number[][] = [[], [], []];
const cpuByKind: number[][] = [[], [], []];
const results = new Map<string, number>();
let traces = 0;
const loadBefore = os.loadavg()[0] ?? NaN;
for (let i = 0; i < SAMPLES; i++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const details = connectivity.composeReachability(inputs, queries(i));
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  times.push(elapsed);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  byKind[i % 3]?.push(elapsed);
  cpuByKind[i % 3]?.push((cpu.user + cpu.system) / 1000);
  traces += details.traces.length;
  results.set(details.result, (results.get(details.result) ?? 0) + 1);
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const p50 = percentile(times, 50);
const p99 = percentile(times, 99);
const cpuP50 = percentile(cpuTimes, 50);
const cpuP99 = percentile(cpuTimes, 99);

// All pairs of 1,000 pods (500 Services' two replicas each, across the 50 namespaces and the 500 policies).
const PAIR_PODS = 1000;
const compiledPolicies = cluster.policies;
const pairPods = Object.keys(compiledPolicies.pods).slice(0, PAIR_PODS);
netpol.allPairsReachability(compiledPolicies, { pods: pairPods.slice(0, 50), protocol: 'TCP', port: 8080 });
let cpuPairs = process.cpuUsage();
started = performance.now();
const matrix = netpol.allPairsReachability(compiledPolicies, { pods: pairPods, protocol: 'TCP', port: 8080 });
const allPairsMs = performance.now() - started;
const allPairsCpuMs = (() => {
  const used = process.cpuUsage(cpuPairs);
  return (used.user + used.system) / 1000;
})();
const denied = matrix.allowed.reduce((sum, row) => sum + row.filter((cell) => !cell).length, 0);
// The pair-by-pair baseline on a tenth of the sources, scaled to all of them.
const baselineSources = pairPods.slice(0, PAIR_PODS / 10);
cpuPairs = process.cpuUsage();
started = performance.now();
let baselineDenied = 0;
for (const source of baselineSources) {
  const [sourceNamespace = '', sourceName = ''] = source.split('/');
  for (const destination of pairPods) {
    const [namespace = '', name = ''] = destination.split('/');
    const verdict = netpol.evaluateConnection(compiledPolicies, {
      source: { pod: { namespace: sourceNamespace, name: sourceName } },
      destination: { pod: { namespace, name } },
      protocol: 'TCP',
      port: 8080,
    });
    if (!verdict.allowed) baselineDenied++;
  }
}
const pairwiseMs = (performance.now() - started) * (PAIR_PODS / baselineSources.length);
const sampleDenied = matrix.allowed
  .slice(0, baselineSources.length)
  .reduce((sum, row) => sum + row.filter((cell) => !cell).length, 0);
if (sampleDenied !== baselineDenied) {
  throw new Error(`all-pairs disagrees with evaluateConnection: ${sampleDenied} vs ${baselineDenied} denied`);
}
const loadAfter = os.loadavg()[0] ?? NaN;
const line = (label: string, value: string, pass?: boolean) =>
  console.log(`${label.padEnd(46)} ${value}${pass === undefined ? '' : pass ? '  PASS' : '  FAIL'}`);
line(
  'inputs (firewall rules / policies / services)',
  `${FIREWALLS} / ${POLICIES} / ${SERVICES}, ${NODES} nodes, ${podIps.length} pods`,
);
line('compile inputs (firewalls, netpol, kube-proxy)', `${setupMs.toFixed(0)} ms`);
line('every node iptables dump (once per generation)', `${dumpsMs.toFixed(0)} ms`);
line('first trace (lookups, chains compiled)', `${firstMs.toFixed(1)} ms`);
line(
  'load average (1 min) before / after',
  `${loadBefore.toFixed(1)} / ${loadAfter.toFixed(1)} on ${os.cpus().length} CPUs`,
);
line(`one trace p50 (n=${SAMPLES})`, `${p50.toFixed(2)} ms (< 5 ms)`, p50 < 5);
line(`one trace p99 (n=${SAMPLES})`, `${p99.toFixed(2)} ms (< 20 ms)`, p99 < 20);
line('one trace CPU time p50 / p99', `${cpuP50.toFixed(2)} / ${cpuP99.toFixed(2)} ms`);
['internet → LB', 'pod → ClusterIP', 'pod → pod'].forEach((kind, k) => {
  const sorted = (byKind[k] ?? []).sort((a, b) => a - b);
  const cpuSorted = (cpuByKind[k] ?? []).sort((a, b) => a - b);
  line(
    `  ${kind} p50 / p99 (CPU)`,
    `${percentile(sorted, 50).toFixed(2)} / ${percentile(sorted, 99).toFixed(2)} ms (${percentile(cpuSorted, 50).toFixed(2)} / ${percentile(cpuSorted, 99).toFixed(2)} ms)`,
  );
});
line('paths per test (mean)', (traces / SAMPLES).toFixed(1));
line('results', JSON.stringify(Object.fromEntries(results)));
line(
  `all pairs of ${pairPods.length} pods (TCP 8080)`,
  `${allPairsMs.toFixed(0)} ms wall, ${allPairsCpuMs.toFixed(0)} ms CPU (< 2 s)`,
  allPairsMs < 2000,
);
line(
  '  classes (sources / destinations), denied pairs',
  `${matrix.classes.sources} / ${matrix.classes.destinations}, ${denied} of ${pairPods.length ** 2}`,
);
line('  pair by pair (evaluateConnection, scaled)', `${pairwiseMs.toFixed(0)} ms`);
console.log(
  JSON.stringify({
    firewalls: FIREWALLS,
    policies: POLICIES,
    services: SERVICES,
    nodes: NODES,
    setupMs,
    firstMs,
    dumpsMs,
    p50,
    p99,
    cpuP50,
    cpuP99,
    loadBefore,
    loadAfter,
    allPairsPods: pairPods.length,
    allPairsMs,
    allPairsCpuMs,
    allPairsClasses: matrix.classes,
    pairwiseMs,
    samples: SAMPLES,
    results: Object.fromEntries(results),
  }),
);
