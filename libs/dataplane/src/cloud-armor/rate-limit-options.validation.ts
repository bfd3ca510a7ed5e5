import type { Validated, RuleViolation } from './rule-violation';
import { invalidField, requiredField } from './rule-violation';
import {
  ENFORCE_ON_KEY_TYPES,
  type EnforceOnKey,
  type EnforceOnKeyType,
  type RateLimitSettings,
  type RateLimitThreshold,
} from './security-policy-rule.model';
import type {
  SecurityPolicyEnforceOnKeyConfig,
  SecurityPolicyRuleRateLimitOptions,
  SecurityPolicyRuleRateLimitThreshold,
} from './security-policy.types';
import { validateRedirectOptions } from './redirect-options.validation';

/**
 * Interval (and ban duration) values accepted by Cloud Armor. Third-party validators (Terraform modules) and the
 * rate-limiting guide agree on this list for intervals; applying it to banDurationSec is our assumption.
 */
export const RATE_LIMIT_INTERVALS_SEC: readonly number[] = [
  10, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600,
];
export const MAX_ENFORCE_ON_KEY_CONFIGS = 3;
const NAMED_KEY_TYPES: ReadonlySet<string> = new Set(['HTTP_HEADER', 'HTTP_COOKIE']);
const EXCEED_DENY = /^deny\((403|404|429|502)\)$/;

export function toInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined;
}

/** `rateLimitOptions` of a throttle or rate_based_ban rule (`field` is its wire path). */
export function validateRateLimitOptions(
  options: SecurityPolicyRuleRateLimitOptions,
  ruleAction: 'throttle' | 'rate_based_ban',
  field: string,
): Validated<RateLimitSettings> {
  const violations: RuleViolation[] = [];
  if (!options.rateLimitThreshold || !options.conformAction || !options.exceedAction) {
    // Seen (third-party transcript) as the answer to a rate_based_ban rule without these fields.
    const detail = 'Rate limit threshold, conform action, and exceed action must be specified.';
    return { ok: false, violations: [invalidField(field, options, detail, 'google-observed')] };
  }
  const threshold = validateThreshold(options.rateLimitThreshold, `${field}.rateLimitThreshold`, violations);
  if (options.conformAction !== 'allow') {
    const detail =
      'Action to take for requests that are under the configured rate limit threshold. Valid option is "allow" only.';
    violations.push(
      invalidField(`${field}.conformAction`, options.conformAction, detail, 'google-documented'),
    );
  }
  const exceedAction = validateExceedAction(options, field, violations);
  const keys = validateKeys(options, field, violations);
  const ban = validateBan(options, ruleAction, field, violations);
  if (violations.length > 0 || !threshold || !exceedAction || !keys) return { ok: false, violations };
  return {
    ok: true,
    value: { threshold, conformAction: 'allow', exceedAction, keys, ...(ban ? { ban } : {}) },
  };
}

function validateThreshold(
  threshold: SecurityPolicyRuleRateLimitThreshold,
  field: string,
  violations: RuleViolation[],
): RateLimitThreshold | undefined {
  const count = toInteger(threshold.count);
  const intervalSec = toInteger(threshold.intervalSec);
  if (count === undefined || count < 1 || count > 2147483647) {
    const detail = 'The number of requests must be a positive integer.';
    violations.push(invalidField(`${field}.count`, threshold.count, detail, 'emulator'));
  }
  if (intervalSec === undefined || !RATE_LIMIT_INTERVALS_SEC.includes(intervalSec)) {
    const detail = `Interval must be one of ${RATE_LIMIT_INTERVALS_SEC.join(', ')} seconds.`;
    violations.push(invalidField(`${field}.intervalSec`, threshold.intervalSec, detail, 'emulator'));
  }
  return count !== undefined && intervalSec !== undefined ? { count, intervalSec } : undefined;
}

function validateExceedAction(
  options: SecurityPolicyRuleRateLimitOptions,
  field: string,
  violations: RuleViolation[],
): RateLimitSettings['exceedAction'] | undefined {
  const action = options.exceedAction ?? '';
  const deny = EXCEED_DENY.exec(action);
  if (action !== 'redirect' && options.exceedRedirectOptions) {
    const detail = 'Cannot be specified if the exceed action is not redirect.';
    violations.push(
      invalidField(
        `${field}.exceedRedirectOptions`,
        options.exceedRedirectOptions,
        detail,
        'google-documented',
      ),
    );
  }
  if (deny) return { kind: 'deny', status: Number(deny[1]) };
  if (action === 'redirect') {
    if (!options.exceedRedirectOptions) {
      violations.push(requiredField(`${field}.exceedRedirectOptions`));
      return undefined;
    }
    const redirect = validateRedirectOptions(options.exceedRedirectOptions, `${field}.exceedRedirectOptions`);
    if (!redirect.ok) violations.push(...redirect.violations);
    return redirect.ok ? redirect.value : undefined;
  }
  const detail =
    'Valid options are deny(STATUS), where valid values for STATUS are 403, 404, 429, and 502, and redirect.';
  violations.push(invalidField(`${field}.exceedAction`, action, detail, 'google-documented'));
  return undefined;
}

