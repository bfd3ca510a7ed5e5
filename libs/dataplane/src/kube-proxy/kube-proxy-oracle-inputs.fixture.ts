import { parse } from 'yaml';

import { type ClusterProxyInput } from './cluster-rules.compiler';
import {
  FAKE_PROXIER_CONFIG,
  type OracleEndpointSlice,
  type OracleService,
  fakeProxierNode,
  toKubeEndpointSlice,
  toKubeService,
} from './kube-proxy-oracle.fixture';
import {
  type KubeEndpoint,
  type KubeProxyConfig,
  type KubeService,
  type NodeContext,
  type ServiceProtocol,
} from './kube-proxy.types';

// The cluster inputs of the kube-proxy oracles that have them (01, 02, 06), shared by the specs that check our
// rules against the oracles and the specs that check other renderings against ours. The specs read the oracle
// files (readOracle) and hand their text in. Tests only.

// ---- Oracle 01: TestOverallIPTablesRules ----

interface OverallInput {
  readonly fakeProxier: {
    readonly nodeName: string;
    readonly nodeIP: string;
    readonly podCIDR_localDetector: string;
    readonly masqueradeMark: string;
    readonly localhostNodePorts: boolean;
    readonly nodePortAddresses: readonly string[] | null;
    readonly nfAcctCounters: {
      readonly ct_state_invalid_dropped_pkts: boolean;
      readonly localhost_nps_accepted_pkts: boolean;
    };
    readonly conntrackTCPLiberal: boolean;
  };
  readonly services: readonly OracleService[];
  readonly endpointSlices: readonly OracleEndpointSlice[];
}

/** Oracle 01's Services and EndpointSlices with the fake proxier's flags, its node, and the expected text. */
export function overallOracle(
  inputYaml: string,
  expected: string,
): { readonly input: ClusterProxyInput; readonly node: NodeContext; readonly expected: string } {
  const overall = parse(inputYaml) as OverallInput;
  const fake = overall.fakeProxier;
  return {
    input: {
      services: overall.services.map(toKubeService),
      endpointSlices: overall.endpointSlices.map(toKubeEndpointSlice),
      config: {
        clusterCidr: fake.podCIDR_localDetector,
        masqueradeMark: fake.masqueradeMark,
        localhostNodePorts: fake.localhostNodePorts,
        nodePortAddresses: fake.nodePortAddresses,
        conntrackTcpLiberal: fake.conntrackTCPLiberal,
        nfacctCounters: {
          ctStateInvalidDroppedPkts: fake.nfAcctCounters.ct_state_invalid_dropped_pkts,
          localhostNodePortsAcceptedPkts: fake.nfAcctCounters.localhost_nps_accepted_pkts,
        },
      },
    },
    node: { nodeName: fake.nodeName, nodeIP: fake.nodeIP },
    expected,
  };
}

// ---- Oracle 02: the runPacketFlowTests of proxier_test.go ----

export interface FlowCase {
  readonly name: string;
  readonly src: string;
  readonly dst: string;
  readonly dport: number;
  readonly protocol?: ServiceProtocol;
  readonly output: string;
  readonly masq?: boolean;
}

export interface FlowGroup {
  readonly test: string;
  readonly setup?: string;
  readonly services?: readonly OracleService[];
  readonly endpoints?: readonly OracleEndpointSlice[];
  readonly cases: readonly FlowCase[];
}

interface FlowOracle {
  readonly environment: { readonly localNodeIPs: readonly string[] };
  readonly groups: readonly FlowGroup[];
}

/** The groups of oracle 02 (the first one, TestTracePacket, runs over oracle 01's rules) and their node. */
export function packetFlowOracle(json: string): {
  readonly node: NodeContext;
  readonly groups: readonly FlowGroup[];
} {
  const flows = JSON.parse(json) as FlowOracle;
  return { node: fakeProxierNode(flows.environment.localNodeIPs), groups: flows.groups };
}

