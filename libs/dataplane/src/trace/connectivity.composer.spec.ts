import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tracePacket } from '../kube-proxy';
import { evaluateConnection } from '../netpol';
import type { NetworkPolicy } from '../netpol';
import { evaluatePacket } from '../vpc';
import {
  GKE_FIREWALLS,
  PODS,
  SERVICES,
  SLICES,
  clusterInputs,
  k8sFirewall,
  lbService,
  slice,
} from './connectivity-cluster.fixture';
import { composeReachability } from './connectivity.composer';
import {
  ABORT_INFO_CAUSE,
  DROP_INFO_CAUSE,
  REACHABILITY_DETAILS_RESULT,
  STEP_STATE,
} from './network-management-enums.generated';
import type { ReachabilityDetails, Step, Trace } from './reachability.types';
import type { TraceInputs, TraceQuery } from './trace-inputs.types';

const internet = (ip: string, port = 80, source = '203.0.113.5'): TraceQuery => ({
  source: { ipAddress: source },
  destination: { ipAddress: ip, port },
  protocol: 'TCP',
});

function states(trace: Trace): string[] {
  return trace.steps.map((step) => step.state);
}

function last(trace: Trace): Step {
  const step = trace.steps[trace.steps.length - 1];
  if (!step) throw new Error('empty trace');
  return step;
}

function deliveredPods(details: ReachabilityDetails): string[] {
  return details.traces
    .map(last)
    .filter((step) => step.state === 'DELIVER' && step.pod)
    .map((step) => `${step.pod?.namespace}/${step.pod?.name}`)
    .sort();
}

/** Every enum value the composer wrote is one of Google's (gcloud rejects others). */
function expectGoogleEnums(details: ReachabilityDetails): void {
  expect(REACHABILITY_DETAILS_RESULT).toContain(details.result);
  for (const trace of details.traces) {
    for (const step of trace.steps) {
      expect(STEP_STATE).toContain(step.state);
      if (step.drop) expect(DROP_INFO_CAUSE).toContain(step.drop.cause);
      if (step.abort) expect(ABORT_INFO_CAUSE).toContain(step.abort.cause);
    }
    const final = last(trace).state;
    expect(['DELIVER', 'DROP', 'FORWARD', 'ABORT']).toContain(final);
    // causesDrop marks the step that decides a drop, and only in dropped traces.
    if (final === 'DELIVER') expect(trace.steps.some((step) => step.causesDrop)).toBe(false);
  }
}

function compose(inputs: TraceInputs, query: TraceQuery): ReachabilityDetails {
  const details = composeReachability(inputs, query);
  expectGoogleEnums(details);
  return details;
}

