// Inputs of the NetworkPolicy evaluator, in the shape of Kubernetes JSON (networking.k8s.io/v1, core/v1).
// String-valued enums stay `string` where the API server would have to reject bad values: the validator
// reports them instead of the type system hiding them.

/** The protocols a NetworkPolicy port may name. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type Labels = Readonly<Record<string, string>>;

/** metav1.LabelSelectorRequirement; operator is one of In, NotIn, Exists, DoesNotExist. */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** metav1.LabelSelector: matchLabels AND matchExpressions; an empty selector matches everything. */
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface IpBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}

/** One element of `from`/`to`: selectors in one element are ANDed, elements are ORed. */
export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IpBlock;
}

export interface NetworkPolicyPort {
  /** TCP (default), UDP or SCTP. */
  readonly protocol?: string;
  /** A number, or the name of a container port of the destination pod; absent means every port. */
  readonly port?: number | string;
  /** Last port of a numeric range starting at `port`. */
  readonly endPort?: number;
}

export interface NetworkPolicyIngressRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicySpec {
  readonly podSelector: LabelSelector;
  /** Ingress and/or Egress; defaults to Ingress, plus Egress when an egress section exists. */
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly NetworkPolicyIngressRule[];
  readonly egress?: readonly NetworkPolicyEgressRule[];
}

export interface NetworkPolicy {
  readonly apiVersion?: string;
  readonly kind?: string;
  /** A missing namespace means `default`, as kubectl applies it. */
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: NetworkPolicySpec;
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  /** TCP when absent. */
  readonly protocol?: string;
}

export interface Container {
  readonly name?: string;
  readonly ports?: readonly ContainerPort[];
}

export interface NamespaceInfo {
  readonly name: string;
  /** kubernetes.io/metadata.name=<name> is always added, as the API server does. */
  readonly labels?: Labels;
}

/** The controller that owns a pod: Deployment, ReplicaSet, DaemonSet, StatefulSet, Job... */
export interface WorkloadOwner {
  readonly kind: string;
  readonly name: string;
}

export interface PodInfo {
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Labels;
  /** IPv4 pod IP; pods without one are never matched by an ipBlock. */
  readonly ip?: string;
  readonly containers?: readonly Container[];
  readonly owner?: WorkloadOwner;
  /** The node the pod runs on: ingress from that node is always allowed. */
  readonly nodeName?: string;
}

/** Everything the evaluator needs to know about a cluster. */
export interface ClusterState {
  readonly namespaces: readonly NamespaceInfo[];
  readonly pods: readonly PodInfo[];
  readonly policies: readonly NetworkPolicy[];
}

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
export const DEFAULT_NAMESPACE = 'default';
