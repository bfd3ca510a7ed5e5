/** A Kubernetes object as stored and served: plain JSON with the standard metadata. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A typed read of a nested field: `field(pod, 'status', 'podIP')`. */
export function field(object: unknown, ...path: (string | number)[]): unknown {
  let node: unknown = object;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

export function stringField(object: unknown, ...path: (string | number)[]): string | undefined {
  const value = field(object, ...path);
  return typeof value === 'string' ? value : undefined;
}

export function numberField(object: unknown, ...path: (string | number)[]): number | undefined {
  const value = field(object, ...path);
  return typeof value === 'number' ? value : undefined;
}

export function listField(object: unknown, ...path: (string | number)[]): unknown[] {
  const value = field(object, ...path);
  return Array.isArray(value) ? value : [];
}

/** RFC 3339 with seconds, as metav1.Time marshals. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
