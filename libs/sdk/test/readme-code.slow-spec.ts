// Every TypeScript and JavaScript code block of README.md and libs/sdk/README.md runs, as written, unless the line
// before it says why not (`<!-- not run: reason -->`). Each block is written to a module of its own and imported:
// `@gke-emulator/sdk` is this repository's SDK, `startEmulator()` finds this repository's CLI through
// GKE_EMULATOR_BIN (as it finds the installed package's elsewhere). Blocks that talk to an emulator they did not
// start (`npm start`'s, on 127.0.0.1:8085) talk to one this test starts, on its own port.
// A slow-spec: the blocks start several emulators; once per CI run.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src';
import { EMULATOR_BIN } from './emulator-bin';

const root = resolve(__dirname, '../../..');
const documents = ['README.md', 'libs/sdk/README.md'];

interface CodeBlock {
  document: string;
  line: number;
  language: string;
  code: string;
  /** why it is not run, from `<!-- not run: reason -->` on the line before the fence */
  notRun?: string;
}

function codeBlocks(document: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const fence = /^```(\w*)\s*$/.exec(lines[i] ?? '');
    if (!fence) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    if (end < 0) throw new Error(`${document}:${i + 1}: unclosed code block`);
    const notRun = /^<!-- not run: (.+) -->$/.exec(lines[i - 1] ?? '')?.[1];
    blocks.push({
      document,
      line: i + 1,
      language: fence[1] ?? '',
      code: lines.slice(i + 1, end).join('\n'),
      notRun,
    });
    i = end;
  }
  return blocks;
}

const blocks = documents.flatMap((document) =>
  codeBlocks(document, readFileSync(join(root, document), 'utf8')).filter((block) =>
    ['ts', 'typescript', 'js', 'javascript'].includes(block.language),
  ),
);
const runnable = blocks.filter((block) => block.notRun === undefined);
// Inside the repository, so vitest compiles the modules and resolves @gke-emulator/sdk as for every test.
const moduleDir = join(root, 'tmp', `readme-code-${process.pid}`);

describe('the code blocks of the READMEs', () => {
  let emulator: RunningEmulator | undefined;
  const previousBin = process.env['GKE_EMULATOR_BIN'];

  beforeAll(async () => {
    process.env['GKE_EMULATOR_BIN'] = EMULATOR_BIN;
    mkdirSync(moduleDir, { recursive: true });
    // Ephemeral: blocks written for `npm start`'s emulator use fixed names (project 'demo'), so a fresh database.
    emulator = await startEmulator({ bin: EMULATOR_BIN, ephemeral: true });
  }, 120_000);

  afterAll(async () => {
    await emulator?.stop();
    if (previousBin === undefined) delete process.env['GKE_EMULATOR_BIN'];
    else process.env['GKE_EMULATOR_BIN'] = previousBin;
    rmSync(moduleDir, { recursive: true, force: true });
  });

  it('are found, and every one not run says why', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(5);
    expect(blocks.filter((block) => block.notRun !== undefined).length).toBeGreaterThanOrEqual(4);
    // The quick starts are run.
    expect(runnable.some((block) => block.document === 'libs/sdk/README.md' && block.line < 60)).toBe(true);
  });

  it.each(runnable.map((block) => [`${block.document}:${block.line}`, block] as const))(
    '%s runs',
    async (_name, block) => {
      const port = new URL(emulator?.url ?? '').port;
      const code = block.code
        .replaceAll('127.0.0.1:8085', `127.0.0.1:${port}`)
        .replaceAll('port: 8085', `port: ${port}`);
      const file = join(moduleDir, `${block.document.replaceAll('/', '-')}-${block.line}.ts`);
      // A module of its own (the `export {}`), so top-level await and the block's own imports work.
      writeFileSync(file, `${code}\nexport {};\n`);
      await import(file);
    },
    180_000,
  );
});
