import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { createReadStream, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '@gke-emulator/db';
import { PLAYGROUND_HTML } from './playground.html';

interface ReplyLike {
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

/**
 * GraphiQL and React, served from `dist/playground/` (the build copies them there, so the installed package needs no
 * GraphiQL dependency), else from node_modules: the playground needs no internet.
 */
const ASSETS: Record<string, { module: string; file: string; type: string }> = {
  'react.production.min.js': {
    module: 'react',
    file: 'umd/react.production.min.js',
    type: 'text/javascript',
  },
  'react-dom.production.min.js': {
    module: 'react-dom',
    file: 'umd/react-dom.production.min.js',
    type: 'text/javascript',
  },
  'graphiql.min.js': { module: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.min.css': { module: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

function assetPath(file: string, asset: { module: string; file: string }): string {
  const built = join(packageRoot(), 'dist', 'playground', file);
  return existsSync(built)
    ? built
    : join(dirname(require.resolve(`${asset.module}/package.json`)), asset.file);
}

@Controller('playground')
export class PlaygroundController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page() {
    return PLAYGROUND_HTML;
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: ReplyLike) {
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) throw new NotFoundException();
    reply
      .header('content-type', `${asset.type}; charset=utf-8`)
      .header('cache-control', 'public, max-age=86400')
      .send(createReadStream(assetPath(file, asset)));
  }
}
