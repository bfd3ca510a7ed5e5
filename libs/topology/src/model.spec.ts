import { describe, expect, it } from 'vitest';
import { parseIp, parseRange, rangeContainsIp, rangeContainsRange } from './cidr';
import type { FirewallIn, KubernetesIn, NodeIn, PodIn, ServiceIn, TopologyInput } from './input.types';
import {
  buildTopology,
  childrenOf,
  firewallTargets,
  id,
  labelSelectorMatches,
  nodeHealthy,
  serviceSelects,
  subnetBars,
} from './model';
import { syntheticInput } from './synthetic';

/** The value, or the test fails here: fixtures the test built itself. */
function must<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error('missing fixture');
  return value;
}

const l = (text: string) =>
  text
    .split(',')
    .filter(Boolean)
    .map((pair) => {
      const [key, value] = pair.split('=');
      return { key: key as string, value: value ?? '' };
    });

function node(name: string, extra: Partial<NodeIn> = {}): NodeIn {
  return {
    name,
    nodePool: 'default-pool',
    zone: 'us-central1-a',
    internalIp: '10.0.0.2',
    podCidr: '10.4.0.0/24',
    tags: ['gke-c1-node'],
    ...extra,
  };
}

function pod(name: string, labels: string, extra: Partial<PodIn> = {}): PodIn {
  return {
    name,
    namespace: 'default',
    nodeName: 'n1',
    podIP: '10.4.0.5',
    ready: true,
    labels: l(labels),
    ...extra,
  };
}

function service(name: string, selector: string, extra: Partial<ServiceIn> = {}): ServiceIn {
  return {
    name,
    namespace: 'default',
    type: 'ClusterIP',
    clusterIP: '10.8.0.10',
    selector: l(selector),
    ports: [{ port: 80, targetPort: '8080', protocol: 'TCP' }],
    loadBalancerIngress: [],
    ...extra,
  };
}

function rule(name: string, extra: Partial<FirewallIn> = {}): FirewallIn {
  return {
    name,
    network: 'vpc',
    direction: 'INGRESS',
    priority: 1000,
    disabled: false,
    allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
    denied: [],
    sourceRanges: ['0.0.0.0/0'],
    sourceTags: [],
    destinationRanges: [],
    targetTags: [],
    targetServiceAccounts: [],
    ...extra,
  };
}

