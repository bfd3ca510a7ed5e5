/**
 * Wire shapes of Cloud Armor security policy rules (compute v1 `SecurityPolicyRule`, the subset the emulator
 * understands) and the request/decision model of the evaluator. Wire fields are optional because they arrive
 * from clients unchecked; validation turns them into a `SecurityPolicyRule` the evaluator can trust.
 */

export interface SecurityPolicyRuleMatcherConfig {
  srcIpRanges?: readonly string[];
}

export interface SecurityPolicyExpr {
  expression?: string;
  title?: string;
  description?: string;
  location?: string;
}

export interface SecurityPolicyRuleMatcher {
  versionedExpr?: string;
  config?: SecurityPolicyRuleMatcherConfig;
  expr?: SecurityPolicyExpr;
}

export interface SecurityPolicyRuleRedirectOptions {
  type?: string;
  target?: string;
}

export interface SecurityPolicyRuleRateLimitThreshold {
  count?: number | string;
  intervalSec?: number | string;
}

export interface SecurityPolicyEnforceOnKeyConfig {
  enforceOnKeyType?: string;
  enforceOnKeyName?: string;
}

export interface SecurityPolicyRuleRateLimitOptions {
  rateLimitThreshold?: SecurityPolicyRuleRateLimitThreshold;
  conformAction?: string;
  exceedAction?: string;
  exceedRedirectOptions?: SecurityPolicyRuleRedirectOptions;
  enforceOnKey?: string;
  enforceOnKeyName?: string;
  enforceOnKeyConfigs?: readonly SecurityPolicyEnforceOnKeyConfig[];
  banThreshold?: SecurityPolicyRuleRateLimitThreshold;
  banDurationSec?: number | string;
}

/** A rule as a client sends it to insert/addRule/patchRule. */
export interface SecurityPolicyRuleInput {
  priority?: number | string;
  description?: string;
  preview?: boolean;
  action?: string;
  match?: SecurityPolicyRuleMatcher;
  rateLimitOptions?: SecurityPolicyRuleRateLimitOptions;
  redirectOptions?: SecurityPolicyRuleRedirectOptions;
}

/** Lowest precedence; every policy ends with a rule at this priority matching `*`. */
export const DEFAULT_RULE_PRIORITY = 2147483647;

/** Per-request attributes visible to rules. Header names are matched case-insensitively. */
export interface ArmorRequest {
  /** `origin.ip`: the client address as seen by the load balancer. */
  readonly sourceIp: string;
  /** `origin.user_ip`: from the policy's configured user-IP header; '' when absent. */
  readonly userIp?: string;
  /** `origin.region_code`: ISO 3166-1 alpha-2; '' when unknown. */
  readonly regionCode?: string;
  readonly asn?: number;
  readonly tlsJa3Fingerprint?: string;
  readonly tlsJa4Fingerprint?: string;
  readonly method: string;
  /** Not normalised, without the query string. */
  readonly path: string;
  /** Raw (still URL-encoded) query string without '?'. */
  readonly query?: string;
  /** 'http' or 'https'. */
  readonly scheme?: string;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** TLS server name indication; absent for plain HTTP. */
  readonly sni?: string;
  /** Rate limits are counted per backend service the policy is attached to. */
  readonly backendService?: string;
  readonly token?: Partial<ArmorTokenAttributes>;
}

/** The reCAPTCHA `token.*` attributes; all false/0/'' unless given. */
export interface ArmorTokenAttributes {
  recaptchaExemptionValid: boolean;
  recaptchaActionScore: number;
  recaptchaActionCaptchaStatus: string;
  recaptchaActionAction: string;
  recaptchaActionValid: boolean;
  recaptchaSessionScore: number;
  recaptchaSessionValid: boolean;
}

/** What happens to the request. */
export type ArmorAction =
  | { readonly kind: 'allow' }
  | { readonly kind: 'deny'; readonly status: number }
  | { readonly kind: 'redirect'; readonly type: RedirectType; readonly target?: string };

export type RedirectType = 'GOOGLE_RECAPTCHA' | 'EXTERNAL_302';