describe('composeReachability: the internet to a LoadBalancer Service', () => {
  const inputs = clusterInputs();

  it('crosses the forwarding rule, the load balancer, the node firewall and kube-proxy to every endpoint', () => {
    const details = compose(inputs, internet('34.1.1.1'));
    expect(details.result).toBe('REACHABLE');
    // two healthy nodes × two endpoints each
    expect(details.traces).toHaveLength(4);
    expect(details.traces.reduce((sum, trace) => sum + (trace.probability ?? 0), 0)).toBeCloseTo(1);
    expect(deliveredPods(details)).toEqual([
      'default/web-1',
      'default/web-1',
      'default/web-2',
      'default/web-2',
    ]);
    for (const trace of details.traces) {
      expect(states(trace).slice(0, 6)).toEqual([
        'START_FROM_INTERNET',
        'APPLY_FORWARDING_RULE',
        'ARRIVE_AT_EXTERNAL_LOAD_BALANCER',
        'APPLY_INGRESS_FIREWALL_RULE',
        'ARRIVE_AT_INSTANCE',
        'NAT',
      ]);
      expect(trace.steps[3]?.firewall?.displayName).toBe('k8s-fw-34.1.1.1');
      expect(trace.steps[5]?.kubeProxy?.endpoints.map((e) => `${e.pod}@${e.node}`).sort()).toEqual([
        'default/web-1@n1',
        'default/web-2@n2',
      ]);
    }
  });

  it('shows the hop to the endpoint on another node: egress, the pod-range route, gke-…-all / node rules', () => {
    const details = compose(inputs, internet('34.1.1.1'));
    const crossing = details.traces.find(
      (trace) => trace.steps[4]?.instance?.displayName === 'n1' && last(trace).pod?.name === 'web-2',
    );
    expect(crossing && states(crossing).slice(6)).toEqual([
      'APPLY_EGRESS_FIREWALL_RULE',
      'APPLY_ROUTE',
      'APPLY_INGRESS_FIREWALL_RULE',
      'ARRIVE_AT_INSTANCE',
      'APPLY_INGRESS_FIREWALL_RULE',
      'DELIVER',
    ]);
    const route = crossing?.steps[7]?.route;
    expect(route).toMatchObject({
      displayName: 'subnet-pods',
      routeType: 'SUBNET',
      nextHopType: 'NEXT_HOP_NETWORK',
    });
    // externalTrafficPolicy Cluster masquerades, so the other node sees node n1's address
    expect(crossing?.steps[5]?.kubeProxy?.masquerade).toBe(true);
    expect(crossing?.steps[8]?.firewall?.displayName).toBe('gke-c-vms');
    expect(last(crossing as Trace).deliver).toMatchObject({
      target: 'INSTANCE',
      resourceUri: 'projects/p/zones/us-central1-a/instances/n2',
      ipAddress: '10.4.1.5',
    });
  });

  it('reports each backend with its health-check firewall state', () => {
    const details = compose(inputs, internet('34.1.1.1'));
    expect(details.traces[0]?.steps[2]?.loadBalancer).toMatchObject({
      loadBalancerType: 'NETWORK_TCP_UDP',
      backendType: 'TARGET_POOL',
      backends: [
        { displayName: 'n1', healthCheckFirewallState: 'CONFIGURED', healthState: 'HEALTHY' },
        { displayName: 'n2', healthCheckFirewallState: 'CONFIGURED', healthState: 'HEALTHY' },
      ],
    });
  });

  it('a backend service-based external load balancer (RBS): the forwarding rule, the regional backend service and its groups’ nodes', () => {
    const backendUri = 'projects/p/regions/us-central1/backendServices/k8s2-abcd1234-default-web-x1y2z3w4';
    const rbs = {
      ...inputs,
      forwardingRules: inputs.forwardingRules.map((rule) =>
        rule.ip === '34.1.1.1' && rule.loadBalancer
          ? {
              ...rule,
              target: backendUri,
              loadBalancer: {
                ...rule.loadBalancer,
                backendType: 'BACKEND_SERVICE' as const,
                backendUri,
                healthCheckUri: 'projects/p/regions/us-central1/healthChecks/k8s2-abcd1234-l4-shared-hc',
              },
            }
          : rule,
      ),
    };
    const details = compose(rbs, internet('34.1.1.1'));
    expect(details.result).toBe('REACHABLE');
    expect(states(details.traces[0] as Trace).slice(0, 3)).toEqual([
      'START_FROM_INTERNET',
      'APPLY_FORWARDING_RULE',
      'ARRIVE_AT_EXTERNAL_LOAD_BALANCER',
    ]);
    expect(details.traces[0]?.steps[1]?.forwardingRule?.target).toBe(backendUri);
    expect(details.traces[0]?.steps[2]?.loadBalancer).toMatchObject({
      loadBalancerType: 'NETWORK_TCP_UDP',
      backendType: 'BACKEND_SERVICE',
      backendUri,
      healthCheckUri: 'projects/p/regions/us-central1/healthChecks/k8s2-abcd1234-l4-shared-hc',
      backends: [
        { displayName: 'n1', healthState: 'HEALTHY' },
        { displayName: 'n2', healthState: 'HEALTHY' },
      ],
    });
    expect(deliveredPods(details)).toEqual(deliveredPods(compose(inputs, internet('34.1.1.1'))));
  });

  it('drops a port the forwarding rule does not carry', () => {
    const details = compose(inputs, internet('34.1.1.1', 81));
    expect(details.result).toBe('UNREACHABLE');
    expect(details.traces).toHaveLength(1);
    expect(states(details.traces[0] as Trace)).toEqual([
      'START_FROM_INTERNET',
      'APPLY_FORWARDING_RULE',
      'DROP',
    ]);
    expect(details.traces[0]?.steps[1]?.causesDrop).toBe(true);
    expect(last(details.traces[0] as Trace).drop?.cause).toBe('FORWARDING_RULE_MISMATCH');
  });

  it('drops at the node firewall when no rule lets the client in (implied deny)', () => {
    const firewalls = GKE_FIREWALLS.filter((rule) => rule.name !== 'k8s-fw-34.1.1.1');
    const details = compose(clusterInputs({ firewalls }), internet('34.1.1.1'));
    expect(details.result).toBe('UNREACHABLE');
    expect(details.traces).toHaveLength(2);
    for (const trace of details.traces) {
      const deciding = trace.steps.find((step) => step.causesDrop);
      expect(deciding?.firewall).toMatchObject({
        displayName: 'implied-deny-ingress',
        action: 'DENY',
        firewallRuleType: 'IMPLIED_VPC_FIREWALL_RULE',
      });
      expect(last(trace).drop?.cause).toBe('FIREWALL_RULE');
    }
  });

  it('names a deny rule that wins', () => {
    const firewalls = [
      ...GKE_FIREWALLS,
      {
        name: 'deny-203',
        network: 'projects/p/global/networks/vpc',
        priority: 100,
        denied: [{ IPProtocol: 'all' }],
        sourceRanges: ['203.0.113.0/24'],
      },
    ];
    const details = compose(clusterInputs({ firewalls }), internet('34.1.1.1'));
    expect(details.result).toBe('UNREACHABLE');
    expect(
      details.traces.map((trace) => trace.steps.find((s) => s.causesDrop)?.firewall?.displayName),
    ).toEqual(['deny-203', 'deny-203']);
  });

  it('externalTrafficPolicy Local: only nodes with a ready local endpoint pass the health check', () => {
    const details = compose(inputs, internet('34.1.1.2'));
    expect(details.result).toBe('REACHABLE');
    const backends = details.traces[0]?.steps[2]?.loadBalancer?.backends ?? [];
    expect(backends.map((b) => [b.displayName, b.healthState])).toEqual([
      ['n1', 'HEALTHY'],
      ['n2', 'UNHEALTHY'],
    ]);
    expect(backends[1]?.healthDetail).toContain('no ready endpoint of default/local');
    expect(details.traces).toHaveLength(1);
    expect(details.traces[0]?.steps[4]?.instance?.displayName).toBe('n1');
    expect(deliveredPods(details)).toEqual(['default/local-1']);
    // Local keeps the client's address: no masquerade
    expect(details.traces[0]?.steps[5]?.kubeProxy?.masquerade).toBe(false);
  });

  it('externalTrafficPolicy Local with no endpoint anywhere: every node fails, traffic spreads to all and kube-proxy drops it', () => {
    const details = compose(inputs, internet('34.1.1.4'));
    expect(details.result).toBe('UNREACHABLE');
    expect(details.traces).toHaveLength(2);
    expect(
      details.traces[0]?.steps[2]?.loadBalancer?.backends.every((b) => b.healthState === 'UNHEALTHY'),
    ).toBe(true);
    for (const trace of details.traces) {
      expect(last(trace).drop?.cause).toBe('DROPPED_INSIDE_GKE_SERVICE');
      expect(trace.steps.find((step) => step.causesDrop)?.kubeProxy?.verdict).toMatch(/DROP|REJECT/);
    }
  });

  it('a health-check firewall that blocks the probes marks every backend MISCONFIGURED and unhealthy', () => {
    const firewalls = GKE_FIREWALLS.filter((rule) => rule.name !== 'k8s-c-node-hc');
    const details = compose(clusterInputs({ firewalls }), internet('34.1.1.1'));
    const backends = details.traces[0]?.steps[2]?.loadBalancer?.backends ?? [];
    expect(backends.map((b) => [b.healthCheckFirewallState, b.healthState])).toEqual([
      ['MISCONFIGURED', 'UNHEALTHY'],
      ['MISCONFIGURED', 'UNHEALTHY'],
    ]);
    expect(backends[0]?.healthCheckBlockingFirewallRules).toEqual(['implied-deny-ingress']);
  });

  it('loadBalancerSourceRanges: the k8s-fw rule drops other clients at the VPC', () => {
    const details = compose(inputs, internet('34.1.1.3'));
    expect(details.result).toBe('UNREACHABLE');
    expect(last(details.traces[0] as Trace).drop?.cause).toBe('FIREWALL_RULE');
    const allowed = compose(inputs, internet('34.1.1.3', 80, '198.51.100.7'));
    expect(allowed.result).toBe('REACHABLE');
    expect(deliveredPods(allowed)).toEqual(['default/web-1', 'default/web-1']);
  });

  it('loadBalancerSourceRanges: with the VPC open, kube-proxy drops other clients (KUBE-PROXY-FIREWALL)', () => {
    const open = GKE_FIREWALLS.map((rule) =>
      rule.name === 'k8s-fw-34.1.1.3' ? k8sFirewall('34.1.1.3') : rule,
    );
    const details = compose(clusterInputs({ firewalls: open }), internet('34.1.1.3'));
    expect(details.result).toBe('UNREACHABLE');
    for (const trace of details.traces) {
      const deciding = trace.steps.find((step) => step.causesDrop);
      expect(deciding?.state).toBe('NAT');
      expect(deciding?.kubeProxy?.chains.some((chain) => /KUBE-(FW|PROXY-FIREWALL)/.test(chain))).toBe(true);
      expect(last(trace).drop?.cause).toBe('DROPPED_INSIDE_GKE_SERVICE');
    }
  });
});

