import { compareNames } from '../compare-names';
import { sameNetwork } from '../network-reference.matcher';
import type { VpcInstance } from '../vpc-instance.model';
import type { EffectiveFirewallRule, InstanceFirewall } from './effective-firewall-rule.model';
import type {
  EffectiveFirewallPolicy,
  EffectiveFirewallsInput,
  FirewallPolicyRule,
  FirewallRule,
  NetworkFirewallPolicyEnforcementOrder,
} from './firewall-rule.model';
import { compilePolicyRule, policyRuleTargets } from './firewall-policy-rule.compiler';
import { impliedFirewallRules } from './implied-firewall-rules';
import { compileVpcRule, vpcRuleTargets } from './vpc-firewall-rule.compiler';

export interface InstanceFirewallOptions {
  /** The network's `networkFirewallPolicyEnforcementOrder`; Compute's default is AFTER_CLASSIC_FIREWALL. */
  readonly networkFirewallPolicyEnforcementOrder?: NetworkFirewallPolicyEnforcementOrder;
}

const NETWORK_POLICY_TYPES = new Set(['NETWORK', 'NETWORK_REGIONAL']);

// At equal priority deny goes first ("DENY rules take precedence over ALLOW rules if they have equal priority");
// goto_next last, as gcpdiag orders same-priority policy rules (Google keeps priorities unique per policy).
const ACTION_RANK = { deny: 0, allow: 1, goto_next: 2 } as const;

function byPrecedence(a: EffectiveFirewallRule, b: EffectiveFirewallRule): number {
  return a.priority - b.priority || ACTION_RANK[a.action] - ACTION_RANK[b.action];
}

/** A stable sort: rules equal by precedence keep a deterministic order (VPC rules by name, policy rules as listed). */
function sortStage(rules: EffectiveFirewallRule[], byName: boolean): EffectiveFirewallRule[] {
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort(
      (a, b) =>
        byPrecedence(a.rule, b.rule) ||
        (byName ? compareNames(a.rule.name, b.rule.name) : 0) ||
        a.index - b.index,
    )
    .map(({ rule }) => rule);
}

/** The network's VPC rules, as `networks.getEffectiveFirewalls` lists them (disabled ones included). */
export function networkFirewalls(firewalls: readonly FirewallRule[], network: string): FirewallRule[] {
  return firewalls.filter((rule) => sameNetwork(rule.network, network));
}

function policyStage(
  policy: EffectiveFirewallPolicy,
  instance: VpcInstance,
  stage: number,
): EffectiveFirewallRule[] {
  const origin = NETWORK_POLICY_TYPES.has(policy.type ?? '') ? 'network-policy' : 'hierarchical-policy';
  const rules = (policy.rules ?? [])
    .filter((rule: FirewallPolicyRule) => policyRuleTargets(rule, instance))
    .map((rule) => compilePolicyRule(rule, policy, origin, stage));
  return sortStage(rules, false);
}

/**
 * The rules that apply to a VM, in evaluation order: hierarchical policies (organisation first, then folders, as
 * listed), network policies before or after the VPC rules per the enforcement order, the VPC rules targeting
 * the VM (priority ascending, deny before allow, then by name), and the implied rules. Disabled rules and rules
 * targeting other VMs or networks are left out.
 */
export function buildInstanceFirewall(
  input: EffectiveFirewallsInput,
  instance: VpcInstance,
  options: InstanceFirewallOptions = {},
): InstanceFirewall {
  const policies = input.firewallPolicys ?? [];
  const hierarchical = policies.filter((policy) => !NETWORK_POLICY_TYPES.has(policy.type ?? ''));
  const network = policies.filter((policy) => NETWORK_POLICY_TYPES.has(policy.type ?? ''));
  const networkFirst = options.networkFirewallPolicyEnforcementOrder === 'BEFORE_CLASSIC_FIREWALL';
  const groups: (EffectiveFirewallPolicy | 'vpc')[] = networkFirst
    ? [...hierarchical, ...network, 'vpc']
    : [...hierarchical, 'vpc', ...network];

  const rules: EffectiveFirewallRule[] = [];
  groups.forEach((group, stage) => {
    if (group === 'vpc') {
      const vpc = (input.firewalls ?? [])
        .filter((rule) => vpcRuleTargets(rule, instance))
        .map((rule) => compileVpcRule(rule, stage));
      rules.push(...sortStage(vpc, true));
    } else {
      rules.push(...policyStage(group, instance, stage));
    }
  });
  rules.push(...impliedFirewallRules(groups.length));
  return { instance, rules };
}
