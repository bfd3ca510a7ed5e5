import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';
import type { WireObject } from '../shared/compute-context';
import type { LoadBalancingRecord, ReferenceTarget, ResourceReferenceInput } from './load-balancing-kind';

type Row = { id: bigint; projectId: string; kind: string; scope: string; name: string; resource: unknown };

function toRecord(row: Row): LoadBalancingRecord {
  return {
    id: row.id,
    project: row.projectId,
    kind: row.kind,
    scope: row.scope,
    name: row.name,
    resource: row.resource as WireObject,
  };
}

type TargetColumn =
  'loadBalancingId' | 'addressId' | 'networkId' | 'subnetworkId' | 'securityPolicyId' | 'instanceGroupId';

function columnOf(target: ReferenceTarget): { column: TargetColumn; id: bigint } {
  const [column, id] = Object.entries(target)[0] as [TargetColumn, bigint];
  return { column, id };
}

@Injectable()
export class LoadBalancingRepository {
  constructor(private readonly db: Database) {}

  async insert(
    tx: Tx,
    record: LoadBalancingRecord,
    references: readonly ResourceReferenceInput[],
  ): Promise<void> {
    await tx.loadBalancingResource.create({
      data: {
        id: record.id,
        projectId: record.project,
        kind: record.kind,
        scope: record.scope,
        name: record.name,
        resource: record.resource as object,
      },
    });
    await this.insertReferences(tx, record.id, references);
  }

  async update(
    tx: Tx,
    record: LoadBalancingRecord,
    references: readonly ResourceReferenceInput[],
  ): Promise<void> {
    await tx.loadBalancingResource.update({
      where: { id: record.id },
      data: { resource: record.resource as object },
    });
    await tx.resourceReference.deleteMany({ where: { referrerId: record.id } });
    await this.insertReferences(tx, record.id, references);
  }

  private async insertReferences(tx: Tx, referrerId: bigint, references: readonly ResourceReferenceInput[]) {
    if (references.length === 0) return;
    await tx.resourceReference.createMany({
      data: references.map((reference) => ({
        referrerId,
        targetLink: reference.targetLink,
        [columnOf(reference.target).column]: columnOf(reference.target).id,
      })),
    });
  }

  async find(
    project: string,
    kind: string,
    scope: string,
    name: string,
  ): Promise<LoadBalancingRecord | null> {
    const row = await this.db.prisma.loadBalancingResource.findUnique({
      where: { projectId_kind_scope_name: { projectId: project, kind, scope, name } },
    });
    return row ? toRecord(row) : null;
  }

  async list(project: string, kind: string, scope?: string): Promise<LoadBalancingRecord[]> {
    const rows = await this.db.prisma.loadBalancingResource.findMany({
      where: { projectId: project, kind, ...(scope ? { scope } : {}) },
    });
    return rows.map(toRecord);
  }

  /** Locks the resource's row until the transaction ends (deletes take it before looking for users). */
  async lock(tx: Tx, id: bigint): Promise<void> {
    await tx.$queryRaw`select id from load_balancing_resource where id = ${id} for update`;
  }

  async delete(tx: Tx, id: bigint): Promise<void> {
    await tx.loadBalancingResource.delete({ where: { id } });
  }

  /**
   * The selfLinks of the load-balancing resources that use `target`, oldest first: what keeps it from being
   * deleted, and what an address lists as its `users`.
   */
  async usersOf(target: ReferenceTarget, tx?: Tx): Promise<string[]> {
    const { column, id } = columnOf(target);
    const rows = await (tx ?? this.db.prisma).resourceReference.findMany({
      where: { [column]: id },
      include: { referrer: { select: { resource: true, createdAt: true } } },
      orderBy: { id: 'asc' },
    });
    return [...new Set(rows.map((row) => String((row.referrer.resource as WireObject)['selfLink'])))];
  }

