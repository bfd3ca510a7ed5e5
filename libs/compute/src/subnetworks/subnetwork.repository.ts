import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';
import { formatCidr } from '@gke-emulator/netaddr';
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

  async find(project: string, region: string, name: string): Promise<StoredSubnetwork | null> {
    const row = await this.db.prisma.subnetwork.findUnique({
      where: { projectId_region_name: { projectId: project, region, name } },
    });
    return row ? toStored(row) : null;
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
