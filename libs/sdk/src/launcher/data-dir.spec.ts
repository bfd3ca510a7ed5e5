import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDataRoot, lockGivenDataDir, lockWarmSlot, tryLockDataDir } from './data-dir';

const roots: string[] = [];
function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sdk-data-dir-spec-'));
  roots.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A pid no process has (the kernel's limit is below 2^22 everywhere we run). */
const DEAD_PID = 4_194_304 + 12_345;

describe('data directory locks', () => {
  it('lets one emulator of this process hold a directory at a time, and frees it on release', () => {
    const dir = join(root(), 'd');
    const first = tryLockDataDir(dir);
    expect(first).toBeDefined();
    expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
    expect(tryLockDataDir(dir)).toBeUndefined();
    first?.release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    const again = tryLockDataDir(dir);
    expect(again).toBeDefined();
    again?.release();
  });

  it('respects a live process and takes over a dead one', () => {
    const dir = join(root(), 'd');
    writeFileSync(`${dir}.lock`, String(process.ppid));
    expect(tryLockDataDir(dir)).toBeUndefined();
    writeFileSync(`${dir}.lock`, String(DEAD_PID));
    const lock = tryLockDataDir(dir);
    expect(lock).toBeDefined();
    lock?.release();
  });

  it('takes over a lock of this pid it does not hold (left by an earlier run that reused the pid)', () => {
    const dir = join(root(), 'd');
    writeFileSync(`${dir}.lock`, String(process.pid));
    const lock = tryLockDataDir(dir);
    expect(lock).toBeDefined();
    lock?.release();
  });

  it('gives concurrent emulators distinct warm slots', () => {
    const base = root();
    const a = lockWarmSlot(base);
    const b = lockWarmSlot(base);
    expect(a.dir).toBe(join(base, 'slot-0'));
    expect(b.dir).toBe(join(base, 'slot-1'));
    a.release();
    const c = lockWarmSlot(base);
    expect(c.dir).toBe(join(base, 'slot-0'));
    b.release();
    c.release();
  });

  it('names dataDir when the given directory is in use', () => {
    const dir = join(root(), 'given');
    const held = lockGivenDataDir(dir);
    expect(() => lockGivenDataDir(dir)).toThrow(/^dataDir: .* is in use by another running emulator/);
    held.release();
  });

  it('keeps warm databases under GKE_EMULATOR_SDK_DATA_ROOT, else the temporary directory', () => {
    expect(defaultDataRoot({ GKE_EMULATOR_SDK_DATA_ROOT: '/x/y' })).toBe('/x/y');
    expect(defaultDataRoot({})).toMatch(new RegExp(`^${tmpdir()}/gke-emulator-sdk-`));
  });
});
