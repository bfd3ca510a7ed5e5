import { ClusterNodesDocument, GkeEmulatorClient, ServicesDocument } from '@gke-emulator/sdk';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const region = 'us-central1';
const location = 'us-central1-a';
const cluster = 'web-cluster';

const client = new GkeEmulatorClient({ url: inject('gkeEmulatorUrl') });
// A project of this file's own: projects exist on first use, and nothing else in the run sees this one.
const project = client.project();

afterAll(() => client.close());

describe('a Deployment behind a ClusterIP Service on a VPC-native GKE cluster', () => {
  beforeAll(async () => {
    // A custom-mode VPC and a subnetwork with secondary ranges for pods and Services (@google-cloud/compute).
    const [network] = await client.compute.networks().insert({
      project,
      networkResource: { name: 'vpc', autoCreateSubnetworks: false },
    });
    await client.compute.wait(network);
    const [subnetwork] = await client.compute.subnetworks().insert({
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
    await client.compute.wait(subnetwork);

    // A two-node cluster on those ranges (@google-cloud/container).
    const clusters = client.container.clusterManager();
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
    while (operation.status !== 'DONE') {
      [operation] = await clusters.getOperation({ name: `${parent}/operations/${operation.name}` });
    }

    // A Deployment and its Service (@kubernetes/client-node, over TLS with the cluster's CA).
    const kube = await client.kube(cluster, { project, location });
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
            spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] },
          },
        },
      },
    });
    await kube.makeApiClient(CoreV1Api).createNamespacedService({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      },
    });

    // The worker computes each node's data plane after the writes; wait until it reflects all of them.
    await client.waitForConvergence({ project, timeoutMs: 60_000 });
  });

  it("programs the Service's ClusterIP and its pods into kube-proxy's iptables on every node", async () => {
    // Typed GraphQL reads: the Service with its endpoints, the cluster with its nodes.
    const { kubernetes } = await client.graphql(ServicesDocument, {
      project,
      location,
      cluster,
      namespace: 'default',
    });
    const web = kubernetes.services.find((service) => service.name === 'web');
    expect(web?.clusterIP).toMatch(/^10\.8\.\d+\.\d+$/);
    const podIPs = web?.endpoints.map((endpoint) => endpoint.address) ?? [];
    expect(podIPs).toHaveLength(2);
    const { cluster: read } = await client.graphql(ClusterNodesDocument, { project, location, cluster });
    expect(read.nodes).toHaveLength(2);

    for (const node of read.nodes) {
      const iptables = await client.dataplane.iptables({ project, location, cluster, node: node.name });
      expect(iptables.current).toBe(true);
      // kube-proxy's rule for the ClusterIP jumps to the Service's chain, which spreads over one DNAT per pod.
      const clusterIP = (web?.clusterIP ?? '').replaceAll('.', '\\.');
      const serviceRule = new RegExp(
        `^-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" .*-d ${clusterIP} --dport 80 -j (KUBE-SVC-\\w+)$`,
        'm',
      );
      const serviceChain = serviceRule.exec(iptables.text)?.[1];
      expect(serviceChain, iptables.text).toBeDefined();
      for (const podIP of podIPs) {
        expect(iptables.text).toContain(
          `-A ${serviceChain} -m comment --comment "default/web:http -> ${podIP}:8080"`,
        );
        expect(iptables.text).toContain(`-j DNAT --to-destination ${podIP}:8080`);
      }
    }
  });
});
