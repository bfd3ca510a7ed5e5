import { invalidField, requiredField, type RuleViolation, type Validated } from './rule-violation';
import type { ArmorAction, SecurityPolicyRuleRedirectOptions } from './security-policy.types';

/** `redirectOptions` (rule action redirect) or `exceedRedirectOptions` (rate-limit exceed action redirect). */
export function validateRedirectOptions(
  options: SecurityPolicyRuleRedirectOptions,
  field: string,
): Validated<Extract<ArmorAction, { kind: 'redirect' }>> {
  const violations: RuleViolation[] = [];
  if (options.type === 'GOOGLE_RECAPTCHA') {
    if (options.target) {
      const detail =
        'Target for the redirect action is required if the type is EXTERNAL_302 and cannot be specified for GOOGLE_RECAPTCHA.';
      violations.push(invalidField(`${field}.target`, options.target, detail, 'google-documented'));
    }
    return violations.length
      ? { ok: false, violations }
      : { ok: true, value: { kind: 'redirect', type: 'GOOGLE_RECAPTCHA' } };
  }
  if (options.type === 'EXTERNAL_302') {
    if (!options.target) return { ok: false, violations: [requiredField(`${field}.target`)] };
    return { ok: true, value: { kind: 'redirect', type: 'EXTERNAL_302', target: options.target } };
  }
  if (options.type === undefined) return { ok: false, violations: [requiredField(`${field}.type`)] };
  const detail = 'Type of the redirect action must be GOOGLE_RECAPTCHA or EXTERNAL_302.';
  return { ok: false, violations: [invalidField(`${field}.type`, options.type, detail, 'emulator')] };
}
