import { createHash } from 'node:crypto';
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
  /** the 8 characters ingress-gce's v2 (`k8s2-…`) names carry for the cluster */
  l4ClusterUid: string;
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
  /** how the load balancer is built: a target pool, an internal backend service, or an external one (RBS) */
  shape: 'targetPool' | 'internal' | 'rbs';
  address: Wire;
  /**
   * `httpHealthChecks` (external, target pool) or `healthChecks` (backend services); `scope` is "global" or, for
   * RBS, the region
   */
  healthCheck: {
    collection: 'httpHealthChecks' | 'healthChecks';
    scope: string;
    shared: boolean;
    body: Wire;
  };
  /** `targetPools` (external) or regional `backendServices` (internal, RBS) */
  backend: { collection: 'targetPools' | 'backendServices'; body: Wire };
  /** the zones whose `k8s-ig--…` group the backend service names (none for a target pool) */
  instanceGroupZones: string[];
  /** built once the address is known */
  forwardingRule(ip: string): Wire;
  firewalls(ip: string): Wire[];
  /** what the controller records on the Service (RBS only): the names of what it made, and its finalizer */
  serviceMetadata?: { annotations: Record<string, string>; finalizer: string };
}

/**
 * What GKE's service controller creates for a `type: LoadBalancer` Service (cloud-provider-gcp, providers/gce):
 * an address, a health check (the shared node check on kube-proxy's port for `externalTrafficPolicy: Cluster`, a
 * per-service one on `healthCheckNodePort` for `Local`), a target pool (external) or backend service (internal),
 * a forwarding rule, and the `k8s-fw-…` firewall rules.
 */
