import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { Prisma, PrismaClient } from './generated/prisma/client';

export { Prisma };
export type { PrismaClient };
export type Tx = Prisma.TransactionClient;

/** One SQL statement at a time inside `Database.sqlTransaction`. */
export interface SqlClient {
  query<T>(text: string, values?: readonly unknown[]): Promise<T[]>;
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
   * Runs `work` in one transaction on a plain pg client, without Prisma: for the hot write paths that are pure SQL
   * (the Kubernetes object store). Same pool, same database as `transaction`.
   */
  async sqlTransaction<T>(work: (sql: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work({
        query: async <R>(text: string, values: readonly unknown[] = []) =>
          (await client.query(text, values as unknown[])).rows as R[],
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Runs `work` in one transaction: every multi-write use case goes through here. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work, { maxWait: 10_000, timeout: 30_000 });
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
  pool.on('error', () => undefined);
  // Likewise a checked-out client between two queries (a LISTEN connection, an open transaction) when the server
  // shuts down: its pending or next query fails instead.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
