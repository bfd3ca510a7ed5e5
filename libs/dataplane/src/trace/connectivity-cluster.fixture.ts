// A small GKE cluster as trace inputs (two nodes, LoadBalancer Services, pods, GKE's firewall rules), for the
// composer's tests and the benchmark. Options vary the parts a test is about.
import {
  type KubeEndpointSlice,
  type KubeService,
  compileClusterRules,
  compileNodeRules,
  nodeLocalAddresses,
} from '../kube-proxy';
import { type NetworkPolicy, type PodInfo, compileCluster } from '../netpol';
import { type FirewallRule, type Route, buildInstanceFirewall, buildRoutingTable } from '../vpc';
import type { TraceForwardingRule, TraceInputs, TraceInstance } from './trace-inputs.types';

export const PROJECT = 'p';
export const NETWORK = 'projects/p/global/networks/vpc';
export const CLUSTER = 'projects/p/locations/us-central1-a/clusters/c';
export const HC_RANGES = ['130.211.0.0/22', '35.191.0.0/16'];

export interface FixtureOptions {
  firewalls?: FirewallRule[];
  services?: KubeService[];
  slices?: KubeEndpointSlice[];
  pods?: PodInfo[];
  policies?: NetworkPolicy[];
  networkPolicyEnforced?: boolean;
  /** Node names with an external address. */
  externalNodes?: string[];
}

export const NODES = [
  { name: 'n1', ip: '10.128.0.2', podCidr: '10.4.0.0/24', externalIp: '34.0.0.2' },
  { name: 'n2', ip: '10.128.0.3', podCidr: '10.4.1.0/24', externalIp: '34.0.0.3' },
];

export const PODS: PodInfo[] = [
  { namespace: 'default', name: 'web-1', ip: '10.4.0.5', nodeName: 'n1', labels: { app: 'web' } },
  { namespace: 'default', name: 'web-2', ip: '10.4.1.5', nodeName: 'n2', labels: { app: 'web' } },
  { namespace: 'default', name: 'local-1', ip: '10.4.0.6', nodeName: 'n1', labels: { app: 'local' } },
  { namespace: 'default', name: 'client', ip: '10.4.0.7', nodeName: 'n1', labels: { app: 'client' } },
];

export function lbService(
  name: string,
  ip: string,
  clusterIP: string,
  extra: Partial<KubeService> = {},
): KubeService {
  return {
    namespace: 'default',
    name,
    type: 'LoadBalancer',
    clusterIP,
    ports: [
      { port: 80, targetPort: 8080, nodePort: 30000 + Number(clusterIP.split('.')[3]), protocol: 'TCP' },
    ],
    loadBalancerIngress: [{ ip }],
    ...extra,
  };
}

export function slice(service: string, pods: PodInfo[]): KubeEndpointSlice {
  return {
    namespace: 'default',
    name: `${service}-abc`,
    serviceName: service,
    endpoints: pods.map((pod) => ({ addresses: [pod.ip ?? ''], nodeName: pod.nodeName })),
    ports: [{ port: 8080, protocol: 'TCP' }],
  };
}

const [WEB1, WEB2, LOCAL1] = PODS as [PodInfo, PodInfo, PodInfo, PodInfo];

export const SERVICES: KubeService[] = [
  lbService('web', '34.1.1.1', '10.8.0.10'),
  lbService('local', '34.1.1.2', '10.8.0.11', { externalTrafficPolicy: 'Local', healthCheckNodePort: 31111 }),
  lbService('ranged', '34.1.1.3', '10.8.0.12', { loadBalancerSourceRanges: ['198.51.100.0/24'] }),
  lbService('empty-local', '34.1.1.4', '10.8.0.13', {
    externalTrafficPolicy: 'Local',
    healthCheckNodePort: 31113,
  }),
];

export const SLICES: KubeEndpointSlice[] = [
  slice('web', [WEB1, WEB2]),
  slice('local', [LOCAL1]),
  slice('ranged', [WEB1]),
  slice('empty-local', []),
];

export function k8sFirewall(ip: string, sourceRanges = ['0.0.0.0/0']): FirewallRule {
  return {
    name: `k8s-fw-${ip}`,
    network: NETWORK,
    direction: 'INGRESS',
    allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
    sourceRanges,
    destinationRanges: [`${ip}/32`],
    targetTags: ['gke-c-node'],
  };
}

export const GKE_FIREWALLS: FirewallRule[] = [
  {
    name: 'gke-c-all',
    network: NETWORK,
    allowed: [{ IPProtocol: 'tcp' }, { IPProtocol: 'udp' }, { IPProtocol: 'icmp' }],
    sourceRanges: ['10.4.0.0/14'],
    targetTags: ['gke-c-node'],
  },
  {
    name: 'gke-c-vms',
    network: NETWORK,
    allowed: [{ IPProtocol: 'tcp', ports: ['1-65535'] }],
    sourceRanges: ['10.128.0.0/20'],
    targetTags: ['gke-c-node'],
  },
  {
    name: 'k8s-c-node-hc',
    network: NETWORK,
    allowed: [{ IPProtocol: 'tcp', ports: ['10256', '31111', '31113'] }],
    sourceRanges: HC_RANGES,
    targetTags: ['gke-c-node'],
  },
  k8sFirewall('34.1.1.1'),
  k8sFirewall('34.1.1.2'),
  k8sFirewall('34.1.1.3', ['198.51.100.0/24']),
  k8sFirewall('34.1.1.4'),
];

