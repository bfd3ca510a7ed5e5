import { invalidField, type RuleViolation, type Validated } from './rule-violation';
import type { SecurityPolicyRule } from './security-policy-rule.model';
import {
  matchesEverything,
  validateSecurityPolicyRule,
  type RuleValidationOptions,
} from './security-policy-rule.validation';
import { DEFAULT_RULE_PRIORITY, type SecurityPolicyRuleInput } from './security-policy.types';

/** "If no rules are provided when creating a security policy, a default rule with action "allow" will be added." */
export const DEFAULT_ALLOW_RULE: SecurityPolicyRule = {
  priority: DEFAULT_RULE_PRIORITY,
  description: 'Default rule, higher priority overrides it',
  preview: false,
  action: { kind: 'allow' },
  match: { kind: 'srcIpRanges', ranges: ['*'] },
};

function byPriority(a: SecurityPolicyRule, b: SecurityPolicyRule): number {
  return a.priority - b.priority;
}

/** The `rules` of securityPolicies.insert/patch: each rule, unique priorities, a default rule. Sorted on success. */
export function validateSecurityPolicyRules(
  inputs: readonly SecurityPolicyRuleInput[] | undefined,
  options: Omit<RuleValidationOptions, 'field'> = {},
): Validated<readonly SecurityPolicyRule[]> {
  if (!inputs || inputs.length === 0) return { ok: true, value: [DEFAULT_ALLOW_RULE] };
  const violations: RuleViolation[] = [];
  const rules: SecurityPolicyRule[] = [];
  const seen = new Set<number>();
  inputs.forEach((input, i) => {
    const field = `resource.rules[${i}]`;
    const result = validateSecurityPolicyRule(input, { ...options, field });
    if (!result.ok) {
      violations.push(...result.violations);
      return;
    }
    if (seen.has(result.value.priority)) {
      const detail = `Multiple rules have priority ${result.value.priority}; priorities must be unique.`;
      violations.push(invalidField(`${field}.priority`, result.value.priority, detail, 'emulator'));
    }
    seen.add(result.value.priority);
    rules.push(result.value);
  });
  if (violations.length === 0 && !seen.has(DEFAULT_RULE_PRIORITY)) {
    const detail = `A security policy needs a default rule: priority ${DEFAULT_RULE_PRIORITY} matching srcIpRanges ['*'].`;
    violations.push(invalidField('resource.rules', '', detail, 'emulator'));
  }
  return violations.length > 0 ? { ok: false, violations } : { ok: true, value: rules.sort(byPriority) };
}

/**
 * addRule (`replacing` undefined) or patchRule (`replacing` = the priority named in the request): validates the
 * rule and keeps priorities unique and the default rule in place. Returns the policy's new, sorted rule list.
 */
export function applyRuleChange(
  existing: readonly SecurityPolicyRule[],
  input: SecurityPolicyRuleInput,
  replacing?: number,
  options: Omit<RuleValidationOptions, 'field'> = {},
): Validated<readonly SecurityPolicyRule[]> {
  const result = validateSecurityPolicyRule(input, options);
  if (!result.ok) return result;
  const rule = result.value;
  const others = existing.filter((r) => r.priority !== replacing);
  if (others.some((r) => r.priority === rule.priority)) {
    const detail = `The security policy already has a rule with priority ${rule.priority}.`;
    return { ok: false, violations: [invalidField('resource.priority', rule.priority, detail, 'emulator')] };
  }
  if (
    replacing === DEFAULT_RULE_PRIORITY &&
    (rule.priority !== DEFAULT_RULE_PRIORITY || !matchesEverything(rule.match))
  ) {
    const detail = `The default rule must keep priority ${DEFAULT_RULE_PRIORITY} and match all traffic.`;
    return { ok: false, violations: [invalidField('resource.priority', rule.priority, detail, 'emulator')] };
  }
  const previous = existing.find((r) => r.priority === replacing);
  if (previous?.action.kind === 'rate_based_ban' && rule.action.kind === 'throttle') {
    // Rate-limiting overview: "you can't change it to a throttle action later".
    const detail = 'A rule with a rate_based_ban action cannot be changed to a throttle action.';
    return { ok: false, violations: [invalidField('resource.action', 'throttle', detail, 'emulator')] };
  }
  return { ok: true, value: [...others, rule].sort(byPriority) };
}
