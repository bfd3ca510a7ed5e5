import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockAddress, lockDataDir } from './data-dir-lock';

const dir = mkdtempSync(join(tmpdir(), 'gke-emulator-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lockDataDir', () => {
  it('names the lock after the directory: an abstract socket on Linux, a file in it elsewhere', () => {
    expect(lockAddress('/a', 'linux')).toMatch(/^\0gke-emulator-data-dir-[0-9a-f]{32}$/);
    expect(lockAddress('/a', 'linux')).not.toBe(lockAddress('/b', 'linux'));
    expect(lockAddress('/a', 'darwin')).toBe('/a/.gke-emulator.lock');
  });

  it('refuses a second holder, naming the first one, and is free again once released', async () => {
    const first = await lockDataDir(join(dir, 'one'));
    const refused = await lockDataDir(join(dir, 'one')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as Error).message).toContain(`another gke-emulator is using this --data-dir`);
    expect((refused as Error).message).toContain(`pid ${process.pid}`);
    // Another directory is another lock.
    const other = await lockDataDir(join(dir, 'two'));
    other.release();
    first.release();
    await new Promise((resolveLater) => setTimeout(resolveLater, 50));
    const again = await lockDataDir(join(dir, 'one'));
    again.release();
  });
});
