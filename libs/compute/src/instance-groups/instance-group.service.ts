import { Injectable } from '@nestjs/common';
import { applyListQuery, GoogleErrors } from '@gke-emulator/common';
import { Database } from '@gke-emulator/db';
import { computeTimestamp } from '../shared/timestamps';
import { aggregateByScope } from '../shared/aggregated-list';
import type { ComputeContext, ListQuery, WireObject } from '../shared/compute-context';
import { KNOWN_REGIONS } from '../shared/regions';
import {
  groupInstancesWire,
  instanceGroupManagerWire,
  instanceGroupWire,
  managedInstancesWire,
  type PoolZoneGroup,
} from './instance-group.wire';

interface PoolRow {
  id: string;
  created_at: Date;
  urls: unknown;
  template_hash: string | null;
  project_id: string;
  project_number: string;
  network: string;
  subnet: string;
  region: string;
}

interface NodeRow {
  pool_id: string;
  zone: string;
  name: string;
  id: string;
}

const ZONE_SCOPES: readonly string[] = [...KNOWN_REGIONS]
  .sort()
  .flatMap((region) => ['a', 'b', 'c'].map((suffix) => `zones/${region}-${suffix}`));

const sortKeys = (item: WireObject) => ({
  name: String(item['name']),
  creationTimestamp: String(item['creationTimestamp']),
});

/** `…/zones/<zone>/instanceGroupManagers/<name>` → [zone, name]. */
function groupOfUrl(url: string): [string, string] | null {
  const match = url.match(/\/zones\/([^/]+)\/instanceGroupManagers\/([^/]+)$/);
  return match ? [match[1] as string, match[2] as string] : null;
}

/** A stable numeric id for a pool's group in one zone. */
function groupId(poolId: string, zone: string): string {
  let hash = 0;
  for (const c of zone) hash = (Math.imul(hash, 31) + c.charCodeAt(0)) >>> 0;
  return (BigInt(poolId) ^ (BigInt(hash) << 20n)).toString();
}

/**
 * Compute Engine's instance groups of GKE node pools, read-only: one managed instance group (and its instance group)
 * per node pool and zone, named as the pool's `instanceGroupUrls` name it, holding the pool's nodes in that zone, so
 * they follow resizes. GKE manages them; users do not create or resize them through Compute.
 */
@Injectable()
export class InstanceGroupService {
  constructor(private readonly db: Database) {}

  async getManager(ctx: ComputeContext, zone: string, name: string): Promise<WireObject> {
    const group = await this.require(ctx, zone, name, 'instanceGroupManagers');
    return instanceGroupManagerWire(group, ctx.base);
  }

  async listManagers(ctx: ComputeContext, zone: string, query: ListQuery) {
    const groups = await this.groups(ctx.project, zone);
    return applyListQuery(
      groups.map((group) => instanceGroupManagerWire(group, ctx.base)),
      query,
      sortKeys,
    );
  }

  async aggregatedManagers(ctx: ComputeContext, query: ListQuery) {
    const groups = await this.groups(ctx.project);
    return this.aggregate(
      groups.map((group) => instanceGroupManagerWire(group, ctx.base)),
      query,
      'instanceGroupManagers',
    );
  }

  async listManagedInstances(ctx: ComputeContext, zone: string, name: string) {
    const group = await this.require(ctx, zone, name, 'instanceGroupManagers');
    const ids = await this.instanceIds(ctx.project, zone);
    return { managedInstances: managedInstancesWire(group, ctx.base, ids) };
  }

  async getGroup(ctx: ComputeContext, zone: string, name: string): Promise<WireObject> {
    const group = await this.require(ctx, zone, name, 'instanceGroups');
    return instanceGroupWire(group, ctx.base);
  }

  async listGroups(ctx: ComputeContext, zone: string, query: ListQuery) {
    const groups = await this.groups(ctx.project, zone);
    return applyListQuery(
      groups.map((group) => instanceGroupWire(group, ctx.base)),
      query,
      sortKeys,
    );
  }

