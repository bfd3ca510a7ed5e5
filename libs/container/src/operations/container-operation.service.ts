import { Injectable } from '@nestjs/common';
import { newResourceId } from '@gke-emulator/common';
import { OperationTimingService } from '@gke-emulator/compute';
import { Database, type Tx } from '@gke-emulator/db';
import { ContainerErrors } from '../wire/container-errors';
import type { ContainerContext } from '../wire/container-context';

export type ContainerOperationType =
  | 'CREATE_CLUSTER'
  | 'DELETE_CLUSTER'
  | 'UPDATE_CLUSTER'
  | 'CREATE_NODE_POOL'
  | 'DELETE_NODE_POOL'
  | 'SET_NODE_POOL_SIZE'
  | 'SET_NETWORK_POLICY'
  | 'UPGRADE_MASTER'
  | 'UPDATE_NODE_POOL';

interface Row {
  name: string;
  location: string;
  insert_time: Date;
  done_at: Date;
  resource: Record<string, unknown>;
}

function operationName(now: Date): string {
  return `operation-${now.getTime()}-${Math.floor(Math.random() * 0xffffffff)
    .toString(16)
    .padStart(8, '0')}`;
}

/**
 * Container v1 operations. Every mutation records one in its own transaction; like Compute's, an operation is
 * DONE once its `doneAt` has passed (the configured operation delay), which needs no background process.
 */
@Injectable()
export class ContainerOperationService {
  constructor(
    private readonly db: Database,
    private readonly timing: OperationTimingService,
  ) {}

  async record(
    tx: Tx,
    input: {
      project: string;
      location: string;
      type: ContainerOperationType;
      targetLink: string;
      detail?: string;
    },
  ): Promise<Row> {
    const now = new Date();
    const doneAt = new Date(now.getTime() + (await this.timing.delayMs(input.project)));
    const name = operationName(now);
    const resource = {
      name,
      zone: input.location,
      operationType: input.type,
      selfLink: `projects/${input.project}/locations/${input.location}/operations/${name}`,
      targetLink: input.targetLink,
      ...(input.detail ? { detail: input.detail } : {}),
    };
    await tx.containerOperation.create({
      data: {
        id: newResourceId(),
        projectId: input.project,
        location: input.location,
        name,
        insertTime: now,
        doneAt,
        resource,
      },
    });
    return { name, location: input.location, insert_time: now, done_at: doneAt, resource };
  }

  render(row: Row, ctx: ContainerContext): Record<string, unknown> {
    const done = row.done_at.getTime() <= Date.now();
    const resource = row.resource;
    return {
      name: row.name,
      zone: row.location,
      operationType: resource['operationType'],
      status: done ? 'DONE' : 'RUNNING',
      ...(resource['detail'] ? { detail: resource['detail'] } : {}),
      selfLink: ctx.link(String(resource['selfLink'])),
      targetLink: ctx.link(String(resource['targetLink'])),
      location: ctx.link(`projects/${ctx.project}/locations/${row.location}`),
      startTime: row.insert_time.toISOString(),
      ...(done ? { endTime: row.done_at.toISOString() } : {}),
      progress: done ? { status: 'DONE' } : { status: 'RUNNING' },
    };
  }

  async get(ctx: ContainerContext, location: string, name: string) {
    const rows = await this.db.query<Row>(
      `SELECT name, location, insert_time, done_at, resource FROM container_operation
        WHERE project_id = $1 AND name = $2 AND ($3 = '-' OR location = $3)`,
      [ctx.project, name, location],
    );
    if (!rows[0])
      throw ContainerErrors.notFound(`projects/${ctx.project}/locations/${location}/operations/${name}`);
    return this.render(rows[0], ctx);
  }

  async list(ctx: ContainerContext, location: string) {
    const rows = await this.db.query<Row>(
      `SELECT name, location, insert_time, done_at, resource FROM container_operation
        WHERE project_id = $1 AND ($2 = '-' OR location = $2) ORDER BY insert_time, name`,
      [ctx.project, location],
    );
    return { operations: rows.map((row) => this.render(row, ctx)) };
  }
}