describe('composeReachability: NetworkPolicy', () => {
  const denyWeb: NetworkPolicy = {
    metadata: { name: 'deny-web', namespace: 'default' },
    spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
  };
  const allowClient: NetworkPolicy = {
    metadata: { name: 'allow-client', namespace: 'default' },
    spec: {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }],
    },
  };
  const clientToService: TraceQuery = {
    source: { ipAddress: '10.4.0.7' },
    destination: { ipAddress: '10.8.0.10', port: 80 },
    protocol: 'TCP',
  };

  it('enforced: an isolating policy with no matching rule drops, naming the policy', () => {
    const inputs = clusterInputs({ policies: [denyWeb], networkPolicyEnforced: true });
    const details = compose(inputs, clientToService);
    expect(details.result).toBe('UNREACHABLE');
    for (const trace of details.traces) {
      const deciding = trace.steps.find((step) => step.causesDrop);
      expect(deciding?.state).toBe('APPLY_INGRESS_FIREWALL_RULE');
      expect(deciding?.networkPolicy).toMatchObject({
        direction: 'ingress',
        enforced: true,
        allowed: false,
        isolatingPolicies: ['default/deny-web'],
      });
      expect(last(trace).drop?.cause).toBe('DROPPED_INSIDE_GKE_SERVICE');
    }
  });

  it('enforced: the rule that allowed is named', () => {
    const inputs = clusterInputs({ policies: [denyWeb, allowClient], networkPolicyEnforced: true });
    const details = compose(inputs, clientToService);
    expect(details.result).toBe('REACHABLE');
    const ingress = details.traces[0]?.steps.find((step) => step.networkPolicy?.direction === 'ingress');
    expect(ingress?.networkPolicy?.allowingRules).toEqual(['default/allow-client ingress[0]']);
  });

  it('not enforced: the trace says the policies exist but do not apply, and delivers', () => {
    const inputs = clusterInputs({ policies: [denyWeb], networkPolicyEnforced: false });
    const details = compose(inputs, clientToService);
    expect(details.result).toBe('REACHABLE');
    const ingress = details.traces[0]?.steps.find((step) => step.networkPolicy?.direction === 'ingress');
    expect(ingress?.networkPolicy).toMatchObject({
      enforced: false,
      allowed: false,
      enforcement: 'not enabled',
    });
    expect(ingress?.description).toContain('not enforced');
    expect(ingress?.causesDrop).toBe(false);
  });

  it('a pod to a ClusterIP: kube-proxy on the pod’s own node picks the endpoint; same-node paths skip the VPC', () => {
    const details = compose(clusterInputs(), clientToService);
    expect(details.result).toBe('REACHABLE');
    expect(details.traces).toHaveLength(2);
    const [first] = details.traces;
    expect(first?.steps[0]).toMatchObject({
      state: 'START_FROM_INSTANCE',
      pod: { name: 'client', node: 'n1' },
    });
    const byPod = new Map(details.traces.map((trace) => [last(trace).pod?.name, states(trace)]));
    expect(byPod.get('web-1')).toEqual([
      'START_FROM_INSTANCE',
      'NAT',
      'APPLY_EGRESS_FIREWALL_RULE',
      'APPLY_INGRESS_FIREWALL_RULE',
      'DELIVER',
    ]);
    expect(byPod.get('web-2')).toEqual([
      'START_FROM_INSTANCE',
      'NAT',
      'APPLY_EGRESS_FIREWALL_RULE',
      'APPLY_EGRESS_FIREWALL_RULE',
      'APPLY_ROUTE',
      'APPLY_INGRESS_FIREWALL_RULE',
      'ARRIVE_AT_INSTANCE',
      'APPLY_INGRESS_FIREWALL_RULE',
      'DELIVER',
    ]);
  });

  it('AMBIGUOUS when some endpoints are allowed and others not', () => {
    const denyWeb2: NetworkPolicy = {
      metadata: { name: 'deny-web-2', namespace: 'default' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
    };
    const pods = PODS.map((pod) =>
      pod.name === 'web-2'
        ? { ...pod, labels: { app: 'web' } }
        : pod.name === 'web-1'
          ? { ...pod, labels: { app: 'web1' } }
          : pod,
    );
    const inputs = clusterInputs({ pods, policies: [denyWeb2], networkPolicyEnforced: true });
    const details = compose(inputs, clientToService);
    expect(details.result).toBe('AMBIGUOUS');
    expect(deliveredPods(details)).toEqual(['default/web-1']);
  });

  it('pod to pod directly, across nodes', () => {
    const details = compose(clusterInputs(), {
      source: { ipAddress: '10.4.0.7' },
      destination: { ipAddress: '10.4.1.5', port: 8080 },
      protocol: 'TCP',
    });
    expect(details.result).toBe('REACHABLE');
    expect(
      details.traces[0]?.steps.find((step) => step.state === 'ARRIVE_AT_INSTANCE')?.instance?.displayName,
    ).toBe('n2');
    expect(
      details.traces[0]?.steps.find((step) => step.firewall?.direction === 'INGRESS')?.firewall?.displayName,
    ).toBe('gke-c-all');
  });
});

