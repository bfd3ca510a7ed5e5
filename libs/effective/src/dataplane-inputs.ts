import { subnetRoute } from '@gke-emulator/compute/worker';
import type { SqlClient } from '@gke-emulator/db';
import type { kubeProxy, netpol, vpc } from '@gke-emulator/dataplane';
import { DataplaneInputsRepository } from './dataplane-inputs.repository';

type Json = Record<string, unknown>;

/** Everything one cluster's data plane is computed from, read in one snapshot. */
export interface DataplaneInputs {
  clusterId: bigint;
  generation: bigint;
  project: string;
  network: string;
  podRange: string;
  nodes: { name: string; zone: string; internalIp: string; podCidr: string; instance: vpc.VpcInstance }[];
  firewalls: vpc.FirewallRule[];
  routes: vpc.Route[];
  /** `zone/name` of every instance on the network (GKE nodes are the emulator's instances) */
  instances?: string[];
  kubeProxy: kubeProxy.ClusterProxyInput;
  networkPolicy: netpol.ClusterState;
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

export function asService(body: Json): kubeProxy.KubeService {
  const metadata = body['metadata'] as Json;
  const spec = (body['spec'] ?? {}) as Json;
  const status = (body['status'] ?? {}) as Json;
  const ingress = ((status['loadBalancer'] as Json | undefined)?.['ingress'] as Json[] | undefined) ?? [];
  return {
    namespace: String(metadata['namespace']),
    name: String(metadata['name']),
    type: (str(spec['type']) ?? 'ClusterIP') as kubeProxy.ServiceType,
    clusterIP: str(spec['clusterIP']),
    clusterIPs: spec['clusterIPs'] as string[] | undefined,
    ports: ((spec['ports'] as Json[] | undefined) ?? []).map((port) => ({
      name: str(port['name']),
      protocol: (str(port['protocol']) ?? 'TCP') as kubeProxy.ServiceProtocol,
      port: Number(port['port']),
      ...(typeof port['nodePort'] === 'number' ? { nodePort: port['nodePort'] } : {}),
    })),
    externalIPs: spec['externalIPs'] as string[] | undefined,
    loadBalancerIngress: ingress.map((entry) => ({
      ip: str(entry['ip']),
      ...(entry['ipMode'] ? { ipMode: entry['ipMode'] as 'VIP' | 'Proxy' } : {}),
    })),
    loadBalancerSourceRanges: spec['loadBalancerSourceRanges'] as string[] | undefined,
    sessionAffinity: (str(spec['sessionAffinity']) ?? 'None') as kubeProxy.SessionAffinity,
    sessionAffinityTimeoutSeconds: (
      (spec['sessionAffinityConfig'] as Json | undefined)?.['clientIP'] as Json | undefined
    )?.['timeoutSeconds'] as number | undefined,
    externalTrafficPolicy: str(spec['externalTrafficPolicy']) as kubeProxy.TrafficPolicy | undefined,
    internalTrafficPolicy: str(spec['internalTrafficPolicy']) as kubeProxy.TrafficPolicy | undefined,
    healthCheckNodePort: spec['healthCheckNodePort'] as number | undefined,
  };
}

export function asSlice(body: Json): kubeProxy.KubeEndpointSlice {
  const metadata = body['metadata'] as Json;
  const labels = (metadata['labels'] ?? {}) as Record<string, string>;
  return {
    namespace: String(metadata['namespace']),
    name: String(metadata['name']),
    serviceName: labels['kubernetes.io/service-name'] ?? '',
    addressType: (str(body['addressType']) ?? 'IPv4') as 'IPv4',
    endpoints: ((body['endpoints'] as Json[] | undefined) ?? []).map((endpoint) => ({
      addresses: (endpoint['addresses'] as string[]) ?? [],
      conditions: (endpoint['conditions'] as kubeProxy.KubeEndpointConditions | undefined) ?? {},
      nodeName: str(endpoint['nodeName']),
    })),
    ports: ((body['ports'] as Json[] | undefined) ?? []).map((port) => ({
      name: str(port['name']),
      protocol: (str(port['protocol']) ?? 'TCP') as kubeProxy.ServiceProtocol,
      port: port['port'] as number | undefined,
    })),
  };
}

export function asPod(body: Json): netpol.PodInfo {
  const metadata = body['metadata'] as Json;
  const spec = (body['spec'] ?? {}) as Json;
  const status = (body['status'] ?? {}) as Json;
  return {
    namespace: String(metadata['namespace']),
    name: String(metadata['name']),
    labels: (metadata['labels'] ?? {}) as Record<string, string>,
    ip: str(status['podIP']),
    nodeName: str(spec['nodeName']),
    containers: ((spec['containers'] as Json[] | undefined) ?? []).map((container) => ({
      name: str(container['name']),
      ports: ((container['ports'] as Json[] | undefined) ?? []).map((port) => ({
        name: str(port['name']),
        containerPort: Number(port['containerPort']),
        protocol: str(port['protocol']),
      })),
    })),
  };
}

export function asNamespace(body: Json): netpol.NamespaceInfo {
  const metadata = body['metadata'] as Json;
  return { name: String(metadata['name']), labels: (metadata['labels'] ?? {}) as Record<string, string> };
}

export function asNetworkPolicy(body: Json): netpol.NetworkPolicy {
  const metadata = body['metadata'] as Json;
  return {
    metadata: { name: String(metadata['name']), namespace: String(metadata['namespace']) },
    spec: (body['spec'] ?? { podSelector: {} }) as netpol.NetworkPolicySpec,
  };
}

/** The Kubernetes resources the data plane reads. */
export const DATAPLANE_RESOURCES = [
  'services',
  'endpointslices',
  'pods',
  'networkpolicies',
  'namespaces',
] as const;
export type DataplaneResource = (typeof DATAPLANE_RESOURCES)[number];

/** A stored object reduced to what kube-proxy or NetworkPolicy reads (what `dataplane_object` keeps). */
export type DataplaneObjectBody =
  | kubeProxy.KubeService
  | kubeProxy.KubeEndpointSlice
  | netpol.PodInfo
  | netpol.NetworkPolicy
  | netpol.NamespaceInfo;

export function reduceKubeObject(resource: DataplaneResource, body: Json): DataplaneObjectBody {
  switch (resource) {
    case 'services':
      return asService(body);
    case 'endpointslices':
      return asSlice(body);
    case 'pods':
      return asPod(body);
    case 'networkpolicies':
      return asNetworkPolicy(body);
    case 'namespaces':
      return asNamespace(body);
  }
}

/** A cluster's VPC side: its nodes' VMs, the network's firewall rules and routes (subnet routes included). */
export type VpcInputs = Pick<
  DataplaneInputs,
  'clusterId' | 'project' | 'network' | 'podRange' | 'nodes' | 'firewalls' | 'routes'
> & {
  /** `zone/name` of every instance on the network (GKE nodes are the emulator's instances) */
  instances: string[];
};

export async function loadVpcInputs(
  sql: SqlClient,
  cluster: { id: bigint; projectId: string; networkId: string; network: string; podRange: string },
): Promise<VpcInputs> {
  const { nodes, firewalls, routes, ranges, instances } = await new DataplaneInputsRepository(sql).vpcRows(
    cluster.id,
    cluster.networkId,
  );
  return {
    clusterId: cluster.id,
    instances,
    project: cluster.projectId,
    network: cluster.network,
    podRange: cluster.podRange,
    nodes: nodes.map((node) => {
      const nic = ((node.resource['networkInterfaces'] as Json[] | undefined) ?? [])[0] ?? {};
      const aliases = ((nic['aliasIpRanges'] as Json[] | undefined) ?? []).map((alias) =>
        String(alias['ipCidrRange']),
      );
      return {
        name: node.name,
        zone: node.zone,
        internalIp: node.ip,
        podCidr: node.pod_cidr,
        instance: {
          name: node.name,
          network: `projects/${cluster.projectId}/global/networks/${cluster.network}`,
          tags: ((node.resource['tags'] as Json | undefined)?.['items'] as string[] | undefined) ?? [],
          serviceAccount: String(
            ((node.resource['serviceAccounts'] as Json[] | undefined) ?? [])[0]?.['email'] ?? '',
          ),
          ipAddresses: [node.ip, ...aliases],
        },
      };
    }),
    firewalls: firewalls.map((resource) => resource as unknown as vpc.FirewallRule),
    routes: [
      ...ranges.map(
        (range) =>
          subnetRoute({
            networkId: BigInt(cluster.networkId),
            networkName: cluster.network,
            project: cluster.projectId,
            subnetworkCreated: range.created,
            cidr: range.cidr,
          }) as unknown as vpc.Route,
      ),
      ...routes.map((resource) => resource as unknown as vpc.Route),
    ],
  };
}

/**
 * Reads a cluster's inputs from scratch (what an incremental computation must agree with). Run it inside a REPEATABLE READ transaction so that the generation and the inputs
 * are one snapshot: the results then reflect exactly that generation.
 */
export async function loadDataplaneInputs(
  sql: SqlClient,
  clusterId: bigint,
): Promise<DataplaneInputs | null> {
  const repository = new DataplaneInputsRepository(sql);
  const cluster = await repository.cluster(clusterId);
  if (!cluster) return null;
  const vpcInputs = await loadVpcInputs(sql, {
    id: clusterId,
    projectId: cluster.projectId,
    networkId: cluster.networkId,
    network: cluster.network,
    podRange: cluster.podRange,
  });
  const objects = await repository.kubeObjects(clusterId, DATAPLANE_RESOURCES);
  const of = (resource: string) => objects.filter((row) => row.resource === resource).map((row) => row.body);
  return {
    ...vpcInputs,
    generation: cluster.generation,
    kubeProxy: {
      services: of('services').map(asService),
      endpointSlices: of('endpointslices').map(asSlice),
      config: { clusterCidr: cluster.podRange },
    },
    networkPolicy: {
      namespaces: of('namespaces').map(asNamespace),
      pods: of('pods').map(asPod),
      policies: of('networkpolicies').map(asNetworkPolicy),
    },
  };
}
