import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { Prisma, PrismaClient } from './generated/prisma/client';
import {
  currentUnitOfWork,
  PoolWhileTransactionOpenError,
  poolGuardEnabled,
  UnitOfWork,
} from './unit-of-work';

export { Prisma };
export type { PrismaClient };

/**
 * A unit of work begun by `Database.transaction`: Prisma's transaction client and the `UnitOfWork` (raw
 * statements, memos, after-commit work) on the same connection — one transaction, usable by Prisma and SQL code.
 */
export type Tx = Prisma.TransactionClient & UnitOfWork;

/** The members a Prisma-begun unit of work takes from `UnitOfWork` (no Prisma model is named so). */
const UNIT_OF_WORK_MEMBERS = new Set<PropertyKey>([
  'query',
  'memo',
  'afterCommit',
  'open',
  'within',
  'settle',
]);

/** Prisma's transaction client as a unit of work: its statements run through `$queryRawUnsafe`. */
function prismaUnitOfWork(prismaTx: Prisma.TransactionClient): Tx {
  const unit = new UnitOfWork(<T>(text: string, values: readonly unknown[]) =>
    prismaTx.$queryRawUnsafe<T[]>(text, ...values),
  );
  return new Proxy(prismaTx, {
    has: (target, property) => UNIT_OF_WORK_MEMBERS.has(property) || Reflect.has(target, property),
    get(target, property) {
      if (!UNIT_OF_WORK_MEMBERS.has(property)) return Reflect.get(target, property) as unknown;
      const member = Reflect.get(unit, property, unit) as unknown;
      return typeof member === 'function' ? (member as (...args: unknown[]) => unknown).bind(unit) : member;
    },
  }) as Tx;
}

/** The application's handle on PostgreSQL, injected by type into repositories. */
export class Database {
  readonly prisma: PrismaClient;
  private readonly pool: Pool;

  constructor(
    readonly url: string,
    options: { poolSize?: number } = {},
  ) {
    this.pool = createPool(url, options.poolSize ?? 20);
    this.prisma = new PrismaClient({ adapter: new PrismaPg(this.pool) });
  }

  /**
   * Loads Prisma's query compiler now (its 4.5 MB module and WebAssembly: a couple of hundred milliseconds of CPU)
   * instead of in the first request that uses Prisma. A server calls it once it is ready, off its start-up path.
   */
  warmUp(): void {
    setImmediate(() => {
      this.prisma.$queryRaw`select 1`.catch(() => undefined);
    });
  }

  /**
   * One SQL statement on the pool, without Prisma's per-query overhead: for the hot paths (a GET by name, an
   * insert that writes the resource and its operation in one statement). Repositories only.
   */
  async query<T>(text: string, values: readonly unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, values as unknown[])).rows as T[];
  }

  /**
   * Runs `work` as one unit of work on a plain pg client, without Prisma: for the hot write paths that are pure
   * SQL (the Kubernetes object store). Same pool, same database as `transaction`.
   */
  async sqlTransaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      client.release();
    };
    try {
      return await UnitOfWork.transaction(client, work, { ended: release });
    } finally {
      release();
    }
  }

  /**
   * Runs `work` as one unit of work through Prisma (`tx` is also the `UnitOfWork`: raw statements, memos,
   * after-commit work): every multi-write use case that uses Prisma goes through here.
   */
  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    let unit: Tx | undefined;
    let result: T;
    try {
      result = await this.prisma.$transaction(
        (prismaTx) => {
          const tx = prismaUnitOfWork(prismaTx);
          unit = tx;
          return tx.within(() => work(tx));
        },
        { maxWait: 10_000, timeout: 30_000 },
      );
    } catch (error) {
      await unit?.settle('rolled back');
      throw error;
    }
    await unit?.settle('committed');
    return result;
  }

  /**
   * LISTENs on a channel on a dedicated connection: `handler` gets each payload NOTIFYed on it, once the
   * notifying transaction commits. Returns the function that stops listening.
   */
  async listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> {
    const client = await this.pool.connect();
    client.on('notification', (message) => {
      if (message.channel === channel) handler(message.payload ?? '');
    });
    await client.query(`LISTEN "${channel.replace(/"/g, '')}"`);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await client.query(`UNLISTEN "${channel.replace(/"/g, '')}"`).catch(() => undefined);
      client.release();
    };
  }

  async close(): Promise<void> {
    await this.prisma.$disconnect();
    await this.pool.end().catch(() => undefined);
  }
}

/**
 * A pg pool that survives the server going away (a stopped embedded PostgreSQL, a restarted container): an idle
 * client's error is reported by the next query instead of crashing the process as an unhandled 'error' event.
 */
export function createPool(url: string, max: number): Pool {
  const pool = new Pool({ connectionString: url, max });
  if (poolGuardEnabled()) guardPool(pool);
  pool.on('error', () => undefined);
  // Likewise a checked-out client between two queries (a LISTEN connection, an open transaction) when the server
  // shuts down: its pending or next query fails instead.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * Makes every connection taken from `pool` (a query on the pool, Prisma's own, a second transaction) fail while
 * the calling async context has a unit of work open: such a request waits for a second connection while holding
 * the first, and under load every connection can end up waiting so (pool starvation). On under tests.
 */
export function guardPool(pool: Pool): void {
  const connect = pool.connect.bind(pool) as (callback?: unknown) => unknown;
  const guarded = (callback?: (error: Error | undefined, ...rest: unknown[]) => void): unknown => {
    if (currentUnitOfWork()) {
      const error = new PoolWhileTransactionOpenError('a query or transaction');
      if (callback) return void process.nextTick(() => callback(error));
      return Promise.reject(error);
    }
    return connect(callback);
  };
  pool.connect = guarded as Pool['connect'];
}
