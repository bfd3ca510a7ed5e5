// Builds dist/ with esbuild (one bundle per process; npm packages stay external) and SWC (TypeScript with the
// decorator metadata NestJS needs). `--if-stale` skips all work when nothing changed since the last build, so
// `npm start` pays for a build only after sources change.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stamp = join(root, 'dist', '.build-stamp');
const generatedClient = join(root, 'libs/db/src/generated/prisma/client.ts');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'generated') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

const inputs = [
  'apps',
  'libs',
  'tools',
  'bench',
  'prisma/schema.prisma',
  'package-lock.json',
  'scripts/build.mjs',
];
const newestInput = Math.max(...inputs.map((input) => newestMtime(join(root, input))));
const clientStale =
  !existsSync(generatedClient) ||
  statSync(generatedClient).mtimeMs < newestMtime(join(root, 'prisma/schema.prisma'));
const ifStale = process.argv.includes('--if-stale');
if (ifStale && !clientStale && existsSync(stamp) && statSync(stamp).mtimeMs >= newestInput) process.exit(0);

if (clientStale) {
  const generate = spawnSync(process.execPath, [join(root, 'scripts/prisma-generate.mjs')], {
    stdio: 'inherit',
    cwd: root,
  });
  if (generate.status !== 0) process.exit(generate.status ?? 1);
}

const { build } = await import('esbuild');
const swc = await import('@swc/core');

const swcPlugin = {
  name: 'swc-decorator-metadata',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = readFileSync(args.path, 'utf8');
      const output = await swc.transform(source, {
        filename: args.path,
        sourceMaps: 'inline',
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'es6' },
      });
      return { contents: output.code, loader: 'js' };
    });
  },
};

const entryPoints = {
  'cli/main': 'apps/cli/src/main.ts',
  // the programmatic entry @gke-emulator/sdk loads for startEmulator({ mode: 'in-process' })
  'lib/index': 'apps/cli/src/lib/index.ts',
  'api/main': 'apps/api/src/main.ts',
  'worker/main': 'apps/worker/src/main.ts',
  'tools/migration-new': 'tools/migration-new.ts',
  'bench/dataplane': 'bench/dataplane.ts',
};
const started = Date.now();
await build({
  absWorkingDir: root,
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'linked',
  tsconfig: 'tsconfig.json',
  keepNames: true,
  logLevel: 'warning',
  plugins: [swcPlugin],
  banner: { js: '#!/usr/bin/env node' },
});
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(stamp, new Date().toISOString());
console.error(`built dist/ in ${Date.now() - started} ms`);
