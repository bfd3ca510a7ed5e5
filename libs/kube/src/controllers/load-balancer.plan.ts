import type { KubeObject } from '../api/kube-object';
import { field, isPlainObject, listField } from '../api/kube-object';

type Wire = Record<string, unknown>;

/** Where GKE's L4 health checks come from (GCE cloud provider, gce_loadbalancer.go). */
export const L4_HEALTH_CHECK_RANGES = [
  '130.211.0.0/22',
  '35.191.0.0/16',
  '209.85.152.0/22',
  '209.85.204.0/22',
];
/** kube-proxy's health endpoint, which the shared node health check probes for `externalTrafficPolicy: Cluster`. */
export const KUBE_PROXY_HEALTH_PORT = 10256;
/** At most this many ports on an internal forwarding rule; above, `allPorts`. */
export const MAX_L4_ILB_PORTS = 5;

export interface ClusterForLoadBalancer {
  project: string;
  region: string;
  /** GKE's cluster id in resource names (`k8s-<clusterId>-node`) */
  clusterId: string;
  network: string;
  subnetwork: string;
  nodeTag: string;
  /** node instances, `{name, zone}` */
  nodes: { name: string; zone: string }[];
}

/** `"a" + uid without dashes`, cut to 32 characters: the cloud provider's DefaultLoadBalancerName. */
export function loadBalancerName(uid: string): string {
  return `a${uid.replace(/-/g, '')}`.slice(0, 32);
}

export function isInternal(service: KubeObject): boolean {
  const annotations = service.metadata.annotations ?? {};
  return (
    annotations['networking.gke.io/load-balancer-type'] === 'Internal' ||
    ['Internal', 'internal'].includes(annotations['cloud.google.com/load-balancer-type'] ?? '')
  );
}

export function sourceRanges(service: KubeObject): string[] {
  const given = listField(service, 'spec', 'loadBalancerSourceRanges').map(String);
  if (given.length > 0) return given;
  const annotation = service.metadata.annotations?.['service.beta.kubernetes.io/load-balancer-source-ranges'];
  if (annotation)
    return annotation
      .split(',')
      .map((range) => range.trim())
      .filter(Boolean);
  return ['0.0.0.0/0'];
}

/** GKE's annotation naming the reserved addresses a LoadBalancer Service uses (IPv4 and IPv6, by name). */
export const LOAD_BALANCER_IP_ADDRESSES = 'networking.gke.io/load-balancer-ip-addresses';

/** The address names the annotation gives (a name, or a link ending in one), in order. */
export function requestedAddressNames(service: KubeObject): string[] {
  const value = service.metadata.annotations?.[LOAD_BALANCER_IP_ADDRESSES] ?? '';
  return value
    .split(',')
    .map((entry) => entry.trim().split('/').pop() ?? '')
    .filter(Boolean);
}

/**
 * The unmanaged instance group GKE's controllers keep in each zone of the cluster's nodes (ingress-gce and the
 * internal passthrough controller share it): `k8s-ig--<cluster id>`.
 */
export function instanceGroupName(clusterId: string): string {
  return `k8s-ig--${clusterId}`;
}

/** The zones of the cluster's nodes, sorted: where its instance groups are. */
export function nodeZones(nodes: readonly { zone: string }[]): string[] {
  return [...new Set(nodes.map((node) => node.zone))].sort();
}

export interface LoadBalancerPlan {
  name: string;
  internal: boolean;
  address: Wire;
  /** `httpHealthChecks` (external, target pool) or `healthChecks` (internal, backend service) */
  healthCheck: { collection: 'httpHealthChecks' | 'healthChecks'; shared: boolean; body: Wire };
  /** `targetPools` (external) or regional `backendServices` (internal) */
  backend: { collection: 'targetPools' | 'backendServices'; body: Wire };
  /** the zones whose `k8s-ig--…` group the backend service names (internal only; none for a target pool) */
  instanceGroupZones: string[];
  /** built once the address is known */
  forwardingRule(ip: string): Wire;
  firewalls(ip: string): Wire[];
}

/**
 * What GKE's service controller creates for a `type: LoadBalancer` Service (cloud-provider-gcp, providers/gce):
 * an address, a health check (the shared node check on kube-proxy's port for `externalTrafficPolicy: Cluster`, a
 * per-service one on `healthCheckNodePort` for `Local`), a target pool (external) or backend service (internal),
 * a forwarding rule, and the `k8s-fw-…` firewall rules.
 */