describe('composeReachability: VMs, the internet and bad input', () => {
  const inputs = clusterInputs({ externalNodes: ['n1'] });

  it('a node to the internet with an external address is delivered to the internet', () => {
    const details = compose(inputs, {
      source: { instance: 'projects/p/zones/us-central1-a/instances/n1' },
      destination: { ipAddress: '8.8.8.8', port: 443 },
    });
    expect(details.result).toBe('REACHABLE');
    expect(states(details.traces[0] as Trace)).toEqual([
      'START_FROM_INSTANCE',
      'APPLY_EGRESS_FIREWALL_RULE',
      'APPLY_ROUTE',
      'DELIVER',
    ]);
    expect(details.traces[0]?.steps[2]?.route).toMatchObject({
      displayName: 'default-route-igw',
      nextHopType: 'NEXT_HOP_INTERNET_GATEWAY',
      routeType: 'STATIC',
    });
    expect(last(details.traces[0] as Trace).deliver?.target).toBe('INTERNET');
  });

  it('a node without an external address cannot reach the internet', () => {
    const details = compose(inputs, {
      source: { ipAddress: '10.128.0.3' },
      destination: { ipAddress: '8.8.8.8', port: 443 },
    });
    expect(last(details.traces[0] as Trace).drop?.cause).toBe('NO_EXTERNAL_ADDRESS');
  });

  it('the internet to a node’s external address: the NAT, the firewall (closed), a drop', () => {
    const details = compose(inputs, internet('34.0.0.2', 22));
    expect(states(details.traces[0] as Trace)).toEqual([
      'START_FROM_INTERNET',
      'NAT',
      'APPLY_INGRESS_FIREWALL_RULE',
      'DROP',
    ]);
  });

  it('the internet to a NodePort on a node’s external address, once a firewall rule opens it', () => {
    const firewalls = [
      ...GKE_FIREWALLS,
      {
        name: 'allow-nodeports',
        network: 'projects/p/global/networks/vpc',
        allowed: [{ IPProtocol: 'tcp', ports: ['30000-32767'] }],
        sourceRanges: ['0.0.0.0/0'],
      },
    ];
    const details = compose(clusterInputs({ firewalls, externalNodes: ['n1'] }), internet('34.0.0.2', 30010));
    expect(details.result).toBe('REACHABLE');
    expect(deliveredPods(details)).toEqual(['default/web-1', 'default/web-2']);
    expect(details.traces[0]?.steps.find((step) => step.kubeProxy)?.kubeProxy?.servicePort).toBe(
      'default/web:30010',
    );
  });

  it('a VM to a node’s own address delivers to the instance', () => {
    const details = compose(inputs, {
      source: { ipAddress: '10.128.0.3' },
      destination: { ipAddress: '10.128.0.2', port: 10250 },
    });
    expect(details.result).toBe('REACHABLE');
    expect(last(details.traces[0] as Trace).deliver).toMatchObject({
      target: 'INSTANCE',
      ipAddress: '10.128.0.2',
    });
  });

  it('an internal address with nothing behind it', () => {
    const details = compose(inputs, {
      source: { ipAddress: '10.128.0.3' },
      destination: { ipAddress: '10.128.0.99', port: 80 },
    });
    expect(last(details.traces[0] as Trace).drop?.cause).toBe('UNKNOWN_INTERNAL_ADDRESS');
  });

  it('an address of a VPC range without a VM starts from the private network', () => {
    const details = compose(inputs, {
      source: { ipAddress: '10.128.0.50' },
      destination: { ipAddress: '10.4.0.5', port: 8080 },
    });
    expect(details.traces[0]?.steps[0]).toMatchObject({
      state: 'START_FROM_PRIVATE_NETWORK',
      network: { displayName: 'vpc', matchedIpRange: '10.128.0.0/20' },
    });
    expect(details.result).toBe('REACHABLE');
  });

  it.each([
    ['an unknown external address', internet('192.0.2.200'), 'DROP', 'UNKNOWN_EXTERNAL_ADDRESS'],
    ['an internal address from the internet', internet('10.4.0.5', 8080), 'DROP', 'NO_ROUTE'],
  ])('%s', (_, query, state, cause) => {
    const details = compose(inputs, query);
    expect(details.result).toBe('UNREACHABLE');
    expect(last(details.traces[0] as Trace)).toMatchObject({ state, drop: { cause } });
  });

  it.each<[string, TraceQuery, string]>([
    [
      'a source that is not IPv4',
      { source: { ipAddress: 'nope' }, destination: { ipAddress: '34.1.1.1', port: 80 } },
      'INVALID_ARGUMENT',
    ],
    [
      'a destination that is not IPv4',
      { source: { ipAddress: '1.2.3.4' }, destination: { ipAddress: '1.2.3', port: 80 } },
      'INVALID_ARGUMENT',
    ],
    [
      'TCP without a port',
      { source: { ipAddress: '1.2.3.4' }, destination: { ipAddress: '34.1.1.1' } },
      'INVALID_ARGUMENT',
    ],
    [
      'a port out of range',
      { source: { ipAddress: '1.2.3.4' }, destination: { ipAddress: '34.1.1.1', port: 70000 } },
      'INVALID_ARGUMENT',
    ],
    ['no source', { source: {}, destination: { ipAddress: '34.1.1.1', port: 80 } }, 'NO_SOURCE_LOCATION'],
    [
      'an unknown source instance',
      {
        source: { instance: 'projects/p/zones/z/instances/ghost' },
        destination: { ipAddress: '34.1.1.1', port: 80 },
      },
      'SOURCE_ENDPOINT_NOT_FOUND',
    ],
    [
      'an unknown forwarding rule',
      {
        source: { ipAddress: '1.2.3.4' },
        destination: { forwardingRule: 'projects/p/regions/r/forwardingRules/ghost', port: 80 },
      },
      'DESTINATION_ENDPOINT_NOT_FOUND',
    ],
    [
      'no destination',
      { source: { ipAddress: '1.2.3.4' }, destination: { port: 80 } },
      'DESTINATION_ENDPOINT_NOT_FOUND',
    ],
  ])('%s: UNDETERMINED, aborted with Google’s cause', (_, query, cause) => {
    const details = compose(inputs, query);
    expect(details.result).toBe('UNDETERMINED');
    expect(details.traces).toHaveLength(1);
    expect(last(details.traces[0] as Trace)).toMatchObject({ state: 'ABORT', abort: { cause } });
  });

  it('ICMP needs no port and skips kube-proxy: a pod pings another node (gke-…-all allows it)', () => {
    const details = compose(inputs, {
      source: { ipAddress: '10.4.1.5' },
      destination: { ipAddress: '10.128.0.2' },
      protocol: 'ICMP',
    });
    expect(details.result).toBe('REACHABLE');
    expect(details.traces[0]?.endpointInfo).toEqual({
      sourceIp: '10.4.1.5',
      destinationIp: '10.128.0.2',
      protocol: 'ICMP',
    });
    expect(details.traces[0]?.steps.some((step) => step.kubeProxy)).toBe(false);
    expect(
      details.traces[0]?.steps.find((step) => step.firewall?.direction === 'INGRESS')?.firewall?.displayName,
    ).toBe('gke-c-all');
  });

  it('ICMP from a node to another node is refused by the node rules (tcp only)', () => {
    const details = compose(inputs, {
      source: { ipAddress: '10.128.0.3' },
      destination: { ipAddress: '10.128.0.2' },
      protocol: 'ICMP',
    });
    expect(details.result).toBe('UNREACHABLE');
    expect(last(details.traces[0] as Trace).drop?.cause).toBe('FIREWALL_RULE');
  });

  it('a destination given as a forwarding rule uses its address', () => {
    const details = compose(inputs, {
      source: { ipAddress: '203.0.113.5' },
      destination: {
        forwardingRule:
          'https://compute.googleapis.com/compute/v1/projects/p/regions/us-central1/forwardingRules/a-web',
        port: 80,
      },
    });
    expect(details.traces[0]?.endpointInfo.destinationIp).toBe('34.1.1.1');
    expect(details.result).toBe('REACHABLE');
  });

  it('bypassFirewallChecks leaves the firewall steps out', () => {
    const firewalls = GKE_FIREWALLS.filter((rule) => rule.name !== 'k8s-fw-34.1.1.1');
    const details = compose(clusterInputs({ firewalls }), {
      ...internet('34.1.1.1'),
      bypassFirewallChecks: true,
    });
    expect(details.result).toBe('REACHABLE');
    expect(details.traces.every((trace) => trace.steps.every((step) => !step.firewall))).toBe(true);
  });
});

