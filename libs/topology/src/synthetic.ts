import type { ClusterIn, KubernetesIn, NodeIn, PodIn, ServiceIn, TopologyInput } from './input.types';

/**
 * A project of the given size, shaped as the GraphQL answers are: for the render bench (1,000 nodes are far more
 * than the API can create quickly) and for tests of the model at scale.
 */
export function syntheticInput(size: {
  nodes: number;
  pods: number;
  services: number;
  project?: string;
}): TopologyInput {
  const project = size.project ?? 'synthetic';
  const nodes: NodeIn[] = [];
  const zones = ['us-central1-a', 'us-central1-b', 'us-central1-c'];
  for (let i = 0; i < size.nodes; i++) {
    nodes.push({
      name: `gke-big-default-pool-${(i % 3).toString()}-${i.toString(36).padStart(4, '0')}`,
      nodePool: i % 10 === 0 ? 'highmem' : 'default-pool',
      zone: zones[i % 3] as string,
      internalIp: `10.0.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`,
      podCidr: `10.${4 + Math.floor(i / 256)}.${i % 256}.0/24`,
      maxPods: 110,
      tags: ['gke-big-node'],
    });
  }
  const pods: PodIn[] = [];
  for (let i = 0; i < size.pods; i++) {
    const node = nodes[i % Math.max(1, nodes.length)];
    const app = `app-${i % Math.max(1, size.services)}`;
    pods.push({
      name: `${app}-7d9f8c-${i.toString(36).padStart(5, '0')}`,
      namespace: 'default',
      nodeName: node?.name ?? null,
      podIP: node ? node.podCidr.replace(/0\/24$/, String(2 + Math.floor(i / nodes.length))) : null,
      phase: 'Running',
      ready: i % 17 !== 0,
      labels: [{ key: 'app', value: app }],
    });
  }
  const services: ServiceIn[] = [];
  for (let i = 0; i < size.services; i++) {
    services.push({
      name: `app-${i}`,
      namespace: 'default',
      type: i % 20 === 0 ? 'NodePort' : 'ClusterIP',
      clusterIP: `10.8.${Math.floor(i / 256)}.${i % 256}`,
      selector: [{ key: 'app', value: `app-${i}` }],
      ports: [
        { port: 80, targetPort: '8080', protocol: 'TCP', ...(i % 20 === 0 ? { nodePort: 30000 + i } : {}) },
      ],
      loadBalancerIngress: [],
    });
  }
  const kubernetes: KubernetesIn = { nodes, pods, services, ingresses: [], networkPolicies: [] };
  const cluster: ClusterIn & { kubernetes: KubernetesIn } = {
    name: 'big',
    location: 'us-central1',
    network: 'vpc',
    subnetwork: 'nodes',
    clusterIpv4Cidr: '10.4.0.0/14',
    servicesIpv4Cidr: '10.8.0.0/20',
    vpcNative: true,
    status: 'RUNNING',
    nodePools: [
      { name: 'default-pool', maxPodsPerNode: 110 },
      { name: 'highmem', maxPodsPerNode: 110 },
    ],
    kubernetes,
  };
  return {
    project,
    networks: [
      {
        name: 'vpc',
        autoCreateSubnetworks: false,
        mtu: 1460,
        subnetworks: [
          {
            name: 'nodes',
            region: 'us-central1',
            network: 'vpc',
            ipCidrRange: '10.0.0.0/20',
            secondaryIpRanges: [
              { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
              { rangeName: 'services', ipCidrRange: '10.8.0.0/20' },
            ],
          },
        ],
      },
    ],
    firewalls: [
      {
        name: 'allow-internal',
        network: 'vpc',
        direction: 'INGRESS',
        priority: 1000,
        disabled: false,
        allowed: [{ IPProtocol: 'all', ports: [] }],
        denied: [],
        sourceRanges: ['10.0.0.0/8'],
        sourceTags: [],
        destinationRanges: [],
        targetTags: [],
        targetServiceAccounts: [],
      },
    ],
    clusters: [cluster],
    loadBalancing: [],
  };
}
