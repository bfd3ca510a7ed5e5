import { sameJson } from '@gke-emulator/common';
import type { ComputeApi, ComputeCollection } from '@gke-emulator/compute';
import type { ClusterRecord } from '@gke-emulator/container';
import { field, type KubeObject } from '../api/kube-object';
import type { ResourceKind } from '../api/resources';
import type { KubeStore } from '../store/kube-store';

/** Links compared without their root: stored ones are rendered absolute, planned ones are relative. */
function relative(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/^https?:\/\/[^/]+\/compute\/v1\//, '');
  if (Array.isArray(value)) return value.map(relative);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, relative(item)]));
  }
  return value;
}

/** Whether a stored resource differs from a planned body in any field the plan sets (the network never moves). */
export function differs(existing: Record<string, unknown>, body: Record<string, unknown>): boolean {
  return Object.entries(body).some(
    ([key, value]) =>
      key !== 'network' && JSON.stringify(relative(existing[key])) !== JSON.stringify(relative(value)),
  );
}

/**
 * Creates a planned Compute resource, or (with `update`) brings the fields the controller owns back to the plan;
 * returns the resource as stored. Idempotent: a resource already as planned (compared as Compute stores it) is
 * not written, so a reconcile that finds nothing changed makes no operation and keeps every fingerprint.
 */
export async function ensureComputeResource(
  compute: ComputeApi,
  collection: ComputeCollection,
  project: string,
  scope: string,
  body: Record<string, unknown>,
  update = false,
  /** counts the writes made (an insert, an update that changed something) */
  writes?: { count: number },
): Promise<Record<string, unknown>> {
  const name = String(body['name']);
  const existing = await compute.get(collection, project, scope, name);
  if (!existing) {
    await compute.insert(collection, project, scope, body);
    if (writes) writes.count++;
  } else if (update && differs(existing, body)) {
    if ((await compute.updateIfChanged(collection, project, scope, name, body)) && writes) writes.count++;
  }
  return (await compute.get(collection, project, scope, name)) ?? {};
}

/**
 * Writes a load balancer's status on the object it was made for, if that object is still the one reconciled
 * (same uid) and the status differs: `status.loadBalancer` of a Service or an Ingress. Returns whether it wrote.
 */
export async function writeLoadBalancerStatus(
  store: KubeStore,
  cluster: ClusterRecord,
  kind: ResourceKind,
  object: KubeObject,
  loadBalancer: Record<string, unknown>,
): Promise<boolean> {
  if (sameJson(field(object, 'status', 'loadBalancer') ?? {}, loadBalancer)) return false;
  return store.transaction(async (sql) => {
    const namespace = String(object.metadata.namespace);
    const current = await store.get(sql, cluster, kind, namespace, String(object.metadata.name));
    if (!current || current.metadata.uid !== object.metadata.uid) return false;
    if (sameJson(field(current, 'status', 'loadBalancer') ?? {}, loadBalancer)) return false;
    await store.update(
      sql,
      cluster,
      kind,
      { ...current, status: { loadBalancer } },
      { subresource: 'status' },
    );
    return true;
  });
}
