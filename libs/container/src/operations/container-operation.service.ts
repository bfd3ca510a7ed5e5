import { Injectable } from '@nestjs/common';
import { newResourceId } from '@gke-emulator/common';
import type { Tx } from '@gke-emulator/db';
import { isOperationDone, OperationScheduler } from '@gke-emulator/operations';
import { ContainerErrors } from '../wire/container-errors';
import type { ContainerContext } from '../wire/container-context';
import { locationPath } from '../clusters/locations';
import {
  type ContainerOperationRow as Row,
  ContainerOperationRepository,
} from './container-operation.repository';

export type ContainerOperationType =
  | 'CREATE_CLUSTER'
  | 'DELETE_CLUSTER'
  | 'UPDATE_CLUSTER'
  | 'CREATE_NODE_POOL'
  | 'DELETE_NODE_POOL'
  | 'SET_NODE_POOL_SIZE'
  | 'SET_NETWORK_POLICY'
  | 'SET_LABELS'
  | 'UPGRADE_MASTER'
  | 'UPGRADE_NODES'
  | 'UPDATE_NODE_POOL';

/** A metric of a finished operation's `progress` (GKE writes integers as strings). */
export interface OperationMetric {
  name: string;
  intValue: string;
}

/**
 * What a finished CREATE_CLUSTER reports: GKE's stage counters of a Standard cluster's creation (configuring,
 * deploying, health checking), as the recordings show them. A regional cluster has one more configuring step (9
 * where every zonal recording says 8: docs/gcp-recorded-rules.md).
 */
export function createClusterMetrics(regional: boolean): OperationMetric[] {
  const configuring = regional ? 9 : 8;
  return [
    ['CLUSTER_CONFIGURING', configuring],
    ['CLUSTER_CONFIGURING_TOTAL', configuring],
    ['CLUSTER_DEPLOYING', 10],
    ['CLUSTER_DEPLOYING_TOTAL', 10],
    ['CLUSTER_HEALTHCHECKING', 1],
    ['CLUSTER_HEALTHCHECKING_TOTAL', 2],
  ].map(([name, value]) => ({ name: String(name), intValue: String(value) }));
}

/** A zonal cluster's CREATE_CLUSTER counters (see `createClusterMetrics`). */
export const CREATE_CLUSTER_METRICS: OperationMetric[] = createClusterMetrics(false);

/** What a finished UPGRADE_NODES reports: every node of the pool recreated, none failed. */
export function upgradeNodesMetrics(nodes: number): OperationMetric[] {
  return [
    ['NODES_TOTAL', nodes],
    ['NODES_FAILED', 0],
    ['NODES_COMPLETE', nodes],
    ['NODES_DONE', nodes],
    ['NODE_PDB_DELAY_SECONDS', 0],
  ].map(([name, value]) => ({ name: String(name), intValue: String(value) }));
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
    private readonly repository: ContainerOperationRepository,
    private readonly scheduler: OperationScheduler,
  ) {}

  /**
   * Records an operation. Its links name the project by NUMBER, as GKE's do (`projects/<number>/zones/<zone>/…` for a
   * zone, `…/locations/<region>/…` for a region); `target` is the part after the location (`clusters/c`).
   */
  async record(
    tx: Tx,
    input: {
      project: string;
      location: string;
      type: ContainerOperationType;
      target: string;
      detail?: string;
      /** what a finished operation reports in `progress.metrics` */
      metrics?: OperationMetric[];
    },
  ): Promise<Row> {
    const { insertTime: now, doneAt } = await this.scheduler.schedule(input.project, tx);
    const name = operationName(now);
    const number = await this.repository.projectNumber(tx, input.project);
    const owner = number !== null ? String(number) : input.project;
    const resource = {
      name,
      zone: input.location,
      operationType: input.type,
      selfLink: `${locationPath(owner, input.location)}/operations/${name}`,
      targetLink: `${locationPath(owner, input.location)}/${input.target}`,
      ...(input.detail ? { detail: input.detail } : {}),
      ...(input.metrics ? { metrics: input.metrics } : {}),
    };
    await this.repository.insert(tx, {
      id: newResourceId(),
      project: input.project,
      location: input.location,
      name,
      insertTime: now,
      doneAt,
      resource,
    });
    return { name, location: input.location, insert_time: now, done_at: doneAt, resource };
  }

  /**
   * The operation as it stood at `at`: a mutation answers with it as accepted (its insert time), as GKE does, so a
   * slow commit does not turn it DONE before the client has seen it; reads pass the time of the read.
   */
  render(row: Row, ctx: ContainerContext, at: Date = row.insert_time): Record<string, unknown> {
    const done = isOperationDone({ doneAt: row.done_at }, at);
    const resource = row.resource;
    const metrics = resource['metrics'] as OperationMetric[] | undefined;
    return {
      name: row.name,
      zone: row.location,
      operationType: resource['operationType'],
      status: done ? 'DONE' : 'RUNNING',
      ...(resource['detail'] ? { detail: resource['detail'] } : {}),
      selfLink: ctx.link(String(resource['selfLink'])),
      targetLink: ctx.link(String(resource['targetLink'])),
      startTime: row.insert_time.toISOString(),
      ...(done ? { endTime: row.done_at.toISOString() } : {}),
      ...(done && metrics ? { progress: { metrics } } : {}),
    };
  }

  /** operations.get; the project may be given by number, as in the operation's own `selfLink`. */
  async get(ctx: ContainerContext, location: string, name: string) {
    const row = await this.repository.find(ctx.project, location, name);
    if (!row) throw ContainerErrors.notFound(`${locationPath(ctx.project, location)}/operations/${name}`);
    return this.render(row, ctx, new Date());
  }

  async list(ctx: ContainerContext, location: string) {
    const rows = await this.repository.list(ctx.project, location);
    const now = new Date();
    return { operations: rows.map((row) => this.render(row, ctx, now)) };
  }
}
