#!/usr/bin/env node
// The installable packages (docs/benchmarks.md, "Packages"): sizes of the two tarballs of `npm run pack`, the time
// to install them into an empty project outside the repository (README's line, from the npm cache when warm), and
// startEmulator() there, cold (a new warm-database slot: initdb and migrations) and warm (the same slot again).
//   node bench/packages.mjs [--warm-starts 3]
// Everything it makes lives in one temporary directory, removed at the end.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const warmStartsIndex = process.argv.indexOf('--warm-starts');
const warmStarts = warmStartsIndex > 0 ? Number(process.argv[warmStartsIndex + 1]) : 3;

const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) =>
      !/^(npm_|GKE_EMULATOR_|VITEST)/i.test(name) && name !== 'DATABASE_URL' && name !== 'NODE_OPTIONS',
  ),
);

function sh(line, cwd, extra = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync('sh', ['-c', line], { cwd, env: { ...env, ...extra }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(
      `${line} failed (${result.signal ?? result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return { ms, stdout: result.stdout };
}

const work = mkdtempSync(join(tmpdir(), 'gke-emulator-bench-packages-'));
chmodSync(work, 0o755); // embedded PostgreSQL runs as another user when this runs as root
try {
  const project = join(work, 'project');
  const dataRoot = join(work, 'sdk-data');
  mkdirSync(project);
  mkdirSync(dataRoot, { mode: 0o755 });
  const pack = sh(`node ${join(root, 'scripts/pack.mjs')} --out ${project}`, root);
  const [emulatorTarball, sdkTarball] = pack.stdout.trim().split('\n');
  const unpacked = (tarball) =>
    Number(sh(`tar tzvf ${tarball} | awk '{ s += $3 } END { print s }'`, project).stdout.trim());
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'bench', private: true, type: 'module' }),
  );
  const install = sh('npm i -D --no-audit --no-fund ./gke-emulator-sdk-*.tgz ./gke-emulator-*.tgz', project);
  writeFileSync(
    join(project, 'start.mjs'),
    [
      "import { startEmulator } from '@gke-emulator/sdk';",
      // The SDK unrefs its child and pipes; a bare script sometimes ended with exit 13 (unsettled top-level
      // await) during startEmulator(). Kept alive explicitly here; see the report of issue 16.
      'const keepAlive = setInterval(() => undefined, 1000);',
      'const started = performance.now();',
      'const emu = await startEmulator();',
      'const ms = performance.now() - started;',
      'await emu.stop();',
      'console.log(ms.toFixed(0));',
      'clearInterval(keepAlive);',
    ].join('\n'),
  );
  const startMs = () =>
    Number(sh('node start.mjs', project, { GKE_EMULATOR_SDK_DATA_ROOT: dataRoot }).stdout.trim());
  const cold = startMs();
  const warm = Array.from({ length: warmStarts }, startMs).sort((a, b) => a - b);
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    tarballs: {
      emulator: { bytes: statSync(emulatorTarball).size, unpackedBytes: unpacked(emulatorTarball) },
      sdk: { bytes: statSync(sdkTarball).size, unpackedBytes: unpacked(sdkTarball) },
    },
    installMs: Math.round(install.ms),
    startEmulatorMs: { cold, warm, warmMedian: warm[Math.floor(warm.length / 2)] },
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
