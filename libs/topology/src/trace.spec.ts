import { describe, expect, it } from 'vitest';
import type { TopologyInput } from './input.types';
import { buildTopology, id } from './model';
import { topologyInput, PROJECT_QUERY, CLUSTER_QUERY } from './queries';
import { syntheticInput } from './synthetic';
import { addressOf, connectivityTestBody, decidingRule, stepElement, traceView } from './trace';

/** The value, or the test fails here: fixtures the test built itself. */
function must<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error('missing fixture');
  return value;
}

const input: TopologyInput = syntheticInput({ nodes: 2, pods: 4, services: 2, project: 'p' });
input.firewalls.push({
  ...must(input.firewalls[0]),
  name: 'block-one',
  allowed: [],
  denied: [{ IPProtocol: 'tcp', ports: ['80'] }],
  priority: 100,
});
input.loadBalancing.push({
  collection: 'forwardingRules',
  name: 'alb',
  scope: 'us-central1',
  selfLink: 'x/forwardingRules/alb',
  resource: { IPAddress: '198.18.0.1' },
});
const model = buildTopology(input);
const [n0, n1] = must(must(input.clusters[0]).kubernetes).nodes.map(must);
const pods = must(must(input.clusters[0]).kubernetes).pods.map(must);
const C = 'us-central1/big';

describe('traces on the picture', () => {
  it('each step lands on the element it names', () => {
    expect(stepElement(model, { pod: { namespace: 'default', name: must(pods[1]).name } })).toBe(
      id.pod(C, 'default', must(pods[1]).name),
    );
    expect(stepElement(model, { instance: { displayName: n1.name } })).toBe(id.node(n1.name));
    expect(stepElement(model, { kubeProxy: { node: n0.name } })).toBe(id.node(n0.name));
    expect(stepElement(model, { firewall: { displayName: 'block-one' } })).toBe(id.firewall('block-one'));
    // an implied rule is not drawn: the step has no element
    expect(stepElement(model, { firewall: { displayName: 'implied-deny-ingress' } })).toBeUndefined();
    expect(stepElement(model, { forwardingRule: { displayName: 'alb', vip: '198.18.0.1' } })).toBe(
      id.lb('forwardingRules', 'us-central1', 'alb'),
    );
    expect(stepElement(model, { forwardingRule: { displayName: 'other', vip: '198.18.0.1' } })).toBe(
      id.lb('forwardingRules', 'us-central1', 'alb'),
    );
    expect(stepElement(model, { networkPolicy: { pod: `default/${must(pods[2]).name}` } })).toBe(
      id.pod(C, 'default', must(pods[2]).name),
    );
    expect(stepElement(model, { state: 'DELIVER', deliver: { ipAddress: must(pods[0]).podIP } })).toBe(
      id.pod(C, 'default', must(pods[0]).name),
    );
    expect(
      stepElement(model, { state: 'START_FROM_INTERNET', endpoint: { destinationIp: '1.2.3.4' } }),
    ).toBeUndefined();
    expect(stepElement(model, { state: 'DROP', drop: { destinationIp: '8.8.8.8' } })).toBeUndefined();
  });

  it('names the deciding rule of each kind of drop', () => {
    expect(decidingRule({ firewall: { displayName: 'block-one', action: 'DENY' } })).toBe(
      'firewall block-one (DENY)',
    );
    expect(
      decidingRule({
        networkPolicy: {
          isolatingPolicies: ['default/db'],
          direction: 'ingress',
          decision: 'no rule allows',
        },
      }),
    ).toBe('NetworkPolicy default/db (ingress: no rule allows)');
    expect(decidingRule({ networkPolicy: { isolatingPolicies: [], direction: 'egress' } })).toBe(
      'NetworkPolicy (none) (egress: denied)',
    );
    expect(decidingRule({ kubeProxy: { verdict: 'REJECT', node: 'n' } })).toBe('kube-proxy REJECT on n');
    expect(decidingRule({ drop: { cause: 'FIREWALL_RULE' } })).toBe('drop: FIREWALL_RULE');
    expect(decidingRule({ abort: { cause: 'UNKNOWN_IP' } })).toBe('abort: UNKNOWN_IP');
    expect(decidingRule({ state: 'DELIVER' })).toBeUndefined();
  });

  it('a reachable path: numbered hops, kube-proxy and LB candidates', () => {
    const view = traceView(model, {
      result: 'REACHABLE',
      traces: [
        {
          probability: 0.5,
          steps: [
            { state: 'START_FROM_INTERNET', description: 'in', endpoint: { destinationIp: '198.18.0.1' } },
            {
              state: 'APPLY_FORWARDING_RULE',
              description: 'fr',
              forwardingRule: { displayName: 'alb', vip: '198.18.0.1' },
            },
            {
              state: 'ARRIVE_AT_EXTERNAL_LOAD_BALANCER',
              description: 'lb',
              loadBalancer: {
                backends: [{ displayName: n0.name }, { displayName: n1.name }, { displayName: 'gone' }],
              },
            },
            { state: 'ARRIVE_AT_INSTANCE', description: 'node', instance: { displayName: n0.name } },
            {
              state: 'SPOOFING_CHECK',
              description: 'kp',
              kubeProxy: {
                node: n0.name,
                verdict: 'DNAT',
                endpoints: [
                  { ip: must(pods[0]).podIP, pod: `default/${must(pods[0]).name}` },
                  { ip: must(pods[2]).podIP },
                ],
              },
            },
            { state: 'DELIVER', description: 'pod', pod: { namespace: 'default', name: must(pods[0]).name } },
          ],
        },
      ],
    });
    expect(view.result).toBe('REACHABLE');
    expect(view.decidingRules).toEqual([]);
    const [path] = view.paths;
    expect(path?.probability).toBe(0.5);
    expect(path?.outcome).toBe('DELIVER');
    expect(path?.hops.map((h) => [h.index, h.state, h.element ?? null, h.drop])).toEqual([
      [1, 'START_FROM_INTERNET', null, false],
      [2, 'APPLY_FORWARDING_RULE', id.lb('forwardingRules', 'us-central1', 'alb'), false],
      [3, 'ARRIVE_AT_EXTERNAL_LOAD_BALANCER', null, false],
      [4, 'ARRIVE_AT_INSTANCE', id.node(n0.name), false],
      [5, 'SPOOFING_CHECK', id.node(n0.name), false],
      [6, 'DELIVER', id.pod(C, 'default', must(pods[0]).name), false],
    ]);
    expect(path?.candidates.sort()).toEqual(
      [
        id.node(n0.name),
        id.node(n1.name),
        id.pod(C, 'default', must(pods[0]).name),
        id.pod(C, 'default', must(pods[2]).name),
      ].sort(),
    );
  });

  it('a dropped path marks the deciding step and its rule', () => {
    const view = traceView(model, {
      result: 'UNREACHABLE',
      traces: [
        {
          steps: [
            { state: 'START_FROM_INTERNET' },
            {
              state: 'APPLY_INGRESS_FIREWALL_RULE',
              causesDrop: true,
              firewall: { displayName: 'block-one', action: 'DENY' },
            },
            { state: 'DROP', causesDrop: true, drop: { cause: 'FIREWALL_RULE' } },
          ],
        },
        { steps: [{ state: 'START_FROM_INTERNET' }, { state: 'DROP', drop: { cause: 'NO_ROUTE' } }] },
      ],
    });
    expect(view.result).toBe('UNREACHABLE');
    expect(view.decidingRules).toEqual(['firewall block-one (DENY)', 'drop: FIREWALL_RULE']);
    expect(view.paths[0]?.hops[1]).toMatchObject({
      element: id.firewall('block-one'),
      drop: true,
      rule: 'firewall block-one (DENY)',
    });
    expect(view.paths[1]?.outcome).toBe('DROP');
    expect(traceView(model, undefined)).toEqual({ result: 'UNKNOWN', paths: [], decidingRules: [] });
  });

  it('a final DROP alone still names its cause', () => {
    const view = traceView(model, {
      result: 'UNREACHABLE',
      traces: [{ steps: [{ state: 'DROP', drop: { cause: 'NO_ROUTE' } }] }],
    });
    expect(view.decidingRules).toEqual(['drop: NO_ROUTE']);
  });

  it('builds connectivityTests.create bodies for VPC and internet sources', () => {
    expect(
      connectivityTestBody({
        project: 'p',
        source: '10.4.0.2',
        destination: '10.8.0.1',
        port: 80,
        protocol: 'TCP',
        external: false,
      }),
    ).toEqual({
      source: { ipAddress: '10.4.0.2', projectId: 'p' },
      destination: { ipAddress: '10.8.0.1', projectId: 'p', port: 80 },
      protocol: 'TCP',
      description: 'Run from the topology page',
    });
    expect(
      connectivityTestBody({
        project: 'p',
        source: '198.51.100.7',
        destination: '198.18.0.1',
        protocol: 'ICMP',
        external: true,
      }),
    ).toEqual({
      source: { ipAddress: '198.51.100.7', networkType: 'NON_GCP_NETWORK' },
      destination: { ipAddress: '198.18.0.1', projectId: 'p' },
      protocol: 'ICMP',
      description: 'Run from the topology page',
    });
  });

  it('picks the address of a picked element', () => {
    expect(addressOf(model, id.node(n1.name))).toBe(n1.internalIp);
    expect(addressOf(model, id.lb('forwardingRules', 'us-central1', 'alb'))).toBe('198.18.0.1');
    expect(addressOf(model, id.network('vpc'))).toBeUndefined();
  });
});

