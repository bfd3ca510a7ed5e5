import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  CODE_CACHE_VARIABLE,
  codeCacheFile,
  runBundle,
  SAVE_CODE_CACHE,
  type RunBundleResult,
} from './code-cache';
import { saveCodeCache } from './save-code-cache';

const dirs: string[] = [];
const results = globalThis as unknown as Record<string, unknown[]>;

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  Reflect.deleteProperty(globalThis, SAVE_CODE_CACHE);
  Reflect.deleteProperty(globalThis, 'codeCacheSpec');
});

/** A bundle that records what it saw: its own require, __dirname and __filename, and a sibling module. */
function bundleDir(body = ''): { dir: string; bundle: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gke-emulator-code-cache-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'sibling.js'), 'module.exports = "sibling";\n');
  const bundle = join(dir, 'bundle.js');
  writeFileSync(
    bundle,
    `"use strict";
function work(n) { let sum = 0; for (let i = 0; i < n; i++) sum += i; return sum; }
(globalThis.codeCacheSpec ??= []).push({ sibling: require('./sibling.js'), dirname: __dirname, filename: __filename,
  sum: work(10), isModule: typeof module.exports === 'object' });
${body}
`,
  );
  return { dir, bundle };
}

// V8 keeps what a process compiled: whether a cache is used or refused shows only in a new process. The loader is
// compiled to plain JavaScript for the child processes that run it.
const loaderDir = mkdtempSync(join(tmpdir(), 'gke-emulator-code-cache-loader-'));
const loader = join(loaderDir, 'code-cache.js');
writeFileSync(
  loader,
  transformSync(readFileSync(join(__dirname, 'code-cache.ts'), 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    platform: 'node',
  }).code,
);
afterAll(() => rmSync(loaderDir, { recursive: true, force: true }));

/** Runs the bundle through the loader in a new process, which says it is ready; its RunBundleResult. */
function start(bundle: string, buildId: string, env: Record<string, string> = {}): RunBundleResult {
  const script = `const { runBundle } = require(${JSON.stringify(loader)});
const result = runBundle(${JSON.stringify(bundle)}, ${JSON.stringify(buildId)});
globalThis[Symbol.for('gke-emulator.saveCodeCache')]();
process.on('exit', () => process.stdout.write(JSON.stringify(result)));`;
  const child = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout) as RunBundleResult;
}

describe('runBundle', () => {
  it('runs the bundle as a CommonJS module of its own directory', () => {
    const { dir, bundle } = bundleDir();
    runBundle(bundle, 'b1', {});
    expect(results['codeCacheSpec']).toEqual([
      { sibling: 'sibling', dirname: dir, filename: bundle, sum: 45, isModule: true },
    ]);
  });

  it('writes the cache once the process says it is ready, and the next start uses it', () => {
    const { bundle } = bundleDir();
    const first = start(bundle, 'b1');
    expect(first).toEqual({ cache: 'absent', cacheFile: codeCacheFile(bundle, 'b1') });
    expect(existsSync(first.cacheFile)).toBe(true);
    expect(start(bundle, 'b1').cache).toBe('used');
    expect(start(bundle, 'b1').cache).toBe('used');
  });

  it('keys the cache by build: another build ignores it, and replaces it when ready', () => {
    const { dir, bundle } = bundleDir();
    expect(start(bundle, 'old').cache).toBe('absent');
    expect(start(bundle, 'new').cache).toBe('absent');
    expect(readdirSync(join(dir, '.code-cache'))).toEqual([codeCacheFile(bundle, 'new').split('/').pop()]);
    expect(start(bundle, 'new').cache).toBe('used');
  });

  it('runs without a cache V8 refuses, and rewrites it', () => {
    const { bundle } = bundleDir();
    const file = codeCacheFile(bundle, 'b1');
    start(bundle, 'b1');
    writeFileSync(file, Buffer.from('not a code cache'));
    expect(start(bundle, 'b1').cache).toBe('rejected');
    expect(start(bundle, 'b1').cache).toBe('used');
  });

  it('runs the bundle the same way with its cache', () => {
    const { bundle } = bundleDir(
      "process.on('exit', () => process.stderr.write(JSON.stringify(globalThis.codeCacheSpec)));",
    );
    const outputs = [0, 1].map(() => {
      const child = spawnSync(
        process.execPath,
        [
          '-e',
          `require(${JSON.stringify(loader)}).runBundle(${JSON.stringify(bundle)}, 'b1');
globalThis[Symbol.for('gke-emulator.saveCodeCache')]();`,
        ],
        { encoding: 'utf8' },
      );
      return child.stderr;
    });
    expect(outputs[1]).toBe(outputs[0]);
    expect(JSON.parse(outputs[0] as string)).toEqual([
      expect.objectContaining({ sibling: 'sibling', sum: 45 }),
    ]);
  });

  it(`neither reads nor writes a cache with ${CODE_CACHE_VARIABLE}=false`, () => {
    const { dir, bundle } = bundleDir();
    expect(start(bundle, 'b1', { [CODE_CACHE_VARIABLE]: 'false' }).cache).toBe('disabled');
    expect(existsSync(join(dir, '.code-cache'))).toBe(false);
    expect(start(bundle, 'b1').cache).toBe('absent');
    expect(start(bundle, 'b1', { [CODE_CACHE_VARIABLE]: 'false' }).cache).toBe('disabled');
  });

  it('saves at most once per start, and not at all when the directory cannot be written', async () => {
    const { dir, bundle } = bundleDir();
    // a file where the cache directory would go: the write fails, quietly
    writeFileSync(join(dir, '.code-cache'), '');
    const result = runBundle(bundle, 'b1', {});
    saveCodeCache();
    saveCodeCache();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(existsSync(result.cacheFile)).toBe(false);
  });

  it('runs prepare before writing, and only in a start that writes the cache', () => {
    const { dir, bundle } = bundleDir();
    const marker = join(dir, 'prepared');
    const startPreparing = () => {
      const script = `const { runBundle } = require(${JSON.stringify(loader)});
const result = runBundle(${JSON.stringify(bundle)}, 'b1');
const fs = require('node:fs');
globalThis[Symbol.for('gke-emulator.saveCodeCache')](async () => {
  fs.appendFileSync(${JSON.stringify(marker)}, fs.existsSync(result.cacheFile) ? 'cache already written\\n' : 'prepared\\n');
});
process.on('exit', () => process.stdout.write(result.cache));`;
      const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(child.stderr);
      return child.stdout;
    };
    expect(startPreparing()).toBe('absent');
    expect(existsSync(codeCacheFile(bundle, 'b1'))).toBe(true);
    expect(startPreparing()).toBe('used');
    expect(readFileSync(marker, 'utf8')).toBe('prepared\n');
  });

  it('writes nothing when prepare rejects (the process is stopping)', () => {
    const { bundle } = bundleDir();
    const script = `const { runBundle } = require(${JSON.stringify(loader)});
runBundle(${JSON.stringify(bundle)}, 'b1');
globalThis[Symbol.for('gke-emulator.saveCodeCache')](async () => { throw new Error('stopping'); });`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    expect(existsSync(codeCacheFile(bundle, 'b1'))).toBe(false);
  });

  it('saveCodeCache is a no-op outside the loader', () => {
    expect(() => saveCodeCache()).not.toThrow();
  });
});
