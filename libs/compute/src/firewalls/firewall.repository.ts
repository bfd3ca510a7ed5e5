import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';
import type { WireObject } from '../shared/compute-context';

export interface StoredFirewall {
  id: bigint;
  project: string;
  name: string;
  networkId: bigint;
  resource: WireObject;
}

type Row = { id: bigint; projectId: string; name: string; networkId: bigint; resource: unknown };

function toStored(row: Row): StoredFirewall {
  return {
    id: row.id,
    project: row.projectId,
    name: row.name,
    networkId: row.networkId,
    resource: row.resource as WireObject,
  };
}

function columns(firewall: StoredFirewall) {
  return {
    priority: Number(firewall.resource['priority']),
    direction: String(firewall.resource['direction']),
    disabled: firewall.resource['disabled'] === true,
    resource: firewall.resource as object,
  };
}

@Injectable()
export class FirewallRepository {
  constructor(private readonly db: Database) {}

  async insert(tx: Tx, firewall: StoredFirewall): Promise<void> {
    await tx.firewall.create({
      data: {
        id: firewall.id,
        projectId: firewall.project,
        name: firewall.name,
        networkId: firewall.networkId,
        ...columns(firewall),
      },
    });
  }

  async update(tx: Tx, firewall: StoredFirewall): Promise<void> {
    await tx.firewall.update({ where: { id: firewall.id }, data: columns(firewall) });
  }

  async find(project: string, name: string): Promise<StoredFirewall | null> {
    const row = await this.db.prisma.firewall.findUnique({
      where: { projectId_name: { projectId: project, name } },
    });
    return row ? toStored(row) : null;
  }

  async list(project: string): Promise<StoredFirewall[]> {
    return (await this.db.prisma.firewall.findMany({ where: { projectId: project } })).map(toStored);
  }

  /** The rules of one network in evaluation order (priority, then name for a stable answer). */
  async listByNetwork(networkId: bigint, tx?: Tx): Promise<StoredFirewall[]> {
    const rows = await (tx ?? this.db.prisma).firewall.findMany({
      where: { networkId },
      orderBy: [{ priority: 'asc' }, { name: 'asc' }],
    });
    return rows.map(toStored);
  }

  async delete(tx: Tx, id: bigint): Promise<void> {
    await tx.firewall.delete({ where: { id } });
  }
}
