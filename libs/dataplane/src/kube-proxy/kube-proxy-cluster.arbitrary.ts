import fc from 'fast-check';

import { type ClusterProxyInput } from './cluster-rules.compiler';
import {
  type KubeEndpoint,
  type KubeEndpointSlice,
  type KubeProxyConfig,
  type KubeService,
  type NodeContext,
  type ServiceProtocol,
} from './kube-proxy.types';

// fast-check generators of whole clusters for the properties that compare two ways of producing the same
// rules: every flag kube-proxy's rules depend on, services of every kind and policy, endpoints in every
// condition, and several nodes. Tests only.

/**
 * Four nodes: one whose address is inside a load-balancer source range, one with extra addresses, one with no
 * endpoints that shares test-node's pod range.
 */
export const TEST_NODES: readonly NodeContext[] = [
  { nodeName: 'test-node', nodeIP: '192.168.0.2', localAddresses: ['192.168.1.2'], podCidr: '10.180.0.0/24' },
  {
    nodeName: 'node2',
    nodeIP: '192.168.0.3',
    localAddresses: ['10.0.5.5', '127.0.0.2', '2001:db8::1'],
    podCidr: '10.180.2.0/24',
  },
  { nodeName: 'node3', nodeIP: '203.0.113.5' },
  { nodeName: 'node4', nodeIP: '10.0.9.9', podCidr: '10.180.0.0/24' },
];

const NODE_NAMES = [...TEST_NODES.slice(0, 3).map((node) => node.nodeName), 'elsewhere', undefined];
const PORT_NAMES = ['', 'http', 'dns'] as const;
const PROTOCOLS: readonly ServiceProtocol[] = ['TCP', 'UDP', 'SCTP'];

export const configArb: fc.Arbitrary<KubeProxyConfig> = fc.record(
  {
    clusterCidr: fc.constantFrom('10.0.0.0/8', ' 10.180.0.0/16', 'not-a-cidr'),
    detectLocalMode: fc.constantFrom('ClusterCIDR', 'NodeCIDR', 'None'),
    masqueradeAll: fc.boolean(),
    masqueradeMark: fc.constantFrom('0x4000', '0x8000'),
    localhostNodePorts: fc.boolean(),
    nodePortAddresses: fc.constantFrom(
      null,
      [],
      ['192.168.0.0/24'],
      ['127.0.0.0/8', '192.168.0.0/16'],
      ['10.0.0.0/8', '127.0.0.1/32'],
      ['0.0.0.0/0'],
      ['2001:db8::/64'],
    ),
    conntrackTcpLiberal: fc.boolean(),
    nfacctCounters: fc.record(
      { ctStateInvalidDroppedPkts: fc.boolean(), localhostNodePortsAcceptedPkts: fc.boolean() },
      { requiredKeys: [] },
    ),
    masqueradeRandomFully: fc.boolean(),
  },
  { requiredKeys: [] },
);

export const endpointArb: fc.Arbitrary<KubeEndpoint> = fc.record({
  addresses: fc.tuple(fc.nat(3), fc.nat(12)).map(([a, b]) => [`10.180.${a}.${b}`]),
  nodeName: fc.constantFrom(...NODE_NAMES),
  conditions: fc.record(
    { ready: fc.boolean(), serving: fc.boolean(), terminating: fc.boolean() },
    { requiredKeys: [] },
  ),
});

/** A service port's name and protocol: what EndpointSlice ports are matched by. */
const slicePortsArb = fc
  .subarray(PORT_NAMES.flatMap((name) => PROTOCOLS.map((protocol) => ({ name, protocol }))))
  .map((ports) => ports.map((port) => ({ ...port, port: 8080 })));

export const sliceArb = (namespace: string, serviceName: string): fc.Arbitrary<KubeEndpointSlice> =>
  fc.record({
    namespace: fc.constant(namespace),
    serviceName: fc.constant(serviceName),
    endpoints: fc.array(endpointArb, { maxLength: 4 }),
    ports: slicePortsArb,
  });

const servicePortArb = fc.record({
  name: fc.constantFrom(...PORT_NAMES),
  protocol: fc.constantFrom(...PROTOCOLS),
  port: fc.constantFrom(53, 80, 443),
  nodePort: fc.option(fc.integer({ min: 30000, max: 30100 }), { nil: undefined }),
});

/** A Service named namespace/name; index makes its cluster IP unique. */
export const serviceArb = (namespace: string, name: string, index: number): fc.Arbitrary<KubeService> =>
  fc
    .record({
      type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'),
      headless: fc.nat(9).map((n) => n === 0),
      ports: fc.uniqueArray(servicePortArb, {
        minLength: 1,
        maxLength: 3,
        selector: (port) => `${port.name}/${port.protocol}`,
      }),
      externalIPs: fc.subarray(['192.168.99.22', '192.168.99.33', '2001:db8::9']),
      lbIngress: fc.subarray(['1.2.3.4', '5.6.7.8']),
      sourceRanges: fc.subarray(['203.0.113.0/25', ' 192.168.0.0/24', '10.0.0.0/8']),
      affinity: fc.boolean(),
      externalLocal: fc.boolean(),
      internalLocal: fc.boolean(),
    })
    .map((draft) => ({
      namespace,
      name,
      type: draft.type,
      clusterIP: draft.headless ? 'None' : `172.30.${index >> 8}.${(index % 250) + 1}`,
      ports: draft.ports.map((port) => ({
        ...port,
        nodePort: draft.type === 'ClusterIP' ? undefined : port.nodePort,
      })),
      externalIPs: draft.externalIPs,
      loadBalancerIngress: draft.type === 'LoadBalancer' ? draft.lbIngress.map((ip) => ({ ip })) : [],
      loadBalancerSourceRanges: draft.sourceRanges,
      sessionAffinity: draft.affinity ? 'ClientIP' : 'None',
      externalTrafficPolicy: draft.externalLocal ? 'Local' : 'Cluster',
      internalTrafficPolicy: draft.internalLocal ? 'Local' : 'Cluster',
      healthCheckNodePort: 31000 + index,
    }));

/** Up to 8 Services ns{i}/svc{j} (some without slices, some with two) and any config. */
export const clusterInputArb: fc.Arbitrary<ClusterProxyInput> = fc
  .uniqueArray(fc.tuple(fc.nat(2), fc.nat(3)), { maxLength: 8, selector: ([a, b]) => `${a}/${b}` })
  .chain((keys) =>
    fc.record({
      services: fc.tuple(...keys.map(([a, b], index) => serviceArb(`ns${a}`, `svc${b}`, index))),
      endpointSlices: fc
        .tuple(...keys.map(([a, b]) => fc.array(sliceArb(`ns${a}`, `svc${b}`), { maxLength: 2 })))
        .map((slices) => slices.flat()),
      config: configArb,
    }),
  );
