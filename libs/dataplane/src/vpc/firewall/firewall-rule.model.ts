// Compute Engine v1 wire shapes the evaluator reads: `compute#firewall` and the `networks.getEffectiveFirewalls`
// response. Only the fields that decide a verdict are typed; responses carry more, which is fine.

export type FirewallDirection = 'INGRESS' | 'EGRESS';

/** One entry of `allowed[]` / `denied[]`. `IPProtocol` is a name (`tcp`, `udp`, `icmp`, `esp`, `ah`, `sctp`, `ipip`, `all`) or a number. */
export interface FirewallProtocolPorts {
  readonly IPProtocol: string;
  /** `"22"` or `"1000-2000"`; absent or empty means every port. */
  readonly ports?: readonly string[];
}

/** A VPC firewall rule (`compute#firewall`). */
export interface FirewallRule {
  readonly name: string;
  readonly id?: string;
  /** Defaults to `global/networks/default`, as in the API. */
  readonly network?: string;
  /** 0–65535, default 1000; lower wins. */
  readonly priority?: number;
  /** Default INGRESS. */
  readonly direction?: FirewallDirection;
  readonly allowed?: readonly FirewallProtocolPorts[];
  readonly denied?: readonly FirewallProtocolPorts[];
  readonly sourceRanges?: readonly string[];
  readonly destinationRanges?: readonly string[];
  readonly sourceTags?: readonly string[];
  readonly targetTags?: readonly string[];
  readonly sourceServiceAccounts?: readonly string[];
  readonly targetServiceAccounts?: readonly string[];
  readonly disabled?: boolean;
}

/** What a hierarchical or network firewall policy rule does when it matches. */
export type FirewallPolicyAction = 'allow' | 'deny' | 'goto_next' | 'apply_security_profile_group';

export interface FirewallPolicyLayer4Config {
  readonly ipProtocol: string;
  readonly ports?: readonly string[];
}

export interface FirewallPolicyRuleMatcher {
  readonly srcIpRanges?: readonly string[];
  readonly destIpRanges?: readonly string[];
  readonly layer4Configs?: readonly FirewallPolicyLayer4Config[];
}

/** A firewall policy rule (`compute#firewallPolicyRule`). */
export interface FirewallPolicyRule {
  readonly priority: number;
  readonly action: FirewallPolicyAction;
  readonly direction: FirewallDirection;
  readonly match: FirewallPolicyRuleMatcher;
  readonly ruleName?: string;
  readonly description?: string;
  readonly targetServiceAccounts?: readonly string[];
  /** Networks the rule is restricted to; absent means every network the policy is associated with. */
  readonly targetResources?: readonly string[];
  readonly disabled?: boolean;
}

/**
 * A policy as `getEffectiveFirewalls` lists it. `type` is HIERARCHY (organisation and folders, listed from the
 * organisation down), NETWORK or NETWORK_REGIONAL.
 */
export interface EffectiveFirewallPolicy {
  readonly name: string;
  readonly type?: string;
  readonly shortName?: string;
  readonly displayName?: string;
  readonly rules?: readonly FirewallPolicyRule[];
}

/** The `networks.getEffectiveFirewalls` response: the network's VPC rules and the policies that apply to it. */
export interface EffectiveFirewallsInput {
  readonly firewalls?: readonly FirewallRule[];
  readonly firewallPolicys?: readonly EffectiveFirewallPolicy[];
}

/** The network's `networkFirewallPolicyEnforcementOrder`: where network policies sit relative to VPC rules. */
export type NetworkFirewallPolicyEnforcementOrder = 'AFTER_CLASSIC_FIREWALL' | 'BEFORE_CLASSIC_FIREWALL';
