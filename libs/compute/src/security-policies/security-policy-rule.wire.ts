import type { WireObject } from '../shared/compute-context';
import { DEFAULT_RULE_PRIORITY, type RuleBody } from './cloud-armor.adapter';

export const RULE_KIND = 'compute#securityPolicyRule';

/**
 * The rule Google adds to a policy created without rules ("a default rule with action "allow" will be added");
 * its description is the one `gcloud compute security-policies describe` shows on such a policy.
 */
export const DEFAULT_ALLOW_RULE: WireObject = {
  kind: RULE_KIND,
  action: 'allow',
  description: 'default rule',
  match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
  preview: false,
  priority: DEFAULT_RULE_PRIORITY,
};

/**
 * The rule as stored and returned: what the client sent, with the fields Google fills on the round trip
 * (`kind`, `description: ""`, `preview: false`) and integers that arrived as strings turned into numbers.
 */
export function storedRule(body: RuleBody, priority: number): WireObject {
  const rule: WireObject = {
    ...body,
    kind: RULE_KIND,
    description: body.description ?? '',
    preview: body.preview ?? false,
    priority,
  };
  const options = body.rateLimitOptions;
  if (options) {
    rule['rateLimitOptions'] = {
      ...options,
      ...(options.rateLimitThreshold
        ? { rateLimitThreshold: numericThreshold(options.rateLimitThreshold) }
        : {}),
      ...(options.banThreshold ? { banThreshold: numericThreshold(options.banThreshold) } : {}),
      ...(options.banDurationSec !== undefined ? { banDurationSec: Number(options.banDurationSec) } : {}),
    };
  }
  return rule;
}

function numericThreshold(threshold: { count?: number | string; intervalSec?: number | string }) {
  return {
    ...threshold,
    ...(threshold.count !== undefined ? { count: Number(threshold.count) } : {}),
    ...(threshold.intervalSec !== undefined ? { intervalSec: Number(threshold.intervalSec) } : {}),
  };
}

/**
 * patchRule: the body's fields replace the stored ones (objects merge field by field, lists are replaced), then
 * the `updateMask` paths are cleared. A new matcher replaces the other matcher kind instead of adding to it.
 */
export function mergeRule(current: WireObject, body: RuleBody, updateMask: readonly string[]): RuleBody {
  const merged = mergeObjects(current, body);
  const match = body.match;
  const mergedMatch = merged['match'] as WireObject | undefined;
  if (match && mergedMatch) {
    if (match.expr) {
      delete mergedMatch['versionedExpr'];
      delete mergedMatch['config'];
    } else if (match.versionedExpr !== undefined || match.config) {
      delete mergedMatch['expr'];
    }
  }
  for (const path of updateMask) clearPath(merged, path);
  delete merged['kind'];
  return merged as RuleBody;
}

function isObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergeObjects(base: WireObject, patch: WireObject): WireObject {
  const out: WireObject = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const existing = out[key];
    out[key] = isObject(existing) && isObject(value) ? mergeObjects(existing, value) : structuredClone(value);
  }
  return out;
}

/** Deletes a dotted field path (`rateLimitOptions.exceedRedirectOptions`) from a wire object. */
export function clearPath(target: WireObject, path: string): void {
  const segments = path.split('.');
  const last = segments.pop();
  let node: unknown = target;
  for (const segment of segments) node = isObject(node) ? node[segment] : undefined;
  if (last !== undefined && isObject(node)) Reflect.deleteProperty(node, last);
}

/**
 * `updateMask` names fields to clear. gcloud spells them in proto style (`rate_limit_options`), other clients in
 * JSON style; both name the same field.
 */
export function updateMaskOf(query: Record<string, unknown>): string[] {
  const raw = query['updateMask'];
  const values = Array.isArray(raw) ? raw : [raw];
  return values
    .filter((value): value is string => typeof value === 'string')
    .flatMap((value) => value.split(','))
    .map((path) => path.trim())
    .filter((path) => path !== '')
    .map((path) =>
      path
        .split('.')
        .map((segment) => segment.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()))
        .join('.'),
    );
}
