import { describe, expect, it } from 'vitest';
import { childEnv, isMigrationFailure, startEmulator } from './start-emulator';

describe('childEnv', () => {
  it("drops the parent's DATABASE_URL and GKE_EMULATOR_* (the options decide them), then adds env and databaseUrl", () => {
    const parent = {
      PATH: '/bin',
      DATABASE_URL: 'postgresql://parent/db',
      GKE_EMULATOR_PORT: '9999',
      GKE_EMULATOR_WORKER: 'false',
    };
    expect(childEnv({}, parent)).toEqual({ PATH: '/bin' });
    expect(childEnv({ env: { GKE_EMULATOR_WORKER: 'false', X: '1' } }, parent)).toEqual({
      PATH: '/bin',
      GKE_EMULATOR_WORKER: 'false',
      X: '1',
    });
    expect(childEnv({ databaseUrl: 'postgresql://given/db' }, parent)).toEqual({
      PATH: '/bin',
      DATABASE_URL: 'postgresql://given/db',
    });
  });
});

describe('startEmulator option checks (before anything starts)', () => {
  it.each([
    [{ port: 70000 }, /^port: /],
    [{ timeoutMs: 0 }, /^timeoutMs: /],
    [{ timeoutMs: -1 }, /^timeoutMs: /],
    [{ mode: 'worker' }, /^mode: /],
    [{ logLevel: 'verbose' }, /^logLevel: /],
    [{ operationDelayMs: -5 }, /^operationDelayMs: /],
    [{ ephemeral: true, dataDir: '/tmp/d' }, /^dataDir: not with ephemeral/],
    [{ databaseUrl: 'postgresql://h/d', dataDir: '/tmp/d' }, /^dataDir: not with databaseUrl/],
    [{ databaseUrl: 'postgresql://h/d', ephemeral: true }, /^ephemeral: not with databaseUrl/],
    [{ bin: '/definitely/not/here.js' }, /^bin: no emulator CLI at/],
  ])('%o is named', async (options, message) => {
    await expect(startEmulator(options as never)).rejects.toThrow(message);
  });
});

describe('isMigrationFailure', () => {
  it.each([
    [
      'the emulator exited before it was ready (exit code 1):\ngke-emulator: external connector error\n' +
        '   0: sql_schema_connector::apply_migration::apply_script\n' +
        '           with migration_name="20261126233000_x"',
      true,
    ],
    ['Applying migration `20261126_x` failed', true],
    ['migrate found failed migrations in the target database', true],
    ['port: 8085 is in use', false],
    ['could not start embedded PostgreSQL', false],
  ])('%j → %s', (message, expected) => {
    expect(isMigrationFailure(new Error(message))).toBe(expected);
  });
});
