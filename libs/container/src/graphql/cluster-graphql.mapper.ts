import type { NodeRecord } from '../clusters/cluster-directory';
import type { ClusterModel, ContainerOperationModel, NodeModel, NodePoolModel } from './cluster.models';

type Json = Record<string, unknown>;

/** The name at the end of a link (`projects/p/global/networks/vpc` → `vpc`). */
const lastSegment = (link: unknown) =>
  String(link ?? '')
    .split('/')
    .pop() ?? '';

const optionalNumber = (value: unknown) =>
  value === undefined || value === null ? undefined : Number(value);

/** Where a pool or node is: its project, location and cluster name. */
export interface ClusterPlace {
  project: string;
  location: string;
  cluster: string;
}

export function toNodePoolModel(place: ClusterPlace, wire: Json): NodePoolModel {
  const config = (wire['config'] as Json | undefined) ?? {};
  const networkConfig = (wire['networkConfig'] as Json | undefined) ?? {};
  const maxPods = (wire['maxPodsConstraint'] as Json | undefined)?.['maxPodsPerNode'];
  return {
    name: String(wire['name']),
    status: String(wire['status'] ?? 'RUNNING'),
    version: String(wire['version'] ?? ''),
    machineType: config['machineType'] as string | undefined,
    locations: (wire['locations'] as string[] | undefined) ?? [],
    initialNodeCount: Number(wire['initialNodeCount'] ?? 0),
    maxPodsPerNode: optionalNumber(maxPods),
    podIpv4CidrSize: optionalNumber(wire['podIpv4CidrSize']),
    podIpv4CidrBlock: networkConfig['podIpv4CidrBlock'] as string | undefined,
    selfLink: String(wire['selfLink']),
    ...place,
  };
}

export function toClusterModel(project: string, wire: Json): ClusterModel {
  const name = String(wire['name']);
  const location = String(wire['location']);
  const ipPolicy = (wire['ipAllocationPolicy'] as Json | undefined) ?? {};
  return {
    id: String(wire['id']),
    name,
    description: wire['description'] as string | undefined,
    location,
    locations: (wire['locations'] as string[] | undefined) ?? [],
    status: String(wire['status']),
    endpoint: String(wire['endpoint']),
    network: lastSegment(wire['network']),
    subnetwork: lastSegment(wire['subnetwork']),
    clusterIpv4Cidr: String(wire['clusterIpv4Cidr']),
    servicesIpv4Cidr: String(wire['servicesIpv4Cidr']),
    vpcNative: ipPolicy['useIpAliases'] === true,
    currentNodeCount: Number(wire['currentNodeCount'] ?? 0),
    currentMasterVersion: String(wire['currentMasterVersion']),
    createTime: String(wire['createTime']),
    selfLink: String(wire['selfLink']),
    nodePools: ((wire['nodePools'] as Json[] | undefined) ?? []).map((pool) =>
      toNodePoolModel({ project, location, cluster: name }, pool),
    ),
    project,
  };
}

export function toNodeModel(place: ClusterPlace, node: NodeRecord): NodeModel {
  return {
    name: node.name,
    zone: node.zone,
    nodePool: node.nodePool,
    internalIp: node.internalIp,
    podCidr: node.podCidr,
    maxPods: node.maxPods,
    tags: node.tags,
    createTime: node.createdAt.toISOString(),
    ...place,
  };
}

export function toContainerOperationModel(wire: Json): ContainerOperationModel {
  return {
    name: String(wire['name']),
    zone: String(wire['zone']),
    operationType: String(wire['operationType']),
    status: String(wire['status']),
    detail: wire['detail'] as string | undefined,
    targetLink: String(wire['targetLink']),
    selfLink: String(wire['selfLink']),
    startTime: String(wire['startTime']),
    endTime: wire['endTime'] as string | undefined,
  };
}

/** GraphQL hands absent optional arguments over as undefined or null; the wire parsers want them absent. */
export function withoutAbsent<T extends object>(value: T): Json {
  return JSON.parse(
    JSON.stringify(value, (_key, field: unknown) => (field === null ? undefined : field)),
  ) as Json;
}
