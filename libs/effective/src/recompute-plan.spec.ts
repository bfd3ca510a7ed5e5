import { describe, expect, it } from 'vitest';
import {
  kubeProxyChangesEveryNode,
  NETWORK_POLICY_ENFORCEMENT_CHANGE,
  needsVpcRecompute,
  networkPolicyEnforcementChanged,
  notifyPayload,
  objectChanges,
  planNodes,
  stillSkipped,
} from './recompute-plan';

const change = (resource: string, name: string, namespace = '') => ({ resource, namespace, name });
const NODES = ['n-a', 'n-b', 'n-c'];
const none = { all: false, nodes: new Set<string>() };

describe('needsVpcRecompute', () => {
  it('recomputes routes and firewall on the first computation, and when a node or a VPC input changed', () => {
    expect(needsVpcRecompute(true, [])).toBe(true);
    expect(needsVpcRecompute(false, [change('vpc', 'firewalls/allow')])).toBe(true);
    expect(needsVpcRecompute(false, [change('nodes', 'n-a')])).toBe(true);
  });
  it('leaves them alone when only Kubernetes objects changed', () => {
    expect(
      needsVpcRecompute(false, [change('pods', 'web-1', 'default'), change('services', 'web', 'default')]),
    ).toBe(false);
    expect(needsVpcRecompute(false, [])).toBe(false);
  });
});

describe('objectChanges and kubeProxyChangesEveryNode', () => {
  it('keeps only the objects the data plane copies', () => {
    const kept = objectChanges([
      change('vpc', 'x'),
      change('nodes', 'n-a'),
      change('pods', 'p', 'default'),
      change('networkpolicies', 'deny', 'default'),
    ]);
    expect(kept.map((c) => c.resource)).toEqual(['pods', 'networkpolicies']);
  });
  it('a Service or an EndpointSlice reaches every node; a pod or a policy does not', () => {
    expect(kubeProxyChangesEveryNode([change('services', 'web', 'default')])).toBe(true);
    expect(kubeProxyChangesEveryNode([change('endpointslices', 'web-abc', 'default')])).toBe(true);
    expect(
      kubeProxyChangesEveryNode([change('pods', 'web-1', 'default'), change('networkpolicies', 'd', 'x')]),
    ).toBe(false);
  });
});

