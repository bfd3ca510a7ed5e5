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

/**
 * A wire `compute#route`, as the Compute API's `routes.get` returns it (the fields the emulator sets): links
 * (`selfLink`, `network`, `nextHop*`) are full URLs on the emulator's base, e.g.
 * `http://127.0.0.1:8085/compute/v1/projects/p/global/routes/r`.
 */
export interface ComputeRouteResource {
  kind: 'compute#route';
  id: string;
  name: string;
  description?: string;
  network: string;
  destRange: string;
  priority?: number;
  tags?: string[];
  nextHopGateway?: string;
  nextHopInstance?: string;
  nextHopIp?: string;
  nextHopNetwork?: string;
  nextHopPeering?: string;
  nextHopIlb?: string;
  nextHopVpnTunnel?: string;
  routeType?: 'SUBNET' | 'STATIC' | 'BGP' | 'TRANSIT';
  /** the full URL, e.g. `http://127.0.0.1:8085/compute/v1/projects/p/global/…` */
  selfLink: string;
  creationTimestamp: string;
  warnings?: { code: string; message: string; data?: { key: string; value: string }[] }[];
}

/** A route that applies to the node's VM, in lookup precedence order (GraphQL's `EffectiveRoute`). */
export interface EffectiveRoute {
  /** the route's name (a subnet, default, custom or peering route) */
  name: string;
  /** subnet routes are considered first */
  routeClass: 'subnet' | 'custom';
  routeType: 'SUBNET' | 'STATIC' | 'BGP' | 'TRANSIT';
  /** the destination range, e.g. `"10.0.0.0/20"` */
  destRange: string;
  priority: number;
  /** the NEXT_HOP column of `gcloud compute routes list` */
  nextHop: string;
  /** `network`, `peering`, `internet-gateway`, `instance`, `ip`, `ilb`, `vpn-tunnel`… */
  nextHopKind: string;
  /** the `compute#route` it comes from */
  resource: ComputeRouteResource;
}

/** A route whose next-hop instance is gone: kept, inactive, with Google's warning. */
export interface InactiveRoute {
  name: string;
  destRange: string;
  /** the instance's full URL, as the route names it */
  nextHopInstance: string;
  warnings: { code: 'NEXT_HOP_INSTANCE_NOT_FOUND'; message: string }[];
}

export interface NodeRoutes extends Freshness {
  node: string;
  routes: EffectiveRoute[];
  inactiveRoutes: InactiveRoute[];
}

/**
 * A wire `compute#firewall` rule, as the Compute API's `firewalls.get` returns it: `selfLink` and `network` are
 * full URLs on the emulator's base (`http://127.0.0.1:8085/compute/v1/projects/p/global/firewalls/f`).
 */
export interface ComputeFirewallResource {
  kind: 'compute#firewall';
  id: string;
  name: string;
  description?: string;
  network: string;
  priority?: number;
  direction?: 'INGRESS' | 'EGRESS';
  sourceRanges?: string[];
  destinationRanges?: string[];
  sourceTags?: string[];
  targetTags?: string[];
  sourceServiceAccounts?: string[];
  targetServiceAccounts?: string[];
  allowed?: { IPProtocol: string; ports?: string[] }[];
  denied?: { IPProtocol: string; ports?: string[] }[];
  disabled?: boolean;
  logConfig?: { enable: boolean; metadata?: string };
  /** the full URL, e.g. `http://127.0.0.1:8085/compute/v1/projects/p/global/…` */
  selfLink: string;
  creationTimestamp: string;
}

export type FirewallDirection = 'INGRESS' | 'EGRESS';
export type FirewallRuleOrigin = 'hierarchical-policy' | 'network-policy' | 'vpc-rule' | 'implied';
export type FirewallAction = 'allow' | 'deny' | 'goto_next';

/** A VPC firewall rule that applies to the node's VM, in evaluation order (GraphQL's `EffectiveFirewallRule`). */
export interface EffectiveFirewallRule {
  /** the VPC rule's name, a policy rule's name, or `implied-deny-ingress` / `implied-allow-egress` */
  name: string;
  origin: FirewallRuleOrigin;
  /** the firewall policy of a policy rule */
  policy?: string;
  direction: FirewallDirection;
  priority: number;
  action: FirewallAction;
  /** the remote end's ranges (source of INGRESS, destination of EGRESS), as CIDRs */
  remoteRanges: string[];
  remoteTags: string[];
  remoteServiceAccounts: string[];
  /** ranges the VM's own address must be in; null: any */
  localRanges: string[] | null;
  /** protocols by name (`tcp`, `icmp`, `all`…) and their ports (`"80"`, `"8000-8080"`; null: every port) */
  protocols: { protocol: string; ports: string[] | null }[];
  /** the wire rule (null for the implied rules) */
  resource: ComputeFirewallResource | null;
}

export interface NodeFirewall extends Freshness {
  node: string;
  rules: EffectiveFirewallRule[];
}

/** One rule of a NetworkPolicy: `spec.<direction>[ruleIndex]` of `policy`. */
export interface NetworkPolicyRuleRef {
  /** `namespace/name` */
  policy: string;
  direction: 'ingress' | 'egress';
  ruleIndex: number;
}

/** What governs one direction of a pod. */
export interface NetworkPolicyDirection {
  /** a policy selects the pod for this direction: only what its rules allow passes */
  isolated: boolean;
  /** `namespace/name` of the policies selecting the pod */
  policies: string[];
  rules: NetworkPolicyRuleRef[];
}

