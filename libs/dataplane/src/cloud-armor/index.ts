// Cloud Armor: rule validation, policy evaluation, rate limiting and the preconfigured WAF catalogue.
export type {
  ArmorAction,
  ArmorRequest,
  ArmorTokenAttributes,
  RedirectType,
  SecurityPolicyEnforceOnKeyConfig,
  SecurityPolicyExpr,
  SecurityPolicyRuleInput,
  SecurityPolicyRuleMatcher,
  SecurityPolicyRuleMatcherConfig,
  SecurityPolicyRuleRateLimitOptions,
  SecurityPolicyRuleRateLimitThreshold,
  SecurityPolicyRuleRedirectOptions,
} from './security-policy.types';
export { DEFAULT_RULE_PRIORITY } from './security-policy.types';
export type {
  EnforceOnKey,
  EnforceOnKeyType,
  RateLimitSettings,
  RateLimitThreshold,
  RuleAction,
  RuleMatch,
  SecurityPolicyRule,
} from './security-policy-rule.model';
export { ENFORCE_ON_KEY_TYPES } from './security-policy-rule.model';
export { type RuleViolation, type Validated, quoteFieldValue } from './rule-violation';
export {
  MAX_SRC_IP_RANGES,
  type RuleValidationOptions,
  validateSecurityPolicyRule,
} from './security-policy-rule.validation';
export { MAX_ENFORCE_ON_KEY_CONFIGS, RATE_LIMIT_INTERVALS_SEC } from './rate-limit-options.validation';
export {
  DEFAULT_ALLOW_RULE,
  applyRuleChange,
  validateSecurityPolicyRules,
} from './security-policy.validation';
export {
  type CompiledMatchExpression,
  type MatchExpressionCompilation,
  type MatchExpressionOptions,
  MAX_SUBEXPRESSIONS,
  compileMatchExpression,
} from './match-expression.compiler';
export {
  type ArmorDecision,
  type CompiledSecurityPolicy,
  type EvaluationContext,
  type RuleHit,
  compileSecurityPolicy,
  evaluateSecurityPolicy,
  formatRuleAction,
} from './security-policy.evaluator';
export { type Clock, type RateLimitOutcome, type RateLimitVerdict, RateLimiter } from './rate-limiter';
export { type RateLimitKey, resolveRateLimitKey } from './rate-limit-key';
export { type NormalizedArmorRequest, normalizeArmorRequest } from './armor-request.normalizer';
export {
  type CrsVersion,
  type ListPreconfiguredExpressionSetsResponse,
  type PreconfiguredExpressionSet,
  type WafFamily,
  PRECONFIGURED_EXPRESSION_SETS,
  findPreconfiguredExpressionSet,
  listPreconfiguredExpressionSets,
} from './preconfigured-expression-sets.catalogue';
export { CLOUD_ARMOR_CEL_FUNCS, cloudArmorBindings, createCloudArmorCelEnv } from './cloud-armor-cel.env';
export { networkExtensionFuncs, networkExtensionRegistry } from './cel-network-ext';
export { type ArmorDecisionReport, type ArmorRuleReport, reportArmorDecision } from './armor-decision.report';
export { type ParsedArmorRequest, parseArmorRequest } from './armor-request.parser';