describe('planNodes', () => {
  it('the first computation recomputes every part on every node, and notifies every node', () => {
    const plan = planNodes({
      full: true,
      changes: [],
      nodeNames: NODES,
      vpcNodes: NODES,
      kubeProxyAll: false,
      netpolImpact: none,
    });
    expect(plan).toMatchObject({ kubeProxyEveryNode: true, netpolEveryNode: true, notify: null });
    expect(plan.nodes).toEqual({ vpc: 3, kubeProxy: 3, networkPolicy: 3, total: 3 });
  });

  it('a Service change is recorded once for the cluster, on every node', () => {
    const plan = planNodes({
      full: false,
      changes: [change('services', 'web', 'default')],
      nodeNames: NODES,
      vpcNodes: [],
      kubeProxyAll: true,
      netpolImpact: none,
    });
    expect(plan).toMatchObject({
      kubeProxyEveryNode: true,
      netpolEveryNode: false,
      netpolNodes: [],
      notify: null,
    });
    expect(plan.nodes).toEqual({ vpc: 0, kubeProxy: 3, networkPolicy: 0, total: 3 });
  });

  it('NetworkPolicy enforcement turned on or off recomputes the verdicts on every node, recorded once', () => {
    const plan = planNodes({
      full: false,
      changes: [NETWORK_POLICY_ENFORCEMENT_CHANGE],
      nodeNames: NODES,
      vpcNodes: [],
      kubeProxyAll: false,
      netpolImpact: none,
    });
    expect(plan).toMatchObject({
      kubeProxyEveryNode: false,
      netpolEveryNode: true,
      netpolNodes: NODES,
      kubeProxyNodes: [],
      notify: null,
    });
    expect(plan.nodes).toEqual({ vpc: 0, kubeProxy: 0, networkPolicy: 3, total: 3 });
    expect(networkPolicyEnforcementChanged([change('cluster', 'networkPolicyEnforcement')])).toBe(true);
    expect(networkPolicyEnforcementChanged([change('cluster', 'other'), change('vpc', '')])).toBe(false);
    expect(objectChanges([NETWORK_POLICY_ENFORCEMENT_CHANGE])).toEqual([]);
    expect(needsVpcRecompute(false, [NETWORK_POLICY_ENFORCEMENT_CHANGE])).toBe(false);
  });

  it('a policy touching the pods of one node recomputes that node only, and names it', () => {
    const plan = planNodes({
      full: false,
      changes: [change('networkpolicies', 'deny', 'default')],
      nodeNames: NODES,
      vpcNodes: [],
      kubeProxyAll: false,
      netpolImpact: { all: false, nodes: new Set(['n-b', 'gone-node']) },
    });
    expect(plan.netpolNodes).toEqual(['n-b']);
    expect(plan.kubeProxyNodes).toEqual([]);
    expect(plan.notify).toEqual(['n-b']);
    expect(plan.nodes.total).toBe(1);
  });

  it("a node's own change reaches its kube-proxy and policy state; nodes no longer in the cluster are left out", () => {
    const plan = planNodes({
      full: false,
      changes: [change('nodes', 'n-c'), change('nodes', 'deleted-node')],
      nodeNames: NODES,
      vpcNodes: ['n-c'],
      kubeProxyAll: false,
      netpolImpact: none,
    });
    expect(plan.kubeProxyNodes).toEqual(['n-c']);
    expect(plan.netpolNodes).toEqual(['n-c']);
    expect(plan.notify).toEqual(['n-c']);
    expect(plan.nodes).toEqual({ vpc: 1, kubeProxy: 1, networkPolicy: 1, total: 1 });
  });

  it('VPC-only changes on some nodes name those nodes, sorted', () => {
    const plan = planNodes({
      full: false,
      changes: [change('vpc', 'firewalls/x')],
      nodeNames: NODES,
      vpcNodes: ['n-c', 'n-a'],
      kubeProxyAll: false,
      netpolImpact: none,
    });
    expect(plan.notify).toEqual(['n-a', 'n-c']);
    expect(plan.nodes).toEqual({ vpc: 2, kubeProxy: 0, networkPolicy: 0, total: 2 });
  });

  it('nothing changed: nothing recomputed', () => {
    const plan = planNodes({
      full: false,
      changes: [],
      nodeNames: NODES,
      vpcNodes: [],
      kubeProxyAll: false,
      netpolImpact: none,
    });
    expect(plan.nodes.total).toBe(0);
  });
});

describe('stillSkipped', () => {
  const previous = ['pods/default/bad: unreadable', 'services/default/odd: unreadable'];
  it('keeps what was left out until a change to it reads it again', () => {
    expect(stillSkipped(false, [change('pods', 'bad', 'default')], previous, [])).toEqual([
      'services/default/odd: unreadable',
    ]);
  });
  it('a full computation starts over from what it left out itself', () => {
    expect(stillSkipped(true, [], previous, ['pods/x/y: again'])).toEqual(['pods/x/y: again']);
  });
  it('lists at most the limit', () => {
    const many = Array.from({ length: 80 }, (_, i) => `pods/ns/p${i}: bad`);
    expect(stillSkipped(false, [], [], many)).toHaveLength(50);
  });
});

describe('notifyPayload', () => {
  it('names the nodes while it fits, else says every node (null)', () => {
    expect(JSON.parse(notifyPayload('7', '12', ['n-a'], 7000))).toEqual({
      clusterId: '7',
      generation: '12',
      nodes: ['n-a'],
    });
    const many = Array.from({ length: 500 }, (_, i) => `gke-cluster-default-pool-node-${i}`);
    expect(JSON.parse(notifyPayload('7', '12', many, 7000))).toEqual({
      clusterId: '7',
      generation: '12',
      nodes: null,
    });
  });
});
