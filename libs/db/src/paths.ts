import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository (or installed package) root: the nearest folder upwards holding prisma/schema.prisma. */
export function packageRoot(from = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'prisma', 'schema.prisma'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`prisma/schema.prisma not found above ${from}`);
    dir = parent;
  }
}

export function prismaDir(): string {
  return join(packageRoot(), 'prisma');
}
