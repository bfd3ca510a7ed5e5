import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A bare ES module script (no test runner keeping the event loop alive) that launches an emulator and awaits its
 * stop at top level must end with code 0. The launcher unrefs the child and its pipes; when the wait for the exit
 * held nothing, a stop that escalated to SIGKILL (an emulator slower than killAfterMs to shut down) let the loop
 * empty, and Node ended the script with exit code 13, "unsettled top-level await".
 */
describe('launchChild in a bare ES module script', () => {
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gke-emulator-sdk-exit-'));
    await build({
      entryPoints: [join(__dirname, 'child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: join(dir, 'child.mjs'),
      logLevel: 'silent',
    });
    // An "emulator" that says it serves, then ignores SIGTERM: stop() has to SIGKILL it.
    writeFileSync(
      join(dir, 'stubborn-emulator.js'),
      [
        "process.on('SIGTERM', () => process.stderr.write('ignoring SIGTERM\\n'));",
        "process.stdout.write('gke-emulator listening on http://127.0.0.1:1\\n');",
        'setInterval(() => undefined, 1000);',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'script.mjs'),
      [
        "import { launchChild } from './child.mjs';",
        'const emulator = await launchChild({',
        `  bin: ${JSON.stringify(join(dir, 'stubborn-emulator.js'))},`,
        '  args: [], env: process.env, timeoutMs: 30000, logLevel: "silent", databaseUrlGiven: false,',
        '  killAfterMs: 200,',
        '});',
        'await emulator.stop();',
        'const exit = await emulator.exited;',
        'console.log(`stopped: ${exit.signal}`);',
      ].join('\n'),
    );
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('awaits a stop that needs SIGKILL to the end, and exits 0', () => {
    const run = spawnSync(process.execPath, [join(dir, 'script.mjs')], { encoding: 'utf8', timeout: 30_000 });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: 'stopped: SIGKILL\n',
      stderr: '',
    });
  });
});
