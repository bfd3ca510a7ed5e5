import { describe, expect, it } from 'vitest';
import type { netpol } from '@gke-emulator/dataplane';
import {
  computationRecord,
  copyRows,
  hasNetpolChanges,
  kubeProxyChangesEveryNode,
  NETWORK_POLICY_ENFORCEMENT_CHANGE,
  needsVpcRecompute,
  networkPolicyEnforcementChanged,
  notifyPayload,
  objectChanges,
  netpolChanges,
  planNodes,
  policyNamespaces,
  reduceObjects,
  startComputation,
  stillSkipped,
  TOMBSTONE_GENERATIONS,
  tombstonePurge,
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

describe('startComputation', () => {
  it('a cluster without its row or its results row is gone', () => {
    expect(startComputation(undefined, undefined)).toEqual({ skipped: 'cluster-gone', generation: 0n });
    expect(startComputation(5n, undefined)).toEqual({ skipped: 'cluster-gone', generation: 0n });
    expect(startComputation(undefined, 3n)).toEqual({ skipped: 'cluster-gone', generation: 0n });
  });
  it('results that reflect the generation already (or a later one) leave nothing to do', () => {
    expect(startComputation(7n, 7n)).toEqual({ skipped: 'already-current', generation: 7n });
    expect(startComputation(7n, 9n)).toEqual({ skipped: 'already-current', generation: 7n });
    expect(startComputation(0n, 0n)).toEqual({ skipped: 'already-current', generation: 0n });
  });
  it('the first computation reads everything; later ones the changes after what they observed', () => {
    expect(startComputation(4n, 0n)).toEqual({ full: true, observed: 0n, generation: 4n });
    expect(startComputation(12n, 9n)).toEqual({ full: false, observed: 9n, generation: 12n });
  });
});

describe('tombstonePurge', () => {
  it('purges nothing before two spans of kept generations have passed since the last purge', () => {
    expect(tombstonePurge(1n, 0n)).toBeUndefined();
    expect(tombstonePurge(2n * TOMBSTONE_GENERATIONS - 1n, 0n)).toBeUndefined();
  });
  it('then purges through the generation the last span of tombstones begins at', () => {
    expect(tombstonePurge(2n * TOMBSTONE_GENERATIONS, 0n)).toBe(TOMBSTONE_GENERATIONS);
    expect(tombstonePurge(2500n, 0n)).toBe(1500n);
    expect(tombstonePurge(30n, 10n, 10n)).toBe(20n);
    expect(tombstonePurge(29n, 10n, 10n)).toBeUndefined();
  });
});

describe('planNodes: which nodes record a change on their own rows', () => {
  const base = { full: false, nodeNames: NODES, vpcNodes: [], kubeProxyAll: false, netpolImpact: none };
  it('none when the cluster records the change for every node', () => {
    expect(planNodes({ ...base, changes: [], full: true }).markNodes).toEqual({
      kubeProxy: [],
      networkPolicy: [],
    });
    expect(
      planNodes({ ...base, changes: [change('services', 'web', 'default')], kubeProxyAll: true }).markNodes,
    ).toEqual({ kubeProxy: [], networkPolicy: [] });
  });
  it("the touched nodes otherwise, each part on its own: a node's change, the pods a policy selects", () => {
    expect(planNodes({ ...base, changes: [change('nodes', 'n-a')] }).markNodes).toEqual({
      kubeProxy: ['n-a'],
      networkPolicy: ['n-a'],
    });
    expect(
      planNodes({
        ...base,
        changes: [change('networkpolicies', 'deny', 'default')],
        netpolImpact: { all: false, nodes: new Set(['n-c']) },
      }).markNodes,
    ).toEqual({ kubeProxy: [], networkPolicy: ['n-c'] });
    expect(
      planNodes({ ...base, changes: [change('nodes', 'n-b'), NETWORK_POLICY_ENFORCEMENT_CHANGE] }).markNodes,
    ).toEqual({ kubeProxy: ['n-b'], networkPolicy: [] });
  });
});

const pod = (name: string, namespace = 'default', nodeName = 'n-a') => ({
  metadata: { name, namespace, labels: { app: name } },
  spec: { nodeName, containers: [] },
  status: { podIP: '10.4.0.5' },
});

describe('reduceObjects and copyRows', () => {
  it('reduces each object to what the data plane reads, and names the unreadable ones instead of failing', () => {
    const { reduced, skipped } = reduceObjects([
      { resource: 'pods', namespace: 'default', name: 'web-1', body: pod('web-1') },
      { resource: 'services', namespace: 'default', name: 'broken', body: {} },
    ]);
    expect(reduced).toEqual([
      {
        resource: 'pods',
        namespace: 'default',
        name: 'web-1',
        body: expect.objectContaining({ name: 'web-1', nodeName: 'n-a', ip: '10.4.0.5' }),
      },
    ]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(/^services\/default\/broken: /);
  });
  it('a changed object is copied reduced; one gone (or unreadable) becomes a tombstone', () => {
    const { reduced } = reduceObjects([
      { resource: 'pods', namespace: 'default', name: 'web-1', body: pod('web-1') },
    ]);
    const rows = copyRows(
      [
        { resource: 'pods', namespace: 'default', name: 'web-1' },
        { resource: 'pods', namespace: 'default', name: 'gone' },
      ],
      reduced,
    );
    expect(rows.map((row) => [row.name, row.body === null])).toEqual([
      ['web-1', false],
      ['gone', true],
    ]);
  });
});

describe('netpolChanges and policyNamespaces', () => {
  const podKey = { resource: 'pods', namespace: 'default', name: 'web-1' } as const;
  it('pairs each NetworkPolicy input with its copy before and after; others are not its business', () => {
    const { reduced } = reduceObjects([{ ...podKey, body: pod('web-1') }]);
    const before = [{ ...podKey, body: null }];
    const touched = netpolChanges(
      [podKey, { resource: 'services', namespace: 'default', name: 'web' }],
      before,
      reduced,
    );
    expect(touched.pods).toEqual([{ before: null, after: reduced[0]?.body }]);
    expect(touched.policies).toEqual([]);
    expect(touched.namespaces).toEqual([]);
    expect(hasNetpolChanges(touched)).toBe(true);
    const deleted = netpolChanges([{ resource: 'namespaces', namespace: '', name: 'x' }], [], []);
    expect(deleted.namespaces).toEqual([{ before: null, after: null }]);
    expect(hasNetpolChanges(netpolChanges([{ ...podKey, resource: 'services' }], [], []))).toBe(false);
  });
  it('reads the pods of each namespace a policy is in once, default for none', () => {
    const policy = (namespace?: string): netpol.NetworkPolicy => ({
      metadata: { name: 'p', ...(namespace ? { namespace } : {}) },
      spec: { podSelector: {} },
    });
    expect(policyNamespaces([policy('a'), policy(), policy('a'), policy('b')])).toEqual([
      'a',
      'default',
      'b',
    ]);
  });
});

describe('computationRecord', () => {
  const nodes = { vpc: 1, kubeProxy: 0, networkPolicy: 0, total: 1 };
  it('says what the computation reflects, how it ran and what it left out', () => {
    expect(
      computationRecord({ generation: 9n, full: false, changes: 2, nodes, ms: 4, skippedObjects: [] }),
    ).toEqual({ generation: '9', mode: 'incremental', changes: 2, nodes, ms: 4 });
    expect(
      computationRecord({
        generation: 1n,
        full: true,
        changes: 0,
        nodes,
        ms: 4,
        skippedObjects: ['pods/a/b: x'],
      }),
    ).toEqual({ generation: '1', mode: 'full', changes: 0, nodes, ms: 4, skippedObjects: ['pods/a/b: x'] });
  });
});
