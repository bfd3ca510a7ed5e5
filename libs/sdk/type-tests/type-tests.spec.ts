import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

describe('SDK type tests', () => {
  it('compile: right shapes type-check and every @ts-expect-error shape is refused', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], {
      encoding: 'utf8',
    });
    // An unused @ts-expect-error (a wrong shape that compiles) is error TS2578 here.
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  }, 180_000);
});
