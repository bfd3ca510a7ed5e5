import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The shared oracles (other people's expected answers) live in `../shared/oracles` beside the repository, both
 * in a developer's checkout and in CI's clone. Tests load them as they are.
 */
export function oraclePath(...parts: string[]): string {
  const path = join(resolve(__dirname, '../../../../shared/oracles'), ...parts);
  if (!existsSync(path)) throw new Error(`oracle not found: ${path} (is ../shared beside the repository?)`);
  return path;
}

export function readOracle(...parts: string[]): string {
  return readFileSync(oraclePath(...parts), 'utf8');
}
