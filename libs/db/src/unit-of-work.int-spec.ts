import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPool, Database } from './database';
import {
  memoKey,
  PoolWhileTransactionOpenError,
  poolGuardEnabled,
  sessionSql,
  UnitOfWork,
} from './unit-of-work';

const db = new Database(inject('databaseUrl'), { poolSize: 4 });
afterAll(() => db.close());

const SEEN = memoKey<string[]>('test.seen');

describe('unit of work', () => {
  it('is on under the test runner', () => {
    expect(poolGuardEnabled()).toBe(true);
    expect(poolGuardEnabled({ VITEST: 'true', GKE_EMULATOR_POOL_GUARD: '0' })).toBe(false);
    expect(poolGuardEnabled({ GKE_EMULATOR_POOL_GUARD: '1' })).toBe(true);
    expect(poolGuardEnabled({})).toBe(false);
  });

  for (const kind of ['sqlTransaction', 'transaction'] as const) {
    describe(kind, () => {
      const run = <T>(work: (uow: UnitOfWork) => Promise<T>) =>
        kind === 'sqlTransaction' ? db.sqlTransaction(work) : db.transaction(work);

      it('refuses a pool query while the same request has its transaction open', async () => {
        await expect(run(async () => db.query('SELECT 1'))).rejects.toBeInstanceOf(
          PoolWhileTransactionOpenError,
        );
        await expect(run(async () => db.prisma.setting.findFirst())).rejects.toThrow(/transaction is open/);
        await expect(run(async () => db.sqlTransaction(async () => 1))).rejects.toBeInstanceOf(
          PoolWhileTransactionOpenError,
        );
      });

      it('reads through the transaction, and on the pool once it has committed', async () => {
        const [row] = await run(async (uow) => uow.query<{ one: number }>('SELECT 1::int AS one'));
        expect(row).toEqual({ one: 1 });
        await expect(db.query('SELECT 1')).resolves.toHaveLength(1);
      });

      it('keeps its memos to itself', async () => {
        const seen = await run(async (uow) => {
          uow.memo(SEEN, () => []).push('a');
          uow.memo(SEEN, () => ['never made']).push('b');
          return uow.memo(SEEN, () => []);
        });
        expect(seen).toEqual(['a', 'b']);
        expect(await run(async (uow) => uow.memo(SEEN, () => []))).toEqual([]);
      });

      it('runs its after-commit work once committed (where the pool is free again), not after a rollback', async () => {
        const done: string[] = [];
        await run(async (uow) => {
          uow.afterCommit(async () => {
            await db.query('SELECT 1');
            done.push('committed');
          });
        });
        expect(done).toEqual(['committed']);
        await expect(
          run(async (uow) => {
            uow.afterCommit(() => void done.push('rolled back'));
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(done).toEqual(['committed']);
      });

      it('lets unrelated requests use the pool while it is open', async () => {
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        const open = run(() => held);
        await expect(db.query<{ one: number }>('SELECT 1::int AS one')).resolves.toEqual([{ one: 1 }]);
        release();
        await open;
      });
    });
  }

  describe("UnitOfWork.transaction on a connection the caller holds (the worker's job client)", () => {
    const pool = createPool(inject('databaseUrl'), 2);
    afterAll(() => pool.end());

    it('begins at the isolation asked for, and commits', async () => {
      const client = await pool.connect();
      try {
        const level = `SELECT current_setting('transaction_isolation') AS level`;
        const [row] = await UnitOfWork.transaction(client, (uow) => uow.query<{ level: string }>(level), {
          isolation: 'REPEATABLE READ',
        });
        expect(row).toEqual({ level: 'repeatable read' });
        // Ended: the connection's next statement runs on its own, at the default level.
        expect(await sessionSql(client).query(level)).toEqual([{ level: 'read committed' }]);
      } finally {
        client.release();
      }
    });

    it('rolls back when the work throws, calls `ended` before the after-commit work, and refuses the pool inside', async () => {
      const client = await pool.connect();
      const events: string[] = [];
      try {
        await sessionSql(client).query('CREATE TEMP TABLE uow_probe (n int)');
        await expect(
          UnitOfWork.transaction(client, async (uow) => {
            await uow.query('INSERT INTO uow_probe VALUES (1)');
            uow.afterCommit(() => void events.push('after commit'));
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        await UnitOfWork.transaction(
          client,
          async (uow) => {
            await uow.query('INSERT INTO uow_probe VALUES (2)');
            await expect(db.query('SELECT 1')).rejects.toBeInstanceOf(PoolWhileTransactionOpenError);
            uow.afterCommit(() => void events.push('after commit'));
          },
          { ended: () => events.push('ended') },
        );
        expect(await sessionSql(client).query('SELECT n FROM uow_probe')).toEqual([{ n: 2 }]);
        expect(events).toEqual(['ended', 'after commit']);
      } finally {
        await sessionSql(client).query('DROP TABLE IF EXISTS uow_probe');
        client.release();
      }
    });
  });
});