function validateKey(
  config: SecurityPolicyEnforceOnKeyConfig,
  field: string,
  typeField: string,
  violations: RuleViolation[],
): EnforceOnKey | undefined {
  const type = config.enforceOnKeyType || 'ALL';
  // ALL_IPS is the deprecated spelling of ALL.
  const canonical = type === 'ALL_IPS' ? 'ALL' : type;
  if (!(ENFORCE_ON_KEY_TYPES as readonly string[]).includes(canonical)) {
    const detail = `Valid values are ${ENFORCE_ON_KEY_TYPES.join(', ')}.`;
    violations.push(invalidField(`${field}.${typeField}`, type, detail, 'emulator'));
    return undefined;
  }
  const name = config.enforceOnKeyName;
  if (NAMED_KEY_TYPES.has(canonical) && !name) {
    violations.push(requiredField(`${field}.enforceOnKeyName`));
    return undefined;
  }
  if (!NAMED_KEY_TYPES.has(canonical) && name) {
    const detail =
      'Rate limit key name applicable only for the following key types: HTTP_HEADER, HTTP_COOKIE.';
    violations.push(invalidField(`${field}.enforceOnKeyName`, name, detail, 'google-documented'));
    return undefined;
  }
  return { type: canonical as EnforceOnKeyType, ...(name ? { name } : {}) };
}

function validateKeys(
  options: SecurityPolicyRuleRateLimitOptions,
  field: string,
  violations: RuleViolation[],
): readonly EnforceOnKey[] | undefined {
  const configs = options.enforceOnKeyConfigs ?? [];
  if (configs.length === 0) {
    const single = { enforceOnKeyType: options.enforceOnKey, enforceOnKeyName: options.enforceOnKeyName };
    const key = validateKey(single, field, 'enforceOnKey', violations);
    return key ? [key] : undefined;
  }
  if (options.enforceOnKey || options.enforceOnKeyName) {
    const detail = 'If enforceOnKeyConfigs is specified, enforceOnKey must not be specified.';
    violations.push(
      invalidField(`${field}.enforceOnKey`, options.enforceOnKey ?? '', detail, 'google-documented'),
    );
    return undefined;
  }
  if (configs.length > MAX_ENFORCE_ON_KEY_CONFIGS) {
    const detail = `You can specify up to ${MAX_ENFORCE_ON_KEY_CONFIGS} enforceOnKeyConfigs.`;
    violations.push(invalidField(`${field}.enforceOnKeyConfigs`, configs, detail, 'google-documented'));
    return undefined;
  }
  const keys = configs.map((config, i) =>
    validateKey(config, `${field}.enforceOnKeyConfigs[${i}]`, 'enforceOnKeyType', violations),
  );
  return keys.every((key): key is EnforceOnKey => key !== undefined) ? keys : undefined;
}

function validateBan(
  options: SecurityPolicyRuleRateLimitOptions,
  ruleAction: 'throttle' | 'rate_based_ban',
  field: string,
  violations: RuleViolation[],
): RateLimitSettings['ban'] {
  if (ruleAction === 'throttle') {
    const detail = 'Can only be specified if the action for the rule is "rate_based_ban".';
    if (options.banThreshold) {
      violations.push(
        invalidField(`${field}.banThreshold`, options.banThreshold, detail, 'google-documented'),
      );
    }
    if (options.banDurationSec !== undefined) {
      violations.push(
        invalidField(`${field}.banDurationSec`, options.banDurationSec, detail, 'google-documented'),
      );
    }
    return undefined;
  }
  const threshold = options.banThreshold
    ? validateThreshold(options.banThreshold, `${field}.banThreshold`, violations)
    : undefined;
  if (options.banDurationSec === undefined) {
    violations.push(requiredField(`${field}.banDurationSec`));
    return undefined;
  }
  const durationSec = toInteger(options.banDurationSec);
  if (durationSec === undefined || !RATE_LIMIT_INTERVALS_SEC.includes(durationSec)) {
    const detail = `Ban duration must be one of ${RATE_LIMIT_INTERVALS_SEC.join(', ')} seconds.`;
    violations.push(invalidField(`${field}.banDurationSec`, options.banDurationSec, detail, 'emulator'));
    return undefined;
  }
  return { durationSec, ...(threshold ? { threshold } : {}) };
}
