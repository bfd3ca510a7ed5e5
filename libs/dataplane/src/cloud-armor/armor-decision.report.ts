// A Cloud Armor decision as plain, documented JSON: what a connectivity trace and the `:evaluate` read report.
import type { ArmorAction } from './security-policy.types';
import type { ArmorDecision, CompiledSecurityPolicy, RuleHit } from './security-policy.evaluator';

export interface ArmorRuleReport {
  priority: number;
  description: string;
  /** The rule's action on the wire: allow, deny(403), redirect, throttle, rate_based_ban. */
  action: string;
  preview: boolean;
  /** `srcIpRanges: a, b` or `expr: …`. */
  match: string;
  /** What the rule does (a preview rule: would do) to this request. */
  outcome: 'allow' | 'deny' | 'redirect';
  status?: number;
  redirect?: { type: string; target?: string };
  rateLimit?: {
    verdict: string;
    key: string;
    keyTypes: string[];
    count: number;
    threshold: number;
    intervalSec: number;
    bannedUntil?: string;
  };
}

export interface ArmorDecisionReport {
  /** What happens to the request: allow, deny, redirect. */
  outcome: 'allow' | 'deny' | 'redirect';
  /** For deny: the HTTP status the load balancer answers. */
  status?: number;
  redirect?: { type: string; target?: string };
  /** The enforced rule that decided; absent when no rule matched (then allowed). */
  matchedRule?: ArmorRuleReport;
  /** Every preview rule that matched on the way (logged, not applied), in evaluation order. */
  previewMatches: ArmorRuleReport[];
  /** Rules whose expression failed on this request (e.g. a missing header read without has()): no match. */
  errors: { priority: number; message: string }[];
}

function outcomeOf(action: ArmorAction): Pick<ArmorDecisionReport, 'outcome' | 'status' | 'redirect'> {
  if (action.kind === 'deny') return { outcome: 'deny', status: action.status };
  if (action.kind === 'redirect')
    return {
      outcome: 'redirect',
      redirect: { type: action.type, ...(action.target ? { target: action.target } : {}) },
    };
  return { outcome: 'allow' };
}

function ruleReport(policy: CompiledSecurityPolicy, hit: RuleHit): ArmorRuleReport {
  const rule = policy.rules.find((compiled) => compiled.rule.priority === hit.priority)?.rule;
  const match = rule
    ? rule.match.kind === 'expr'
      ? `expr: ${rule.match.expression}`
      : `srcIpRanges: ${rule.match.ranges.join(', ')}`
    : '';
  const threshold = rule?.rateLimit?.threshold;
  return {
    priority: hit.priority,
    description: rule?.description ?? '',
    action: hit.action,
    preview: hit.preview,
    match,
    ...outcomeOf(hit.outcome),
    ...(hit.rateLimit && threshold
      ? {
          rateLimit: {
            verdict: hit.rateLimit.verdict,
            key: hit.rateLimit.key.value,
            keyTypes: [...hit.rateLimit.key.types],
            count: hit.rateLimit.count,
            threshold: threshold.count,
            intervalSec: threshold.intervalSec,
            ...(hit.rateLimit.bannedUntilMs !== undefined
              ? { bannedUntil: new Date(hit.rateLimit.bannedUntilMs).toISOString() }
              : {}),
          },
        }
      : {}),
  };
}

/** The decision with each rule's priority, action, match and (for rate-based rules) its standing. */
export function reportArmorDecision(
  policy: CompiledSecurityPolicy,
  decision: ArmorDecision,
): ArmorDecisionReport {
  return {
    ...outcomeOf(decision.action),
    ...(decision.rule ? { matchedRule: ruleReport(policy, decision.rule) } : {}),
    previewMatches: decision.previewHits.map((hit) => ruleReport(policy, hit)),
    errors: decision.errors.map((error) => ({ ...error })),
  };
}
