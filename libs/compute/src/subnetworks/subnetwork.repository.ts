import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';
import { formatCidr } from '@gke-emulator/netaddr';
import type { StoredOperation } from '../operations/operation.model';
import type { WireObject } from '../shared/compute-context';
import type { SubnetRangeClaim } from './subnetwork-ranges';

export interface StoredSubnetwork {
  id: bigint;
  project: string;
  region: string;
  name: string;
  networkId: bigint;
  autoCreated: boolean;
  fingerprint: string;
  resource: WireObject;
}

export interface RangeConflict {
  subnetwork: string;
  region: string;
  rangeName: string | null;
  cidr: string;
}

type Row = Omit<StoredSubnetwork, 'project' | 'resource'> & { projectId: string; resource: unknown };

function toStored(row: Row): StoredSubnetwork {
  return {
    id: row.id,
    project: row.projectId,
    region: row.region,
    name: row.name,
    networkId: row.networkId,
    autoCreated: row.autoCreated,
    fingerprint: row.fingerprint,
    resource: row.resource as WireObject,
  };
}

@Injectable()
export class SubnetworkRepository {
  constructor(private readonly db: Database) {}

  async insert(tx: Tx, subnet: StoredSubnetwork, claims: readonly SubnetRangeClaim[]): Promise<void> {
    await tx.subnetwork.create({
      data: {
        id: subnet.id,
        projectId: subnet.project,
        region: subnet.region,
        name: subnet.name,
        networkId: subnet.networkId,
        autoCreated: subnet.autoCreated,
        fingerprint: subnet.fingerprint,
        resource: subnet.resource as object,
      },
    });
    await this.insertRanges(tx, subnet, claims);
  }

  /** Replaces the stored object only if nobody changed it since `expectedFingerprint` was read. */
  async update(
    tx: Tx,
    subnet: StoredSubnetwork,
    expectedFingerprint: string,
    claims?: readonly SubnetRangeClaim[],
  ): Promise<boolean> {
    const updated = await tx.subnetwork.updateMany({
      where: { id: subnet.id, fingerprint: expectedFingerprint },
      data: { fingerprint: subnet.fingerprint, resource: subnet.resource as object },
    });
    if (updated.count !== 1) return false;
    if (claims) {
      await tx.subnetRange.deleteMany({ where: { subnetworkId: subnet.id } });
      await this.insertRanges(tx, subnet, claims);
    }
    return true;
  }

  private async insertRanges(tx: Tx, subnet: StoredSubnetwork, claims: readonly SubnetRangeClaim[]) {
    await tx.subnetRange.createMany({
      data: claims.map((claim) => ({
        networkId: subnet.networkId,
        subnetworkId: subnet.id,
        rangeName: claim.rangeName,
        cidr: formatCidr(claim.cidr),
      })),
    });
  }

  /** The hot read path: one statement on the pool (bigints travel as text). */
  async find(project: string, region: string, name: string): Promise<StoredSubnetwork | null> {
    const rows = await this.db.query<{
      id: string;
      network_id: string;
      auto_created: boolean;
      fingerprint: string;
      resource: WireObject;
    }>(
      `select id::text, network_id::text, auto_created, fingerprint, resource
       from subnetwork where project_id = $1 and region = $2 and name = $3`,
      [project, region, name],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: BigInt(row.id),
      project,
      region,
      name,
      networkId: BigInt(row.network_id),
      autoCreated: row.auto_created,
      fingerprint: row.fingerprint,
      resource: row.resource,
    };
  }

  /**
   * Inserts a subnetwork, its ranges and its operation in ONE statement (the insert hot path): the project is
   * ensured, the network row is share-locked against a concurrent delete, and the exclusion constraint on ranges
   * decides races. Returns false when the network no longer exists.
   */
  async insertWithOperation(
    subnet: StoredSubnetwork,
    networkName: string,
    claims: readonly SubnetRangeClaim[],
    op: StoredOperation,
    projectNumber: bigint,
  ): Promise<boolean> {
    const rows = await this.db.query<{ inserted: string }>(
      `with p as (insert into project (id, number) values ($1, $2) on conflict (id) do nothing),
            n as (select id from network where project_id = $1 and name = $3 for share),
            s as (insert into subnetwork (id, project_id, region, name, network_id, auto_created, fingerprint, resource)
                  select $4, $1, $5, $6, n.id, false, $7, $8 from n returning id, network_id),
            r as (insert into subnet_range (network_id, subnetwork_id, range_name, cidr)
                  select s.network_id, s.id, x.range_name, x.cidr::inet
                  from s, unnest($9::text[], $10::text[]) as x(range_name, cidr)),
            o as (insert into operation (id, project_id, name, scope, client_operation_id, insert_time, done_at, resource)
                  select $11, $1, $12, $13, $14, $15, $16, $17 from s)
       select count(*)::text as inserted from s`,
      [
        subnet.project,
        projectNumber.toString(),
        networkName,
        subnet.id.toString(),
        subnet.region,
        subnet.name,
        subnet.fingerprint,
        subnet.resource,
        claims.map((claim) => claim.rangeName),
        claims.map((claim) => formatCidr(claim.cidr)),
        op.id.toString(),
        op.name,
        op.scope,
        op.resource['clientOperationId'] ?? null,
        op.insertTime,
        op.doneAt,
        op.resource,
      ],
    );
    return rows[0]?.inserted === '1';
  }

  async list(project: string, region?: string): Promise<StoredSubnetwork[]> {
    const rows = await this.db.prisma.subnetwork.findMany({
      where: { projectId: project, ...(region ? { region } : {}) },
    });
    return rows.map(toStored);
  }

  async listByNetwork(tx: Tx | null, networkId: bigint): Promise<StoredSubnetwork[]> {
    const rows = await (tx ?? this.db.prisma).subnetwork.findMany({
      where: { networkId },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map(toStored);
  }

  /** The auto-created subnetworks of a network become ordinary ones (switchToCustomMode). */
  async adoptAutoCreated(tx: Tx, networkId: bigint): Promise<void> {
    await tx.subnetwork.updateMany({ where: { networkId, autoCreated: true }, data: { autoCreated: false } });
  }

  /** Locks the subnetwork row until the transaction ends; false when it is gone. */
  async lock(tx: Tx, id: bigint): Promise<boolean> {
    const rows = await tx.$queryRaw<{ id: bigint }[]>`select id from subnetwork where id = ${id} for update`;
    return rows.length > 0;
  }

  async delete(tx: Tx, id: bigint): Promise<void> {
    await tx.subnetwork.delete({ where: { id } });
  }

  async deleteMany(tx: Tx, ids: readonly bigint[]): Promise<void> {
    await tx.subnetwork.deleteMany({ where: { id: { in: [...ids] } } });
  }

  /** Ranges of the network that overlap any of `cidrs`, other than those of `exceptSubnetworkId`. */
  async conflicts(
    networkId: bigint,
    cidrs: readonly string[],
    exceptSubnetworkId?: bigint,
  ): Promise<RangeConflict[]> {
    if (cidrs.length === 0) return [];
    return this.db.prisma.$queryRaw<RangeConflict[]>`
      select s.name as subnetwork, s.region, r.range_name as "rangeName", host(r.cidr) || '/' || masklen(r.cidr) as cidr
      from subnet_range r join subnetwork s on s.id = r.subnetwork_id
      where r.network_id = ${networkId}
        and r.subnetwork_id <> ${exceptSubnetworkId ?? -1n}
        and r.cidr && any (${[...cidrs]}::inet[])
      order by s.name, r.range_name nulls first`;
  }
}
