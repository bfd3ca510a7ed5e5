import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/prisma/client';

export { Prisma };
export type { PrismaClient };
export type Tx = Prisma.TransactionClient;

/** The application's handle on PostgreSQL, injected by type into repositories. */
export class Database {
  readonly prisma: PrismaClient;

  constructor(
    readonly url: string,
    options: { poolSize?: number } = {},
  ) {
    this.prisma = new PrismaClient({
      adapter: new PrismaPg({ connectionString: url, max: options.poolSize ?? 20 }),
    });
  }

  /** Runs `work` in one transaction: every multi-write use case goes through here. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work, { maxWait: 10_000, timeout: 30_000 });
  }

  async close(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
