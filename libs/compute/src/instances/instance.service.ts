import { Injectable } from '@nestjs/common';
import { applyListQuery, GoogleErrors, renderWire } from '@gke-emulator/common';
import { aggregateByScope } from '../shared/aggregated-list';
import type { ComputeContext, ListQuery, WireObject } from '../shared/compute-context';
import { KNOWN_REGIONS } from '../shared/regions';
import { InstanceRepository } from './instance.repository';

const sortKeys = (item: WireObject) => ({
  name: String(item['name']),
  creationTimestamp: String(item['creationTimestamp']),
});

/** The zones an aggregated list names: a, b and c of every known region. */
const ZONE_SCOPES: readonly string[] = [...KNOWN_REGIONS]
  .sort()
  .flatMap((region) => ['a', 'b', 'c'].map((suffix) => `zones/${region}-${suffix}`));

/**
 * Compute Engine instances, read-only: the VMs that GKE node pools create (the `node` table holds the
 * compute#instance objects). Instances are created and deleted through GKE, as on a real project where users
 * do not manage GKE's node VMs directly.
 */
@Injectable()
export class InstanceService {
  constructor(private readonly instances: InstanceRepository) {}

  async get(ctx: ComputeContext, zone: string, name: string): Promise<WireObject> {
    const resource = await this.instances.find(ctx.project, zone, name);
    if (!resource) throw GoogleErrors.notFound(`projects/${ctx.project}/zones/${zone}/instances/${name}`);
    return renderWire(resource, ctx.base);
  }

  async list(ctx: ComputeContext, zone: string, query: ListQuery) {
    return applyListQuery(await this.rendered(ctx, zone), query, sortKeys);
  }

  async aggregatedList(ctx: ComputeContext, query: ListQuery) {
    const page = applyListQuery(await this.rendered(ctx), query, sortKeys);
    const zones = new Set(ZONE_SCOPES);
    for (const item of page.items) zones.add(`zones/${String(item['zone']).split('/').pop()}`);
    return {
      items: aggregateByScope(
        page.items,
        'instances',
        [...zones].sort(),
        (item) => `zones/${String(item['zone']).split('/').pop()}`,
      ),
      nextPageToken: page.nextPageToken,
    };
  }

  private async rendered(ctx: ComputeContext, zone?: string): Promise<WireObject[]> {
    const resources = await this.instances.list(ctx.project, zone);
    return resources.map((resource) => renderWire(resource, ctx.base));
  }
}
