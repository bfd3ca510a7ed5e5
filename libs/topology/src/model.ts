import { parseRange, rangeContainsIp, rangeContainsRange, type Range } from './cidr';
import type {
  ClusterIn,
  FirewallIn,
  KubernetesIn,
  Label,
  LabelSelectorIn,
  NodeIn,
  PodIn,
  ServiceIn,
  SubnetworkIn,
  TopologyInput,
} from './input.types';

/**
 * The topology page's picture as data: boxes (some containing others), the lines between them, and what selecting
 * one highlights. Built from the GraphQL answers alone (no DOM, no layout), so every rule of the picture — which
 * pods a Service's selector picks, which nodes a firewall rule targets, how full a subnet range is, which nodes
 * a load balancer sees as healthy — is tested here.
 */

export type ElementKind =
  | 'lbGroup'
  | 'forwardingRule'
  | 'targetPool'
  | 'targetProxy'
  | 'urlMap'
  | 'backendService'
  | 'instanceGroup'
  | 'network'
  | 'subnet'
  | 'firewalls'
  | 'firewall'
  | 'cluster'
  | 'pool'
  | 'node'
  | 'pod'
  | 'services'
  | 'service'
  | 'ingress'
  | 'policies'
  | 'policy';

/** ok: ready / healthy; bad: not ready / unhealthy / drop; none: no state to show. */
export type Status = 'ok' | 'bad' | 'none';

export interface BarSegment {
  kind: 'reserved' | 'nodes' | 'podRanges' | 'services';
  label: string;
  /** Addresses this segment holds. */
  count: number;
  /** count / the range's size, 0..1. */
  fraction: number;
}

/** One IP range of a subnet, and how much of it is allocated. */
export interface RangeBar {
  name: string;
  cidr: string;
  size: number;
  segments: BarSegment[];
  /** Sum of the segments' fractions (capped at 1). */
  used: number;
}

export interface TopoElement {
  id: string;
  kind: ElementKind;
  /** The name shown first. */
  label: string;
  /** Further lines drawn under the label (IPs, ports, zone...). */
  lines: string[];
  parent?: string;
  status: Status;
  /** The resource as the API returns it (the fields the page read). */
  details: unknown;
  bars?: RangeBar[];
}

export type EdgeKind = 'chain' | 'backend' | 'member' | 'route';

export interface TopoEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  status: Status;
  /** Shown on hover and in the details. */
  label?: string;
}

export interface TopologyModel {
  project: string;
  elements: TopoElement[];
  byId: Map<string, TopoElement>;
  edges: TopoEdge[];
  /** Selecting an element highlights these (members, targets, isolated pods...). */
  related: Map<string, string[]>;
  /** IP address → the element that owns it (pods, nodes, Services, forwarding rules). */
  byIp: Map<string, string>;
  /** "namespace/name" of a pod → its element (first cluster that has it). */
  podByName: Map<string, string>;
  counts: { networks: number; clusters: number; nodes: number; pods: number; services: number };
}

export interface ModelOptions {
  /** Only this cluster's Kubernetes objects ("location/name"); others still appear as boxes. */
  cluster?: string;
}

const CONTAINER_KINDS = new Set<ElementKind>([
  'lbGroup',
  'network',
  'firewalls',
  'cluster',
  'pool',
  'node',
  'services',
  'policies',
]);

export function isContainer(kind: ElementKind): boolean {
  return CONTAINER_KINDS.has(kind);
}

export const id = {
  network: (name: string) => `network:${name}`,
  subnet: (region: string, name: string) => `subnet:${region}/${name}`,
  firewalls: (network: string) => `firewalls:${network}`,
  firewall: (name: string) => `firewall:${name}`,
  cluster: (location: string, name: string) => `cluster:${location}/${name}`,
  pool: (cluster: string, name: string) => `pool:${cluster}/${name}`,
  node: (name: string) => `node:${name}`,
  pod: (cluster: string, namespace: string, name: string) => `pod:${cluster}/${namespace}/${name}`,
  services: (cluster: string) => `services:${cluster}`,
  service: (cluster: string, namespace: string, name: string) => `service:${cluster}/${namespace}/${name}`,
  ingress: (cluster: string, namespace: string, name: string) => `ingress:${cluster}/${namespace}/${name}`,
  policies: (cluster: string) => `policies:${cluster}`,
  policy: (cluster: string, namespace: string, name: string) => `policy:${cluster}/${namespace}/${name}`,
  lb: (collection: string, scope: string, name: string) => `lb:${collection}/${scope}/${name}`,
};

