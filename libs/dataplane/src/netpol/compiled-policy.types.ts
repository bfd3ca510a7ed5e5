import type { ConnectionSet } from './connection-set.model';
import type { IpRange } from './ip-range-set.model';
import type { CompiledSelector } from './label-selector.matcher';
import type { NetworkPolicyIssue } from './network-policy.issues';
import type { Labels, PodInfo, Protocol } from './network-policy.types';

// The compiled form is plain JSON-safe data (records and arrays only) so it can be stored and reloaded.

export interface PolicyRef {
  readonly namespace: string;
  readonly name: string;
}

export type PolicyDirection = 'ingress' | 'egress';

/** One rule of one policy: `spec.<direction>[ruleIndex]`. */
export interface RuleRef {
  readonly policy: PolicyRef;
  readonly direction: PolicyDirection;
  readonly ruleIndex: number;
}

export type NamespaceMatch =
  /** The policy's own namespace (a peer without namespaceSelector). */
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'selector'; readonly selector: CompiledSelector };

export type CompiledPeer =
  /** An empty or missing from/to: every pod and every IP. */
  | { readonly kind: 'any' }
  | { readonly kind: 'pods'; readonly namespace: NamespaceMatch; readonly pods: CompiledSelector }
  /** ranges = cidr minus except; empty for IPv6 blocks, which no IPv4 address matches. */
  | {
      readonly kind: 'ipBlock';
      readonly cidr: string;
      readonly except: readonly string[];
      readonly ranges: readonly IpRange[];
    };

export interface NamedPortRef {
  readonly name: string;
  readonly protocol: Protocol;
}

export interface CompiledPorts {
  /** Numeric ports, plus named ports already resolved against the selected pod (ingress). */
  readonly numeric: ConnectionSet;
  /** Egress named ports: they resolve against each destination pod, so they stay names. */
  readonly named: readonly NamedPortRef[];
}

export interface CompiledRule {
  readonly ref: RuleRef;
  /** ORed; a rule without from/to has the single peer { kind: 'any' }. */
  readonly peers: readonly CompiledPeer[];
  readonly ports: CompiledPorts;
}

/** What governs one direction of one pod. */
export interface CompiledDirection {
  /** True when at least one policy selects the pod for this direction: only its rules' traffic passes. */
  readonly isolated: boolean;
  /** The policies that select the pod for this direction. */
  readonly policies: readonly PolicyRef[];
  readonly rules: readonly CompiledRule[];
}

export interface CompiledPodPolicy {
  readonly pod: { readonly namespace: string; readonly name: string };
  readonly ingress: CompiledDirection;
  readonly egress: CompiledDirection;
}

export interface RejectedPolicy {
  readonly policy: PolicyRef;
  readonly issues: readonly NetworkPolicyIssue[];
}

/** A cluster's policies compiled per pod, with what evaluation needs to match peers. */
export interface CompiledCluster {
  /** Effective namespace labels (kubernetes.io/metadata.name included), by namespace name. */
  readonly namespaces: Readonly<Record<string, Labels>>;
  /** Pods by "namespace/name". */
  readonly pods: Readonly<Record<string, PodInfo>>;
  /** "namespace/name" of the pod owning each IP; IPs shared by several pods (hostNetwork) are left out. */
  readonly podKeysByIp: Readonly<Record<string, string>>;
  /** Compiled allow sets by "namespace/name". */
  readonly podPolicies: Readonly<Record<string, CompiledPodPolicy>>;
  /** Policies the API server would refuse; they take no part in evaluation. */
  readonly rejectedPolicies: readonly RejectedPolicy[];
  /** Ranges of every ipBlock of every accepted policy, per direction (np-guard splits external IPs at them). */
  readonly ipBlockRanges: { readonly ingress: readonly IpRange[]; readonly egress: readonly IpRange[] };
}
