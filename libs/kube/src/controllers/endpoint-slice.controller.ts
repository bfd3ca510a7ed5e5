import type { ClusterDirectory } from '@gke-emulator/container';
import { field, isPlainObject, type KubeObject } from '../api/kube-object';
import { KubeStatusError } from '../api/kube-status';
import { kindByResource } from '../api/resources';
import type { AdmissionContext, AdmissionHook } from '../store/admission';
import { desiredEndpointSlices, endpointSliceObject, MANAGED_BY, selects } from './endpoint-slices';
import { type InWriteController, nodesOf } from './in-write-controller';
import { stateOf } from './transaction-state';

const PODS = kindByResource('pods');
const SERVICES = kindByResource('services');
const SLICES = kindByResource('endpointslices');

/**
 * The EndpointSlice controller: a Service with a selector has slices listing the pods it selects (see
 * endpoint-slices.ts); they follow every write of the Service and of the pods it selects now or selected before.
 * Inside a Deployment's batch of pod writes, the changed pods are noted and their Services reconciled once, at the
 * batch's end (`flushBatch`).
 */
export class EndpointSliceController implements InWriteController {
  readonly name = 'endpointslice-controller';

  constructor(private readonly clusters: ClusterDirectory) {}

  hooks(): Record<string, AdmissionHook> {
    return {
      pods: {
        afterWrite: async (context, _type, pod) => {
          if (context.dryRun) return;
          await this.podChanged(context, pod, context.old);
        },
      },
      services: {
        afterWrite: async (context, type, service) => {
          if (context.dryRun) return;
          if (type === 'DELETED') await this.deleteSlices(context, service);
          else if (context.subresource !== 'status') await this.reconcileSlices(context, service);
        },
      },
    };
  }

  /** Endpoints follow pods: reconcile the Services that select the pod now or selected it before. */
  private async podChanged(
    context: AdmissionContext,
    pod: KubeObject,
    old: KubeObject | undefined,
  ): Promise<void> {
    const namespace = String(pod.metadata.namespace);
    const state = stateOf(context.sql);
    if (state.batching > 0) {
      const changed = state.dirtyPods.get(namespace) ?? [];
      changed.push(pod.metadata.labels ?? {});
      if (old) changed.push(old.metadata.labels ?? {});
      state.dirtyPods.set(namespace, changed);
      return;
    }
    for (const service of await this.servicesIn(context, namespace)) {
      const selector = (field(service, 'spec', 'selector') ?? {}) as Record<string, string>;
      if (selects(selector, pod.metadata.labels) || (old && selects(selector, old.metadata.labels))) {
        await this.reconcileSlices(context, service);
      }
    }
  }

  /** After a batch: the Services that select any pod the batch changed. */
  async flushBatch(context: AdmissionContext): Promise<void> {
    const state = stateOf(context.sql);
    const changed = [...state.dirtyPods.entries()];
    state.dirtyPods.clear();
    for (const [namespace, labelSets] of changed) {
      for (const service of await this.servicesIn(context, namespace)) {
        const selector = (field(service, 'spec', 'selector') ?? {}) as Record<string, string>;
        if (labelSets.some((labels) => selects(selector, labels)))
          await this.reconcileSlices(context, service);
      }
    }
  }

  private async servicesIn(context: AdmissionContext, namespace: string): Promise<KubeObject[]> {
    return await context.objects.list(SERVICES, { namespace });
  }

  private async reconcileSlices(context: AdmissionContext, service: KubeObject): Promise<void> {
    const namespace = String(service.metadata.namespace);
    const selector = field(service, 'spec', 'selector');
    const existing = await context.objects.list(SLICES, {
      namespace,
      filter: (slice) =>
        slice.metadata.labels?.['kubernetes.io/service-name'] === service.metadata.name &&
        slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MANAGED_BY,
    });
    if (!isPlainObject(selector) || Object.keys(selector).length === 0) {
      for (const slice of existing)
        await context.objects.delete(SLICES, namespace, String(slice.metadata.name));
      return;
    }
    const pods = await context.objects.list(PODS, { namespace });
    const zones = new Map((await nodesOf(this.clusters, context)).map((node) => [node.name, node.zone]));
    const desired = desiredEndpointSlices(service, pods, zones).map((slice) =>
      endpointSliceObject(service, slice),
    );
    const byName = new Map(existing.map((slice) => [String(slice.metadata.name), slice]));
    for (const slice of desired) {
      const current = byName.get(String(slice.metadata.name));
      byName.delete(String(slice.metadata.name));
      if (!current) {
        await context.objects.create(SLICES, slice);
      } else if (
        JSON.stringify([current['endpoints'] ?? [], current['ports'] ?? []]) !==
        JSON.stringify([slice['endpoints'] ?? [], slice['ports'] ?? []])
      ) {
        await context.objects.update(SLICES, {
          ...slice,
          metadata: {
            ...current.metadata,
            labels: slice.metadata.labels,
            ownerReferences: slice.metadata.ownerReferences,
          },
        });
      }
    }
    for (const name of byName.keys()) await context.objects.delete(SLICES, namespace, name);
  }

  private async deleteSlices(context: AdmissionContext, service: KubeObject): Promise<void> {
    const namespace = String(service.metadata.namespace);
    const slices = await context.objects.list(SLICES, {
      namespace,
      filter: (slice) => slice.metadata.labels?.['kubernetes.io/service-name'] === service.metadata.name,
    });
    for (const slice of slices) {
      try {
        await context.objects.delete(SLICES, namespace, String(slice.metadata.name));
      } catch (error) {
        // already gone with its namespace
        if (!(error instanceof KubeStatusError && error.code === 404)) throw error;
      }
    }
  }
}