export function planLoadBalancer(service: KubeObject, cluster: ClusterForLoadBalancer): LoadBalancerPlan {
  const uid = String(service.metadata.uid);
  const name = loadBalancerName(uid);
  const internal = isInternal(service);
  const description = JSON.stringify({
    'kubernetes.io/service-name': `${String(service.metadata.namespace)}/${String(service.metadata.name)}`,
  });
  const ports = listField(service, 'spec', 'ports').filter(isPlainObject);
  const protocol = String(ports[0]?.['protocol'] ?? 'TCP');
  const portNumbers = ports.map((port) => Number(port['port'])).sort((a, b) => a - b);
  const local = field(service, 'spec', 'externalTrafficPolicy') === 'Local';
  const hcPort = local ? Number(field(service, 'spec', 'healthCheckNodePort')) : KUBE_PROXY_HEALTH_PORT;
  const hcName = local ? name : `k8s-${cluster.clusterId}-node`;
  const region = cluster.region;
  const link = (path: string) => `projects/${cluster.project}/${path}`;
  const affinity = field(service, 'spec', 'sessionAffinity') === 'ClientIP' ? 'CLIENT_IP' : 'NONE';

  const healthCheck = internal
    ? {
        collection: 'healthChecks' as const,
        shared: !local,
        body: {
          name: hcName,
          description,
          type: 'HTTP',
          httpHealthCheck: { port: hcPort, requestPath: '/healthz' },
          checkIntervalSec: 8,
          timeoutSec: 1,
          healthyThreshold: 1,
          unhealthyThreshold: 3,
        },
      }
    : {
        collection: 'httpHealthChecks' as const,
        shared: !local,
        body: {
          name: hcName,
          description,
          port: hcPort,
          requestPath: '/healthz',
          checkIntervalSec: 8,
          timeoutSec: 1,
          healthyThreshold: 1,
          unhealthyThreshold: 3,
        },
      };
  const hcLink = internal ? link(`global/healthChecks/${hcName}`) : link(`global/httpHealthChecks/${hcName}`);
  const zones = nodeZones(cluster.nodes);
  const backend = internal
    ? {
        collection: 'backendServices' as const,
        body: {
          name,
          description,
          loadBalancingScheme: 'INTERNAL',
          protocol,
          sessionAffinity: affinity,
          healthChecks: [hcLink],
          // The cluster's unmanaged groups, one per zone of its nodes (shared with Ingress), CONNECTION balanced.
          backends: zones.map((zone) => ({
            group: link(`zones/${zone}/instanceGroups/${instanceGroupName(cluster.clusterId)}`),
            balancingMode: 'CONNECTION',
          })),
        },
      }
    : {
        collection: 'targetPools' as const,
        body: {
          name,
          description,
          sessionAffinity: affinity,
          healthChecks: [hcLink],
          instances: cluster.nodes.map((node) => link(`zones/${node.zone}/instances/${node.name}`)),
        },
      };
  const requestedIp = field(service, 'spec', 'loadBalancerIP');
  const address: Wire = internal
    ? {
        name,
        description,
        addressType: 'INTERNAL',
        subnetwork: link(`regions/${region}/subnetworks/${cluster.subnetwork}`),
        ...(typeof requestedIp === 'string' && requestedIp ? { address: requestedIp } : {}),
      }
    : {
        name,
        description,
        addressType: 'EXTERNAL',
        networkTier: 'PREMIUM',
        ...(typeof requestedIp === 'string' && requestedIp ? { address: requestedIp } : {}),
      };
  const allowed = [{ IPProtocol: protocol.toLowerCase(), ports: portNumbers.map(String) }];
  return {
    name,
    internal,
    address,
    healthCheck,
    backend,
    instanceGroupZones: internal ? zones : [],
    forwardingRule: (ip) =>
      internal
        ? {
            name,
            description,
            IPAddress: ip,
            IPProtocol: protocol,
            loadBalancingScheme: 'INTERNAL',
            backendService: link(`regions/${region}/backendServices/${name}`),
            network: link(`global/networks/${cluster.network}`),
            subnetwork: link(`regions/${region}/subnetworks/${cluster.subnetwork}`),
            ...(portNumbers.length > MAX_L4_ILB_PORTS
              ? { allPorts: true }
              : { ports: portNumbers.map(String) }),
          }
        : {
            name,
            description,
            IPAddress: ip,
            IPProtocol: protocol,
            portRange: `${portNumbers[0]}-${portNumbers[portNumbers.length - 1]}`,
            target: link(`regions/${region}/targetPools/${name}`),
            loadBalancingScheme: 'EXTERNAL',
            networkTier: 'PREMIUM',
          },
    firewalls: (ip) => [
      {
        name: `k8s-fw-${name}`,
        description: JSON.stringify({
          'kubernetes.io/service-name': `${String(service.metadata.namespace)}/${String(service.metadata.name)}`,
          'kubernetes.io/service-ip': ip,
        }),
        network: link(`global/networks/${cluster.network}`),
        direction: 'INGRESS',
        priority: 1000,
        sourceRanges: sourceRanges(service),
        destinationRanges: [ip],
        targetTags: [cluster.nodeTag],
        allowed,
      },
      {
        name: local ? `k8s-${name}-http-hc` : `k8s-${cluster.clusterId}-node-http-hc`,
        description: JSON.stringify({ 'kubernetes.io/cluster-id': cluster.clusterId }),
        network: link(`global/networks/${cluster.network}`),
        direction: 'INGRESS',
        priority: 1000,
        sourceRanges: L4_HEALTH_CHECK_RANGES,
        targetTags: [cluster.nodeTag],
        allowed: [{ IPProtocol: 'tcp', ports: [String(hcPort)] }],
      },
    ],
  };
}
