// Runs inside a fresh npm project outside the repository (apps/cli/test/package-install.slow-spec.ts), which
// installed only the two tarballs of `npm run pack` and the official clients: what a user of the packages gets.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startEmulator, type RunningEmulator } from '@gke-emulator/sdk';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const region = 'us-central1';
const location = 'us-central1-a';
const cluster = 'c1';
let emu: RunningEmulator;
let project = '';
const timings: Record<string, number> = {};

afterAll(async () => {
  await emu?.stop();
  writeFileSync('timings.json', JSON.stringify(timings));
});

describe('the installed packages', () => {
  beforeAll(async () => {
    // No options: the SDK finds the installed gke-emulator package's CLI. The first start initialises a database
    // (cold), the second reuses it (warm).
    let started = performance.now();
    const cold = await startEmulator();
    timings['coldStartMs'] = performance.now() - started;
    await cold.stop();
    started = performance.now();
    emu = await startEmulator();
    timings['warmStartMs'] = performance.now() - started;
    project = emu.project();

    const [network] = await emu.compute.networks().insert({
      project,
      networkResource: { name: 'vpc', autoCreateSubnetworks: false },
    });
    await emu.compute.wait(network);
    const [subnetwork] = await emu.compute.subnetworks().insert({
      project,
      region,
      subnetworkResource: {
        name: 'nodes',
        network: 'vpc',
        ipCidrRange: '10.0.0.0/20',
        secondaryIpRanges: [
          { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
          { rangeName: 'services', ipCidrRange: '10.8.0.0/20' },
        ],
      },
    });
    await emu.compute.wait(subnetwork);
    const clusters = emu.container.clusterManager();
    const parent = `projects/${project}/locations/${location}`;
    let [operation] = await clusters.createCluster({
      parent,
      cluster: {
        name: cluster,
        network: 'vpc',
        subnetwork: 'nodes',
        initialNodeCount: 2,
        ipAllocationPolicy: {
          useIpAliases: true,
          clusterSecondaryRangeName: 'pods',
          servicesSecondaryRangeName: 'services',
        },
      },
    });
    const deadline = Date.now() + 60_000;
    while (operation.status !== 'DONE' && Date.now() < deadline) {
      [operation] = await clusters.getOperation({ name: `${parent}/operations/${operation.name}` });
    }
    expect(operation.status).toBe('DONE');

    const kube = await emu.kube(cluster, { project, location });
    const labels = { app: 'web' };
    await kube.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web', labels },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080 }] }] },
          },
        },
      },
    });
    await kube.makeApiClient(CoreV1Api).createNamespacedService({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
      },
    });
    await emu.waitForConvergence({ project, timeoutMs: 60_000 });
  }, 240_000);

  it('programs the Service into every node, traces a packet to its pods, and reports reachability', async () => {
    const kube = await emu.kube(cluster, { project, location });
    const core = kube.makeApiClient(CoreV1Api);
    const service = await core.readNamespacedService({ name: 'web', namespace: 'default' });
    const clusterIP = service.spec?.clusterIP ?? '';
    expect(clusterIP).toMatch(/^10\.8\.\d+\.\d+$/);
    const pods = (await core.listNamespacedPod({ namespace: 'default' })).items;
    const podIPs = pods.map((pod) => pod.status?.podIP ?? '').sort();
    expect(podIPs).toHaveLength(2);
    for (const ip of podIPs) expect(ip).toMatch(/^10\.[4-7]\.\d+\.\d+$/);
    const nodes = (await core.listNode()).items.map((node) => node.metadata?.name ?? '');
    expect(nodes).toHaveLength(2);

    for (const node of nodes) {
      const iptables = await emu.dataplane.iptables({ project, location, cluster, node });
      expect(iptables.current).toBe(true);
      expect(iptables.text).toMatch(new RegExp(`-d ${clusterIP.replaceAll('.', '\\.')}(/32)? --dport 80 `));
      for (const ip of podIPs) expect(iptables.text).toContain(`--to-destination ${ip}:8080`);
      const trace = await emu.dataplane.trace({
        project,
        location,
        cluster,
        node,
        src: '10.0.0.100',
        dst: clusterIP,
        dport: 80,
      });
      expect(trace.verdict).toBe('DNAT');
      expect([...(trace.targets ?? [])].sort()).toEqual(podIPs.map((ip) => `${ip}:8080`));
      // Typed, client-shaped routes: CIDRs as text, each wire route with its full selfLink.
      const { routes } = await emu.dataplane.routes({ project, location, cluster, node });
      expect(routes.map((route) => route.destRange)).toContain('10.0.0.0/20');
      for (const route of routes) {
        expect(route.resource.selfLink).toBe(
          `${emu.url}/compute/v1/projects/${project}/global/routes/${route.name}`,
        );
      }
    }

    const reachability = await emu.dataplane.reachability({
      project,
      location,
      cluster,
      namespaces: ['default'],
      port: 8080,
    });
    expect(reachability.pods).toHaveLength(2);
    // No NetworkPolicy: every pod reaches every pod.
    for (const client of reachability.pods) {
      for (const server of reachability.pods) expect(reachability.allowed[client]?.[server]).toBe(true);
    }
  }, 60_000);
});
