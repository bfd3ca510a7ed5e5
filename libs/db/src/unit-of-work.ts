import { AsyncLocalStorage } from 'node:async_hooks';

/** One SQL statement at a time: a read on the pool, or a statement of an open unit of work. */
export interface SqlClient {
  query<T>(text: string, values?: readonly unknown[]): Promise<T[]>;
}

/** A pg connection (`pg.PoolClient`, graphile-worker's job client): what a unit of work can run on. */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A transaction's isolation level (PostgreSQL's default is READ COMMITTED). */
export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/**
 * Statements on a connection the caller holds, outside any transaction (each one commits by itself): session
 * work around a unit of work, such as an advisory lock held across it.
 */
export function sessionSql(client: PgClientLike): SqlClient {
  return {
    query: async <T>(text: string, values: readonly unknown[] = []) =>
      (await client.query(text, [...values])).rows as T[],
  };
}

/**
 * A key for what a unit of work remembers (`UnitOfWork.memo`): one per kind of memo, made once at module level
 * (the key is shared; the value lives in each unit of work).
 */
export interface MemoKey<T> {
  readonly description: string;
  /** never set: carries the memo's type */
  readonly __type?: T;
}

export function memoKey<T>(description: string): MemoKey<T> {
  return Object.freeze({ description }) as MemoKey<T>;
}

/**
 * The open transaction of one use case: its statements (`query`), what it has learnt or locked so far (`memo`),
 * and the work to do once it commits (`afterCommit`). Every write path runs in one: `Database.sqlTransaction` for
 * pure SQL, `Database.transaction` for Prisma (whose transaction client is this same unit of work, see `Tx`), the
 * worker's computation on its graphile-worker client (`UnitOfWork.onClient`). State a use case keeps "per
 * transaction" is a memo here, never a module-level map keyed by the transaction.
 */
export class UnitOfWork implements SqlClient {
  private readonly memos = new Map<MemoKey<unknown>, unknown>();
  private readonly committed: (() => void | Promise<void>)[] = [];
  private state: 'open' | 'committed' | 'rolled back' = 'open';

  constructor(private readonly statement: <T>(text: string, values: readonly unknown[]) => Promise<T[]>) {}

  /** A unit of work whose statements go to `client` (graphile-worker's pg client, a checked-out pool client). */
  static onClient(client: PgClientLike): UnitOfWork {
    return new UnitOfWork(async <T>(text: string, values: readonly unknown[]) => {
      return (await client.query(text, [...values])).rows as T[];
    });
  }

  /**
   * Runs `work` as one unit of work on `client`, a connection the caller holds (a checked-out pool client,
   * graphile-worker's job client): begins the transaction (at `isolation`, READ COMMITTED by default), commits it
   * when `work` resolves or rolls it back when it throws, then runs the after-commit work. `ended` is called once
   * the transaction has ended, before its after-commit work (a pool client is released there, so the after-commit
   * work never holds two connections).
   */
  static async transaction<T>(
    client: PgClientLike,
    work: (uow: UnitOfWork) => Promise<T>,
    options: { isolation?: IsolationLevel; ended?: () => void } = {},
  ): Promise<T> {
    const unit = UnitOfWork.onClient(client);
    let result: T;
    try {
      await client.query(options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation}` : 'BEGIN');
      result = await unit.within(() => work(unit));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      options.ended?.();
      await unit.settle('rolled back');
      throw error;
    }
    options.ended?.();
    await unit.settle('committed');
    return result;
  }

  query<T>(text: string, values: readonly unknown[] = []): Promise<T[]> {
    return this.statement<T>(text, values);
  }

  /** Whether the transaction is still open (neither committed nor rolled back). */
  get open(): boolean {
    return this.state === 'open';
  }

  /** What this unit of work remembers under `key`, made by `init` on first use. */
  memo<T>(key: MemoKey<T>, init: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = init();
    this.memos.set(key, value);
    return value;
  }

  /**
   * Work to do once the transaction has committed (a cache to forget, a process-local mark that the committed
   * rows exist); skipped when it rolls back. Runs in registration order; a failure is not the transaction's.
   */
  afterCommit(work: () => void | Promise<void>): void {
    this.committed.push(work);
  }

  /**
   * Runs `work` as this unit of work: marks it as the open transaction of the calling async context (see
   * `assertNoOpenTransaction`). The caller begins and ends the transaction and then calls `settle`.
   */
  within<T>(work: () => Promise<T>): Promise<T> {
    return openTransactions.run(this, work);
  }

  /** Records the outcome; after a commit, runs the after-commit work. */
  async settle(outcome: 'committed' | 'rolled back'): Promise<void> {
    this.state = outcome;
    if (outcome !== 'committed') return;
    for (const work of this.committed.splice(0)) {
      try {
        await work();
      } catch {
        // The transaction has committed; its after-commit work cannot undo it.
      }
    }
  }
}

const openTransactions = new AsyncLocalStorage<UnitOfWork>();

/** Whether `sql` is a unit of work (an open transaction), not the pool's reader. */
export function isUnitOfWork(sql: SqlClient): sql is UnitOfWork {
  return typeof (sql as Partial<UnitOfWork>).memo === 'function';
}

/** The unit of work open in the calling async context, if any. */
export function currentUnitOfWork(): UnitOfWork | undefined {
  const current = openTransactions.getStore();
  return current?.open ? current : undefined;
}

/** A pool query or a second transaction issued while the same request's transaction is open. */
export class PoolWhileTransactionOpenError extends Error {
  constructor(what: string) {
    super(
      `${what} on the pool while this request's transaction is open: read through the transaction ` +
        '(a second connection can wait forever behind transactions queued on the locks this one holds)',
    );
    this.name = 'PoolWhileTransactionOpenError';
  }
}

/**
 * Whether pool use inside an open transaction throws (`PoolWhileTransactionOpenError`): on under the test runner
 * (VITEST) or with GKE_EMULATOR_POOL_GUARD=1, off with GKE_EMULATOR_POOL_GUARD=0.
 */
export function poolGuardEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const flag = env['GKE_EMULATOR_POOL_GUARD'];
  if (flag === '0') return false;
  return flag === '1' || Boolean(env['VITEST']);
}

/** Throws when the calling async context has a transaction open (the guard `Database`'s pool calls). */
export function assertNoOpenTransaction(what: string): void {
  if (currentUnitOfWork()) throw new PoolWhileTransactionOpenError(what);
}