describe('composeReachability agrees with each layer’s own read', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  const address = fc.tuple(fc.constantFrom(198, 203, 8), octet, octet, octet).map((parts) => parts.join('.'));
  const prefix = fc
    .tuple(fc.constantFrom(198, 203, 8), octet, fc.integer({ min: 8, max: 24 }))
    .map(([a, b, length]) => `${a}.${b}.0.0/${length}`);

  it('internet → LB: REACHABLE exactly when the forwarding rule carries the port, the node firewall allows and kube-proxy DNATs', () => {
    fc.assert(
      fc.property(
        address,
        fc.integer({ min: 78, max: 82 }),
        fc.array(prefix, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (source, port, ranges, kubeRanges) => {
          const service = lbService(
            'web',
            '34.1.1.1',
            '10.8.0.10',
            kubeRanges ? { loadBalancerSourceRanges: ranges } : {},
          );
          const firewalls = [
            ...GKE_FIREWALLS.filter((rule) => rule.name !== 'k8s-fw-34.1.1.1'),
            k8sFirewall('34.1.1.1', ranges),
          ];
          const inputs = clusterInputs({
            firewalls,
            services: [service, ...SERVICES.slice(1)],
            slices: SLICES,
          });
          const details = composeReachability(inputs, internet('34.1.1.1', port, source));
          expectGoogleEnums(details);
          const node = inputs.instances[0];
          const cluster = inputs.clusters[0];
          if (!node || !cluster) throw new Error('fixture');
          const firewall = evaluatePacket(node.firewall, {
            direction: 'INGRESS',
            srcIp: source,
            dstIp: '34.1.1.1',
            protocol: 'tcp',
            port,
          });
          const { dump, localAddresses } = cluster.nodeIptables('n1');
          const proxy = tracePacket(
            dump,
            { sourceIP: source, destinationIP: '34.1.1.1', destinationPort: port },
            [...localAddresses],
          );
          const expected = port === 80 && firewall.action === 'allow' && proxy.verdict === 'DNAT';
          expect(details.result === 'REACHABLE').toBe(expected);
          if (!expected) expect(details.result).toBe('UNREACHABLE');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('pod → pod: delivered exactly when the NetworkPolicy verdict allows (enforced), always when not enforced', () => {
    const labels = fc.constantFrom('web', 'client', 'db');
    fc.assert(
      fc.property(labels, labels, fc.boolean(), fc.boolean(), (selected, allowedFrom, enforced, fromPod) => {
        const policy: NetworkPolicy = {
          metadata: { name: 'p1', namespace: 'default' },
          spec: {
            podSelector: { matchLabels: { app: selected } },
            ingress: [{ from: [{ podSelector: { matchLabels: { app: allowedFrom } } }] }],
          },
        };
        const inputs = clusterInputs({ policies: [policy], networkPolicyEnforced: enforced });
        const source = fromPod ? '10.4.0.7' : '10.128.0.50';
        const details = composeReachability(inputs, {
          source: { ipAddress: source },
          destination: { ipAddress: '10.4.1.5', port: 8080 },
        });
        expectGoogleEnums(details);
        const cluster = inputs.clusters[0];
        if (!cluster) throw new Error('fixture');
        const verdict = evaluateConnection(cluster.policies, {
          source: fromPod ? { pod: { namespace: 'default', name: 'client' } } : { ip: source },
          destination: { pod: { namespace: 'default', name: 'web-2' } },
          protocol: 'TCP',
          port: 8080,
        });
        expect(details.result).toBe(!enforced || verdict.allowed ? 'REACHABLE' : 'UNREACHABLE');
      }),
      { numRuns: 60 },
    );
  });
});

describe('composeReachability: limits', () => {
  it('keeps at most MAX_TRACES paths', () => {
    const pods = Array.from({ length: 50 }, (_, i) => ({
      namespace: 'default',
      name: `many-${i}`,
      ip: `10.4.${i % 2}.${100 + i}`,
      nodeName: i % 2 === 0 ? 'n1' : 'n2',
      labels: { app: 'many' },
    }));
    const service = lbService('many', '34.1.1.9', '10.8.0.99');
    const inputs = clusterInputs({
      pods: [...PODS, ...pods],
      services: [service],
      slices: [slice('many', pods)],
      firewalls: [...GKE_FIREWALLS, k8sFirewall('34.1.1.9')],
    });
    const details = compose(inputs, internet('34.1.1.9'));
    expect(details.traces).toHaveLength(64);
    expect(details.result).toBe('REACHABLE');
  });
});
