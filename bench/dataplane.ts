// Figures of the data-plane issue (docs/benchmarks.md, "Effective data plane"), on the pure computation the worker
// and the reads run (libs/effective + libs/dataplane), with synthetic inputs of the sizes:
//   - the worker's full computation for N nodes, S services, 5 endpoints each: every node's routes and firewall,
//     kube-proxy's cluster rules compiled once; time and peak RSS, at 100 → 1,000 nodes and 1,000 → 10,000 services;
//   - rendering one node's iptables text at 10,000 services (what GET …/nodes/{n}/iptables does): the first node of
//     a rules object (its render plan included), a second node, and after one endpoint changes (incremental rules
//     recompile one Service, then one node is rendered from the new rules object).
// Built by scripts/build.mjs into dist/bench/dataplane.js; run: node --expose-gc dist/bench/dataplane.js [--quick]
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { kubeProxy, type vpc } from '@gke-emulator/dataplane';
import { computeNodeResults, type DataplaneInputs } from '@gke-emulator/effective';

const quick = process.argv.includes('--quick');

function ip(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** A VPC-native cluster's inputs: nodes with /24 pod ranges, GKE's firewall rules plus some, services of 5 pods each. */
function syntheticInputs(nodes: number, services: number): DataplaneInputs {
  const network = 'projects/bench/global/networks/vpc';
  const tag = 'gke-big-0123abcd-node';
  const nodeList = Array.from({ length: nodes }, (_, i) => ({
    name: `gke-big-default-pool-0123abcd-${String(i).padStart(4, '0')}`,
    zone: 'us-central1-a',
    internalIp: ip(0x0a000000 + 2 + i),
    podCidr: `${ip(0x0a400000 + i * 256)}/24`,
    instance: {
      name: `node-${i}`,
      network,
      tags: [tag],
      serviceAccount: 'default',
      ipAddresses: [ip(0x0a000000 + 2 + i), `${ip(0x0a400000 + i * 256)}/24`],
    } satisfies vpc.VpcInstance,
  }));
  const firewalls = [
    {
      name: 'gke-all',
      network,
      direction: 'INGRESS',
      priority: 1000,
      sourceRanges: ['10.64.0.0/14'],
      targetTags: [tag],
      allowed: [{ IPProtocol: 'tcp' }, { IPProtocol: 'udp' }, { IPProtocol: 'icmp' }],
    },
    {
      name: 'gke-vms',
      network,
      direction: 'INGRESS',
      priority: 1000,
      sourceRanges: ['10.0.0.0/16'],
      targetTags: [tag],
      allowed: [{ IPProtocol: 'tcp', ports: ['1-65535'] }],
    },
    {
      name: 'gke-exkubelet',
      network,
      direction: 'INGRESS',
      priority: 1000,
      sourceRanges: ['0.0.0.0/0'],
      targetTags: [tag],
      denied: [{ IPProtocol: 'tcp', ports: ['10255'] }],
    },
    ...Array.from({ length: 50 }, (_, i) => ({
      name: `rule-${i}`,
      network,
      direction: i % 2 ? 'INGRESS' : 'EGRESS',
      priority: 900 + i,
      ...(i % 2 ? { sourceRanges: [`192.168.${i}.0/24`] } : { destinationRanges: [`192.168.${i}.0/24`] }),
      ...(i % 3 === 0 ? { targetTags: [tag] } : {}),
      allowed: [{ IPProtocol: 'tcp', ports: [String(8000 + i)] }],
    })),
  ] as unknown as vpc.FirewallRule[];
  const routes = [
    {
      name: 'subnet',
      network,
      destRange: '10.0.0.0/16',
      priority: 0,
      nextHopNetwork: network,
      routeType: 'SUBNET',
    },
    {
      name: 'pods',
      network,
      destRange: '10.64.0.0/14',
      priority: 0,
      nextHopNetwork: network,
      routeType: 'SUBNET',
    },
    {
      name: 'default',
      network,
      destRange: '0.0.0.0/0',
      priority: 1000,
      nextHopGateway: 'projects/bench/global/gateways/default-internet-gateway',
    },
  ] as unknown as vpc.Route[];
  const serviceList: kubeProxy.KubeService[] = [];
  const slices: kubeProxy.KubeEndpointSlice[] = [];
  for (let s = 0; s < services; s++) {
    const namespace = `ns-${s % 100}`;
    serviceList.push({
      namespace,
      name: `svc-${s}`,
      type: s % 10 === 0 ? 'NodePort' : 'ClusterIP',
      clusterIP: ip(0x0a600000 + 1 + s),
      ports: [
        {
          name: 'http',
          protocol: 'TCP',
          port: 80,
          ...(s % 10 === 0 ? { nodePort: 30000 + (s % 2700) } : {}),
        },
      ],
    });
    slices.push({
      namespace,
      name: `svc-${s}-abcde`,
      serviceName: `svc-${s}`,
      endpoints: Array.from({ length: 5 }, (_, e) => {
        const pod = s * 5 + e;
        const node = pod % nodes;
        return {
          addresses: [ip(0x0a400000 + node * 256 + 2 + (((pod / nodes) | 0) % 250))],
          conditions: { ready: true },
          nodeName: nodeList[node]?.name,
        };
      }),
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    });
  }
  return {
    clusterId: 1n,
    generation: 1n,
    project: 'bench',
    network: 'vpc',
    podRange: '10.64.0.0/14',
    nodes: nodeList,
    firewalls,
    routes,
    kubeProxy: { services: serviceList, endpointSlices: slices, config: { clusterCidr: '10.64.0.0/14' } },
    networkPolicy: { namespaces: [], pods: [], policies: [] },
  };
}

/** Wall and CPU time of f, in ms (on a shared machine the CPU time is the steadier figure). */
function timed<T>(f: () => T): [T, Time] {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = f();
  const used = process.cpuUsage(cpu);
  return [
    result,
    { ms: Math.round(performance.now() - started), cpuMs: Math.round((used.user + used.system) / 1000) },
  ];
}

interface Time {
  readonly ms: number;
  readonly cpuMs: number;
}

const show = (time: Time) => `${time.ms} ms (CPU ${time.cpuMs})`;

/**
 * One node's iptables text (what GET …/nodes/{n}/iptables returns): the first node of a rules object, its render
 * plan included; a second node; reading the whole text once (renderNodeIptables returns a rope over the plan's
 * chunks, which the first full read copies into one string, as sending it does); and the old path,
 * compileNodeRules + renderIptablesRestore, which must give the same text.
 */
function renderFigures(rules: kubeProxy.ClusterKubeProxyRules, [first, second]: kubeProxy.NodeContext[]) {
  if (first === undefined || second === undefined) throw new Error('two nodes needed');
  global.gc?.();
  const [text, firstNode] = timed(() => kubeProxy.renderNodeIptables(rules, first));
  const [, secondNode] = timed(() => kubeProxy.renderNodeIptables(rules, second));
  const [, read] = timed(() => text.charCodeAt(text.length - 1));
  global.gc?.();
  const [slowText, slowPath] = timed(() =>
    kubeProxy.renderIptablesRestore(kubeProxy.compileNodeRules(rules, first)),
  );
  if (slowText !== text)
    throw new Error('renderNodeIptables differs from compileNodeRules + renderIptablesRestore');
  return { firstNode, secondNode, read, slowPath, textBytes: text.length };
}

/**
 * One endpoint of one service changes (a pod replaced): the incremental rules recompile that Service, and one
 * node's text is rendered from the new rules object (its plan included).
 */
function incrementalUpdate(input: kubeProxy.ClusterProxyInput, node: kubeProxy.NodeContext): Time {
  const incremental = kubeProxy.IncrementalClusterRules.from(input);
  kubeProxy.renderNodeIptables(incremental.rules(), node);
  const slice = input.endpointSlices[
    Math.floor(input.endpointSlices.length / 2)
  ] as kubeProxy.KubeEndpointSlice;
  const [replaced, ...kept] = slice.endpoints;
  const moved = { ...replaced, addresses: ['10.127.255.254'] } as kubeProxy.KubeEndpoint;
  global.gc?.();
  const [, time] = timed(() => {
    incremental.upsertEndpointSlice({ ...slice, endpoints: [moved, ...kept] });
    return kubeProxy.renderNodeIptables(incremental.rules(), node);
  });
  return time;
}

function measure(nodes: number, services: number) {
  const inputs = syntheticInputs(nodes, services);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const vpcResults = computeNodeResults(inputs, new Map());
  const vpcMs = performance.now() - started;
  const kubeStarted = performance.now();
  const rules = kubeProxy.compileClusterRules(inputs.kubeProxy);
  const kubeMs = performance.now() - kubeStarted;
  const serialized = JSON.stringify(inputs.kubeProxy).length + JSON.stringify(vpcResults.changed).length;
  const totalMs = performance.now() - started;
  const rss = process.memoryUsage().rss;
  const nodeContexts = inputs.nodes.slice(0, 2).map((node): kubeProxy.NodeContext => ({
    nodeName: node.name,
    nodeIP: node.internalIp,
    podCidr: node.podCidr,
  }));
  const render = renderFigures(rules, nodeContexts);
  const update = incrementalUpdate(inputs.kubeProxy, nodeContexts[0] as kubeProxy.NodeContext);
  // The same cluster with externalTrafficPolicy Local on its NodePort services (one in ten): their rules are
  // built for each node.
  const local = {
    ...inputs.kubeProxy,
    services: inputs.kubeProxy.services.map((service) =>
      service.type === 'NodePort' ? { ...service, externalTrafficPolicy: 'Local' as const } : service,
    ),
  };
  const renderLocal = renderFigures(kubeProxy.compileClusterRules(local), nodeContexts);
  return {
    nodes,
    services,
    endpoints: services * 5,
    vpcMs: Math.round(vpcMs),
    kubeProxyCompileMs: Math.round(kubeMs),
    totalSeconds: Number((totalMs / 1000).toFixed(2)),
    storedBytes: serialized,
    rssMb: Math.round(Math.max(rss, rssBefore) / 1e6),
    render,
    incrementalUpdate: update,
    renderLocal,
  };
}

const sizes: [number, number][] = quick
  ? [
      [10, 100],
      [100, 1000],
    ]
  : [
      [100, 1000],
      [1000, 1000],
      [100, 10000],
      [1000, 10000],
    ];
const results = sizes.map(([nodes, services]) => measure(nodes, services));
for (const r of results) {
  const figures = (f: ReturnType<typeof renderFigures>) =>
    `plan + first node ${show(f.firstNode)}, second node ${show(f.secondNode)}, first full read ${show(f.read)} ` +
    `(compileNodeRules + renderIptablesRestore ${show(f.slowPath)}; ${(f.textBytes / 1e6).toFixed(1)} MB)`;
  console.log(
    `${String(r.nodes).padStart(5)} nodes ${String(r.services).padStart(6)} services ${String(r.endpoints).padStart(6)} endpoints: ` +
      `full computation ${r.totalSeconds} s (VPC ${r.vpcMs} ms, kube-proxy ${r.kubeProxyCompileMs} ms), RSS ${r.rssMb} MB\n` +
      `      one node's iptables text: ${figures(r.render)}; after one endpoint changes ${show(r.incrementalUpdate)}\n` +
      `      with Local traffic policy on the NodePort services: ${figures(r.renderLocal)}`,
  );
}
const largest = results[results.length - 1];
if (largest && !quick) {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log(
    `full computation at 1,000 nodes / 10,000 services: ${largest.totalSeconds} s (< 60) ${verdict(largest.totalSeconds < 60)}; RSS ${largest.rssMb} MB (< 2048) ${verdict(largest.rssMb < 2048)}`,
  );
  const firstNode = largest.render.firstNode.ms + largest.render.read.ms;
  console.log(
    `one node's iptables text at 10,000 services: ${firstNode} ms with its plan and a full read (< 500) ${verdict(firstNode < 500)}; ` +
      `second node ${show(largest.render.secondNode)}; after one endpoint changes ${show(largest.incrementalUpdate)}`,
  );
}
console.log(JSON.stringify(results));
