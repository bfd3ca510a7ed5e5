import { Controller, Get, Header, Param, Query, Req, Res } from '@nestjs/common';
import { GoogleApiError } from '@gke-emulator/common';
import { DiscoveryDocuments } from './discovery-documents';

interface IncomingRequest {
  protocol: string;
  headers: Record<string, string | string[] | undefined>;
}

/** `http://<the host the client used>/`: discovery-based clients then send every call to this emulator. */
export function rootUrlOf(request: IncomingRequest): string {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const host = first(request.headers['x-forwarded-host']) ?? first(request.headers['host']) ?? 'localhost';
  const proto = first(request.headers['x-forwarded-proto']) ?? request.protocol ?? 'http';
  return `${proto}://${host}/`;
}

interface ReplyLike {
  header(name: string, value: string): unknown;
}

/** Whether the client takes gzip (`Accept-Encoding: gzip, deflate` from httplib2 and most clients; not `gzip;q=0`). */
export function acceptsGzip(value: string | string[] | undefined): boolean {
  const header = Array.isArray(value) ? value.join(',') : (value ?? '');
  return header.split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (coding !== 'gzip') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** What Google's discovery service answers for an API or version it does not know. */
const notFound = () => new GoogleApiError(404, 'notFound', 'Requested entity was not found.');

/**
 * Google's discovery service (`discovery/v1`) for the APIs the emulator serves: google-api-python-client and other
 * discovery-based tools, given `<emulator>/discovery/v1/apis/{api}/{apiVersion}/rest`, build clients that call it.
 */
@Controller('discovery/v1/apis')
export class DiscoveryController {
  private readonly documents = new DiscoveryDocuments();

  @Get()
  list(@Req() request: IncomingRequest, @Query('name') name?: unknown) {
    // every API listed is its preferred version, so `preferred=true` filters nothing out
    return this.documents.directory(rootUrlOf(request), typeof name === 'string' ? name : undefined);
  }

  /** The document, gzipped when the client takes it, as Google serves it. */
  @Get(':api/:version/rest')
  @Header('content-type', 'application/json; charset=UTF-8')
  @Header('vary', 'Accept-Encoding')
  rest(
    @Req() request: IncomingRequest,
    @Res({ passthrough: true }) reply: ReplyLike,
    @Param('api') api: string,
    @Param('version') version: string,
  ): string | Buffer {
    const root = rootUrlOf(request);
    if (acceptsGzip(request.headers['accept-encoding'])) {
      const gzipped = this.documents.gzipped(api, version, root);
      if (gzipped === undefined) throw notFound();
      reply.header('content-encoding', 'gzip');
      return gzipped;
    }
    const text = this.documents.text(api, version, root);
    if (text === undefined) throw notFound();
    return text;
  }
}