// ---------------------------------------------------------------------------------------------------------------
// Selectors

function labelMap(labels: readonly Label[]): Map<string, string> {
  return new Map(labels.map((label) => [label.key, label.value]));
}

/**
 * A Service's selector (equality on every key). An empty selector selects nothing: Kubernetes leaves such a
 * Service's endpoints to whoever writes them.
 */
export function serviceSelects(selector: readonly Label[], labels: readonly Label[]): boolean {
  if (selector.length === 0) return false;
  const have = labelMap(labels);
  return selector.every((want) => have.get(want.key) === want.value);
}

/** A metav1.LabelSelector: matchLabels and matchExpressions all hold; an empty one selects everything. */
export function labelSelectorMatches(selector: LabelSelectorIn, labels: readonly Label[]): boolean {
  const have = labelMap(labels);
  if (!selector.matchLabels.every((want) => have.get(want.key) === want.value)) return false;
  return selector.matchExpressions.every((expression) => {
    const value = have.get(expression.key);
    switch (expression.operator) {
      case 'In':
        return value !== undefined && expression.values.includes(value);
      case 'NotIn':
        return value === undefined || !expression.values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
}

/** The nodes a firewall rule applies to: by network tag, or every VM of the network when it names no target. */
export function firewallTargets(
  rule: FirewallIn,
  nodes: readonly (NodeIn & { network: string })[],
): NodeIn[] {
  const inNetwork = nodes.filter((node) => node.network === rule.network);
  if (rule.targetServiceAccounts.length > 0) return []; // node service accounts are not read by the page
  if (rule.targetTags.length === 0) return inNetwork;
  return inNetwork.filter((node) => node.tags.some((tag) => rule.targetTags.includes(tag)));
}

// ---------------------------------------------------------------------------------------------------------------
// Allocation bars

interface Allocations {
  nodeIps: string[];
  podRanges: Range[];
  serviceIps: string[];
}

/** The subnet's primary range and each secondary range, with what is allocated from it. */
export function subnetBars(subnet: SubnetworkIn, allocations: Allocations): RangeBar[] {
  const ranges: { name: string; cidr: string; primary: boolean }[] = [
    { name: 'primary', cidr: subnet.ipCidrRange, primary: true },
    ...subnet.secondaryIpRanges.map((r) => ({ name: r.rangeName, cidr: r.ipCidrRange, primary: false })),
  ];
  const bars: RangeBar[] = [];
  for (const entry of ranges) {
    const range = parseRange(entry.cidr);
    if (!range) continue;
    const segments: BarSegment[] = [];
    const add = (kind: BarSegment['kind'], label: string, count: number) => {
      if (count > 0) segments.push({ kind, label, count, fraction: count / range.size });
    };
    // Google reserves the network, gateway, second-to-last and broadcast addresses of a primary range.
    if (entry.primary) add('reserved', 'reserved', Math.min(4, range.size));
    const nodeIps = allocations.nodeIps.filter((ip) => rangeContainsIp(range, ip)).length;
    add('nodes', `${nodeIps} node IP${nodeIps === 1 ? '' : 's'}`, nodeIps);
    const podRanges = allocations.podRanges.filter((inner) => rangeContainsRange(range, inner));
    add(
      'podRanges',
      `${podRanges.length} node pod range${podRanges.length === 1 ? '' : 's'}`,
      podRanges.reduce((sum, r) => sum + r.size, 0),
    );
    const serviceIps = allocations.serviceIps.filter((ip) => rangeContainsIp(range, ip)).length;
    add('services', `${serviceIps} Service IP${serviceIps === 1 ? '' : 's'}`, serviceIps);
    const used = Math.min(
      1,
      segments.reduce((sum, s) => sum + s.fraction, 0),
    );
    bars.push({ name: entry.name, cidr: range.cidr, size: range.size, segments, used });
  }
  return bars;
}

// ---------------------------------------------------------------------------------------------------------------
// Load balancers

function lastSegment(url: unknown): string {
  return typeof url === 'string' ? (url.split('/').pop() ?? url) : '';
}

/** `.../zones/us-central1-a/instances/n1` → us-central1-a (or undefined). */
function zoneOf(url: unknown): string | undefined {
  return typeof url === 'string' ? /\/zones\/([^/]+)\//.exec(url)?.[1] : undefined;
}

const LB_KIND: Record<string, ElementKind | undefined> = {
  forwardingRules: 'forwardingRule',
  globalForwardingRules: 'forwardingRule',
  targetPools: 'targetPool',
  targetHttpProxies: 'targetProxy',
  targetHttpsProxies: 'targetProxy',
  targetTcpProxies: 'targetProxy',
  targetSslProxies: 'targetProxy',
  targetGrpcProxies: 'targetProxy',
  urlMaps: 'urlMap',
  backendServices: 'backendService',
};

/** The Compute collections the page reads for its load-balancer column. */
export const LB_COLLECTIONS = [
  'forwardingRules',
  'targetPools',
  'targetHttpProxies',
  'targetHttpsProxies',
  'targetTcpProxies',
  'urlMaps',
  'backendServices',
] as const;

/**
 * Health of a node behind a Service's load balancer, as GKE's health checks see it: with
 * `externalTrafficPolicy: Local` only nodes with a ready local endpoint pass (kube-proxy's healthCheckNodePort
 * answers 503 elsewhere); with Cluster every schedulable node passes.
 */
export function nodeHealthy(service: ServiceIn | undefined, node: NodeIn): boolean {
  if (!service) return !node.unschedulable;
  if (service.externalTrafficPolicy === 'Local')
    return (service.endpoints ?? []).some((e) => e.ready && e.nodeName === node.name);
  return !node.unschedulable;
}

// ---------------------------------------------------------------------------------------------------------------
// The model

function portsLine(service: ServiceIn): string[] {
  return service.ports.map(
    (p) =>
      `${p.port}→${p.targetPort}/${p.protocol}${p.nodePort ? ` · NodePort ${p.nodePort}` : ''}${p.name ? ` (${p.name})` : ''}`,
  );
}

function firewallLine(rule: FirewallIn): string {
  const action = rule.allowed.length > 0 ? 'allow' : 'deny';
  const protocols = (rule.allowed.length > 0 ? rule.allowed : rule.denied)
    .map((p) => (p.ports.length > 0 ? `${p.IPProtocol}:${p.ports.join(',')}` : p.IPProtocol))
    .join(' ');
  return `${rule.direction.toLowerCase()} ${action} ${protocols} · prio ${rule.priority}${rule.disabled ? ' · disabled' : ''}`;
}

export function buildTopology(input: TopologyInput, options: ModelOptions = {}): TopologyModel {
  const elements: TopoElement[] = [];
  const byId = new Map<string, TopoElement>();
  const edges: TopoEdge[] = [];
  const edgeIds = new Set<string>();
  const related = new Map<string, string[]>();
  const byIp = new Map<string, string>();
  const podByName = new Map<string, string>();
  const counts = { networks: 0, clusters: 0, nodes: 0, pods: 0, services: 0 };

  const add = (element: TopoElement) => {
    if (byId.has(element.id)) return byId.get(element.id) as TopoElement;
    elements.push(element);
    byId.set(element.id, element);
    return element;
  };
  const relate = (from: string, to: string) => {
    const list = related.get(from);
    if (list) list.push(to);
    else related.set(from, [to]);
  };
  const edge = (source: string, target: string, kind: EdgeKind, status: Status = 'none', label?: string) => {
    const edgeId = `${kind}:${source}->${target}`;
    if (!byId.has(source) || !byId.has(target) || edgeIds.has(edgeId)) return;
    edgeIds.add(edgeId);
    edges.push({
      id: `${kind}:${source}->${target}`,
      source,
      target,
      kind,
      status,
      ...(label ? { label } : {}),
    });
    relate(source, target);
    relate(target, source);
  };
  const ip = (address: string | null | undefined, owner: string) => {
    if (address && !byIp.has(address)) byIp.set(address, owner);
  };

  // Every cluster's objects, read once.
  const clusters = input.clusters.filter(
    (c) => !options.cluster || `${c.location}/${c.name}` === options.cluster,
  );
  const kube = (c: ClusterIn & { kubernetes?: KubernetesIn }): KubernetesIn =>
    c.kubernetes ?? { nodes: [], pods: [], services: [], ingresses: [], networkPolicies: [] };
  const allNodes = clusters.flatMap((c) => kube(c).nodes.map((n) => ({ ...n, network: c.network })));
  const nodeByName = new Map(allNodes.map((n) => [n.name, n]));

  // Load balancing first: the page reads left to right, from the internet in.
  const lbResources = input.loadBalancing.filter((r) => LB_KIND[r.collection]);
  const lbGroup = 'lbGroup:all';
  if (lbResources.length > 0) {
    add({
      id: lbGroup,
      kind: 'lbGroup',
      label: 'Load balancing',
      lines: [],
      status: 'none',
      details: { forwardingRules: lbResources.filter((r) => r.collection === 'forwardingRules').length },
    });
  }
  const lbByUrl = new Map<string, string>();
  for (const resource of lbResources) {
    const kind = LB_KIND[resource.collection] as ElementKind;
    const r = resource.resource;
    const lines: string[] = [];
    if (kind === 'forwardingRule') {
      lines.push(
        `${r['IPAddress'] ?? ''} ${r['IPProtocol'] ?? ''} ${r['portRange'] ?? (r['ports'] ?? []).join(',')}`,
      );
      lines.push(`${r['loadBalancingScheme'] ?? ''} · ${resource.scope}`);
    } else if (kind === 'targetPool') {
      lines.push(`${(r['instances'] ?? []).length} instances · ${resource.scope}`);
    } else if (kind === 'backendService') {
      lines.push(`${r['protocol'] ?? ''} · ${(r['backends'] ?? []).length} backends`);
      const extras = [
        r['securityPolicy'] ? `Cloud Armor: ${lastSegment(r['securityPolicy'])}` : '',
        r['iap']?.['enabled'] ? 'IAP on' : '',
      ].filter(Boolean);
      if (extras.length > 0) lines.push(extras.join(' · '));
    } else if (kind === 'urlMap') {
      lines.push(`${(r['hostRules'] ?? []).length} host rules · default ${lastSegment(r['defaultService'])}`);
    } else if (kind === 'targetProxy') {
      lines.push(resource.collection);
    }
    const element = add({
      id: id.lb(resource.collection, resource.scope, resource.name),
      kind,
      label: resource.name,
      lines,
      parent: lbGroup,
      status: 'none',
      details: r,
    });
    lbByUrl.set(resource.selfLink, element.id);
    if (kind === 'forwardingRule') ip(r['IPAddress'] as string | undefined, element.id);
  }
  // Service load balancers by name (GKE names them after the Service: a + uid).
  const serviceByLb = new Map<string, ServiceIn>();
  for (const c of clusters)
    for (const s of kube(c).services) if (s.loadBalancer) serviceByLb.set(s.loadBalancer.name, s);

  // Edges to nodes, made once the nodes exist.
  const deferred: (() => void)[] = [];
  for (const resource of lbResources) {
    const source = id.lb(resource.collection, resource.scope, resource.name);
    const r = resource.resource;
    const to = (url: unknown) => (typeof url === 'string' ? lbByUrl.get(url) : undefined);
    const link = (url: unknown) => {
      const target = to(url);
      if (target) edge(source, target, 'chain');
    };
    switch (LB_KIND[resource.collection]) {
      case 'forwardingRule':
        link(r['target']);
        link(r['backendService']);
        break;
      case 'targetProxy':
        link(r['urlMap']);
        link(r['service']);
        break;
      case 'urlMap': {
        const services = new Set<unknown>([r['defaultService']]);
        for (const matcher of r['pathMatchers'] ?? []) {
          services.add(matcher['defaultService']);
          for (const rule of matcher['pathRules'] ?? []) services.add(rule['service']);
        }
        for (const url of services) link(url);
        break;
      }
      case 'targetPool': {
        const service = serviceByLb.get(resource.name);
        for (const instance of r['instances'] ?? []) {
          const node = nodeByName.get(lastSegment(instance));
          if (!node) continue;
          const healthy = nodeHealthy(service, node);
          deferred.push(() =>
            edge(
              source,
              id.node(node.name),
              'backend',
              healthy ? 'ok' : 'bad',
              healthy ? 'HEALTHY' : 'UNHEALTHY',
            ),
          );
        }
        break;
      }
      case 'backendService': {
        for (const backend of r['backends'] ?? []) {
          const group = backend['group'] as string | undefined;
          if (!group) continue;
          const groupName = lastSegment(group);
          const groupId = `lb:instanceGroups/${zoneOf(group) ?? ''}/${groupName}`;
          add({
            id: groupId,
            kind: 'instanceGroup',
            label: groupName,
            lines: [zoneOf(group) ?? ''],
            parent: lbGroup,
            status: 'none',
            details: backend,
          });
          edge(source, groupId, 'chain');
          // GKE's instance groups hold the cluster's nodes of their zone.
          const zone = zoneOf(group);
          for (const node of allNodes)
            if (node.zone === zone)
              deferred.push(() =>
                edge(groupId, id.node(node.name), 'backend', node.unschedulable ? 'bad' : 'ok'),
              );
        }
        break;
      }
      default:
        break;
    }
  }

  // Networks, their subnets and firewall rules.
  const allocations: Allocations = {
    nodeIps: allNodes.map((n) => n.internalIp),
    podRanges: allNodes.flatMap((n) => {
      const range = parseRange(n.podCidr);
      return range ? [range] : [];
    }),
    serviceIps: clusters.flatMap((c) =>
      kube(c)
        .services.map((s) => s.clusterIP)
        .filter((x): x is string => !!x && x !== 'None'),
    ),
  };
  for (const network of input.networks) {
    counts.networks++;
    const networkId = add({
      id: id.network(network.name),
      kind: 'network',
      label: network.name,
      lines: [`VPC · ${network.autoCreateSubnetworks ? 'auto' : 'custom'} mode · MTU ${network.mtu ?? ''}`],
      status: 'none',
      details: { ...network, subnetworks: network.subnetworks.map((s) => s.name) },
    }).id;
    for (const subnet of network.subnetworks) {
      const bars = subnetBars(subnet, allocations);
      add({
        id: id.subnet(subnet.region, subnet.name),
        kind: 'subnet',
        label: subnet.name,
        lines: [`${subnet.region} · ${subnet.ipCidrRange}`],
        parent: networkId,
        status: 'none',
        details: subnet,
        bars,
      });
    }
    const rules = input.firewalls.filter((f) => f.network === network.name);
    if (rules.length > 0) {
      const groupId = add({
        id: id.firewalls(network.name),
        kind: 'firewalls',
        label: `Firewall rules (${rules.length})`,
        lines: [],
        parent: networkId,
        status: 'none',
        details: { network: network.name, rules: rules.map((f) => f.name) },
      }).id;
      for (const rule of [...rules].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name))) {
        const ruleId = add({
          id: id.firewall(rule.name),
          kind: 'firewall',
          label: rule.name,
          lines: [firewallLine(rule)],
          parent: groupId,
          status: rule.allowed.length > 0 ? 'ok' : 'bad',
          details: rule,
        }).id;
        for (const node of firewallTargets(rule, allNodes)) relate(ruleId, id.node(node.name));
      }
    }
  }

  // Clusters → node pools → nodes → pods; Services, Ingresses and NetworkPolicies beside the pools.
  for (const cluster of input.clusters) {
    const cid = id.cluster(cluster.location, cluster.name);
    const inScope = clusters.includes(cluster);
    counts.clusters++;
    const clusterEl = add({
      id: cid,
      kind: 'cluster',
      label: cluster.name,
      lines: [
        `GKE · ${cluster.location} · ${cluster.vpcNative === false ? 'routes-based' : 'VPC-native'}`,
        `pods ${cluster.clusterIpv4Cidr} · Services ${cluster.servicesIpv4Cidr}`,
      ],
      status: cluster.status === undefined || cluster.status === 'RUNNING' ? 'none' : 'bad',
      details: { ...cluster, kubernetes: undefined },
    });
    if (byId.has(id.network(cluster.network))) clusterEl.parent = id.network(cluster.network);
    const subnet = input.networks
      .flatMap((n) => n.subnetworks)
      .find((s) => s.name === cluster.subnetwork && s.network === cluster.network);
    if (subnet) relate(cid, id.subnet(subnet.region, subnet.name));
    if (!inScope) continue;
    const k = kube(cluster);
    const key = `${cluster.location}/${cluster.name}`;
    for (const pool of cluster.nodePools) {
      add({
        id: id.pool(key, pool.name),
        kind: 'pool',
        label: pool.name,
        lines: [`node pool · ${pool.machineType ?? ''} · max ${pool.maxPodsPerNode ?? '?'} pods/node`],
        parent: cid,
        status: pool.status === undefined || pool.status === 'RUNNING' ? 'none' : 'bad',
        details: pool,
      });
    }
    for (const node of k.nodes) {
      counts.nodes++;
      const poolId = id.pool(key, node.nodePool);
      if (!byId.has(poolId))
        add({
          id: poolId,
          kind: 'pool',
          label: node.nodePool,
          lines: [],
          parent: cid,
          status: 'none',
          details: {},
        });
      const nodeId = add({
        id: id.node(node.name),
        kind: 'node',
        label: node.name,
        lines: [`${node.zone} · ${node.internalIp} · pods ${node.podCidr}`],
        parent: poolId,
        status: node.unschedulable ? 'bad' : 'none',
        details: node,
      }).id;
      ip(node.internalIp, nodeId);
    }
    const podIds = new Map<PodIn, string>();
    for (const pod of k.pods) {
      counts.pods++;
      const podId = id.pod(key, pod.namespace, pod.name);
      podIds.set(pod, podId);
      const onNode = pod.nodeName && byId.has(id.node(pod.nodeName)) ? id.node(pod.nodeName) : undefined;
      add({
        id: podId,
        kind: 'pod',
        label: pod.name,
        lines: [
          `${pod.podIP ?? 'no IP'} · ${pod.ready ? '✓ ready' : `✗ ${pod.phase ?? 'not ready'}`}`,
          pod.labels.map((l) => `${l.key}=${l.value}`).join(' '),
        ],
        // A pod not scheduled yet sits in its cluster until a node takes it.
        parent: onNode ?? cid,
        status: pod.ready ? 'ok' : 'bad',
        details: pod,
      });
      ip(pod.podIP, podId);
      if (!podByName.has(`${pod.namespace}/${pod.name}`))
        podByName.set(`${pod.namespace}/${pod.name}`, podId);
    }
    // Pods by each of their labels: a Service's selector is checked only against pods with its first label.
    const podsByLabel = new Map<string, PodIn[]>();
    for (const pod of k.pods)
      for (const label of pod.labels) {
        const labelKey = `${pod.namespace}\u0000${label.key}=${label.value}`;
        const list = podsByLabel.get(labelKey);
        if (list) list.push(pod);
        else podsByLabel.set(labelKey, [pod]);
      }
    const selectorCandidates = (service: ServiceIn): PodIn[] => {
      const first = service.selector[0];
      return first ? (podsByLabel.get(`${service.namespace}\u0000${first.key}=${first.value}`) ?? []) : [];
    };
    if (k.services.length + k.ingresses.length > 0) {
      add({
        id: id.services(key),
        kind: 'services',
        label: `Services (${k.services.length})${k.ingresses.length ? ` · Ingresses (${k.ingresses.length})` : ''}`,
        lines: [],
        parent: cid,
        status: 'none',
        details: { services: k.services.length, ingresses: k.ingresses.length },
      });
    }
    for (const service of k.services) {
      counts.services++;
      const sid = add({
        id: id.service(key, service.namespace, service.name),
        kind: 'service',
        label: `${service.namespace}/${service.name}`,
        lines: [
          `${service.type} · ${service.clusterIP ?? 'None'}${service.loadBalancerIngress.length ? ` · LB ${service.loadBalancerIngress.join(',')}` : ''}`,
          ...portsLine(service),
          ...(service.externalTrafficPolicy === 'Local' ? ['externalTrafficPolicy: Local'] : []),
        ],
        parent: id.services(key),
        status: 'none',
        details: service,
      }).id;
      ip(service.clusterIP, sid);
      for (const pod of selectorCandidates(service))
        if (pod.namespace === service.namespace && serviceSelects(service.selector, pod.labels))
          edge(sid, podIds.get(pod) as string, 'member', pod.ready ? 'ok' : 'bad');
      // Its load balancer's forwarding rule, when the page read it.
      if (service.loadBalancer)
        for (const resource of lbResources)
          if (resource.collection === 'forwardingRules' && resource.name === service.loadBalancer.name)
            edge(id.lb(resource.collection, resource.scope, resource.name), sid, 'route');
    }
    for (const ingress of k.ingresses) {
      const iid = add({
        id: id.ingress(key, ingress.namespace, ingress.name),
        kind: 'ingress',
        label: `${ingress.namespace}/${ingress.name}`,
        lines: [
          `Ingress${ingress.className ? ` (${ingress.className})` : ''} · ${ingress.ip ?? ingress.loadBalancerIngress.join(',') ?? ''}`,
          ...ingress.rules.flatMap((rule) =>
            rule.paths.map(
              (p) =>
                `${rule.host ?? '*'}${p.path ?? '/'} → ${p.backend.serviceName}:${p.backend.servicePortNumber ?? p.backend.servicePortName ?? ''}`,
            ),
          ),
          ...(ingress.defaultBackend ? [`default → ${ingress.defaultBackend.serviceName}`] : []),
        ],
        parent: id.services(key),
        status: 'none',
        details: ingress,
      }).id;
      const backends = new Set(
        [
          ...ingress.rules.flatMap((rule) => rule.paths.map((p) => p.backend.serviceName)),
          ingress.defaultBackend?.serviceName,
        ].filter((x): x is string => !!x),
      );
      for (const name of backends) edge(iid, id.service(key, ingress.namespace, name), 'route');
    }
    if (k.networkPolicies.length > 0) {
      add({
        id: id.policies(key),
        kind: 'policies',
        label: `NetworkPolicies (${k.networkPolicies.length})`,
        lines: [],
        parent: cid,
        status: 'none',
        details: { networkPolicies: k.networkPolicies.length },
      });
    }
    for (const policy of k.networkPolicies) {
      const isolated = k.pods.filter(
        (pod) => pod.namespace === policy.namespace && labelSelectorMatches(policy.podSelector, pod.labels),
      );
      const pid = add({
        id: id.policy(key, policy.namespace, policy.name),
        kind: 'policy',
        label: `${policy.namespace}/${policy.name}`,
        lines: [
          `isolates ${isolated.length} pod${isolated.length === 1 ? '' : 's'} · ${policy.policyTypes.join(', ')}`,
        ],
        parent: id.policies(key),
        status: 'none',
        details: policy,
      }).id;
      for (const pod of isolated) {
        relate(pid, podIds.get(pod) as string);
        relate(podIds.get(pod) as string, pid);
      }
    }
  }
  for (const make of deferred) make();
  return { project: input.project, elements, byId, edges, related, byIp, podByName, counts };
}

/** Children of each element (root elements under ""), in the order they were added. */
export function childrenOf(model: TopologyModel): Map<string, TopoElement[]> {
  const children = new Map<string, TopoElement[]>();
  for (const element of model.elements) {
    const parent = element.parent && model.byId.has(element.parent) ? element.parent : '';
    const list = children.get(parent);
    if (list) list.push(element);
    else children.set(parent, [element]);
  }
  return children;
}
