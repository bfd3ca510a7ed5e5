/*
 * Google Cloud resource labels (Compute `labels`, GKE `resourceLabels`): keys of 1–63 characters that start with a
 * lowercase letter, values of 0–63 characters, both of lowercase letters (international ones too), digits, `_` and
 * `-`; at most 64 labels. The patterns are gcloud's (googlecloudsdk labels_util: `[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}`
 * and `[\p{Ll}\p{Lo}\p{N}_-]{0,63}`), counted in characters (code points).
 */

const KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;

/** The most labels one resource may carry. */
export const MAX_GCE_LABELS = 64;

export function isGceLabelKey(key: string): boolean {
  return KEY.test(key);
}

export function isGceLabelValue(value: string): boolean {
  return VALUE.test(value);
}

/** What is wrong with a label set first, in the order a reader meets it: the count, then each key and its value. */
export type GceLabelProblem =
  | { kind: 'count'; count: number }
  | { kind: 'key'; key: string }
  | { kind: 'value'; key: string; value: string };

export function gceLabelProblem(labels: Readonly<Record<string, unknown>>): GceLabelProblem | undefined {
  const entries = Object.entries(labels);
  if (entries.length > MAX_GCE_LABELS) return { kind: 'count', count: entries.length };
  for (const [key, value] of entries) {
    if (!isGceLabelKey(key)) return { kind: 'key', key };
    const text = typeof value === 'string' ? value : String(value);
    if (!isGceLabelValue(text)) return { kind: 'value', key, value: text };
  }
  return undefined;
}
