import type { NormalizedArmorRequest } from './armor-request.normalizer';
import { urlDecode } from './cel-string-functions';
import type { CrsVersion, WafFamily } from './preconfigured-expression-sets.catalogue';
import { WAF_SIGNATURES, signatureId, type WafSignature } from './preconfigured-waf.signatures';

/**
 * Which signatures of a set are on, from either call form:
 * `evaluatePreconfiguredExpr(set, [excluded ids])` or
 * `evaluatePreconfiguredWaf(set, {'sensitivity': n, 'opt_out_rule_ids': [...] | 'opt_in_rule_ids': [...]})`.
 */
export interface WafSelection {
  readonly sensitivity: number;
  readonly optOutIds: readonly string[];
  readonly optInIds: readonly string[];
}

/** No sensitivity given: every signature (our approximations are all sensitivity 1, so only 0 differs). */
export const ALL_SIGNATURES: WafSelection = { sensitivity: 4, optOutIds: [], optInIds: [] };

function isActive(signature: WafSignature, crs: CrsVersion, selection: WafSelection): boolean {
  const id = signatureId(signature, crs);
  // Sensitivity 0 turns everything off except explicit opt-ins (configure-waf: opt-in needs sensitivity 0).
  if (selection.sensitivity === 0) return selection.optInIds.includes(id);
  return signature.sensitivity <= selection.sensitivity && !selection.optOutIds.includes(id);
}

/** True when any active signature of `family` fires on the request. */
export function matchesWafSet(
  family: WafFamily,
  crs: CrsVersion,
  selection: WafSelection,
  request: NormalizedArmorRequest,
): boolean {
  const args = `${urlDecode(request.path)}?${urlDecode(request.query)}`;
  const everything = [args, ...request.headers.values()];
  return WAF_SIGNATURES.some((signature) => {
    if (signature.family !== family || !isActive(signature, crs, selection)) return false;
    switch (signature.target) {
      case 'method':
        return !signature.pattern.test(request.method);
      case 'user-agent':
        return signature.pattern.test(request.headers.get('user-agent') ?? '');
      case 'args':
        return signature.pattern.test(args);
      case 'all':
        return everything.some((value) => signature.pattern.test(value));
    }
  });
}
