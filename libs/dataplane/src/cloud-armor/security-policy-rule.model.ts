import type { ArmorAction, RedirectType } from './security-policy.types';

/** A rule that passed validation: plain data, safe to store and to compile for evaluation. */
export interface SecurityPolicyRule {
  readonly priority: number;
  readonly description: string;
  readonly preview: boolean;
  readonly action: RuleAction;
  readonly match: RuleMatch;
  readonly rateLimit?: RateLimitSettings;
}

export type RuleAction = ArmorAction | { readonly kind: 'throttle' } | { readonly kind: 'rate_based_ban' };

export type RuleMatch =
  | { readonly kind: 'srcIpRanges'; readonly ranges: readonly string[] }
  | { readonly kind: 'expr'; readonly expression: string };

export const ENFORCE_ON_KEY_TYPES = [
  'ALL',
  'IP',
  'HTTP_HEADER',
  'XFF_IP',
  'HTTP_COOKIE',
  'HTTP_PATH',
  'SNI',
  'REGION_CODE',
  'TLS_JA3_FINGERPRINT',
  'TLS_JA4_FINGERPRINT',
  'USER_IP',
] as const;
export type EnforceOnKeyType = (typeof ENFORCE_ON_KEY_TYPES)[number];

export interface EnforceOnKey {
  readonly type: EnforceOnKeyType;
  /** Header or cookie name for HTTP_HEADER / HTTP_COOKIE. */
  readonly name?: string;
}

export interface RateLimitThreshold {
  readonly count: number;
  readonly intervalSec: number;
}

export interface RateLimitSettings {
  readonly threshold: RateLimitThreshold;
  /** Only 'allow' is valid, so conforming requests are allowed. */
  readonly conformAction: 'allow';
  readonly exceedAction: Extract<ArmorAction, { kind: 'deny' | 'redirect' }>;
  /** One key, or up to three combined (enforceOnKeyConfigs); `[{type: 'ALL'}]` by default. */
  readonly keys: readonly EnforceOnKey[];
  /** rate_based_ban only. */
  readonly ban?: { readonly threshold?: RateLimitThreshold; readonly durationSec: number };
}

export type { RedirectType };
