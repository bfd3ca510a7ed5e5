import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { GkeEmulatorOptionError } from '../errors';

export interface ResolvedBin {
  /** the CLI script, `.../dist/cli/main.js` */
  bin: string;
  /** where it came from: the `bin` option, `GKE_EMULATOR_BIN`, or the installed `gke-emulator` package */
  source: 'option' | 'env' | 'package';
}

export interface BinSources {
  bin?: string;
  env?: Record<string, string | undefined>;
  /** resolves `gke-emulator/package.json` (injected by tests) */
  resolvePackageJson?: () => string;
  exists?: (path: string) => boolean;
  readFile?: (path: string) => string;
}

const requireFromHere = createRequire(__filename);

/**
 * Which emulator CLI to run, in this order: the `bin` option, then `GKE_EMULATOR_BIN`, then the `bin` entry of the
 * `gke-emulator` package resolved from here (`require.resolve('gke-emulator/package.json')`).
 */
export function resolveEmulatorBin(sources: BinSources = {}): ResolvedBin {
  const exists = sources.exists ?? existsSync;
  const env = sources.env ?? process.env;
  const given = (option: string, path: string, source: ResolvedBin['source']): ResolvedBin => {
    const bin = resolve(path);
    if (!exists(bin)) throw new GkeEmulatorOptionError(option, `no emulator CLI at ${bin}`);
    return { bin, source };
  };
  if (sources.bin !== undefined) return given('bin', sources.bin, 'option');
  if (env['GKE_EMULATOR_BIN']) return given('GKE_EMULATOR_BIN', env['GKE_EMULATOR_BIN'], 'env');
  let packageJson: string;
  try {
    packageJson = (
      sources.resolvePackageJson ?? (() => requireFromHere.resolve('gke-emulator/package.json'))
    )();
  } catch {
    throw new GkeEmulatorOptionError(
      'bin',
      'no emulator found: pass `bin` (the path of dist/cli/main.js), set GKE_EMULATOR_BIN, or install the ' +
        'gke-emulator package',
    );
  }
  const manifest = JSON.parse(
    (sources.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(packageJson),
  ) as {
    bin?: string | Record<string, string>;
  };
  const entry = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.['gke-emulator'];
  if (!entry) throw new GkeEmulatorOptionError('bin', `${packageJson} declares no gke-emulator bin`);
  return given('bin', join(dirname(packageJson), entry), 'package');
}

/** The programmatic entry built beside the CLI: `<dist>/lib/index.js` for `<dist>/cli/main.js`. */
export function libEntryFor(bin: string): string {
  return join(dirname(bin), '..', 'lib', 'index.js');
}
