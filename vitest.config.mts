import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));
// The libraries under libs/: each is a test project and an alias of its barrel.
const LIBS = [
  'netaddr',
  'dataplane',
  'common',
  'db',
  'operations',
  'compute',
  'container',
  'kube',
  'effective',
  'control',
  'server',
  'testing',
  'test-oracles',
  'sdk',
  'topology',
];
const alias = Object.fromEntries([
  // The worker process's entries (libs/*/src/worker.ts), before the barrels: an alias also matches `<name>/...`.
  ...['compute', 'effective', 'operations', 'server'].map((name) => [
    `@gke-emulator/${name}/worker`,
    resolve(root, `libs/${name}/src/worker.ts`),
  ]),
  ...LIBS.map((name) => [`@gke-emulator/${name}`, resolve(root, `libs/${name}/src/index.ts`)]),
]);

const projects = ['apps/api', 'apps/worker', 'apps/cli', ...LIBS.map((n) => `libs/${n}`)];

export default defineConfig({
  plugins: [
    swc.vite({ jsc: { target: 'es2022', transform: { decoratorMetadata: true, legacyDecorator: true } } }),
  ],
  resolve: { alias },
  test: {
    globalSetup: ['libs/testing/src/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: projects.map((root) => ({
      extends: true,
      test: {
        name: root.split('/')[1],
        // `*.slow-spec.ts`: suites run once per CI run (replay, fuzz, crash, browser), not once per database:
        // `npm run test:db` selects only `.int-spec`/`.e2e-spec` files.
        include: [`${root}/**/*.{spec,int-spec,e2e-spec,slow-spec}.ts`],
      },
    })),
  },
});