  async aggregatedGroups(ctx: ComputeContext, query: ListQuery) {
    const groups = await this.groups(ctx.project);
    return this.aggregate(
      groups.map((group) => instanceGroupWire(group, ctx.base)),
      query,
      'instanceGroups',
    );
  }

  async listInstances(ctx: ComputeContext, zone: string, name: string) {
    const group = await this.require(ctx, zone, name, 'instanceGroups');
    return { items: groupInstancesWire(group, ctx.base) };
  }

  private aggregate(items: WireObject[], query: ListQuery, key: string) {
    const page = applyListQuery(items, query, sortKeys);
    const zones = new Set(ZONE_SCOPES);
    for (const item of page.items) zones.add(`zones/${String(item['zone']).split('/').pop()}`);
    return {
      items: aggregateByScope(
        page.items,
        key,
        [...zones].sort(),
        (item) => `zones/${String(item['zone']).split('/').pop()}`,
      ),
      nextPageToken: page.nextPageToken,
    };
  }

  private async require(ctx: ComputeContext, zone: string, name: string, collection: string) {
    const group = (await this.groups(ctx.project, zone)).find((candidate) => candidate.name === name);
    if (!group) throw GoogleErrors.notFound(`projects/${ctx.project}/zones/${zone}/${collection}/${name}`);
    return group;
  }

  private async instanceIds(project: string, zone: string): Promise<Map<string, string>> {
    const rows = await this.db.query<{ name: string; id: string }>(
      `SELECT name, id::text AS id FROM node WHERE project_id = $1 AND zone = $2`,
      [project, zone],
    );
    return new Map(rows.map((row) => [row.name, row.id]));
  }

  /** Every node pool group of the project (in one zone), with the nodes it holds now. */
  private async groups(project: string, zone?: string): Promise<PoolZoneGroup[]> {
    const [pools, nodes] = await Promise.all([
      this.db.query<PoolRow>(
        `SELECT np.id::text AS id, np.created_at, np.resource->'instanceGroupUrls' AS urls,
                np.resource->>'instanceTemplateHash' AS template_hash,
                c.project_id, p.number::text AS project_number,
                n.name AS network, s.name AS subnet, s.region
           FROM node_pool np
           JOIN cluster c ON c.id = np.cluster_id
           JOIN project p ON p.id = c.project_id
           JOIN network n ON n.id = c.network_id
           JOIN subnetwork s ON s.id = c.subnetwork_id
          WHERE c.project_id = $1
          ORDER BY np.created_at, np.name`,
        [project],
      ),
      this.db.query<NodeRow>(
        `SELECT node_pool_id::text AS pool_id, zone, name, id::text AS id FROM node
          WHERE project_id = $1 AND ($2::text IS NULL OR zone = $2) ORDER BY created_at, name`,
        [project, zone ?? null],
      ),
    ]);
    const groups: PoolZoneGroup[] = [];
    for (const pool of pools) {
      const urls = Array.isArray(pool.urls) ? (pool.urls as unknown[]) : [];
      for (const url of urls) {
        const parsed = typeof url === 'string' ? groupOfUrl(url) : null;
        if (!parsed || (zone && parsed[0] !== zone)) continue;
        const [groupZone, name] = parsed;
        const base = name.replace(/-grp$/, '');
        groups.push({
          project: pool.project_id,
          projectNumber: pool.project_number,
          zone: groupZone,
          name,
          template: pool.template_hash ? base.replace(/-[0-9a-f]{8}$/, `-${pool.template_hash}`) : base,
          id: groupId(pool.id, groupZone),
          creationTimestamp: computeTimestamp(new Date(pool.created_at)),
          network: `projects/${pool.project_id}/global/networks/${pool.network}`,
          subnetwork: `projects/${pool.project_id}/regions/${pool.region}/subnetworks/${pool.subnet}`,
          instances: nodes
            .filter((node) => node.pool_id === pool.id && node.zone === groupZone)
            .map((node) => node.name),
        });
      }
    }
    return groups;
  }
}
