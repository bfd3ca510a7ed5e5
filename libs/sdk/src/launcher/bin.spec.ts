import { describe, expect, it } from 'vitest';
import { libEntryFor, resolveEmulatorBin } from './bin';

const exists = (paths: string[]) => (path: string) => paths.includes(path);

describe('resolveEmulatorBin', () => {
  const pkg = '/n/node_modules/gke-emulator/package.json';
  const fromPackage = {
    resolvePackageJson: () => pkg,
    readFile: () => JSON.stringify({ bin: { 'gke-emulator': 'dist/cli/main.js' } }),
  };

  it('takes the bin option first', () => {
    expect(
      resolveEmulatorBin({
        bin: '/a/main.js',
        env: { GKE_EMULATOR_BIN: '/b/main.js' },
        exists: exists(['/a/main.js', '/b/main.js']),
        ...fromPackage,
      }),
    ).toEqual({ bin: '/a/main.js', source: 'option' });
  });

  it('then GKE_EMULATOR_BIN', () => {
    expect(
      resolveEmulatorBin({
        env: { GKE_EMULATOR_BIN: '/b/main.js' },
        exists: exists(['/b/main.js']),
        ...fromPackage,
      }),
    ).toEqual({ bin: '/b/main.js', source: 'env' });
  });

  it('then the gke-emulator package (its bin entry, string or map)', () => {
    const bin = '/n/node_modules/gke-emulator/dist/cli/main.js';
    expect(resolveEmulatorBin({ env: {}, exists: exists([bin]), ...fromPackage })).toEqual({
      bin,
      source: 'package',
    });
    expect(
      resolveEmulatorBin({
        env: {},
        exists: exists([bin]),
        resolvePackageJson: () => pkg,
        readFile: () => JSON.stringify({ bin: 'dist/cli/main.js' }),
      }).bin,
    ).toBe(bin);
  });

  it('names the option that points nowhere', () => {
    expect(() => resolveEmulatorBin({ bin: '/nope.js', exists: exists([]) })).toThrow(
      /^bin: no emulator CLI at \/nope\.js/,
    );
    expect(() => resolveEmulatorBin({ env: { GKE_EMULATOR_BIN: '/nope.js' }, exists: exists([]) })).toThrow(
      /^GKE_EMULATOR_BIN: /,
    );
  });

  it('says how to provide one when nothing is found', () => {
    expect(() =>
      resolveEmulatorBin({
        env: {},
        resolvePackageJson: () => {
          throw new Error('Cannot find module');
        },
      }),
    ).toThrow(/^bin: no emulator found: pass `bin`.*GKE_EMULATOR_BIN.*gke-emulator package/);
  });
});

describe('libEntryFor', () => {
  it('is dist/lib/index.js beside dist/cli/main.js', () => {
    expect(libEntryFor('/p/dist/cli/main.js')).toBe('/p/dist/lib/index.js');
  });
});
