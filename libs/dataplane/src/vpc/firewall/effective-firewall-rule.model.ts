import type { Cidr } from '@gke-emulator/netaddr';
import type { VpcInstance } from '../vpc-instance.model';
import type { FirewallDirection, FirewallPolicyRule, FirewallRule } from './firewall-rule.model';
import type { ProtocolMatcher } from './ip-protocol.matcher';

export type FirewallAction = 'allow' | 'deny';

/** Where an effective rule comes from, in the order Google evaluates them. */
export type FirewallRuleOrigin = 'hierarchical-policy' | 'network-policy' | 'vpc-rule' | 'implied';

/** A rule's match criteria, compiled once so that evaluating a packet does no parsing. */
export interface CompiledFirewallMatch {
  /** The remote address (source of INGRESS, destination of EGRESS) is in one of these… */
  readonly remoteRanges: readonly Cidr[];
  /** …or the remote end is a VM of the network with one of these tags (INGRESS `sourceTags`)… */
  readonly remoteTags: readonly string[];
  /** …or with one of these service accounts (INGRESS `sourceServiceAccounts`). */
  readonly remoteServiceAccounts: readonly string[];
  /** The VM's own address must be in one of these (INGRESS `destinationRanges`, EGRESS `sourceRanges`); null: any. */
  readonly localRanges: readonly Cidr[] | null;
  readonly protocols: readonly ProtocolMatcher[];
}

/** A rule that applies to one VM, in the form the evaluator walks. */
export interface EffectiveFirewallRule {
  readonly origin: FirewallRuleOrigin;
  /** The VPC rule name; a policy rule's `ruleName`, else its description, else `priority-<n>`; or `implied-…`. */
  readonly name: string;
  /** The policy's short name (else display name, else name) for policy rules. */
  readonly policy?: string;
  readonly direction: FirewallDirection;
  readonly priority: number;
  readonly action: FirewallAction | 'goto_next';
  /** One stage per policy, one for the VPC rules, one for the implied rules: `goto_next` jumps to the next stage. */
  readonly stage: number;
  readonly match: CompiledFirewallMatch;
  /** The wire object the rule was compiled from (absent for implied rules). */
  readonly source?: FirewallRule | FirewallPolicyRule;
}

/** The rules that apply to one VM, in evaluation order, implied rules last. */
export interface InstanceFirewall {
  readonly instance: VpcInstance;
  readonly rules: readonly EffectiveFirewallRule[];
}

/** A packet seen at the VM: INGRESS arrives from `srcIp` to the VM's `dstIp`, EGRESS leaves the VM's `srcIp`. */
export interface FirewallPacket {
  readonly direction: FirewallDirection;
  readonly srcIp: string;
  readonly dstIp: string;
  /** `tcp`, `6`, 6… — a single protocol, never `all`. */
  readonly protocol: string | number;
  /** Destination port, for protocols that have ports. */
  readonly port?: number;
  /** The remote end when it is a VM: its tags and service account can match INGRESS source tags / accounts. */
  readonly peer?: VpcInstance;
}

export interface FirewallVerdict {
  readonly action: FirewallAction;
  /** The rule that decided (an implied rule when nothing else matched). */
  readonly rule: EffectiveFirewallRule;
}