/** The seed page's picture: frontend and users Services over pods on two nodes, one LoadBalancer. */
function seedInput(kube: Partial<KubernetesIn> = {}, extra: Partial<TopologyInput> = {}): TopologyInput {
  const k: KubernetesIn = {
    nodes: [
      node('n1', { internalIp: '10.0.0.2', podCidr: '10.4.0.0/24' }),
      node('n2', { internalIp: '10.0.0.3', podCidr: '10.4.1.0/24', zone: 'us-central1-b' }),
    ],
    pods: [
      pod('frontend-1', 'app=frontend', { nodeName: 'n1', podIP: '10.4.0.5' }),
      pod('frontend-2', 'app=frontend', {
        nodeName: 'n2',
        podIP: '10.4.1.5',
        ready: false,
        phase: 'Pending',
      }),
      pod('users-1', 'app=users,tier=db', { nodeName: 'n2', podIP: '10.4.1.6' }),
      pod('other-ns', 'app=frontend', { namespace: 'shop', nodeName: 'n1', podIP: '10.4.0.6' }),
    ],
    services: [
      service('frontend', 'app=frontend', {
        type: 'LoadBalancer',
        clusterIP: '10.8.0.10',
        externalTrafficPolicy: 'Local',
        ports: [{ port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080, name: 'http' }],
        loadBalancerIngress: ['198.18.0.1'],
        endpoints: [
          { address: '10.4.0.5', nodeName: 'n1', podName: 'frontend-1', ready: true },
          { address: '10.4.1.5', nodeName: 'n2', podName: 'frontend-2', ready: false },
        ],
        loadBalancer: { name: 'afrontend', region: 'us-central1', scheme: 'EXTERNAL' },
      }),
      service('users', 'app=users', { clusterIP: '10.8.0.11' }),
      service('manual', '', { clusterIP: '10.8.0.12' }),
    ],
    ingresses: [],
    networkPolicies: [],
    ...kube,
  };
  return {
    project: 'p',
    networks: [
      {
        name: 'vpc',
        autoCreateSubnetworks: false,
        mtu: 1460,
        subnetworks: [
          {
            name: 's1',
            region: 'us-central1',
            network: 'vpc',
            ipCidrRange: '10.0.0.0/24',
            secondaryIpRanges: [
              { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
              { rangeName: 'svc', ipCidrRange: '10.8.0.0/20' },
            ],
          },
        ],
      },
    ],
    firewalls: [
      rule('allow-web', { targetTags: ['gke-c1-node'] }),
      rule('deny-all', { allowed: [], denied: [{ IPProtocol: 'all', ports: [] }], priority: 65000 }),
    ],
    clusters: [
      {
        name: 'c1',
        location: 'us-central1-a',
        network: 'vpc',
        subnetwork: 's1',
        clusterIpv4Cidr: '10.4.0.0/14',
        servicesIpv4Cidr: '10.8.0.0/20',
        vpcNative: true,
        status: 'RUNNING',
        nodePools: [{ name: 'default-pool', maxPodsPerNode: 110, machineType: 'e2-medium' }],
        kubernetes: k,
      },
    ],
    loadBalancing: [],
    ...extra,
  };
}

const C = 'us-central1-a/c1';

describe('cidr', () => {
  it('parses addresses and ranges, and refuses what is not one', () => {
    expect(parseIp('10.0.0.1')).toBe(167772161);
    expect(parseIp('255.255.255.255')).toBe(2 ** 32 - 1);
    for (const bad of ['', '10.0.0', '10.0.0.256', '10.0.0.1.2', 'a.b.c.d', ' ', '1..2.3', undefined, null])
      expect(parseIp(bad)).toBeUndefined();
    expect(parseRange('10.4.0.0/14')).toEqual({
      cidr: '10.4.0.0/14',
      base: parseIp('10.4.0.0'),
      prefix: 14,
      size: 262144,
    });
    expect(parseRange('10.4.3.7/24')?.base).toBe(parseIp('10.4.3.0'));
    expect(parseRange('0.0.0.0/0')?.size).toBe(2 ** 32);
    expect(parseRange('10.0.0.1/32')?.size).toBe(1);
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/a', '10.0.0.0/8/8', 'x/8', ''])
      expect(parseRange(bad)).toBeUndefined();
  });

  it('answers membership at the edges', () => {
    const range = must(parseRange('10.4.0.0/24'));
    expect(rangeContainsIp(range, '10.4.0.0')).toBe(true);
    expect(rangeContainsIp(range, '10.4.0.255')).toBe(true);
    expect(rangeContainsIp(range, '10.4.1.0')).toBe(false);
    expect(rangeContainsIp(range, '10.3.255.255')).toBe(false);
    expect(rangeContainsIp(range, 'None')).toBe(false);
    expect(rangeContainsRange(must(parseRange('10.4.0.0/14')), range)).toBe(true);
    expect(rangeContainsRange(range, must(parseRange('10.4.0.0/14')))).toBe(false);
    expect(rangeContainsRange(range, range)).toBe(true);
    expect(rangeContainsRange(must(parseRange('10.4.0.0/24')), must(parseRange('10.4.0.128/23')))).toBe(
      false,
    );
  });
});

describe('selectors', () => {
  it('a Service selector: every key equal; empty selects nothing', () => {
    expect(serviceSelects(l('app=web'), l('app=web,tier=fe'))).toBe(true);
    expect(serviceSelects(l('app=web,tier=fe'), l('app=web'))).toBe(false);
    expect(serviceSelects(l('app=web'), l('app=api'))).toBe(false);
    expect(serviceSelects(l('app=web'), [])).toBe(false);
    expect(serviceSelects([], l('app=web'))).toBe(false);
    expect(serviceSelects(l('app='), l('app='))).toBe(true);
  });

  it('a LabelSelector: matchLabels and every operator; empty selects all', () => {
    const all = { matchLabels: [], matchExpressions: [] };
    expect(labelSelectorMatches(all, [])).toBe(true);
    expect(labelSelectorMatches({ matchLabels: l('app=db'), matchExpressions: [] }, l('app=db'))).toBe(true);
    expect(labelSelectorMatches({ matchLabels: l('app=db'), matchExpressions: [] }, l('app=web'))).toBe(
      false,
    );
    const expr = (operator: string, values: string[] = []) => ({
      matchLabels: [],
      matchExpressions: [{ key: 'tier', operator, values }],
    });
    expect(labelSelectorMatches(expr('In', ['a', 'b']), l('tier=b'))).toBe(true);
    expect(labelSelectorMatches(expr('In', ['a', 'b']), l('tier=c'))).toBe(false);
    expect(labelSelectorMatches(expr('In', ['a']), [])).toBe(false);
    expect(labelSelectorMatches(expr('NotIn', ['a']), l('tier=b'))).toBe(true);
    expect(labelSelectorMatches(expr('NotIn', ['a']), [])).toBe(true);
    expect(labelSelectorMatches(expr('NotIn', ['a']), l('tier=a'))).toBe(false);
    expect(labelSelectorMatches(expr('Exists'), l('tier=x'))).toBe(true);
    expect(labelSelectorMatches(expr('Exists'), [])).toBe(false);
    expect(labelSelectorMatches(expr('DoesNotExist'), [])).toBe(true);
    expect(labelSelectorMatches(expr('DoesNotExist'), l('tier=x'))).toBe(false);
    expect(labelSelectorMatches(expr('Bogus'), l('tier=x'))).toBe(false);
  });

  it('firewall targets: by tag, every VM of the network without targets, none by service account', () => {
    const nodes = [
      { ...node('a', { tags: ['web'] }), network: 'vpc' },
      { ...node('b', { tags: ['db'] }), network: 'vpc' },
      { ...node('c', { tags: ['web'] }), network: 'other' },
    ];
    expect(firewallTargets(rule('r', { targetTags: ['web'] }), nodes).map((n) => n.name)).toEqual(['a']);
    expect(firewallTargets(rule('r', { targetTags: ['web', 'db'] }), nodes).map((n) => n.name)).toEqual([
      'a',
      'b',
    ]);
    expect(firewallTargets(rule('r'), nodes).map((n) => n.name)).toEqual(['a', 'b']);
    expect(firewallTargets(rule('r', { targetServiceAccounts: ['sa@x'] }), nodes)).toEqual([]);
    expect(firewallTargets(rule('r', { targetTags: ['none'] }), nodes)).toEqual([]);
  });
});

describe('allocation bars', () => {
  const subnet = {
    name: 's1',
    region: 'us-central1',
    network: 'vpc',
    ipCidrRange: '10.0.0.0/24',
    secondaryIpRanges: [
      { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
      { rangeName: 'svc', ipCidrRange: '10.8.0.0/20' },
    ],
  };

  it('the primary range: 4 reserved addresses and node IPs; secondaries: pod ranges and Service IPs', () => {
    const bars = subnetBars(subnet, {
      nodeIps: ['10.0.0.2', '10.0.0.3', '192.168.0.1'],
      podRanges: [
        must(parseRange('10.4.0.0/24')),
        must(parseRange('10.4.1.0/24')),
        must(parseRange('10.12.0.0/24')),
      ],
      serviceIps: ['10.8.0.10', '10.8.0.11', '10.9.0.1'],
    });
    expect(bars.map((b) => [b.name, b.cidr, b.size])).toEqual([
      ['primary', '10.0.0.0/24', 256],
      ['pods', '10.4.0.0/14', 262144],
      ['svc', '10.8.0.0/20', 4096],
    ]);
    expect(bars[0]?.segments).toEqual([
      { kind: 'reserved', label: 'reserved', count: 4, fraction: 4 / 256 },
      { kind: 'nodes', label: '2 node IPs', count: 2, fraction: 2 / 256 },
    ]);
    expect(bars[0]?.used).toBeCloseTo(6 / 256, 10);
    expect(bars[1]?.segments).toEqual([
      { kind: 'podRanges', label: '2 node pod ranges', count: 512, fraction: 512 / 262144 },
    ]);
    expect(bars[2]?.segments).toEqual([
      { kind: 'services', label: '2 Service IPs', count: 2, fraction: 2 / 4096 },
    ]);
  });

  it('an empty secondary range has no segments; a full one caps at 1; a bad range is left out', () => {
    const bars = subnetBars(
      {
        ...subnet,
        ipCidrRange: '10.0.0.0/30',
        secondaryIpRanges: [
          { rangeName: 'x', ipCidrRange: 'bogus' },
          { rangeName: 'y', ipCidrRange: '10.20.0.0/16' },
        ],
      },
      { nodeIps: ['10.0.0.1', '10.0.0.2'], podRanges: [], serviceIps: [] },
    );
    expect(bars.map((b) => b.name)).toEqual(['primary', 'y']);
    expect(bars[0]?.used).toBe(1);
    expect(bars[0]?.segments.map((s) => s.label)).toEqual(['reserved', '2 node IPs']);
    expect(bars[1]?.segments).toEqual([]);
    expect(bars[1]?.used).toBe(0);
  });

  it('one node IP is singular', () => {
    const [primary] = subnetBars(subnet, { nodeIps: ['10.0.0.9'], podRanges: [], serviceIps: [] });
    expect(primary?.segments[1]?.label).toBe('1 node IP');
  });
});

describe('health behind a load balancer', () => {
  const local = service('s', 'app=x', {
    externalTrafficPolicy: 'Local',
    endpoints: [
      { address: '1', nodeName: 'n1', ready: true },
      { address: '2', nodeName: 'n2', ready: false },
    ],
  });
  it('Local: only nodes with a ready local endpoint', () => {
    expect(nodeHealthy(local, node('n1'))).toBe(true);
    expect(nodeHealthy(local, node('n2'))).toBe(false);
    expect(nodeHealthy(local, node('n3'))).toBe(false);
  });
  it('Cluster (or no Service known): every schedulable node', () => {
    const cluster = { ...local, externalTrafficPolicy: 'Cluster' };
    expect(nodeHealthy(cluster, node('n3'))).toBe(true);
    expect(nodeHealthy(cluster, node('n3', { unschedulable: true }))).toBe(false);
    expect(nodeHealthy(undefined, node('n3'))).toBe(true);
  });
});

describe('buildTopology', () => {
  it('nests networks → subnets, clusters → pools → nodes → pods', () => {
    const model = buildTopology(seedInput());
    const parent = (elementId: string) => model.byId.get(elementId)?.parent;
    expect(parent(id.subnet('us-central1', 's1'))).toBe(id.network('vpc'));
    expect(parent(id.cluster('us-central1-a', 'c1'))).toBe(id.network('vpc'));
    expect(parent(id.pool(C, 'default-pool'))).toBe(id.cluster('us-central1-a', 'c1'));
    expect(parent(id.node('n2'))).toBe(id.pool(C, 'default-pool'));
    expect(parent(id.pod(C, 'default', 'users-1'))).toBe(id.node('n2'));
    expect(model.counts).toEqual({ networks: 1, clusters: 1, nodes: 2, pods: 4, services: 3 });
    expect(model.byId.get(id.node('n2'))?.lines).toEqual(['us-central1-b · 10.0.0.3 · pods 10.4.1.0/24']);
    const children = childrenOf(model);
    expect(children.get('')?.map((e) => e.id)).toEqual([id.network('vpc')]);
    expect(children.get(id.node('n1'))?.map((e) => e.label)).toEqual(['frontend-1', 'other-ns']);
  });

  it('pods show IP, readiness in words and labels; status follows readiness', () => {
    const model = buildTopology(seedInput());
    const ready = model.byId.get(id.pod(C, 'default', 'frontend-1'));
    const pending = model.byId.get(id.pod(C, 'default', 'frontend-2'));
    expect(ready?.lines).toEqual(['10.4.0.5 · ✓ ready', 'app=frontend']);
    expect(ready?.status).toBe('ok');
    expect(pending?.lines[0]).toBe('10.4.1.5 · ✗ Pending');
    expect(pending?.status).toBe('bad');
    expect(model.byIp.get('10.4.1.6')).toBe(id.pod(C, 'default', 'users-1'));
    expect(model.byIp.get('10.0.0.3')).toBe(id.node('n2'));
    expect(model.byIp.get('10.8.0.11')).toBe(id.service(C, 'default', 'users'));
    expect(model.podByName.get('shop/other-ns')).toBe(id.pod(C, 'shop', 'other-ns'));
  });

  it('a pod not yet on a node sits in its cluster', () => {
    const model = buildTopology(
      seedInput({ pods: [pod('waiting', 'app=x', { nodeName: null, podIP: null, ready: false })] }),
    );
    expect(model.byId.get(id.pod(C, 'default', 'waiting'))?.parent).toBe(id.cluster('us-central1-a', 'c1'));
    expect(model.byId.get(id.pod(C, 'default', 'waiting'))?.lines[0]).toBe('no IP · ✗ not ready');
  });

  it('Services group the pods their selector matches, in their own namespace only', () => {
    const model = buildTopology(seedInput());
    const members = (name: string) =>
      model.edges
        .filter((e) => e.kind === 'member' && e.source === id.service(C, 'default', name))
        .map((e) => [e.target, e.status]);
    expect(members('frontend')).toEqual([
      [id.pod(C, 'default', 'frontend-1'), 'ok'],
      [id.pod(C, 'default', 'frontend-2'), 'bad'],
    ]);
    expect(members('users')).toEqual([[id.pod(C, 'default', 'users-1'), 'ok']]);
    expect(members('manual')).toEqual([]);
    const frontend = model.byId.get(id.service(C, 'default', 'frontend'));
    expect(frontend?.lines).toEqual([
      'LoadBalancer · 10.8.0.10 · LB 198.18.0.1',
      '80→http/TCP · NodePort 30080 (http)',
      'externalTrafficPolicy: Local',
    ]);
    expect(frontend?.parent).toBe(id.services(C));
    expect(model.related.get(id.pod(C, 'default', 'users-1'))).toContain(id.service(C, 'default', 'users'));
  });

  it('subnet bars count the cluster’s node IPs, pod ranges and Service IPs', () => {
    const model = buildTopology(seedInput());
    const bars = model.byId.get(id.subnet('us-central1', 's1'))?.bars ?? [];
    expect(bars.map((b) => b.segments.map((s) => s.label))).toEqual([
      ['reserved', '2 node IPs'],
      ['2 node pod ranges'],
      ['3 Service IPs'],
    ]);
  });

  it('firewall rules sit in their network, in evaluation order, and relate to the nodes they target', () => {
    const model = buildTopology(seedInput());
    const rules = childrenOf(model)
      .get(id.firewalls('vpc'))
      ?.map((e) => [e.label, e.status, e.lines[0]]);
    expect(rules).toEqual([
      ['allow-web', 'ok', 'ingress allow tcp:80 · prio 1000'],
      ['deny-all', 'bad', 'ingress deny all · prio 65000'],
    ]);
    expect(model.related.get(id.firewall('allow-web'))).toEqual([id.node('n1'), id.node('n2')]);
  });

  it('NetworkPolicies relate to the pods they isolate', () => {
    const model = buildTopology(
      seedInput({
        networkPolicies: [
          {
            name: 'db-only',
            namespace: 'default',
            policyTypes: ['Ingress'],
            podSelector: {
              matchLabels: [],
              matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }],
            },
          },
          {
            name: 'all-shop',
            namespace: 'shop',
            policyTypes: ['Ingress', 'Egress'],
            podSelector: { matchLabels: [], matchExpressions: [] },
          },
        ],
      }),
    );
    const dbOnly = id.policy(C, 'default', 'db-only');
    expect(model.related.get(dbOnly)).toEqual([id.pod(C, 'default', 'users-1')]);
    expect(model.byId.get(dbOnly)?.lines).toEqual(['isolates 1 pod · Ingress']);
    expect(model.byId.get(id.policy(C, 'shop', 'all-shop'))?.lines).toEqual([
      'isolates 1 pod · Ingress, Egress',
    ]);
    expect(model.related.get(id.pod(C, 'default', 'users-1'))).toContain(dbOnly);
    expect(model.byId.get(id.policies(C))?.label).toBe('NetworkPolicies (2)');
  });

  it('Ingress rules route to their Services', () => {
    const model = buildTopology(
      seedInput({
        ingresses: [
          {
            name: 'web',
            namespace: 'default',
            className: 'gce',
            ip: '34.1.2.3',
            loadBalancerIngress: ['34.1.2.3'],
            defaultBackend: { serviceName: 'users', servicePortNumber: 80 },
            rules: [
              {
                host: 'shop.example',
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { serviceName: 'frontend', servicePortName: 'http' },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    const ingress = id.ingress(C, 'default', 'web');
    expect(model.byId.get(ingress)?.lines).toEqual([
      'Ingress (gce) · 34.1.2.3',
      'shop.example/ → frontend:http',
      'default → users',
    ]);
    expect(model.edges.filter((e) => e.source === ingress).map((e) => e.target)).toEqual([
      id.service(C, 'default', 'frontend'),
      id.service(C, 'default', 'users'),
    ]);
  });

  it('load balancers: forwarding rule → target pool → nodes with health per node, and the Service', () => {
    const base = 'https://compute/projects/p';
    const model = buildTopology(
      seedInput(
        {},
        {
          loadBalancing: [
            externalForwardingRule(base, { target: `${base}/regions/us-central1/targetPools/afrontend` }),
            {
              collection: 'targetPools',
              name: 'afrontend',
              scope: 'us-central1',
              selfLink: `${base}/regions/us-central1/targetPools/afrontend`,
              resource: {
                instances: [
                  `${base}/zones/us-central1-a/instances/n1`,
                  `${base}/zones/us-central1-b/instances/n2`,
                  `${base}/zones/x/instances/gone`,
                ],
              },
            },
          ],
        },
      ),
    );
    const fr = id.lb('forwardingRules', 'us-central1', 'afrontend');
    const tp = id.lb('targetPools', 'us-central1', 'afrontend');
    expect(model.byId.get(fr)?.lines).toEqual(['198.18.0.1 TCP 80-80', 'EXTERNAL · us-central1']);
    expect(model.byId.get(fr)?.parent).toBe('lbGroup:all');
    expect(model.byIp.get('198.18.0.1')).toBe(fr);
    expect(model.edges.filter((e) => e.source === fr).map((e) => [e.kind, e.target])).toEqual([
      ['chain', tp],
      ['route', id.service(C, 'default', 'frontend')],
    ]);
    // externalTrafficPolicy: Local — only n1 has a ready frontend endpoint.
    expect(model.edges.filter((e) => e.source === tp).map((e) => [e.target, e.status, e.label])).toEqual([
      [id.node('n1'), 'ok', 'HEALTHY'],
      [id.node('n2'), 'bad', 'UNHEALTHY'],
    ]);
    expect(
      childrenOf(model)
        .get('')
        ?.map((e) => e.id),
    ).toEqual(['lbGroup:all', id.network('vpc')]);
  });

  it('backend service-based external load balancers (RBS): forwarding rule → regional EXTERNAL backend service → instance groups → nodes, and the Service', () => {
    const base = 'https://compute/projects/p';
    const backend = `${base}/regions/us-central1/backendServices/k8s2-abcd1234-default-frontend-x1y2z3w4`;
    const model = buildTopology(
      seedInput(
        {},
        {
          loadBalancing: [
            externalForwardingRule(base, { backendService: backend }),
            {
              collection: 'backendServices',
              name: 'k8s2-abcd1234-default-frontend-x1y2z3w4',
              scope: 'us-central1',
              selfLink: backend,
              resource: {
                protocol: 'TCP',
                loadBalancingScheme: 'EXTERNAL',
                backends: [
                  { group: `${base}/zones/us-central1-a/instanceGroups/k8s-ig--abc` },
                  { group: `${base}/zones/us-central1-b/instanceGroups/k8s-ig--abc` },
                ],
              },
            },
          ],
        },
      ),
    );
    const fr = id.lb('forwardingRules', 'us-central1', 'afrontend');
    const bs = id.lb('backendServices', 'us-central1', 'k8s2-abcd1234-default-frontend-x1y2z3w4');
    expect(model.edges.filter((e) => e.source === fr).map((e) => [e.kind, e.target])).toEqual([
      ['chain', bs],
      ['route', id.service(C, 'default', 'frontend')],
    ]);
    expect(model.edges.filter((e) => e.source === bs).map((e) => e.target)).toEqual([
      'lb:instanceGroups/us-central1-a/k8s-ig--abc',
      'lb:instanceGroups/us-central1-b/k8s-ig--abc',
    ]);
    expect(
      model.edges
        .filter((e) => e.source === 'lb:instanceGroups/us-central1-a/k8s-ig--abc')
        .map((e) => e.target),
    ).toEqual([id.node('n1')]);
    expect(
      model.edges
        .filter((e) => e.source === 'lb:instanceGroups/us-central1-b/k8s-ig--abc')
        .map((e) => e.target),
    ).toEqual([id.node('n2')]);
  });

  it('HTTP(S) load balancing: forwarding rule → proxy → URL map → backend services → instance groups → nodes, with Cloud Armor and IAP', () => {
    const base = 'https://compute/projects/p';
    const model = buildTopology(
      seedInput(
        {},
        {
          loadBalancing: [
            {
              collection: 'forwardingRules',
              name: 'fr',
              scope: 'global',
              selfLink: `${base}/global/forwardingRules/fr`,
              resource: { IPAddress: '34.1.2.3', target: `${base}/global/targetHttpProxies/px` },
            },
            {
              collection: 'targetHttpProxies',
              name: 'px',
              scope: 'global',
              selfLink: `${base}/global/targetHttpProxies/px`,
              resource: { urlMap: `${base}/global/urlMaps/um` },
            },
            {
              collection: 'urlMaps',
              name: 'um',
              scope: 'global',
              selfLink: `${base}/global/urlMaps/um`,
              resource: {
                defaultService: `${base}/global/backendServices/be1`,
                pathMatchers: [
                  {
                    defaultService: `${base}/global/backendServices/be1`,
                    pathRules: [{ service: `${base}/global/backendServices/be2` }],
                  },
                ],
              },
            },
            {
              collection: 'backendServices',
              name: 'be1',
              scope: 'global',
              selfLink: `${base}/global/backendServices/be1`,
              resource: {
                protocol: 'HTTP',
                securityPolicy: `${base}/global/securityPolicies/armor`,
                iap: { enabled: true },
                backends: [{ group: `${base}/zones/us-central1-a/instanceGroups/k8s-ig--abc` }],
              },
            },
            {
              collection: 'backendServices',
              name: 'be2',
              scope: 'global',
              selfLink: `${base}/global/backendServices/be2`,
              resource: {
                protocol: 'HTTP',
                backends: [{ group: `${base}/zones/us-central1-a/instanceGroups/k8s-ig--abc` }],
              },
            },
          ],
        },
      ),
    );
    const lb = (c: string, n: string) => id.lb(c, 'global', n);
    const chain = model.edges.filter((e) => e.kind === 'chain').map((e) => `${e.source} > ${e.target}`);
    const group = 'lb:instanceGroups/us-central1-a/k8s-ig--abc';
    expect(chain).toEqual([
      `${lb('forwardingRules', 'fr')} > ${lb('targetHttpProxies', 'px')}`,
      `${lb('targetHttpProxies', 'px')} > ${lb('urlMaps', 'um')}`,
      `${lb('urlMaps', 'um')} > ${lb('backendServices', 'be1')}`,
      `${lb('urlMaps', 'um')} > ${lb('backendServices', 'be2')}`,
      `${lb('backendServices', 'be1')} > ${group}`,
      `${lb('backendServices', 'be2')} > ${group}`,
    ]);
    expect(model.byId.get(lb('backendServices', 'be1'))?.lines).toEqual([
      'HTTP · 1 backends',
      'Cloud Armor: armor · IAP on',
    ]);
    // the group holds the nodes of its zone, each edge once
    expect(model.edges.filter((e) => e.source === group).map((e) => e.target)).toEqual([id.node('n1')]);
  });

  it('one cluster picked: other clusters stay as boxes without their objects', () => {
    const input = seedInput();
    input.clusters.push({
      ...(input.clusters[0] as TopologyInput['clusters'][number]),
      name: 'c2',
      location: 'us-east1',
    });
    const model = buildTopology(input, { cluster: 'us-east1/c2' });
    expect(model.byId.has(id.cluster('us-central1-a', 'c1'))).toBe(true);
    expect(childrenOf(model).get(id.cluster('us-central1-a', 'c1'))).toBeUndefined();
    expect(model.byId.has(id.node('n1'))).toBe(true); // c2 holds the same objects in this test
    expect(model.byId.get(id.node('n1'))?.parent).toBe(id.pool('us-east1/c2', 'default-pool'));
  });

  it('scales: the synthetic 1,000 nodes / 5,000 pods / 200 Services', () => {
    const model = buildTopology(syntheticInput({ nodes: 1000, pods: 5000, services: 200 }));
    expect(model.counts).toEqual({ networks: 1, clusters: 1, nodes: 1000, pods: 5000, services: 200 });
    expect(model.edges.filter((e) => e.kind === 'member')).toHaveLength(5000);
    const pods = model.byId.get(id.subnet('us-central1', 'nodes'))?.bars?.[1];
    expect(pods?.segments[0]).toMatchObject({ kind: 'podRanges', count: 1000 * 256 });
  });
});

/** The external forwarding rule `afrontend` (198.18.0.1, TCP 80) of project p, sending to `destination`. */
function externalForwardingRule(base: string, destination: { target: string } | { backendService: string }) {
  return {
    collection: 'forwardingRules',
    name: 'afrontend',
    scope: 'us-central1',
    selfLink: `${base}/regions/us-central1/forwardingRules/afrontend`,
    resource: {
      IPAddress: '198.18.0.1',
      IPProtocol: 'TCP',
      portRange: '80-80',
      loadBalancingScheme: 'EXTERNAL',
      ...destination,
    },
  };
}