/** A NetworkPolicy the API server would refuse, and why: it takes no part in evaluation. */
export interface RejectedNetworkPolicy {
  /** `namespace/name` */
  policy: string;
  issues: { code: string; field: string; message: string }[];
}

export interface NodeNetworkPolicies extends Freshness {
  node: string;
  pods: { pod: string; ingress: NetworkPolicyDirection; egress: NetworkPolicyDirection }[];
  rejectedPolicies: RejectedNetworkPolicy[];
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

/** A filter verdict wins (applied after the DNAT); otherwise DNAT when an endpoint was chosen, else NONE. */
export type PacketVerdict = 'DNAT' | 'ACCEPT' | 'DROP' | 'REJECT' | 'NONE';

export interface PacketTrace extends Freshness {
  node: string;
  verdict: PacketVerdict;
  /** every `ip:port` the DNAT may pick, in rule order */
  targets: string[];
  /** the packet leaves with the node's address as source */
  masquerade: boolean;
  /** every chain entered, as `table:chain`, in order */
  chains: string[];
}

/** A packet at the node's VM: INGRESS needs `src`, EGRESS `dst`; the side left out is the node's address. */
export interface FirewallEvaluationQuery extends NodeRef {
  direction: FirewallDirection;
  src?: string;
  dst?: string;
  /** `tcp` (default), `udp`, `icmp`, `esp`, `ah`, `sctp`, `ipip` or a protocol number */
  protocol?: string;
  /** required for tcp, udp and sctp */
  dport?: number;
}

/** Which rule decides a packet at the node's VM. */
export interface FirewallEvaluation extends Freshness {
  node: string;
  packet: { direction: FirewallDirection; src: string; dst: string; protocol: string; dport?: number };
  allowed: boolean;
  action: 'allow' | 'deny';
  /** the deciding rule (an implied rule when none of the network's matches) */
  rule: {
    name: string;
    origin: FirewallRuleOrigin;
    priority: number;
    action: FirewallAction;
    direction: FirewallDirection;
    policy?: string;
    /** the wire rule (absent for the implied rules) */
    source?: ComputeFirewallResource;
  };
  /** the VM of the network recognised as the INGRESS source (its tags and service account count), or null */
  peer: string | null;
  /** firewalls are stateful: the replies of an allowed connection pass */
  returnTrafficAllowed: boolean;
}

export interface NetworkPolicyVerdictQuery extends ClusterRef {
  /** a pod as `namespace/name`, or an IPv4 address */
  source: string;
  /** a pod as `namespace/name`, or an IPv4 address */
  destination: string;
  port: number;
  protocol?: Protocol;
}

/** Why one direction of a connection passes NetworkPolicy or not. */
export type NetworkPolicyDecision =
  /** this end is not a pod: no NetworkPolicy governs it */
  | 'not-a-pod'
  /** no policy selects the pod for this direction */
  | 'not-isolated'
  /** a rule of a selecting policy matches peer and port */
  | 'allowed-by-rule'
  /** ingress from the pod's own node always passes */
  | 'local-node'
  /** traffic from a pod to itself */
  | 'same-pod'
  /** the pod is isolated and no rule matches */
  | 'no-matching-rule';

export interface NetworkPolicyDirectionVerdict {
  /** egress: the source's side; ingress: the destination's */
  direction: 'ingress' | 'egress';
  allowed: boolean;
  decision: NetworkPolicyDecision;
  /** the policies selecting the pod for this direction */
  isolatingPolicies: { namespace: string; name: string }[];
  /** every rule matching both peer and port */
  allowingRules: {
    policy: { namespace: string; name: string };
    direction: 'ingress' | 'egress';
    ruleIndex: number;
  }[];
}

/** NetworkPolicy's verdict on one connection. */
export interface NetworkPolicyVerdict extends Freshness {
  /** the source's egress and the destination's ingress both allow it */
  allowed: boolean;
  egress: NetworkPolicyDirectionVerdict;
  ingress: NetworkPolicyDirectionVerdict;
  /** `namespace/name` of the deciding policies */
  decidingPolicies: string[];
  /** one sentence per direction */
  explanation: string;
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
  /**
   * How many distinct behaviours the pods fell into as sources and as destinations (pods every rule treats alike):
   * the matrix is computed per class, not per pair.
   */
  classes: { sources: number; destinations: number };
  /** Whether the cluster enforces NetworkPolicy; when it does not, every pair is allowed. */
  enforced: boolean;
  /** What decides enforcement: networkPolicy.enabled, ADVANCED_DATAPATH, or why neither applies. */
  enforcement: string;
  /** Present when NetworkPolicy is not enforced: the policies exist but nothing applies them. */
  note?: string;
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

  /** Which firewall rule decides a packet into (INGRESS) or out of (EGRESS) the node's VM. */
  evaluateFirewall(query: FirewallEvaluationQuery): Promise<FirewallEvaluation> {
    return this.http.json({
      path: `${nodePath(query)}/firewall/evaluate`,
      query: {
        direction: query.direction,
        src: query.src,
        dst: query.dst,
        protocol: query.protocol,
        dport: query.dport,
      },
    });
  }

  /** NetworkPolicy's verdict on one connection between pods (`namespace/name`) or IPs, with the deciding rules. */
  networkPolicyVerdict(query: NetworkPolicyVerdictQuery): Promise<NetworkPolicyVerdict> {
    return this.http.json({
      path: `${clusterPath(query)}/networkPolicyVerdict`,
      query: {
        source: query.source,
        destination: query.destination,
        port: query.port,
        protocol: query.protocol,
      },
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
