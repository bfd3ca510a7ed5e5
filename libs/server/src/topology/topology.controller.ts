import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '@gke-emulator/db';
import { TOPOLOGY_HTML } from './topology.html';

interface ReplyLike {
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

/**
 * `/topology`: the network drawn live from the GraphQL API. Its script is built by scripts/build.mjs into
 * `dist/topology/` (ELK and graphql-ws bundled in), so the page needs no internet and the installed package no
 * browser dependencies.
 */
@Controller('topology')
export class TopologyController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page() {
    return TOPOLOGY_HTML;
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: ReplyLike) {
    const path = join(packageRoot(), 'dist', 'topology', 'topology.js');
    if (file !== 'topology.js' || !existsSync(path))
      throw new NotFoundException(
        file === 'topology.js' ? 'Run `node scripts/build.mjs` to build the topology page.' : undefined,
      );
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(createReadStream(path));
  }
}
