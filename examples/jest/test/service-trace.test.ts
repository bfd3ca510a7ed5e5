import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GkeEmulatorClient } from '@gke-emulator/sdk';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';

const region = 'europe-west1';
const location = 'europe-west1-b';
const cluster = 'shop';

// GKE_EMULATOR_URL comes from global-setup.ts.
const client = new GkeEmulatorClient();
// A project of this file's own: projects exist on first use, and nothing else in the run sees this one.
const project = client.project();

afterAll(() => client.close());

describe('a packet to a ClusterIP Service', () => {
  let clusterIP = '';
  let podIPs: string[] = [];
  let nodes: string[] = [];

  beforeAll(async () => {
    // A custom-mode VPC and a subnetwork with secondary ranges for pods and Services (@google-cloud/compute).
    const [network] = await client.compute.networks().insert({
      project,
      networkResource: { name: 'shop-vpc', autoCreateSubnetworks: false },
    });
    await client.compute.wait(network);
    const [subnetwork] = await client.compute.subnetworks().insert({
      project,
      region,
      subnetworkResource: {
        name: 'shop-nodes',
        network: 'shop-vpc',
        ipCidrRange: '10.10.0.0/20',
        secondaryIpRanges: [
          { rangeName: 'shop-pods', ipCidrRange: '10.20.0.0/16' },
          { rangeName: 'shop-services', ipCidrRange: '10.30.0.0/20' },
        ],
      },
    });
    await client.compute.wait(subnetwork);

    // A two-node cluster on those ranges (@google-cloud/container).
    const clusters = client.container.clusterManager();
    const parent = `projects/${project}/locations/${location}`;
    let [operation] = await clusters.createCluster({
      parent,
      cluster: {
        name: cluster,
        network: 'shop-vpc',
        subnetwork: 'shop-nodes',
        initialNodeCount: 2,
        ipAllocationPolicy: {
          useIpAliases: true,
          clusterSecondaryRangeName: 'shop-pods',
          servicesSecondaryRangeName: 'shop-services',
        },
      },
    });
    while (operation.status !== 'DONE') {
      [operation] = await clusters.getOperation({ name: `${parent}/operations/${operation.name}` });
    }

    // A Deployment of three pods and its Service (@kubernetes/client-node, over TLS with the cluster's CA).
    const kube = await client.kube(cluster, { project, location });
    const core = kube.makeApiClient(CoreV1Api);
    const labels = { app: 'cart' };
    await kube.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'cart', labels },
        spec: {
          replicas: 3,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'cart', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] },
          },
        },
      },
    });
    const service = await core.createNamespacedService({
      namespace: 'default',
      body: {
        metadata: { name: 'cart' },
        spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      },
    });
    clusterIP = service.spec?.clusterIP ?? '';
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=cart' });
    podIPs = pods.items.map((pod) => pod.status?.podIP ?? '');
    nodes = (await core.listNode()).items.map((node) => node.metadata?.name ?? '');

    // The worker computes each node's data plane after the writes; wait until it reflects all of them.
    await client.waitForConvergence({ project, timeoutMs: 60_000 });
  });

  it('is DNATed to the port of one of its pods, on every node', async () => {
    expect(clusterIP).toMatch(/^10\.30\.\d+\.\d+$/);
    expect(podIPs).toHaveLength(3);
    expect(nodes).toHaveLength(2);
    for (const node of nodes) {
      const trace = await client.dataplane.trace({
        ...{ project, location, cluster, node },
        ...{ src: '10.10.0.100', dst: clusterIP, dport: 80, protocol: 'TCP' },
      });
      expect(trace.current).toBe(true);
      expect(trace.verdict).toBe('DNAT');
      expect([...(trace.targets ?? [])].sort()).toEqual(podIPs.map((ip) => `${ip}:8080`).sort());
      expect(trace.chains).toContain('nat:KUBE-SERVICES');
    }
  });

  it('is not DNATed on a port the Service does not have', async () => {
    const trace = await client.dataplane.trace({
      ...{ project, location, cluster, node: nodes[0] ?? '' },
      ...{ src: '10.10.0.100', dst: clusterIP, dport: 81, protocol: 'TCP' },
    });
    expect(trace.verdict).not.toBe('DNAT');
    expect(trace.targets ?? []).toEqual([]);
  });
});
