// Runs examples/vitest and examples/jest the way another repository would: against the SDK as published (`npm pack`
// of libs/sdk, installed from the tarball), each with its own node_modules and test runner, aimed at this repo's
// emulator CLI (dist/cli/main.js, which `npm test` builds first). A `.spec.ts` so CI runs it once, not again in the
// database pass. GKE_EMULATOR_TEST_EXAMPLES=false skips it (it needs the npm registry or a warm npm cache).
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../../..');
const tarball = join(root, 'examples/.sdk/gke-emulator-sdk.tgz');
const emulatorBin = join(root, 'dist/cli/main.js');
const skip = process.env['GKE_EMULATOR_TEST_EXAMPLES'] === 'false';

interface Run {
  code: number | null;
  output: string;
}

/** Runs a command to its end, keeping its output (both streams, interleaved) for failure messages. */
function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

const tail = (text: string, lines = 60) => text.split('\n').slice(-lines).join('\n');

/** This process's environment without what the outer vitest (and npm, when it started it) set for themselves. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(VITEST|npm_)/i.test(name) || ['NODE_OPTIONS', 'NODE_ENV', 'TEST', 'INIT_CWD'].includes(name))
      continue;
    env[name] = value;
  }
  return { ...env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1', ...extra };
}

/**
 * A working copy of examples/<name> under tmp/examples (its node_modules kept between runs, so a second run
 * installs only the SDK), depending on the freshly packed tarball. The committed lockfile pins everything else;
 * its entry for the SDK is dropped, because npm would otherwise install the tarball it cached under the old
 * integrity instead of the new one.
 */
function prepareCopy(name: string): string {
  const source = join(root, 'examples', name);
  const copy = join(root, 'tmp/examples', name);
  mkdirSync(copy, { recursive: true });
  for (const entry of readdirSync(copy)) {
    if (entry !== 'node_modules') rmSync(join(copy, entry), { recursive: true, force: true });
  }
  rmSync(join(copy, 'node_modules/@gke-emulator/sdk'), { recursive: true, force: true });
  cpSync(source, copy, {
    recursive: true,
    filter: (path) => !path.slice(source.length).includes('node_modules'),
  });

  const manifestFile = join(copy, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  expect(manifest.devDependencies['@gke-emulator/sdk']).toBe('file:../.sdk/gke-emulator-sdk.tgz');
  manifest.devDependencies['@gke-emulator/sdk'] = `file:${tarball}`;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));

  const lockFile = join(copy, 'package-lock.json');
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages: Record<string, unknown> };
  delete lock.packages['node_modules/@gke-emulator/sdk'];
  writeFileSync(lockFile, JSON.stringify(lock, null, 2));
  return copy;
}

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numTotalTestSuites: number;
}

const examples = [
  {
    name: 'vitest',
    reporterArgs: (file: string) => ['--reporter=default', '--reporter=json', `--outputFile.json=${file}`],
  },
  { name: 'jest', reporterArgs: (file: string) => ['--json', `--outputFile=${file}`] },
];

describe.skipIf(skip)('examples/ (the SDK as another repository installs it)', () => {
  // Each run gets empty warm-database slots of its own: the examples start their emulators from scratch.
  let dataRoot = '';
  let env: NodeJS.ProcessEnv = {};
  // Both installs run at once (mostly waiting on npm's cache and registry); the tests then run one after the other.
  const installs = new Map<string, Promise<Run & { copy: string }>>();

  beforeAll(async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'gke-emulator-examples-'));
    chmodSync(dataRoot, 0o755); // embedded PostgreSQL runs as another user when this runs as root
    env = cleanEnv({ GKE_EMULATOR_BIN: emulatorBin, GKE_EMULATOR_SDK_DATA_ROOT: dataRoot });
    expect(existsSync(emulatorBin), `${emulatorBin} is missing: npm run build`).toBe(true);
    const pack = await run(
      process.execPath,
      [join(root, 'examples/pack-sdk.mjs')],
      root,
      cleanEnv({}),
      180_000,
    );
    expect(pack.code, tail(pack.output)).toBe(0);
    expect(existsSync(tarball)).toBe(true);
    for (const { name } of examples) {
      const copy = prepareCopy(name);
      const install = run(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund'],
        copy,
        env,
        300_000,
      );
      installs.set(
        name,
        install.then((result) => ({ ...result, copy })),
      );
    }
  }, 200_000);

  afterAll(async () => {
    await Promise.allSettled(installs.values());
    if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
  });

  it.each(examples)(
    'examples/$name installs from the SDK tarball and its npm test passes',
    async ({ name, reporterArgs }) => {
      const install = await installs.get(name);
      expect(install, 'beforeAll did not start the install').toBeDefined();
      const { copy } = install as Run & { copy: string };
      expect(install?.code, tail(install?.output ?? '')).toBe(0);
      const installed = JSON.parse(
        readFileSync(join(copy, 'node_modules/@gke-emulator/sdk/package.json'), 'utf8'),
      );
      expect(installed.version).toBe(
        JSON.parse(readFileSync(join(root, 'libs/sdk/package.json'), 'utf8')).version,
      );
      // Installed from the tarball, not linked to libs/sdk: the examples see only what the package ships.
      expect(existsSync(join(copy, 'node_modules/@gke-emulator/sdk/src'))).toBe(false);

      const reportFile = join(copy, 'test-report.json');
      const test = await run('npm', ['test', '--', ...reporterArgs(reportFile)], copy, env, 300_000);
      expect(test.code, tail(test.output)).toBe(0);
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
      expect(report.numFailedTests).toBe(0);
      expect(report.numPassedTests, tail(test.output)).toBeGreaterThanOrEqual(1);
    },
    600_000,
  );
});
