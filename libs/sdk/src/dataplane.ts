import { type EmulatorHttp } from './http';

/** Which generation of a cluster's inputs a result reflects, and whether that is the latest. */
export interface Freshness {
  generation: string;
  observedGeneration: string;
  current: boolean;
}

export interface ClusterDataplaneStatus extends Freshness {
  project: string;
  location: string;
  cluster: string;
  computedAt: string | null;
  /** the last failure of the computation, if it failed */
  error?: string;
  failures?: number;
}

export interface DataplaneStatus {
  /** true once every cluster's results reflect every write so far */
  converged: boolean;
  clusters: ClusterDataplaneStatus[];
}

export interface ClusterRef {
  project: string;
  location: string;
  cluster: string;
}

export interface NodeRef extends ClusterRef {
  node: string;
}

export interface NodeRoutes extends Freshness {
  node: string;
  routes: Record<string, unknown>[];
}

export interface NodeFirewall extends Freshness {
  node: string;
  rules: Record<string, unknown>[];
}

export interface NodeNetworkPolicies extends Freshness {
  node: string;
  pods: { pod: string; ingress: unknown; egress: unknown }[];
  rejectedPolicies: unknown[];
}

export interface NodeIptables {
  /** the iptables-save text kube-proxy would write on the node */
  text: string;
  generation: string;
  observedGeneration: string;
  current: boolean;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface PacketTraceQuery extends NodeRef {
  src: string;
  dst: string;
  dport: number;
  protocol?: Protocol;
}

export interface PacketTrace extends Freshness {
  node: string;
  verdict: string;
  targets?: unknown[];
  masquerade?: boolean;
  chains?: string[];
  [key: string]: unknown;
}

export interface ReachabilityQuery extends ClusterRef {
  namespaces: string[];
  port: number;
  protocol?: Protocol;
}

export interface Reachability extends Freshness {
  /** `namespace/name` of every pod considered */
  pods: string[];
  /** `allowed[client][server]`: whether NetworkPolicies let the client reach the server on the port */
  allowed: Record<string, Record<string, boolean>>;
}

function clusterPath(ref: ClusterRef): string {
  const e = encodeURIComponent;
  return `/emulator/v1/projects/${e(ref.project)}/locations/${e(ref.location)}/clusters/${e(ref.cluster)}`;
}

function nodePath(ref: NodeRef): string {
  return `${clusterPath(ref)}/nodes/${encodeURIComponent(ref.node)}`;
}

/** The effective data plane the worker computes, per node (README: "The emulator's own API"). */
export class DataplaneApi {
  constructor(private readonly http: EmulatorHttp) {}

  /** Every cluster's freshness (one project's with `project`), and whether all of it is current. */
  status(options: { project?: string } = {}): Promise<DataplaneStatus> {
    return this.http.json({ path: '/emulator/v1/dataplane', query: { project: options.project } });
  }

  /** The node's effective routes, in Google's route selection order. */
  routes(ref: NodeRef): Promise<NodeRoutes> {
    return this.http.json({ path: `${nodePath(ref)}/routes` });
  }

  /** The VPC firewall rules that apply to the node's VM, in evaluation order, with the implied rules. */
  firewall(ref: NodeRef): Promise<NodeFirewall> {
    return this.http.json({ path: `${nodePath(ref)}/firewall` });
  }

  /** Per pod on the node: which NetworkPolicies isolate it and what they allow. */
  networkPolicies(ref: NodeRef): Promise<NodeNetworkPolicies> {
    return this.http.json({ path: `${nodePath(ref)}/networkPolicies` });
  }

  /** The iptables-save text kube-proxy would write on the node, with its freshness. */
  async iptables(ref: NodeRef): Promise<NodeIptables> {
    const { text, headers } = await this.http.text({ path: `${nodePath(ref)}/iptables` });
    return {
      text,
      generation: headers.get('x-generation') ?? '0',
      observedGeneration: headers.get('x-observed-generation') ?? '0',
      current: headers.get('x-current') === 'true',
    };
  }

  /** Where a packet goes on the node: verdict, DNAT targets, masquerade, the chains it passed. */
  trace(query: PacketTraceQuery): Promise<PacketTrace> {
    return this.http.json({
      path: `${nodePath(query)}/iptables/trace`,
      query: { src: query.src, dst: query.dst, dport: query.dport, protocol: query.protocol },
    });
  }

  /** NetworkPolicy verdicts between every pair of pods of the namespaces (rows the client, columns the server). */
  reachability(query: ReachabilityQuery): Promise<Reachability> {
    return this.http.json({
      path: `${clusterPath(query)}/reachability`,
      query: { namespaces: query.namespaces.join(','), port: query.port, protocol: query.protocol },
    });
  }
}