  /**
   * For each URL map, the forwarding rules that reach it through a target HTTP or HTTPS proxy (what Google counts
   * in a URL map's `status.quotaUsage.forwardingRules`).
   */
  async forwardingRulesThroughProxies(urlMapIds: readonly bigint[]): Promise<Map<bigint, number>> {
    const counts = new Map<bigint, number>();
    if (urlMapIds.length === 0) return counts;
    const rows = await this.db.query<{ urlMapId: string; count: string }>(
      `select m.load_balancing_id::text as "urlMapId", count(distinct f.referrer_id)::text as count
         from resource_reference m
         join load_balancing_resource p on p.id = m.referrer_id
                                       and p.kind in ('targetHttpProxies', 'targetHttpsProxies')
         join resource_reference f on f.load_balancing_id = p.id
         join load_balancing_resource r on r.id = f.referrer_id and r.kind = 'forwardingRules'
        where m.load_balancing_id = any($1::bigint[])
        group by m.load_balancing_id`,
      [urlMapIds.map((id) => id.toString())],
    );
    for (const row of rows) counts.set(BigInt(row.urlMapId), Number(row.count));
    return counts;
  }

  /** The users of many targets of one column at once (for rendering address lists). */
  async usersOfMany(column: TargetColumn, ids: readonly bigint[]): Promise<Map<bigint, string[]>> {
    const users = new Map<bigint, string[]>();
    if (ids.length === 0) return users;
    const rows = await this.db.prisma.resourceReference.findMany({
      where: { [column]: { in: [...ids] } },
      include: { referrer: { select: { resource: true } } },
      orderBy: { id: 'asc' },
    });
    for (const row of rows) {
      const id = row[column] as bigint;
      const list = users.get(id) ?? [];
      list.push(String((row.referrer.resource as WireObject)['selfLink']));
      users.set(id, list);
    }
    return users;
  }

  // The resources a load-balancing resource may name, looked up by name in the caller's project (ids as text).

  /** The reserved address of the region (`global` for a global one) named `name`; null when there is none. */
  async findAddress(
    project: string,
    region: string,
    name: string,
  ): Promise<{ id: string; address: string; resource: WireObject } | null> {
    const [row] = await this.db.query<{ id: string; address: string; resource: WireObject }>(
      'select id::text, host(address) as address, resource from address where project_id = $1 and region = $2 and name = $3',
      [project, region, name],
    );
    return row ?? null;
  }

  /** The id of the project's network named `name`; null when there is none. */
  async findNetworkId(project: string, name: string): Promise<string | null> {
    const [row] = await this.db.query<{ id: string }>(
      'select id::text from network where project_id = $1 and name = $2',
      [project, name],
    );
    return row?.id ?? null;
  }

  /** The id and network link of the region's subnetwork named `name`; null when there is none. */
  async findSubnetwork(
    project: string,
    region: string,
    name: string,
  ): Promise<{ id: string; network: string } | null> {
    const [row] = await this.db.query<{ id: string; network: string }>(
      `select id::text, resource->>'network' as network from subnetwork where project_id = $1 and region = $2 and name = $3`,
      [project, region, name],
    );
    return row ?? null;
  }

  /** The id of the security policy of `scope` (`global` or a region) named `name`; null when there is none. */
  async findSecurityPolicyId(project: string, scope: string, name: string): Promise<string | null> {
    const [row] = await this.db.query<{ id: string }>(
      'select id::text from security_policy where project_id = $1 and scope = $2 and name = $3',
      [project, scope, name],
    );
    return row?.id ?? null;
  }

  /** The id of the zone's unmanaged instance group named `name`; null when there is none. */
  async findInstanceGroupId(project: string, zone: string, name: string): Promise<string | null> {
    const [row] = await this.db.query<{ id: string }>(
      'select id::text from instance_group where project_id = $1 and zone = $2 and name = $3',
      [project, zone, name],
    );
    return row?.id ?? null;
  }
}
