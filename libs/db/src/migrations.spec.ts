import { describe, expect, it } from 'vitest';
import { FailedMigrationsError, migrationChecksum, planMigrations, type MigrationRow } from './migrations';

const names = ['001_a', '002_b', '003_c'];
const at = '2026-12-07T10:00:00.000Z';
function row(name: string, state: 'finished' | 'unfinished' | 'rolled back'): MigrationRow {
  return {
    migration_name: name,
    started_at: at,
    finished_at: state === 'finished' ? at : null,
    rolled_back_at: state === 'rolled back' ? at : null,
  };
}

describe('planMigrations', () => {
  it('applies every migration to a database without rows', () => {
    expect(planMigrations(names, [])).toEqual({ retry: [], pending: names });
  });

  it('applies those without a finished row, in order', () => {
    expect(planMigrations(names, [row('001_a', 'finished'), row('003_c', 'finished')])).toEqual({
      retry: [],
      pending: ['002_b'],
    });
  });

  it('applies again a migration whose only row is rolled back, as prisma migrate resolve --rolled-back asks', () => {
    expect(planMigrations(names, [row('001_a', 'finished'), row('002_b', 'rolled back')])).toEqual({
      retry: [],
      pending: ['002_b', '003_c'],
    });
  });

  it('offers an unfinished row of a known migration for a retry', () => {
    expect(planMigrations(names, [row('001_a', 'finished'), row('002_b', 'unfinished')])).toEqual({
      retry: ['002_b'],
      pending: ['003_c'],
    });
  });

  it('ignores an unfinished row beside a finished one of the same migration', () => {
    expect(
      planMigrations(names, [row('001_a', 'unfinished'), row('001_a', 'finished'), row('002_b', 'finished')]),
    ).toEqual({ retry: [], pending: ['003_c'] });
  });

  it('refuses, as Prisma does (P3009), when an unknown migration is unfinished', () => {
    expect(() => planMigrations(names, [row('000_gone', 'unfinished')])).toThrow(FailedMigrationsError);
    expect(() => planMigrations(names, [row('000_gone', 'unfinished')])).toThrow(
      /found failed migrations in the target database, new migrations will not be applied[\s\S]*The `000_gone` migration started at 2026-12-07T10:00:00.000Z failed/,
    );
  });

  it('needs nothing when every migration is finished', () => {
    expect(
      planMigrations(
        names,
        names.map((name) => row(name, 'finished')),
      ),
    ).toEqual({ retry: [], pending: [] });
  });
});

describe('migrationChecksum', () => {
  it('is the hex SHA-256 of the script, as Prisma records it', () => {
    expect(migrationChecksum('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