describe('the GraphQL answers', () => {
  it('parses load-balancing rows and attaches each cluster’s objects', () => {
    const big = must(input.clusters[0]);
    const { kubernetes, ...cluster } = big;
    const parsed = topologyInput(
      'p',
      {
        networks: input.networks,
        firewalls: input.firewalls,
        clusters: [cluster, { ...cluster, name: 'empty' }],
        forwardingRules: [
          {
            collection: 'forwardingRules',
            name: 'fr',
            scope: 'global',
            selfLink: 's',
            json: '{"IPAddress":"1.2.3.4"}',
          },
          { collection: 'forwardingRules', name: 'broken', scope: 'global', selfLink: 's2', json: '{' },
        ],
      },
      new Map([[`${big.location}/${big.name}`, must(kubernetes)]]),
    );
    expect(parsed.loadBalancing).toEqual([
      {
        collection: 'forwardingRules',
        name: 'fr',
        scope: 'global',
        selfLink: 's',
        resource: { IPAddress: '1.2.3.4' },
      },
      { collection: 'forwardingRules', name: 'broken', scope: 'global', selfLink: 's2', resource: {} },
    ]);
    expect(parsed.clusters[0]?.kubernetes).toBe(kubernetes);
    expect(parsed.clusters[1]?.kubernetes).toBeUndefined();
  });

  it('queries name every load-balancing collection and the per-cluster objects', () => {
    for (const collection of [
      'forwardingRules',
      'targetPools',
      'urlMaps',
      'backendServices',
      'targetHttpProxies',
    ])
      expect(PROJECT_QUERY).toContain(
        `${collection}: loadBalancingResources(project: $project, collection: "${collection}")`,
      );
    for (const field of ['nodes {', 'pods {', 'services {', 'ingresses {', 'networkPolicies {'])
      expect(CLUSTER_QUERY).toContain(field);
  });
});
