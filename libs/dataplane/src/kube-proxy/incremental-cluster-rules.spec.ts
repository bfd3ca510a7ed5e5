import { readOracle } from '@gke-emulator/test-oracles';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  type ClusterKubeProxyRules,
  type ClusterProxyInput,
  LARGE_CLUSTER_ENDPOINTS,
  compileClusterRules,
} from './cluster-rules.compiler';
import { IncrementalClusterRules } from './incremental-cluster-rules';
import { renderIptablesRestore } from './iptables-restore.renderer';
import { TEST_NODES, configArb, serviceArb, sliceArb } from './kube-proxy-cluster.arbitrary';
import { flowGroupInput, overallOracle, packetFlowOracle } from './kube-proxy-oracle-inputs.fixture';
import {
  type KubeEndpointSlice,
  type KubeProxyConfig,
  type KubeService,
  type NodeContext,
} from './kube-proxy.types';
import { renderNodeIptables } from './node-iptables.renderer';
import { compileNodeRules } from './node-rules.compiler';

const OVERALL_ORACLE = overallOracle(
  readOracle('kube-proxy', '01_TestOverallIPTablesRules.input.yaml'),
  readOracle('kube-proxy', '01_TestOverallIPTablesRules.expected.txt'),
);
const PACKET_FLOW_ORACLE = packetFlowOracle(readOracle('kube-proxy', '02_packet_flow_tests.json'));

const NODES = TEST_NODES.slice(0, 2);

const text = (rules: ClusterKubeProxyRules, node: NodeContext): string =>
  renderIptablesRestore(compileNodeRules(rules, node));

function expectSameRules(got: ClusterKubeProxyRules, want: ClusterKubeProxyRules): void {
  expect(got.largeClusterMode).toBe(want.largeClusterMode);
  for (const node of NODES) {
    expect(text(got, node)).toBe(text(want, node));
    expect(renderNodeIptables(got, node)).toBe(text(want, node));
  }
}

type Operation =
  | { readonly op: 'upsertService'; readonly service: KubeService }
  | { readonly op: 'deleteService'; readonly namespace: string; readonly name: string }
  | { readonly op: 'upsertSlice'; readonly slice: KubeEndpointSlice }
  | { readonly op: 'deleteSlice'; readonly namespace: string; readonly name: string }
  | { readonly op: 'rules' };

const NAMESPACES = ['ns0', 'ns1'];
const SERVICE_NAMES = ['svc0', 'svc1', 'svc2'];
const SLICE_NAMES = ['a', 'b', 'c', 'd'];

const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  fc.tuple(fc.nat(1), fc.nat(2)).chain(([ns, svc]) =>
    serviceArb(NAMESPACES[ns] ?? '', SERVICE_NAMES[svc] ?? '', ns * 3 + svc).map((service) => ({
      op: 'upsertService' as const,
      service,
    })),
  ),
  fc.record({
    op: fc.constant('deleteService' as const),
    namespace: fc.constantFrom(...NAMESPACES),
    name: fc.constantFrom(...SERVICE_NAMES),
  }),
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...NAMESPACES),
        fc.constantFrom(...SERVICE_NAMES),
        fc.constantFrom(...SLICE_NAMES),
      )
      .chain(([namespace, serviceName, name]) =>
        sliceArb(namespace, serviceName).map((slice) => ({
          op: 'upsertSlice' as const,
          slice: { ...slice, name },
        })),
      ),
  },
  fc.record({
    op: fc.constant('deleteSlice' as const),
    namespace: fc.constantFrom(...NAMESPACES),
    name: fc.constantFrom(...SLICE_NAMES),
  }),
  { weight: 2, arbitrary: fc.constant({ op: 'rules' as const }) },
);

/** The same operations on two plain maps, compiled from scratch. */
class FromScratch {
  readonly services = new Map<string, KubeService>();
  readonly slices = new Map<string, KubeEndpointSlice>();

  constructor(
    private readonly config: KubeProxyConfig,
    private readonly threshold: number,
  ) {}

