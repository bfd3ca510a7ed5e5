import fc from 'fast-check';
import type {
  ClusterState,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  PodInfo,
} from './network-policy.types';

// Small random clusters for the property specs: few labels and addresses so selectors and ipBlocks often hit.

export const NAMESPACES = ['a', 'b'] as const;

const app = fc.constantFrom('x', 'y', 'z');

export const selectorArb: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  app.map((value) => ({ matchLabels: { app: value } })),
  fc
    .tuple(fc.constantFrom('In', 'NotIn'), fc.uniqueArray(app, { minLength: 1, maxLength: 2 }))
    .map(([operator, values]) => ({
      matchExpressions: [{ key: 'app', operator, values }],
    })),
  fc
    .constantFrom('Exists', 'DoesNotExist')
    .map((operator) => ({ matchExpressions: [{ key: 'tier', operator }] })),
);

const namespaceSelectorArb: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.constantFrom('prod', 'dev').map((env) => ({ matchLabels: { env } })),
  fc.constantFrom(...NAMESPACES).map((name) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } })),
);

const ipBlockArb = fc.oneof(
  fc.constant({ cidr: '10.0.0.0/29' }),
  fc.constant({ cidr: '10.0.0.0/24', except: ['10.0.0.4/30'] }),
  fc.constant({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }),
  fc.constant({ cidr: '10.0.0.2/31' }),
);

export const peerArb: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  selectorArb.map((podSelector) => ({ podSelector })),
  namespaceSelectorArb.map((namespaceSelector) => ({ namespaceSelector })),
  fc
    .tuple(selectorArb, namespaceSelectorArb)
    .map(([podSelector, namespaceSelector]) => ({ podSelector, namespaceSelector })),
  ipBlockArb.map((ipBlock) => ({ ipBlock })),
);

export const portArb: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.constant({ port: 80 }),
  fc.constant({ port: 'http' }),
  fc.constant({ port: 'dns', protocol: 'UDP' }),
  // Named ports resolve by name AND protocol: these names exist on pods, but with another protocol.
  fc.constant({ port: 'dns' }),
  fc.constant({ port: 'http', protocol: 'UDP' }),
  fc.constant({ protocol: 'UDP' }),
  fc.constant({ port: 50, endPort: 90, protocol: 'TCP' }),
  fc.constant({ port: 53, protocol: 'SCTP' }),
);

const ruleParts = fc.record(
  {
    peers: fc.array(peerArb, { maxLength: 2 }),
    ports: fc.array(portArb, { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

export const policyArb = (name: string): fc.Arbitrary<NetworkPolicy> =>
  fc
    .record({
      namespace: fc.constantFrom(...NAMESPACES),
      podSelector: selectorArb,
      policyTypes: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
      ingress: fc.option(fc.array(ruleParts, { maxLength: 2 }), { nil: undefined }),
      egress: fc.option(fc.array(ruleParts, { maxLength: 2 }), { nil: undefined }),
    })
    .map(({ namespace, podSelector, policyTypes, ingress, egress }) => ({
      metadata: { name, namespace },
      spec: {
        podSelector,
        policyTypes,
        ingress: ingress?.map((rule) => ({ from: rule.peers, ports: rule.ports })),
        egress: egress?.map((rule) => ({ to: rule.peers, ports: rule.ports })),
      },
    }));

const podArb = (index: number): fc.Arbitrary<PodInfo> =>
  fc
    .record({
      namespace: fc.constantFrom(...NAMESPACES),
      app,
      tier: fc.option(fc.constantFrom('1', '2'), { nil: undefined }),
      hasIp: fc.boolean(),
      serves: fc.subarray([
        { name: 'http', containerPort: 80 },
        { name: 'http', containerPort: 8080 },
        { name: 'dns', containerPort: 53, protocol: 'UDP' },
      ]),
    })
    .map(({ namespace, app: appLabel, tier, hasIp, serves }): PodInfo => ({
      namespace,
      name: `p${index}`,
      labels: { app: appLabel, ...(tier === undefined ? {} : { tier }) },
      ip: hasIp ? `10.0.0.${index + 1}` : undefined,
      // Port names are unique within a pod: keep the first of each name.
      containers: [
        { ports: serves.filter((port, i) => serves.findIndex((p) => p.name === port.name) === i) },
      ],
    }));

export const clusterArb: fc.Arbitrary<ClusterState> = fc
  .tuple(
    fc
      .integer({ min: 2, max: 5 })
      .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => podArb(i)))),
    fc
      .integer({ min: 0, max: 4 })
      .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => policyArb(`np${i}`)))),
    fc.constantFrom('prod', 'dev'),
  )
  .map(([pods, policies, envOfA]) => ({
    namespaces: [
      { name: 'a', labels: { env: envOfA } },
      { name: 'b', labels: { env: 'prod' } },
    ],
    pods,
    policies,
  }));

export const probeArb = fc.tuple(
  fc.constantFrom('TCP', 'UDP', 'SCTP' as const),
  fc.constantFrom(53, 60, 80, 8080, 443),
);
