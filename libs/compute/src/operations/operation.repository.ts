import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';
import type { WireObject } from '../shared/compute-context';
import type { StoredOperation } from './operation.model';

type Row = {
  id: bigint;
  projectId: string;
  name: string;
  scope: string;
  insertTime: Date;
  doneAt: Date;
  resource: unknown;
};

function toStored(row: Row): StoredOperation {
  return {
    id: row.id,
    project: row.projectId,
    name: row.name,
    scope: row.scope,
    insertTime: row.insertTime,
    doneAt: row.doneAt,
    resource: row.resource as WireObject,
  };
}

@Injectable()
export class OperationRepository {
  constructor(private readonly db: Database) {}

  async insert(
    tx: Tx,
    op: Omit<StoredOperation, 'resource'> & { resource: WireObject; clientOperationId?: string },
  ) {
    await tx.operation.create({
      data: {
        id: op.id,
        projectId: op.project,
        name: op.name,
        scope: op.scope,
        clientOperationId: op.clientOperationId ?? null,
        insertTime: op.insertTime,
        doneAt: op.doneAt,
        resource: op.resource as object,
      },
    });
  }

  async findByRequestId(project: string, requestId: string): Promise<StoredOperation | null> {
    const row = await this.db.prisma.operation.findUnique({
      where: { projectId_clientOperationId: { projectId: project, clientOperationId: requestId } },
    });
    return row ? toStored(row) : null;
  }

  async find(project: string, scope: string, name: string): Promise<StoredOperation | null> {
    const row = await this.db.prisma.operation.findUnique({
      where: { projectId_name: { projectId: project, name } },
    });
    return row && row.scope === scope ? toStored(row) : null;
  }

  async list(project: string, scope?: string): Promise<StoredOperation[]> {
    const rows = await this.db.prisma.operation.findMany({
      where: { projectId: project, ...(scope ? { scope } : {}) },
      orderBy: { insertTime: 'asc' },
    });
    return rows.map(toStored);
  }

  async delete(project: string, name: string): Promise<void> {
    await this.db.prisma.operation.deleteMany({ where: { projectId: project, name } });
  }
}