export function planLoadBalancer(
  service: KubeObject,
  cluster: ClusterForLoadBalancer,
  options: { rbs?: boolean } = {},
): LoadBalancerPlan {
  if (options.rbs && !isInternal(service)) return planRbsLoadBalancer(service, cluster);
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
        scope: 'global',
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
        scope: 'global',
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
    shape: internal ? 'internal' : 'targetPool',
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
      serviceFirewall(service, cluster, {
        name: `k8s-fw-${name}`,
        description: JSON.stringify({
          'kubernetes.io/service-name': `${String(service.metadata.namespace)}/${String(service.metadata.name)}`,
          'kubernetes.io/service-ip': ip,
        }),
        ip,
        allowed,
      }),
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

// ---- Backend service-based external passthrough Network Load Balancers ("RBS"), made by GKE's L4 NetLB controller
// (ingress-gce) instead of the service controller's target pools.

/** The Service annotation that asks for an RBS load balancer on any GKE version. */
export const RBS_ANNOTATION = 'cloud.google.com/l4-rbs';
/** `spec.loadBalancerClass` that always asks for one (GKE 1.33.1-gke.1779000 and later). */
export const REGIONAL_EXTERNAL_CLASS = 'networking.gke.io/l4-regional-external';
/**
 * From this version GKE builds every new external LoadBalancer Service as RBS with no annotation ("About
 * LoadBalancer Services": "In clusters that run GKE 1.37 or later, GKE automatically creates a backend
 * service-based ... Network Load Balancer"). 1.32.2-gke.1652000, which is sometimes quoted for this, is the version
 * from which RBS may use GCE_VM_IP NEG backends. None of the versions offered here reach 1.37, so RBS comes from
 * the annotation or the class today.
 */
export const RBS_BY_DEFAULT_FROM = '1.37';
/** The L4 NetLB controller's finalizer on an RBS Service with instance group backends (`-v3` is for NEGs). */
export const NETLB_FINALIZER = 'gke.networking.io/l4-netlb-v2';

/** How a Service's forwarding rule, if it has one, sends traffic: to a target pool or to a backend service. */
export type ExistingExternalShape = 'targetPool' | 'backendService' | undefined;

/**
 * Whether an external LoadBalancer Service gets (or keeps) an RBS load balancer. GKE never migrates one shape to
 * the other: a Service whose forwarding rule targets a pool keeps it even if the annotation is added later (the
 * controller removes that annotation), and one already on a backend service stays there. A new one is RBS when it
 * asks (annotation or class) or when the cluster's version makes it the default.
 */
export function wantsRbs(
  service: KubeObject,
  clusterVersion: string,
  existing: ExistingExternalShape,
  atLeast: (version: string, minimum: string) => boolean,
): boolean {
  if (isInternal(service)) return false;
  if (existing === 'targetPool') return false;
  if (existing === 'backendService') return true;
  if (asksForRbs(service)) return true;
  return atLeast(clusterVersion, RBS_BY_DEFAULT_FROM);
}

export function asksForRbs(service: KubeObject): boolean {
  return (
    service.metadata.annotations?.[RBS_ANNOTATION] === 'enabled' ||
    field(service, 'spec', 'loadBalancerClass') === REGIONAL_EXTERNAL_CLASS
  );
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** ingress-gce's short content hash: the first `length` bytes of SHA-256, each as one base-36 character. */
export function l4ContentHash(text: string, length: number): string {
  const digest = createHash('sha256').update(text).digest();
  let out = '';
  for (let i = 0; i < length && i < digest.length; i++) out += BASE36[(digest[i] as number) % BASE36.length];
  return out;
}

/**
 * Cuts fields so that together they are at most `max` characters, each losing in proportion to its length (a
 * short namespace keeps more of itself than a long name), as ingress-gce's namer trims `namespace-name`.
 */
export function trimFieldsEvenly(max: number, ...fields: string[]): string[] {
  const total = fields.reduce((sum, item) => sum + item.length, 0);
  if (max <= 0 || total <= max) return fields;
  const excess = total - max;
  const lengths = fields.map((item) => item.length - Math.floor((item.length * excess) / total) - 1);
  let spare = max - lengths.reduce((sum, n) => sum + n, 0);
  for (let i = 0; spare > 0; i = (i + 1) % lengths.length, spare--) lengths[i] = (lengths[i] as number) + 1;
  return fields.map((item, i) => item.slice(0, lengths[i]));
}

/** 63 characters less `k8s2`, four dashes, the cluster uid and the hash: what `namespace-name` may use. */
const L4_NAMESPACED_NAME_MAX = 39;

/**
 * The names of an RBS load balancer's parts (ingress-gce's v2 L4 namer). The backend service, the per-service
 * health check and the node firewall share `k8s2-<cluster uid>-<namespace>-<name>-<hash>`; the shared health check
 * and its firewall are the cluster's `k8s2-<cluster uid>-l4-shared-hc[-fw]`. The forwarding rule and address keep
 * the service controller's `a<uid>` name, as the NetLB controller does.
 */
export function rbsNames(l4ClusterUid: string, namespace: string, name: string) {
  const hash = l4ContentHash([l4ClusterUid, namespace, name].join(';'), 8);
  const backend = [
    'k8s2',
    l4ClusterUid,
    trimFieldsEvenly(L4_NAMESPACED_NAME_MAX, namespace, name).join('-'),
    hash,
  ].join('-');
  const withSuffix = (base: string, suffix: string) => base.slice(0, 63 - suffix.length) + suffix;
  return {
    backendService: backend,
    firewall: backend,
    localHealthCheck: backend,
    localHealthCheckFirewall: withSuffix(backend, '-fw'),
    sharedHealthCheck: `k8s2-${l4ClusterUid}-l4-shared-hc`,
    sharedHealthCheckFirewall: `k8s2-${l4ClusterUid}-l4-shared-hc-fw`,
  };
}

/** The backend service's protocol: the ports' one, or UNSPECIFIED (L3_DEFAULT rules) when TCP and UDP mix. */
export function rbsProtocol(ports: readonly Record<string, unknown>[]): string {
  const protocols = new Set(ports.map((port) => String(port['protocol'] ?? 'TCP')));
  if (protocols.size > 1) return 'UNSPECIFIED';
  return [...protocols][0] ?? 'TCP';
}

/**
 * The RBS load balancer of an external LoadBalancer Service, as GKE's L4 NetLB controller builds it with instance
 * group backends: a regional HTTP health check (the cluster's shared one on kube-proxy's port for
 * `externalTrafficPolicy: Cluster`, the Service's own on `healthCheckNodePort` for `Local`), a regional EXTERNAL
 * backend service on the cluster's `k8s-ig--…` groups, an EXTERNAL forwarding rule on the address pointing at it,
 * and firewall rules for the traffic and the probes; the names of all of it are written on the Service.
 */
function planRbsLoadBalancer(service: KubeObject, cluster: ClusterForLoadBalancer): LoadBalancerPlan {
  const uid = String(service.metadata.uid);
  const name = loadBalancerName(uid);
  const namespace = String(service.metadata.namespace);
  const serviceName = `${namespace}/${String(service.metadata.name)}`;
  const names = rbsNames(cluster.l4ClusterUid, namespace, String(service.metadata.name));
  const ports = listField(service, 'spec', 'ports').filter(isPlainObject);
  const protocol = rbsProtocol(ports);
  const portNumbers = ports.map((port) => Number(port['port'])).sort((a, b) => a - b);
  const local = field(service, 'spec', 'externalTrafficPolicy') === 'Local';
  const hcPort = local ? Number(field(service, 'spec', 'healthCheckNodePort')) : KUBE_PROXY_HEALTH_PORT;
  const hcName = local ? names.localHealthCheck : names.sharedHealthCheck;
  const region = cluster.region;
  const link = (path: string) => `projects/${cluster.project}/${path}`;
  const describe = (extra: Record<string, string> = {}) =>
    JSON.stringify({
      'networking.gke.io/service-name': serviceName,
      'networking.gke.io/api-version': 'ga',
      ...extra,
    });
  const sharedDescription = JSON.stringify({
    'networking.gke.io/api-version': 'ga',
    'networking.gke.io/resource-description':
      'This resource is shared by all L4 XLB Services using ExternalTrafficPolicy: Cluster.',
  });
  const zones = nodeZones(cluster.nodes);
  const requestedIp = field(service, 'spec', 'loadBalancerIP');
  const hcFirewallName = local ? names.localHealthCheckFirewall : names.sharedHealthCheckFirewall;
  const forwardingRuleKey = protocol === 'UDP' ? 'udp' : protocol === 'UNSPECIFIED' ? 'l3' : 'tcp';
  return {
    name,
    internal: false,
    shape: 'rbs',
    address: {
      name,
      description: describe(),
      addressType: 'EXTERNAL',
      networkTier: 'PREMIUM',
      ...(typeof requestedIp === 'string' && requestedIp ? { address: requestedIp } : {}),
    },
    healthCheck: {
      collection: 'healthChecks',
      scope: region,
      shared: !local,
      body: {
        name: hcName,
        description: local ? describe() : sharedDescription,
        type: 'HTTP',
        httpHealthCheck: { port: hcPort, requestPath: '/healthz' },
        // ingress-gce probes a Service's own endpoint more often and gives up sooner than the shared node check.
        checkIntervalSec: local ? 3 : 8,
        timeoutSec: 1,
        healthyThreshold: 1,
        unhealthyThreshold: local ? 2 : 3,
      },
    },
    backend: {
      collection: 'backendServices',
      body: {
        name: names.backendService,
        description: describe(),
        loadBalancingScheme: 'EXTERNAL',
        protocol,
        sessionAffinity: field(service, 'spec', 'sessionAffinity') === 'ClientIP' ? 'CLIENT_IP' : 'NONE',
        healthChecks: [link(`regions/${region}/healthChecks/${hcName}`)],
        backends: zones.map((zone) => ({
          group: link(`zones/${zone}/instanceGroups/${instanceGroupName(cluster.clusterId)}`),
          balancingMode: 'CONNECTION',
        })),
      },
    },
    instanceGroupZones: zones,
    forwardingRule: (ip) => ({
      name,
      description: describe({ 'networking.gke.io/service-ip': ip }),
      IPAddress: ip,
      IPProtocol: protocol === 'UNSPECIFIED' ? 'L3_DEFAULT' : protocol,
      ...(protocol === 'UNSPECIFIED'
        ? { allPorts: true }
        : { portRange: `${portNumbers[0]}-${portNumbers[portNumbers.length - 1]}` }),
      loadBalancingScheme: 'EXTERNAL',
      backendService: link(`regions/${region}/backendServices/${names.backendService}`),
      networkTier: 'PREMIUM',
    }),
    firewalls: (ip) => [
      serviceFirewall(service, cluster, {
        name: names.firewall,
        description: describe({ 'networking.gke.io/service-ip': ip }),
        ip,
        allowed: firewallAllowed(ports),
      }),
      {
        name: hcFirewallName,
        description: local ? describe() : sharedDescription,
        network: link(`global/networks/${cluster.network}`),
        direction: 'INGRESS',
        priority: 1000,
        sourceRanges: L4_HEALTH_CHECK_RANGES,
        targetTags: [cluster.nodeTag],
        allowed: [{ IPProtocol: 'tcp', ports: [String(hcPort)] }],
      },
    ],
    serviceMetadata: {
      annotations: {
        'service.kubernetes.io/backend-service': names.backendService,
        'service.kubernetes.io/firewall-rule': names.firewall,
        'service.kubernetes.io/firewall-rule-for-hc': hcFirewallName,
        'service.kubernetes.io/healthcheck': hcName,
        [`service.kubernetes.io/${forwardingRuleKey}-forwarding-rule`]: name,
      },
      finalizer: NETLB_FINALIZER,
    },
  };
}

/** One `allowed` entry per protocol, with that protocol's ports in order. */
function firewallAllowed(ports: readonly Record<string, unknown>[]): Wire[] {
  const byProtocol = new Map<string, number[]>();
  for (const port of ports) {
    const protocol = String(port['protocol'] ?? 'TCP').toLowerCase();
    byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), Number(port['port'])]);
  }
  return [...byProtocol].map(([protocol, numbers]) => ({
    IPProtocol: protocol,
    ports: [...new Set(numbers)].sort((a, b) => a - b).map(String),
  }));
}

/** The annotations the NetLB controller writes on an RBS Service, which it removes when the load balancer goes. */
export const RBS_SERVICE_ANNOTATIONS = [
  'service.kubernetes.io/backend-service',
  'service.kubernetes.io/firewall-rule',
  'service.kubernetes.io/firewall-rule-for-hc',
  'service.kubernetes.io/healthcheck',
  'service.kubernetes.io/tcp-forwarding-rule',
  'service.kubernetes.io/udp-forwarding-rule',
  'service.kubernetes.io/l3-forwarding-rule',
];

/** The rule letting the Service's clients (its `loadBalancerSourceRanges`) reach its load balancer IP on the nodes. */
function serviceFirewall(
  service: KubeObject,
  cluster: ClusterForLoadBalancer,
  rule: { name: string; description: string; ip: string; allowed: unknown },
): Wire {
  return {
    name: rule.name,
    description: rule.description,
    network: `projects/${cluster.project}/global/networks/${cluster.network}`,
    direction: 'INGRESS',
    priority: 1000,
    sourceRanges: sourceRanges(service),
    destinationRanges: [rule.ip],
    targetTags: [cluster.nodeTag],
    allowed: rule.allowed,
  };
}
