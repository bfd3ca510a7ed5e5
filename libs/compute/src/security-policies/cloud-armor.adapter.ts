import { GoogleApiError } from '@gke-emulator/common';
import { cloudArmor } from '@gke-emulator/dataplane';
import type { WireObject } from '../shared/compute-context';

/*
 * The one door from the API to the pure Cloud Armor library: its rule checks, and the mapping of its first
 * violation to Google's error. The rest of this folder deals only in wire objects.
 */

/** A rule as the client sends it (checked against SECURITY_POLICY_RULE_SCHEMA, not yet validated). */
export type RuleBody = cloudArmor.SecurityPolicyRuleInput & WireObject;
/** A rule that passed the library's validation. */
export type ValidRule = cloudArmor.SecurityPolicyRule;
export type PreconfiguredExpressionSets = cloudArmor.ListPreconfiguredExpressionSetsResponse;

export const DEFAULT_RULE_PRIORITY = cloudArmor.DEFAULT_RULE_PRIORITY;

/** Google answers one error per request: the library's first violation, as a 400 with its reason and message. */
function unwrap<T>(result: cloudArmor.Validated<T>): T {
  if (result.ok) return result.value;
  const [first] = result.violations;
  throw first
    ? new GoogleApiError(400, first.reason, first.message)
    : new GoogleApiError(400, 'invalid', 'Invalid security policy rule.');
}

/** addRule/patchRule bodies are named `resource` in Google's errors, like the other Compute bodies. */
export function validateRule(body: RuleBody): ValidRule {
  return unwrap(cloudArmor.validateSecurityPolicyRule(body, { field: 'resource' }));
}

/** The `rules` of an insert or patch: each rule, unique priorities, a default rule; sorted by priority. */
export function validateRules(inputs: readonly RuleBody[]): readonly ValidRule[] {
  return unwrap(cloudArmor.validateSecurityPolicyRules(inputs));
}

/**
 * patchRule: validates `merged`, the rule that replaces the stored `current` at `priority`, with the checks that
 * compare old and new (the default rule stays a match-all at its priority; rate_based_ban never becomes throttle).
 */
export function validateRuleChange(current: WireObject, merged: RuleBody, priority: number): ValidRule {
  const previous = cloudArmor.validateSecurityPolicyRule(current as RuleBody);
  const existing = previous.ok ? [previous.value] : [];
  const [rule] = unwrap(cloudArmor.applyRuleChange(existing, merged, priority));
  return rule ?? validateRule(merged);
}

export function preconfiguredExpressionSets(): PreconfiguredExpressionSets {
  return cloudArmor.listPreconfiguredExpressionSets();
}