/** A group's "setup" note, e.g. "nodePortAddresses = [127.0.0.0/8]", applied to the fake proxier's config. */
function flowGroupConfig(group: FlowGroup): KubeProxyConfig {
  const nodePortAddresses = /nodePortAddresses = \[([^\]]*)\]/.exec(group.setup ?? '')?.[1];
  if (nodePortAddresses === undefined) return FAKE_PROXIER_CONFIG;
  return {
    ...FAKE_PROXIER_CONFIG,
    nodePortAddresses: nodePortAddresses.split(',').map((cidr) => cidr.trim()),
  };
}

/** A group's inputs; without its Services for the "after service delete" cases. */
export function flowGroupInput(group: FlowGroup, withServices: boolean): ClusterProxyInput {
  return {
    services: withServices ? (group.services ?? []).map(toKubeService) : [],
    endpointSlices: (group.endpoints ?? []).map(toKubeEndpointSlice),
    config: flowGroupConfig(group),
  };
}

// ---- Oracle 06: TestTerminatingEndpointsTrafficPolicyLocal ----
// The oracle gives sub-case 1 in full and the other sub-cases as differences; their endpoints are described
// in comments, transcribed here.

const terminatingNode: NodeContext = { nodeName: 'test-node', nodeIP: '192.168.0.2' };
const remote = 'host-1';

const endpoint = (ip: string, nodeName: string, ready: boolean, serving: boolean, terminating: boolean) =>
  ({ addresses: [ip], nodeName, conditions: { ready, serving, terminating } }) satisfies KubeEndpoint;

const terminatingEndpoints: Record<number, readonly KubeEndpoint[]> = {
  1: [
    endpoint('10.0.1.1', terminatingNode.nodeName, true, true, false),
    endpoint('10.0.1.2', terminatingNode.nodeName, true, true, false),
    endpoint('10.0.1.3', terminatingNode.nodeName, false, true, true),
    endpoint('10.0.1.4', terminatingNode.nodeName, false, false, true),
    endpoint('10.0.1.5', remote, true, true, false),
  ],
  2: [
    endpoint('10.0.1.2', terminatingNode.nodeName, false, true, true),
    endpoint('10.0.1.3', terminatingNode.nodeName, false, true, true),
    endpoint('10.0.1.4', terminatingNode.nodeName, false, false, true),
    endpoint('10.0.1.5', remote, true, true, false),
  ],
  3: [endpoint('10.0.1.5', remote, false, true, true)],
  4: [
    endpoint('10.0.1.5', terminatingNode.nodeName, false, false, true),
    endpoint('10.0.1.5', remote, false, false, true),
  ],
};

const terminatingService: KubeService = {
  namespace: 'ns1',
  name: 'svc1',
  type: 'LoadBalancer',
  clusterIP: '172.30.1.1',
  ports: [{ name: '', port: 80, targetPort: 80, protocol: 'TCP' }],
  externalTrafficPolicy: 'Local',
  healthCheckNodePort: 30000,
  sessionAffinity: 'ClientIP',
  sessionAffinityTimeoutSeconds: 10800,
  loadBalancerIngress: [{ ip: '1.2.3.4' }],
};

/** Oracle 06's older kube-proxy: no nfacct counters. */
const terminatingConfig: KubeProxyConfig = {
  clusterCidr: '10.0.0.0/8',
  masqueradeMark: '0x4000',
  localhostNodePorts: true,
  nfacctCounters: { ctStateInvalidDroppedPkts: false, localhostNodePortsAcceptedPkts: false },
};

export const TERMINATING_ORACLE = {
  node: terminatingNode,
  subCases: [1, 2, 3, 4] as const,
  /** A sub-case's inputs; withSlice false once its EndpointSlice is deleted. */
  input(subCase: number, withSlice = true): ClusterProxyInput {
    const endpoints = terminatingEndpoints[subCase] ?? [];
    const endpointSlices = withSlice
      ? [
          {
            namespace: 'ns1',
            serviceName: 'svc1',
            endpoints,
            ports: [{ name: '', port: 80, protocol: 'TCP' as const }],
          },
        ]
      : [];
    return { services: [terminatingService], endpointSlices, config: terminatingConfig };
  },
};
