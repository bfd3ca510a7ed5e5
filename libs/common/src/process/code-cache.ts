/**
 * Runs a process's bundle (dist/<app>/bundle.js) with a V8 code cache, so that a warm start does not parse and
 * compile the same ten megabytes of JavaScript again: the first start that reaches readiness saves the compiled code
 * (including every function compiled while starting), and later starts hand it back to V8.
 *
 * Node 20 has no compile cache for `require` (module.enableCompileCache came in Node 22), so the bundle is compiled
 * here with vm.Script and its `cachedData`. This file is its own entry point (dist/code-cache.js): it must load
 * nothing but Node's built-in modules.
 *
 * The cache file is named after the bundle's content hash: V8 checks only the source's length, so a rebuilt bundle
 * of the same length would otherwise run stale code. Node's version and architecture are in the name as well (V8
 * also rejects a cache made by another version; the name just keeps them apart).
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** What the bundle calls once the process is ready: `saveCodeCache()` in libs/common. */
export const SAVE_CODE_CACHE = Symbol.for('gke-emulator.saveCodeCache');

/** GKE_EMULATOR_CODE_CACHE=false runs the bundle without reading or writing a code cache. */
export const CODE_CACHE_VARIABLE = 'GKE_EMULATOR_CODE_CACHE';

export type CodeCacheUse =
  /** a cache of this build was accepted by V8 */
  | 'used'
  /** no cache of this build yet: one is written when the process is ready */
  | 'absent'
  /** V8 refused the cache (another V8 or flags): it is rewritten when the process is ready */
  | 'rejected'
  /** GKE_EMULATOR_CODE_CACHE=false */
  | 'disabled';

export interface RunBundleResult {
  cache: CodeCacheUse;
  /** the cache file this build reads and writes */
  cacheFile: string;
}

export function codeCacheFile(bundle: string, buildId: string): string {
  const name = basename(bundle, '.js');
  return join(dirname(bundle), '.code-cache', `${name}-${buildId}-${process.version}-${process.arch}.bin`);
}

function writeCache(script: Script, file: string): void {
  try {
    const data = script.createCachedData();
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true });
    // Several processes may start at once: each writes its own file and renames it into place.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, data);
    renameSync(temporary, file);
    const prefix = `${basename(file).split('-')[0]}-`;
    for (const entry of readdirSync(dir)) {
      if (entry.startsWith(prefix) && entry !== basename(file) && !entry.endsWith('.tmp')) {
        rmSync(join(dir, entry), { force: true });
      }
    }
  } catch {
    // A read-only installation runs without a cache: it only costs start-up time.
  }
}

/**
 * Compiles and runs `bundle` as a CommonJS module (its `require` resolves from the bundle's directory). The bundle
 * must be ASCII, start without a `#!` line, and not use dynamic `import()`: scripts compiled by vm with a code cache
 * cannot (the build turns them into `require`, which loads ES modules on Node >= 20.19).
 */
export function runBundle(
  bundle: string,
  buildId: string,
  env: NodeJS.ProcessEnv = process.env,
): RunBundleResult {
  // The build makes bundles pure ASCII: Node decodes ASCII fast, and V8 keeps it as a one-byte string.
  const source = readFileSync(bundle, 'utf8');
  const cacheFile = codeCacheFile(bundle, buildId);
  const enabled = env[CODE_CACHE_VARIABLE] !== 'false';
  let cachedData: Buffer | undefined;
  if (enabled) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  const cache: CodeCacheUse = !enabled
    ? 'disabled'
    : cachedData === undefined
      ? 'absent'
      : script.cachedDataRejected === true
        ? 'rejected'
        : 'used';
  let saved = cache === 'used' || cache === 'disabled';
  (globalThis as Record<symbol, unknown>)[SAVE_CODE_CACHE] = (prepare?: () => Promise<unknown>) => {
    if (saved) return;
    saved = true;
    // After the caller's current work (printing its banner): the write is off the path to readiness. `prepare`
    // runs first, only in a start that writes the cache: it compiles what later starts should find compiled
    // although they do it after their banner (lazily built parts). A `prepare` that rejects cancels the write
    // (the process is stopping: a later start writes the cache).
    const write = () => setImmediate(() => writeCache(script, cacheFile));
    if (prepare) prepare().then(write, () => undefined);
    else write();
  };
  const bundleModule = new Module(bundle);
  bundleModule.filename = bundle;
  const bundleRequire = createRequire(bundle);
  bundleModule.paths = (bundleRequire.resolve.paths('x') ?? []).slice();
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  run.call(bundleModule.exports, bundleModule.exports, bundleRequire, bundleModule, bundle, dirname(bundle));
  return { cache, cacheFile };
}
