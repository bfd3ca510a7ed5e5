import { Controller, Get, Header, Param, Query, Req } from '@nestjs/common';
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

  @Get(':api/:version/rest')
  @Header('content-type', 'application/json; charset=UTF-8')
  rest(
    @Req() request: IncomingRequest,
    @Param('api') api: string,
    @Param('version') version: string,
  ): string {
    const text = this.documents.text(api, version, rootUrlOf(request));
    if (text === undefined) throw notFound();
    return text;
  }
}
