import { createHash } from 'node:crypto';
import {
  gceLabelProblem,
  GoogleApiError,
  GoogleErrors,
  MAX_GCE_LABELS,
  newFingerprint,
  sameFingerprint,
} from '@gke-emulator/common';
import type { WireObject } from '../../shared/compute-context';
import type { LoadBalancingRecord, ResourceReferenceInput } from '../load-balancing-kind';

export const GLOBAL = 'global';

/** What `labels` look like with no labels: Google's fingerprint of the empty set. */
export const EMPTY_LABELS_FINGERPRINT = '42WmSpB8rSM=';

export function invalid(field: string, value: unknown, why: string): GoogleApiError {
  return GoogleErrors.invalidFieldValue(`resource.${field}`, value ?? '', why);
}

/** A string enum with Google's default when absent. */
export function enumField(
  body: WireObject,
  field: string,
  allowed: readonly string[],
  fallback: string,
): string;
export function enumField(
  body: WireObject,
  field: string,
  allowed: readonly string[],
  fallback?: string,
): string | undefined;
export function enumField(
  body: WireObject,
  field: string,
  allowed: readonly string[],
  fallback?: string,
): string | undefined {
  const value = body[field] === undefined || body[field] === '' ? fallback : String(body[field]);
  if (value !== undefined && !allowed.includes(value)) {
    throw invalid(field, value, `Must be one of [${allowed.join(', ')}].`);
  }
  return value;
}

/** An integer in [min, max], or `fallback` when absent (the schema already checked the JSON type). */
export function intField(
  body: WireObject,
  field: string,
  fallback: number,
  min: number,
  max: number,
  path?: string,
): number;
export function intField(
  body: WireObject,
  field: string,
  fallback: number | undefined,
  min: number,
  max: number,
  path?: string,
): number | undefined;
export function intField(
  body: WireObject,
  field: string,
  fallback: number | undefined,
  min: number,
  max: number,
  path = field,
): number | undefined {
  if (body[field] === undefined) return fallback;
  const n = Number(body[field]);
  if (n < min || n > max) throw invalid(path, body[field], `Must be between ${min} and ${max}.`);
  return n;
}

/**
 * A float field (`capacityScaler`, `failoverRatio`): the wire schema has no float type, so the JSON type is
 * checked here with the parser's wording.
 */
export function floatField(value: unknown, path: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new GoogleApiError(
      400,
      'invalid',
      `Invalid value at '${path}' (TYPE_FLOAT), ${JSON.stringify(value)}`,
    );
  }
  if (n < min || n > max) {
    throw GoogleErrors.invalidFieldValue(path, String(value), `Must be between ${min} and ${max}.`);
  }
  return n;
}

/** Strings of a repeated field, `[]` when absent. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** Copies the fields that are present (and not empty lists: Google omits those when reading). */
export function present(body: WireObject, fields: readonly string[]): WireObject {
  const out: WireObject = {};
  for (const field of fields) {
    const value = body[field];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out[field] = value;
  }
  return out;
}

/**
 * Optimistic locking on patch/update: a fingerprint that is given must be the current one (412). Absent is
 * allowed, as Google allows it. The service removes the stored fingerprint before merging, so a fingerprint in
 * the merged body is always the client's.
 */
export function checkFingerprint(body: WireObject, current: WireObject | undefined): void {
  const given = body['fingerprint'];
  if (!current || typeof given !== 'string' || given === '') return;
  if (!sameFingerprint(given, String(current['fingerprint'] ?? ''))) {
    throw GoogleErrors.conditionNotMet('Supplied fingerprint does not match current metadata fingerprint.');
  }
}

/** A fresh fingerprint for every write, as Google changes it on every change. */
export function fingerprint(): { fingerprint: string } {
  return { fingerprint: newFingerprint() };
}

/** Google's label fingerprint is a hash of the labels: equal labels, equal fingerprints. */
export function labelFingerprintOf(labels: Record<string, string> | undefined): string {
  if (!labels || Object.keys(labels).length === 0) return EMPTY_LABELS_FINGERPRINT;
  const canonical = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(canonical).digest().subarray(0, 8).toString('base64url') + '=';
}

/**
 * Labels as Compute checks them (`labels` on insert where a kind keeps them, every `setLabels`): 400 `invalid`,
 * the first bad key or value named in Google's words (recorded from instances.insert/setLabels answers quoted in
 * public bug reports: "Label key 'KubernetesCluster' violates format constraints…", "Label value 'head.default'
 * violates format constraints…"), with `''` as the field's value. `field` is `resource.labels` in an insert body,
 * `labels` in a setLabels body.
 */
export function checkLabels(labels: Record<string, unknown>, field = 'resource.labels'): void {
  const problem = gceLabelProblem(labels);
  if (!problem) return;
  if (problem.kind === 'count') {
    // Google's wording for more than 64 labels is not in any recording or public report found: this one is ours.
    throw GoogleErrors.invalidFieldValue(field, '', `A resource can have at most ${MAX_GCE_LABELS} labels.`);
  }
  if (problem.kind === 'key') {
    throw GoogleErrors.invalidFieldValue(
      field,
      '',
      `Label key '${problem.key}' violates format constraints. The key must start with a lowercase character, can only contain lowercase letters, numeric characters, underscores and dashes. The key can be at most 63 characters long. International characters are allowed.`,
    );
  }
  throw GoogleErrors.invalidFieldValue(
    field,
    '',
    `Label value '${problem.value}' violates format constraints. The value can only contain lowercase letters, numeric characters, underscores and dashes. The value can be at most 63 characters long. International characters are allowed.`,
  );
}

/** The stored object as a body again (what a verb changes one field of), without server-owned fields. */
export function storedBody(resource: WireObject): WireObject {
  const {
    kind: _k,
    id: _i,
    creationTimestamp: _c,
    selfLink: _s,
    region: _r,
    fingerprint: _f,
    ...rest
  } = resource;
  return rest;
}

/** The reference a load-balancing resource makes to another one it names. */
export function referenceTo(record: LoadBalancingRecord): ResourceReferenceInput {
  return { targetLink: String(record.resource['selfLink']), target: { loadBalancingId: record.id } };
}

export function scopeLabel(scope: string): string {
  return scope === GLOBAL ? 'global' : `region '${scope}'`;
}

/** A region from a zone name: `us-central1-a` → `us-central1`. */
export function regionOfZone(zone: string): string {
  return zone.replace(/-[a-z]$/, '');
}
