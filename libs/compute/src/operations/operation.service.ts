import { Injectable } from '@nestjs/common';
import {
  applyListQuery,
  GoogleErrors,
  newOperationName,
  newResourceId,
  renderWire,
} from '@gke-emulator/common';
import type { Tx } from '@gke-emulator/db';
import { isOperationDone, OperationScheduler, waitForOperation } from '@gke-emulator/operations';
import { aggregateByScope, REGION_SCOPES } from '../shared/aggregated-list';
import type { ComputeContext, ListQuery, WireObject } from '../shared/compute-context';
import { computeTimestamp } from '../shared/timestamps';
import { operationPath, type NewOperation, type StoredOperation } from './operation.model';
import { OperationRepository } from './operation.repository';

const OPERATION_USER = 'user@gke-emulator.local';

@Injectable()
export class OperationService {
  constructor(
    private readonly operations: OperationRepository,
    private readonly scheduler: OperationScheduler,
  ) {}

  /** The operation a retried request (same `requestId`) gets back instead of a second execution. */
  async replay(ctx: ComputeContext, requestId: string | undefined): Promise<WireObject | null> {
    if (!requestId) return null;
    const existing = await this.operations.findByRequestId(ctx.project, requestId);
    return existing ? this.render(existing, ctx.base, new Date()) : null;
  }

  /** Records the operation of a mutation inside the mutation's transaction. */
  async record(tx: Tx, op: NewOperation): Promise<StoredOperation> {
    const stored = await this.prepare(op, tx);
    await this.operations.insert(tx, { ...stored, clientOperationId: op.requestId });
    return stored;
  }

  /**
   * The operation a mutation will record, not yet written: for hot paths that write the resource and its
   * operation in one SQL statement (see SubnetworkRepository.insertWithOperation).
   */
  async prepare(op: NewOperation, tx?: Tx): Promise<StoredOperation> {
    const { insertTime: now, doneAt } = await this.scheduler.schedule(op.project, tx);
    const name = newOperationName(now);
    const stored: StoredOperation = {
      id: newResourceId(),
      project: op.project,
      name,
      scope: op.scope,
      insertTime: now,
      doneAt,
      resource: {
        kind: 'compute#operation',
        name,
        operationType: op.operationType,
        targetLink: op.targetLink,
        targetId: op.targetId.toString(),
        user: OPERATION_USER,
        insertTime: computeTimestamp(now),
        startTime: computeTimestamp(now),
        ...(op.scope === 'global'
          ? {}
          : op.scope.startsWith('zones/')
            ? { zone: `projects/${op.project}/${op.scope}` }
            : { region: `projects/${op.project}/regions/${op.scope}` }),
        ...(op.requestId ? { clientOperationId: op.requestId } : {}),
        ...(op.error
          ? {
              httpErrorStatusCode: op.error.httpStatus,
              httpErrorMessage: op.error.httpMessage,
              error: { errors: [{ code: op.error.code, message: op.error.message }] },
            }
          : {}),
      },
    };
    stored.resource['id'] = stored.id.toString();
    stored.resource['selfLink'] = operationPath(stored);
    return stored;
  }

  /**
   * The operation as it stood at `at`. A mutation answers with its operation as accepted (`at` = its insert time),
   * as Google does: how long the answer took to leave — a slow commit on a loaded machine — does not turn a RUNNING
   * operation into DONE before the client has seen it. Reads pass the time of the read.
   */
  render(op: StoredOperation, base: string, at: Date = op.insertTime): WireObject {
    const done = isOperationDone(op, at);
    const { error, httpErrorStatusCode, httpErrorMessage, ...rest } = op.resource;
    const wire: WireObject = {
      ...rest,
      status: done ? 'DONE' : 'RUNNING',
      progress: done ? 100 : 0,
      ...(done ? { endTime: computeTimestamp(op.doneAt) } : {}),
      ...(done && error ? { error, httpErrorStatusCode, httpErrorMessage } : {}),
    };
    return renderWire(wire, base);
  }

  async get(ctx: ComputeContext, scope: string, name: string): Promise<WireObject> {
    return this.render(await this.require(ctx, scope, name), ctx.base, new Date());
  }

  async wait(ctx: ComputeContext, scope: string, name: string): Promise<WireObject> {
    const op = await this.require(ctx, scope, name);
    await waitForOperation(op);
    return this.render(op, ctx.base, new Date());
  }

  async delete(ctx: ComputeContext, scope: string, name: string): Promise<void> {
    await this.require(ctx, scope, name);
    await this.operations.delete(ctx.project, name);
  }

  async list(ctx: ComputeContext, scope: string | undefined, query: ListQuery) {
    const now = new Date();
    const items = (await this.operations.list(ctx.project, scope)).map((op) =>
      this.render(op, ctx.base, now),
    );
    return applyListQuery(items, query, (item) => ({
      name: String(item['name']),
      creationTimestamp: String(item['insertTime']),
    }));
  }

  /** Global, regional and zonal operations, keyed `global`, `regions/<r>` and `zones/<z>`. */
  async aggregatedList(ctx: ComputeContext, query: ListQuery) {
    const page = await this.list(ctx, undefined, query);
    const scopeOf = (item: WireObject): string => {
      const link = typeof item['zone'] === 'string' ? item['zone'] : item['region'];
      if (typeof link !== 'string') return 'global';
      const [collection, name] = link.split('/').slice(-2);
      return `${String(collection)}/${String(name)}`;
    };
    const zones = [...new Set(page.items.map(scopeOf).filter((scope) => scope.startsWith('zones/')))].sort();
    return {
      items: aggregateByScope(page.items, 'operations', ['global', ...REGION_SCOPES, ...zones], scopeOf),
      nextPageToken: page.nextPageToken,
    };
  }

  private async require(ctx: ComputeContext, scope: string, name: string): Promise<StoredOperation> {
    const op = await this.operations.find(ctx.project, scope, name);
    if (!op) throw GoogleErrors.notFound(operationPath({ project: ctx.project, scope, name }));
    return op;
  }
}
