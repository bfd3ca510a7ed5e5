import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';
import type { WireObject } from '../shared/compute-context';

export interface StoredNetwork {
  id: bigint;
  project: string;
  name: string;
  resource: WireObject;
}

type Row = { id: bigint; projectId: string; name: string; resource: unknown };

function toStored(row: Row): StoredNetwork {
  return { id: row.id, project: row.projectId, name: row.name, resource: row.resource as WireObject };
}

@Injectable()
export class NetworkRepository {
  constructor(private readonly db: Database) {}

  async insert(tx: Tx, network: StoredNetwork): Promise<void> {
    await tx.network.create({
      data: {
        id: network.id,
        projectId: network.project,
        name: network.name,
        resource: network.resource as object,
      },
    });
  }

  async update(tx: Tx, network: StoredNetwork): Promise<void> {
    await tx.network.update({ where: { id: network.id }, data: { resource: network.resource as object } });
  }

  async find(project: string, name: string, tx?: Tx): Promise<StoredNetwork | null> {
    if (tx) {
      const row = await tx.network.findUnique({ where: { projectId_name: { projectId: project, name } } });
      return row ? toStored(row) : null;
    }
    // Outside a transaction (every subnetwork insert and GET reads its network first): one statement on the pool,
    // without Prisma's per-query cost (bigints travel as text).
    const rows = await this.db.query<{ id: string; resource: WireObject }>(
      'select id::text, resource from network where project_id = $1 and name = $2',
      [project, name],
    );
    const row = rows[0];
    return row ? { id: BigInt(row.id), project, name, resource: row.resource } : null;
  }

  /** Locks the network row for the rest of the transaction (serialises deletes against subnet inserts). */
  async findForUpdate(tx: Tx, project: string, name: string): Promise<StoredNetwork | null> {
    const rows = await tx.$queryRaw<Row[]>`
      select id, project_id as "projectId", name, resource from network
      where project_id = ${project} and name = ${name} for update`;
    return rows[0] ? toStored(rows[0]) : null;
  }

  async findForShare(tx: Tx, project: string, name: string): Promise<StoredNetwork | null> {
    const rows = await tx.$queryRaw<Row[]>`
      select id, project_id as "projectId", name, resource from network
      where project_id = ${project} and name = ${name} for share`;
    return rows[0] ? toStored(rows[0]) : null;
  }

  async list(project: string): Promise<StoredNetwork[]> {
    return (await this.db.prisma.network.findMany({ where: { projectId: project } })).map(toStored);
  }

  async delete(tx: Tx, id: bigint): Promise<void> {
    await tx.network.delete({ where: { id } });
  }

  /** `projects/p/regions/r/subnetworks/s` links of the subnetworks of each network. */
  async subnetworkLinks(networkIds: readonly bigint[]): Promise<Map<bigint, string[]>> {
    const rows = await this.db.prisma.subnetwork.findMany({
      where: { networkId: { in: [...networkIds] } },
      select: { networkId: true, projectId: true, region: true, name: true },
      orderBy: [{ region: 'asc' }, { name: 'asc' }],
    });
    const links = new Map<bigint, string[]>();
    for (const row of rows) {
      const list = links.get(row.networkId) ?? [];
      list.push(`projects/${row.projectId}/regions/${row.region}/subnetworks/${row.name}`);
      links.set(row.networkId, list);
    }
    return links;
  }
}
