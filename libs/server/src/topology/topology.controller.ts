import { Controller, Get, Header, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '@gke-emulator/db';
import { topologyHtml } from './topology.html';

interface ReplyLike {
  header(name: string, value: string): ReplyLike;
  code(status: number): ReplyLike;
  send(body?: unknown): void;
}

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
}

/** The page's scripts, built by scripts/build.mjs into dist/topology/ (each also as .br and .gz). */
export const TOPOLOGY_ASSETS = ['topology.js', 'elk-worker.js'] as const;
type AssetName = (typeof TOPOLOGY_ASSETS)[number];

/** The content codings a request accepts (q=0 refuses one), lower-cased. */
export function acceptedEncodings(value: string | string[] | undefined): Set<string> {
  const header = Array.isArray(value) ? value.join(',') : (value ?? '');
  const accepted = new Set<string>();
  for (const part of header.split(',')) {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!coding) continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) accepted.add(coding);
  }
  return accepted;
}

interface Asset {
  /** A hash of the uncompressed script: its URL's `?v=`, and its ETag. */
  version: string;
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

/**
 * `/topology`: the network drawn live from the GraphQL API. Its scripts are built by scripts/build.mjs into
 * `dist/topology/` (graphql-ws bundled in; ELK as a Web Worker script), so the page needs no internet and the
 * installed package no browser dependencies. The scripts are read once, served compressed (brotli, else gzip, by
 * Accept-Encoding) and, at the versioned URLs the page names, cached by the browser for good (`immutable`): a new
 * build changes the version, so a cached copy is never stale.
 */
@Controller('topology')
export class TopologyController {
  private readonly assets = new Map<AssetName, Asset | null>();

  private load(name: AssetName): Asset | null {
    if (this.assets.has(name)) return this.assets.get(name) ?? null;
    const path = join(packageRoot(), 'dist', 'topology', name);
    let asset: Asset | null = null;
    if (existsSync(path)) {
      const identity = readFileSync(path);
      const read = (suffix: string) =>
        existsSync(`${path}.${suffix}`) ? readFileSync(`${path}.${suffix}`) : undefined;
      const br = read('br');
      const gzip = read('gz');
      asset = {
        version: createHash('sha256').update(identity).digest('base64url').slice(0, 16),
        identity,
        ...(br ? { br } : {}),
        ...(gzip ? { gzip } : {}),
      };
      // A missing build is looked for again at the next request; a present one is kept.
      this.assets.set(name, asset);
    }
    return asset;
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  page() {
    const url = (name: AssetName) => {
      const version = this.load(name)?.version;
      return `/topology/assets/${name}${version ? `?v=${version}` : ''}`;
    };
    return topologyHtml({ script: url('topology.js'), elkWorker: url('elk-worker.js') });
  }

  @Get('assets/:file')
  asset(
    @Param('file') file: string,
    @Query('v') version: string | undefined,
    @Req() request: RequestLike,
    @Res() reply: ReplyLike,
  ) {
    const name = TOPOLOGY_ASSETS.find((a) => a === file);
    const asset = name ? this.load(name) : null;
    if (!asset)
      throw new NotFoundException(
        name ? 'Run `node scripts/build.mjs` to build the topology page.' : undefined,
      );
    const etag = `"${asset.version}"`;
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('vary', 'Accept-Encoding')
      .header('etag', etag)
      .header(
        'cache-control',
        version === asset.version ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    const match = request.headers['if-none-match'];
    if ((Array.isArray(match) ? match.join(',') : (match ?? '')).split(/\s*,\s*/).includes(etag)) {
      reply.code(304).send();
      return;
    }
    const accepted = acceptedEncodings(request.headers['accept-encoding']);
    if (asset.br && accepted.has('br')) reply.header('content-encoding', 'br').send(asset.br);
    else if (asset.gzip && accepted.has('gzip')) reply.header('content-encoding', 'gzip').send(asset.gzip);
    else reply.send(asset.identity);
  }
}
