import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The worker process bundles only its own code: no HTTP server, no GraphQL, no Nest application. The bundles'
 * source maps (written by scripts/build.mjs next to each bundle) list every file a bundle holds.
 */
const DIST = resolve(__dirname, '../../../dist');

function bundledPackages(app: string): Set<string> {
  const map = resolve(DIST, app, 'bundle.js.map');
  if (!existsSync(map)) throw new Error(`${map} is missing: run node scripts/build.mjs first`);
  const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
  const packages = new Set<string>();
  for (const source of sources) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
    if (match) packages.add(match[1]);
  }
  return packages;
}

const SERVER_PACKAGES = [
  'fastify',
  'mercurius',
  '@nestjs/core',
  '@nestjs/graphql',
  '@nestjs/mercurius',
  '@nestjs/platform-fastify',
  'graphql',
];

describe('the worker bundle', () => {
  it('holds the job runner and none of the HTTP/GraphQL server', () => {
    const worker = bundledPackages('worker');
    expect(worker.has('graphile-worker')).toBe(true);
    expect(SERVER_PACKAGES.filter((name) => worker.has(name))).toEqual([]);
  });

  it('is told apart from the API bundle, which holds them all', () => {
    const api = bundledPackages('api');
    expect(SERVER_PACKAGES.filter((name) => !api.has(name))).toEqual([]);
  });
});
