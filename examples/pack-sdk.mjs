// Packs @gke-emulator/sdk the way it is published (`npm pack`: its prepack builds dist/ with tsc) into
// examples/.sdk/gke-emulator-sdk.tgz, the tarball the examples depend on. The package is built from a copy under
// tmp/, so a build here never races with one in libs/sdk (the copy still resolves TypeScript and the peer
// dependencies' types from the repository's node_modules).
// Usage: node examples/pack-sdk.mjs
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = dirname(fileURLToPath(import.meta.url));
const root = join(examples, '..');
const sdk = join(root, 'libs/sdk');
const destination = join(examples, '.sdk');

mkdirSync(join(root, 'tmp'), { recursive: true });
const copy = mkdtempSync(join(root, 'tmp', 'sdk-pack-'));
try {
  for (const entry of ['package.json', 'README.md', 'build.mjs', 'tsconfig.build.json', 'src']) {
    cpSync(join(sdk, entry), join(copy, entry), { recursive: true });
  }
  mkdirSync(destination, { recursive: true });
  const packDir = mkdtempSync(join(copy, 'out-'));
  const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', packDir], {
    cwd: copy,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (pack.status !== 0) {
    console.error(pack.stdout);
    process.exit(pack.status ?? 1);
  }
  const [tarball] = readdirSync(packDir).filter((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${packDir}`);
  // A fixed name, so the examples' package.json need not change with the SDK's version.
  const target = join(destination, 'gke-emulator-sdk.tgz');
  renameSync(join(packDir, tarball), target);
  console.log(target);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
