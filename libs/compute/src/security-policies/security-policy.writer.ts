import { Injectable } from '@nestjs/common';
import { GoogleApiError, GoogleErrors } from '@gke-emulator/common';
import { asConstraintViolation, type ConstraintViolation, Database, type Tx } from '@gke-emulator/db';
import type { OperationError, StoredOperation } from '../operations/operation.model';
import { OperationService } from '../operations/operation.service';
import type { ComputeContext, WireObject } from '../shared/compute-context';
import { securityPolicyPath } from './security-policy.errors';
import { SecurityPolicyRepository, type StoredSecurityPolicy } from './security-policy.repository';

export interface WriteOptions {
  requestId?: string;
  /** `validateOnly=true`: everything runs, then the transaction is rolled back (rule methods). */
  validateOnly?: boolean;
  /** Translates a constraint the write ran into (unique name, rule primary key) into the client's answer. */
  onConstraint?: (violation: ConstraintViolation) => GoogleApiError | null;
}

/** Returned by a write's work to make its operation fail (as Google reports deletes of resources in use). */
export class OperationFailure {
  constructor(readonly error: OperationError) {}
}

/** What a write does inside its transaction; returning an OperationFailure fails the operation, not the call. */
type Work<T extends unknown[]> = (tx: Tx, ...args: T) => Promise<unknown>;

/** Carries the would-be operation of a validateOnly request out of the transaction it rolls back. */
class ValidateOnlyRollback extends Error {
  constructor(readonly operation: WireObject) {
    super('validateOnly');
  }
}

/**
 * The one way security policies change: the write and its `compute#operation` in one transaction, constraint
 * violations translated to Google's answers, validateOnly by rollback.
 */
@Injectable()
export class SecurityPolicyWriter {
  constructor(
    private readonly db: Database,
    private readonly policies: SecurityPolicyRepository,
    private readonly operations: OperationService,
  ) {}

  /** A write whose target is known up front (insert). */
  async write(
    ctx: ComputeContext,
    target: { path: string; id: bigint; scope: string },
    operationType: string,
    work: Work<[]>,
    options: WriteOptions = {},
  ): Promise<WireObject> {
    return this.run(ctx, options, () =>
      this.db.transaction(async (tx) => {
        const outcome = await work(tx);
        return this.finish(tx, ctx, target, operationType, outcome, options);
      }),
    );
  }

  /**
   * An insert whose writes and operation go to the database as one statement (`statement`), without an
   * interactive transaction: the path of policies inserted with hundreds of rules.
   */
  async insertInOneStatement(
    ctx: ComputeContext,
    target: { path: string; id: bigint; scope: string },
    statement: (op: StoredOperation) => Promise<void>,
    options: WriteOptions = {},
  ): Promise<WireObject> {
    return this.run(ctx, options, async () => {
      const op = await this.operations.prepare({
        project: ctx.project,
        scope: target.scope,
        operationType: 'insert',
        targetLink: target.path,
        targetId: target.id,
        requestId: options.requestId,
      });
      await statement(op);
      return this.operations.render(op, ctx.base);
    });
  }

  /** A write to an existing policy: its row is locked first, so changes to one policy never interleave. */
  async mutate(
    ctx: ComputeContext,
    scope: string,
    name: string,
    operationType: string,
    work: Work<[StoredSecurityPolicy]>,
    options: WriteOptions = {},
  ): Promise<WireObject> {
    const path = securityPolicyPath(ctx.project, scope, name);
    return this.run(ctx, options, () =>
      this.db.transaction(async (tx) => {
        const policy = await this.policies.findForUpdate(tx, ctx.project, scope, name);
        if (!policy) throw GoogleErrors.notFound(path);
        const outcome = await work(tx, policy);
        return this.finish(tx, ctx, { path, id: policy.id, scope }, operationType, outcome, options);
      }),
    );
  }

  private async finish(
    tx: Tx,
    ctx: ComputeContext,
    target: { path: string; id: bigint; scope: string },
    operationType: string,
    outcome: unknown,
    options: WriteOptions,
  ): Promise<WireObject> {
    const error = outcome instanceof OperationFailure ? outcome.error : undefined;
    const op = {
      project: ctx.project,
      scope: target.scope,
      operationType,
      targetLink: target.path,
      targetId: target.id,
      requestId: options.requestId,
      ...(error ? { error } : {}),
    };
    if (options.validateOnly) {
      const prepared = await this.operations.prepare({ ...op, requestId: undefined });
      throw new ValidateOnlyRollback(this.operations.render(prepared, ctx.base));
    }
    return this.operations.render(await this.operations.record(tx, op), ctx.base);
  }

  /** A retried request (same `requestId`) gets the first one's operation back, even when both raced. */
  private async run(
    ctx: ComputeContext,
    options: WriteOptions,
    execute: () => Promise<WireObject>,
  ): Promise<WireObject> {
    const replay = options.validateOnly ? null : await this.operations.replay(ctx, options.requestId);
    if (replay) return replay;
    try {
      return await execute();
    } catch (error) {
      if (error instanceof ValidateOnlyRollback) return error.operation;
      if (error instanceof GoogleApiError) throw error;
      const violation = asConstraintViolation(error);
      if (violation?.constraint === 'operation_project_id_client_operation_id_key') {
        const first = await this.operations.replay(ctx, options.requestId);
        if (first) return first;
      }
      const translated = violation ? options.onConstraint?.(violation) : null;
      throw translated ?? error;
    }
  }
}
