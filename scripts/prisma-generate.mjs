// Generates the Prisma client offline. `prisma generate` does not use the native schema engine, but tries to
// download it unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file (see docs/decisions.md).
import { spawnSync } from 'node:child_process';

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const result = spawnSync(
  process.execPath,
  ['node_modules/prisma/build/index.js', 'generate', '--schema', 'prisma/schema.prisma'],
  {
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  },
);
process.exit(result.status ?? 1);