  apply(operation: Operation): void {
    if (operation.op === 'upsertService')
      this.services.set(`${operation.service.namespace}/${operation.service.name}`, operation.service);
    if (operation.op === 'deleteService') this.services.delete(`${operation.namespace}/${operation.name}`);
    if (operation.op === 'upsertSlice')
      this.slices.set(`${operation.slice.namespace}/${operation.slice.name ?? ''}`, operation.slice);
    if (operation.op === 'deleteSlice') this.slices.delete(`${operation.namespace}/${operation.name}`);
  }

  rules(): ClusterKubeProxyRules {
    const input: ClusterProxyInput = {
      services: [...this.services.values()],
      endpointSlices: [...this.slices.values()],
      config: this.config,
    };
    return compileClusterRules(input, this.threshold);
  }
}

function applyTo(incremental: IncrementalClusterRules, operation: Operation): void {
  if (operation.op === 'upsertService') incremental.upsertService(operation.service);
  if (operation.op === 'deleteService') incremental.deleteService(operation.namespace, operation.name);
  if (operation.op === 'upsertSlice') incremental.upsertEndpointSlice(operation.slice);
  if (operation.op === 'deleteSlice') incremental.deleteEndpointSlice(operation.namespace, operation.name);
}

describe('IncrementalClusterRules', () => {
  it('after any sequence of upserts and deletes, has the rules compiled from scratch', () => {
    let crossings = 0;
    fc.assert(
      fc.property(
        configArb,
        fc.constantFrom(LARGE_CLUSTER_ENDPOINTS, 3, 6),
        fc.array(operationArb, { minLength: 5, maxLength: 40, size: 'max' }),
        (config, threshold, operations) => {
          const incremental = new IncrementalClusterRules(config, { largeClusterEndpoints: threshold });
          const scratch = new FromScratch(config, threshold);
          let previous = incremental.rules();
          for (const operation of operations) {
            applyTo(incremental, operation);
            scratch.apply(operation);
            if (operation.op !== 'rules') continue;
            const rules = incremental.rules();
            if (rules.largeClusterMode !== previous.largeClusterMode) crossings++;
            expectSameRules(rules, scratch.rules());
            previous = rules;
          }
          expectSameRules(incremental.rules(), scratch.rules());
        },
      ),
      { numRuns: 300 },
    );
    // The sequences do cross the large-cluster threshold, both ways.
    expect(crossings).toBeGreaterThan(10);
  });

  it.each([
    ['01 TestOverallIPTablesRules', OVERALL_ORACLE.input],
    ...PACKET_FLOW_ORACLE.groups.map((group, index): [string, ClusterProxyInput] => [
      `02 ${group.test} #${index}`,
      flowGroupInput(group, true),
    ]),
  ])('from(input) has the rules of compileClusterRules(input) for oracle input %s', (_name, input) => {
    expectSameRules(IncrementalClusterRules.from(input).rules(), compileClusterRules(input));
  });

  it('returns the same object until something changes, and a new one after', () => {
    const incremental = IncrementalClusterRules.from(OVERALL_ORACLE.input);
    const first = incremental.rules();
    expect(incremental.rules()).toBe(first);
    incremental.deleteService('ns-none', 'none');
    incremental.deleteEndpointSlice('ns-none', 'none');
    expect(incremental.rules()).toBe(first);
    const [slice] = OVERALL_ORACLE.input.endpointSlices;
    if (slice === undefined) throw new Error('oracle 01 has slices');
    incremental.upsertEndpointSlice(slice);
    const second = incremental.rules();
    expect(second).not.toBe(first);
    expect(incremental.rules()).toBe(second);
  });

  it('recompiles only the Services whose Service or slices changed', () => {
    const incremental = IncrementalClusterRules.from(OVERALL_ORACLE.input);
    const before = incremental.rules();
    const [slice] = OVERALL_ORACLE.input.endpointSlices;
    if (slice === undefined) throw new Error('oracle 01 has slices');
    incremental.upsertEndpointSlice({ ...slice, endpoints: slice.endpoints.slice(0, 1) });
    const after = incremental.rules();
    const serviceOf = (port: ClusterKubeProxyRules['servicePorts'][number]): string =>
      port.kind === 'shared' ? port.rules.servicePort.serviceName : port.servicePort.serviceName;
    const changed = `${slice.namespace}/${slice.serviceName}`;
    expect(after.servicePorts).toHaveLength(before.servicePorts.length);
    after.servicePorts.forEach((port, index) => {
      if (serviceOf(port) === changed) expect(port).not.toBe(before.servicePorts[index]);
      else expect(port).toBe(before.servicePorts[index]);
    });
  });

  it('moves a slice from one Service to another when its service name changes', () => {
    const [service] = OVERALL_ORACLE.input.services;
    const [slice] = OVERALL_ORACLE.input.endpointSlices;
    if (service === undefined || slice === undefined) throw new Error('oracle 01 has services and slices');
    const sibling: KubeService = { ...service, name: `${service.name}-b`, clusterIP: '172.30.0.99' };
    const input = { ...OVERALL_ORACLE.input, services: [...OVERALL_ORACLE.input.services, sibling] };
    const moved = { ...slice, serviceName: sibling.name };
    const incremental = IncrementalClusterRules.from(input);
    incremental.rules();
    incremental.upsertEndpointSlice(moved);
    const want = compileClusterRules({
      ...input,
      endpointSlices: input.endpointSlices.map((candidate) => (candidate === slice ? moved : candidate)),
    });
    expect(want).not.toEqual(compileClusterRules(input));
    expectSameRules(incremental.rules(), want);
  });

  it('keeps a slice’s place among its Service’s slices when it moves away and back (the later slice wins)', () => {
    const service = (name: string, clusterIP: string): KubeService => ({
      namespace: 'ns1',
      name,
      clusterIP,
      internalTrafficPolicy: 'Local',
      ports: [{ name: 'p80', port: 80 }],
    });
    const slice = (name: string, serviceName: string, nodeName: string): KubeEndpointSlice => ({
      namespace: 'ns1',
      name,
      serviceName,
      endpoints: [{ addresses: ['10.180.0.1'], nodeName }],
      ports: [{ name: 'p80', port: 80 }],
    });
    const input: ClusterProxyInput = {
      services: [service('svc1', '172.30.0.1'), service('svc2', '172.30.0.2')],
      endpointSlices: [slice('a', 'svc1', 'test-node'), slice('b', 'svc1', 'node2')],
    };
    const incremental = IncrementalClusterRules.from(input);
    incremental.rules();
    incremental.upsertEndpointSlice(slice('a', 'svc2', 'test-node'));
    incremental.rules();
    incremental.upsertEndpointSlice(slice('a', 'svc1', 'test-node'));
    expectSameRules(incremental.rules(), compileClusterRules(input));
  });

  it(`recompiles every Service when the cluster crosses ${LARGE_CLUSTER_ENDPOINTS} endpoints, both ways`, () => {
    const service = (name: string): KubeService => ({
      namespace: 'ns1',
      name,
      clusterIP: `172.30.0.${name.length}`,
      ports: [{ name: 'p80', port: 80 }],
    });
    const endpoints = (count: number, offset: number) =>
      Array.from({ length: count }, (_, i) => ({ addresses: [`10.${offset}.${i >> 8}.${i & 255}`] }));
    const slice = (name: string, serviceName: string, count: number, offset: number): KubeEndpointSlice => ({
      namespace: 'ns1',
      name,
      serviceName,
      endpoints: endpoints(count, offset),
      ports: [{ name: 'p80', port: 80 }],
    });
    const bigSlice = slice('big-a', 'big', LARGE_CLUSTER_ENDPOINTS, 1);
    const smallSlice = slice('small-a', 'small', 1, 2);
    const input: ClusterProxyInput = {
      services: [service('big'), service('small')],
      endpointSlices: [bigSlice],
    };
    const incremental = IncrementalClusterRules.from(input);
    expect(incremental.rules().largeClusterMode).toBe(false);
    incremental.upsertEndpointSlice(smallSlice);
    const large = incremental.rules();
    expect(large.largeClusterMode).toBe(true);
    expectSameRules(large, compileClusterRules({ ...input, endpointSlices: [bigSlice, smallSlice] }));
    incremental.deleteEndpointSlice('ns1', 'small-a');
    const small = incremental.rules();
    expect(small.largeClusterMode).toBe(false);
    expectSameRules(small, compileClusterRules({ ...input, endpointSlices: [bigSlice] }));
  });
});
