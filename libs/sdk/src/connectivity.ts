import {
  ConnectivityTestDocument,
  ConnectivityTestsDocument,
  CreateConnectivityTestDocument,
  DeleteConnectivityTestDocument,
  RerunConnectivityTestDocument,
  TraceDocument,
  type ConnectivityEndpointInput,
  type ConnectivityTestFieldsFragment,
  type ConnectivityTestInput,
  type ConnectivityTestsQuery,
  type ReachabilityDetailsFieldsFragment,
} from './graphql/operations.generated';
import type { GraphqlDocument } from './graphql-document';

/** Google's `ReachabilityDetails`: the result, and one trace per path with every step and its info. */
export type ReachabilityDetails = ReachabilityDetailsFieldsFragment;
/** One path of a packet (Google's `Trace`). */
export type ConnectivityTrace = ReachabilityDetails['traces'][number];
/** One step of a trace: Google's `state` and the info of it (firewall, route, drop…, kubeProxy, networkPolicy, pod). */
export type ConnectivityStep = ConnectivityTrace['steps'][number];
/** A saved Connectivity Test (Network Management API v1), with its latest result. */
export type ConnectivityTest = ConnectivityTestFieldsFragment;
/** A saved test as `tests.list()` shows it: what it asks and its latest result (`tests.get()` for the traces). */
export type ConnectivityTestSummary = ConnectivityTestsQuery['connectivityTests'][number];
export type { ConnectivityEndpointInput as ConnectivityEndpoint, ConnectivityTestInput };

export interface TraceOptions {
  project: string;
  /** where the packet starts: `{ ipAddress }` (a VM, a pod, the internet), `{ instance }`… */
  from: ConnectivityEndpointInput;
  /** where it goes: `{ ipAddress }` (a VM, a pod, a ClusterIP, a load balancer), `{ forwardingRule }`… */
  to: ConnectivityEndpointInput;
  /** the destination port (required for TCP, UDP and SCTP unless `to.port` gives it) */
  port?: number;
  /** `TCP` (default), `UDP`, `ICMP`, `ESP`, `AH`, `SCTP`, `IPIP` or `GRE` */
  protocol?: 'TCP' | 'UDP' | 'ICMP' | 'ESP' | 'AH' | 'SCTP' | 'IPIP' | 'GRE';
  bypassFirewallChecks?: boolean;
}

type RunGraphql = <TResult, TVariables>(
  document: GraphqlDocument<TResult, TVariables>,
  variables: TVariables,
) => Promise<TResult>;

/**
 * Connectivity Tests (README: "Connectivity Tests"), through the emulator's GraphQL API: `trace()` answers what a
 * test would without saving one; `tests` are the saved tests `/networkmanagement/v1/` and gcloud see too.
 */
export class ConnectivityApi {
  readonly tests: {
    /** Creates a test (`id`: lowercase letters, digits, hyphens) and runs it. */
    create(options: { project: string; id: string; test: ConnectivityTestInput }): Promise<ConnectivityTest>;
    /** One test by id or full name. */
    get(options: { project: string; name: string }): Promise<ConnectivityTest>;
    /** The project's tests, by name, with their latest result (`get` for their traces). */
    list(options: { project: string }): Promise<ConnectivityTestSummary[]>;
    /** Runs a test again on the current state (`:rerun`). */
    rerun(options: { project: string; name: string }): Promise<ConnectivityTest>;
    /** Deletes a test; resolves with its full name. */
    delete(options: { project: string; name: string }): Promise<string>;
  };

  constructor(private readonly graphql: RunGraphql) {
    this.tests = {
      create: async (o) => (await this.graphql(CreateConnectivityTestDocument, o)).createConnectivityTest,
      get: async (o) => (await this.graphql(ConnectivityTestDocument, o)).connectivityTest,
      list: async (o) => (await this.graphql(ConnectivityTestsDocument, o)).connectivityTests,
      rerun: async (o) => (await this.graphql(RerunConnectivityTestDocument, o)).rerunConnectivityTest,
      delete: async (o) => (await this.graphql(DeleteConnectivityTestDocument, o)).deleteConnectivityTest,
    };
  }

  /** Where a packet from `from` to `to` goes now: every hop, and the rule that decided. */
  async trace(options: TraceOptions): Promise<ReachabilityDetails> {
    const { trace } = await this.graphql(TraceDocument, {
      project: options.project,
      from: options.from,
      to: options.to,
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
      ...(options.bypassFirewallChecks !== undefined
        ? { bypassFirewallChecks: options.bypassFirewallChecks }
        : {}),
    });
    return trace;
  }
}
