import { ipv4Blocks } from '../ip-range.parser';
import { sameNetwork } from '../network-reference.matcher';
import type { VpcInstance } from '../vpc-instance.model';
import type { EffectiveFirewallRule, FirewallRuleOrigin } from './effective-firewall-rule.model';
import type { EffectiveFirewallPolicy, FirewallPolicyRule } from './firewall-rule.model';
import { compileProtocols } from './ip-protocol.matcher';

/** The name a policy is shown by: its short name, else its display name, else its (numeric) name. */
export function policyLabel(policy: EffectiveFirewallPolicy): string {
  return policy.shortName || policy.displayName || policy.name;
}

/**
 * True when the policy rule applies to the VM: enabled, restricted to the VM's network if it names networks,
 * and to the VM's service account if it names accounts.
 */
export function policyRuleTargets(rule: FirewallPolicyRule, instance: VpcInstance): boolean {
  if (rule.disabled === true) return false;
  const networks = rule.targetResources ?? [];
  if (networks.length > 0 && !networks.some((network) => sameNetwork(network, instance.network)))
    return false;
  const accounts = rule.targetServiceAccounts ?? [];
  return (
    accounts.length === 0 ||
    (instance.serviceAccount !== undefined && accounts.includes(instance.serviceAccount))
  );
}

/**
 * Compiles a policy rule. Only IP ranges and layer-4 configs are modelled: a rule without ranges for its
 * direction (one matching on secure tags, FQDNs, geolocations or address groups) can never match here, so it
 * compiles to no ranges. `apply_security_profile_group` lets the packet through (to inspection), so it allows.
 */
export function compilePolicyRule(
  rule: FirewallPolicyRule,
  policy: EffectiveFirewallPolicy,
  origin: Extract<FirewallRuleOrigin, 'hierarchical-policy' | 'network-policy'>,
  stage: number,
): EffectiveFirewallRule {
  const ranges = rule.direction === 'EGRESS' ? rule.match.destIpRanges : rule.match.srcIpRanges;
  const layer4 = rule.match.layer4Configs ?? [];
  return {
    origin,
    name: rule.ruleName || rule.description || `priority-${rule.priority}`,
    policy: policyLabel(policy),
    direction: rule.direction,
    priority: rule.priority,
    action: rule.action === 'apply_security_profile_group' ? 'allow' : rule.action,
    stage,
    match: {
      remoteRanges: ipv4Blocks(ranges),
      remoteTags: [],
      remoteServiceAccounts: [],
      localRanges: null,
      protocols: compileProtocols(
        layer4.map((config) => ({ protocol: config.ipProtocol, ports: config.ports })),
      ),
    },
    source: rule,
  };
}
