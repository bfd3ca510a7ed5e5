import type { PolicyDirection, PolicyRef, RuleRef } from './compiled-policy.types';
import type { Protocol } from './network-policy.types';

/** A traffic end: a pod, or an IP (optionally the IP of a node, whose pods always accept its traffic). */
export type Endpoint =
  | { readonly pod: { readonly namespace: string; readonly name: string } }
  | { readonly ip: string; readonly node?: string };

export interface ConnectionQuery {
  readonly source: Endpoint;
  readonly destination: Endpoint;
  readonly protocol: Protocol;
  readonly port: number;
}

export type DirectionDecision =
  /** This end is not a pod: no NetworkPolicy governs it. */
  | 'not-a-pod'
  /** No policy selects the pod for this direction: everything passes. */
  | 'not-isolated'
  /** At least one rule of a selecting policy matches peer and port. */
  | 'allowed-by-rule'
  /** Ingress from the pod's own node always passes. */
  | 'local-node'
  /** Traffic from a pod to itself never crosses the policy data plane. */
  | 'same-pod'
  /** The pod is isolated and no rule of its policies matches. */
  | 'no-matching-rule';

export interface DirectionVerdict {
  /** egress = the source's side, ingress = the destination's side. */
  readonly direction: PolicyDirection;
  readonly allowed: boolean;
  readonly decision: DirectionDecision;
  /** The policies that select the pod for this direction (and so isolate it). */
  readonly isolatingPolicies: readonly PolicyRef[];
  /** Every rule that matches both peer and port; any one of them alone lets the traffic pass. */
  readonly allowingRules: readonly RuleRef[];
}

export interface ConnectionVerdict {
  /** Egress of the source AND ingress of the destination allow it. */
  readonly allowed: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
  /**
   * "namespace/name" of the policies that decide: when allowed, those with an allowing rule; when denied,
   * the isolating policies of each direction that denies.
   */
  readonly decidingPolicies: readonly string[];
  /** One sentence per direction, e.g. "ingress of x/a: allowed by x/allow-b ingress[0]". */
  readonly explanation: string;
}