const ROUTES: Route[] = [
  {
    name: 'subnet-nodes',
    network: NETWORK,
    destRange: '10.128.0.0/20',
    nextHopNetwork: NETWORK,
    routeType: 'SUBNET',
  },
  {
    name: 'subnet-pods',
    network: NETWORK,
    destRange: '10.4.0.0/14',
    nextHopNetwork: NETWORK,
    routeType: 'SUBNET',
  },
  {
    name: 'subnet-services',
    network: NETWORK,
    destRange: '10.8.0.0/20',
    nextHopNetwork: NETWORK,
    routeType: 'SUBNET',
  },
  {
    name: 'default-route-igw',
    network: NETWORK,
    destRange: '0.0.0.0/0',
    priority: 1000,
    nextHopGateway: 'projects/p/global/gateways/default-internet-gateway',
    routeType: 'STATIC',
  },
];

function forwardingRule(service: KubeService, healthCheckPort: number): TraceForwardingRule {
  const ip = service.loadBalancerIngress?.[0]?.ip ?? '';
  return {
    name: `a-${service.name}`,
    uri: `projects/p/regions/us-central1/forwardingRules/a-${service.name}`,
    region: 'us-central1',
    ip,
    protocol: 'TCP',
    portRange: '80-80',
    scheme: 'EXTERNAL',
    target: `projects/p/regions/us-central1/targetPools/a-${service.name}`,
    loadBalancer: {
      loadBalancerType: 'NETWORK_TCP_UDP',
      backendType: 'TARGET_POOL',
      backendUri: `projects/p/regions/us-central1/targetPools/a-${service.name}`,
      healthCheckUri: `projects/p/global/httpHealthChecks/a-${service.name}`,
      healthCheckPort,
      healthCheckSourceRanges: HC_RANGES,
      backends: NODES.map((node) => `projects/p/zones/us-central1-a/instances/${node.name}`),
    },
  };
}

export function clusterInputs(options: FixtureOptions = {}): TraceInputs {
  const firewalls = options.firewalls ?? GKE_FIREWALLS;
  const services = options.services ?? SERVICES;
  const endpointSlices = options.slices ?? SLICES;
  const pods = options.pods ?? PODS;
  const proxyRules = compileClusterRules({
    services,
    endpointSlices,
    config: { clusterCidr: '10.4.0.0/14' },
  });
  const dumps = new Map<string, ReturnType<typeof compileNodeRules>>();
  const instances: TraceInstance[] = NODES.map((node) => {
    const vm = { name: node.name, network: NETWORK, tags: ['gke-c-node'], ipAddresses: [node.ip] };
    const external = (options.externalNodes ?? []).includes(node.name);
    return {
      name: node.name,
      uri: `projects/p/zones/us-central1-a/instances/${node.name}`,
      networkUri: NETWORK,
      internalIp: node.ip,
      ...(external ? { externalIp: node.externalIp } : {}),
      tags: ['gke-c-node'],
      running: true,
      firewall: buildInstanceFirewall({ firewalls }, vm),
      routing: buildRoutingTable(ROUTES, vm),
      cluster: CLUSTER,
    };
  });
  return {
    project: PROJECT,
    networks: [{ name: 'vpc', uri: NETWORK, ranges: ['10.128.0.0/20', '10.4.0.0/14', '10.8.0.0/20'] }],
    instances,
    forwardingRules: services
      .filter((service) => service.type === 'LoadBalancer')
      .map((service) =>
        forwardingRule(
          service,
          service.externalTrafficPolicy === 'Local' ? (service.healthCheckNodePort ?? 0) : 10256,
        ),
      ),
    clusters: [
      {
        name: 'c',
        uri: CLUSTER,
        networkUri: NETWORK,
        networkPolicy: options.networkPolicyEnforced
          ? { enforced: true, mode: 'networkPolicy.enabled' }
          : { enforced: false, mode: 'not enabled' },
        policies: compileCluster({
          namespaces: [{ name: 'default' }],
          pods,
          policies: options.policies ?? [],
        }),
        services,
        endpointSlices,
        servicesRange: '10.8.0.0/20',
        nodeIptables(name) {
          const node = NODES.find((candidate) => candidate.name === name);
          if (!node) throw new RangeError(`unknown node ${name}`);
          const context = { nodeName: name, nodeIP: node.ip, podCidr: node.podCidr };
          let dump = dumps.get(name);
          if (!dump) {
            dump = compileNodeRules(proxyRules, context);
            dumps.set(name, dump);
          }
          return { dump, localAddresses: nodeLocalAddresses(context) };
        },
      },
    ],
  };
}
