import { timingSafeEqual } from 'node:crypto';

/**
 * What every listener checks before a request reaches an API (the emulator runs on developers' laptops, which
 * browsers, other users and containers share):
 * - `Host` (and `X-Forwarded-Host`, which links are built from) names this emulator: a loopback name, an address it
 *   listens on, or one allowed with `--allowed-hosts` — so a DNS-rebound page cannot reach it and `selfLink`s never
 *   echo a name nobody checked;
 * - an `Origin` header (browsers send one on every cross-site write and WebSocket) names this emulator too;
 * - bodies are sent with a content type the API accepts (text/plain and form types are what a page may send
 *   cross-site without a CORS preflight);
 * - with an auth token, `Authorization: Bearer <token>`.
 * Each listener renders a refusal in its API's own error shape.
 */
export interface RequestGateOptions {
  /** The address the listener is bound to (`0.0.0.0` and `::` stand for every interface). */
  listenHost: string;
  /** More addresses the emulator listens on (every interface's when bound to all of them). */
  localAddresses?: readonly string[];
  /** Host names allowed beyond those; `*` allows any. */
  allowedHosts?: readonly string[];
  authToken?: string;
}

export type Api = 'google' | 'kubernetes' | 'graphql';

export interface Refusal {
  status: 401 | 403 | 415;
  kind: 'host' | 'origin' | 'contentType' | 'authMissing' | 'authInvalid';
  message: string;
}

export interface GatedRequest {
  method: string;
  /** path and query */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** Paths served to anyone who may reach the port: probes, and the playground's and topology's static pages. */
const OPEN_PATHS = /^\/(healthz|readyz|playground|topology)(\/|$|\?)/;
/**
 * Google's discovery service is public: documents are read without a token (a client library fetches them before
 * it has credentials), though only on a host this emulator answers to (they name it).
 */
const PUBLIC_READS = /^\/discovery\/v1\/apis(\/|$|\?)/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Media types each API reads a body as (parameters such as charset aside). Kubernetes adds YAML and its patch
// types (protobuf and CBOR are refused later with the API server's own 415).
const MEDIA_TYPES: Record<Api, RegExp> = {
  google: /^(application\/json|multipart\/mixed)$/,
  graphql: /^(application\/json|application\/graphql)$/,
  kubernetes:
    /^(application\/(json|yaml|json-patch\+json|merge-patch\+json|strategic-merge-patch\+json|apply-patch\+(yaml|json|cbor)|vnd\.kubernetes\.protobuf|cbor))$/,
};

function header(request: GatedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `example.com:8085` → `example.com`; `[::1]:8085` → `::1`. */
export function hostnameOf(host: string): string {
  const trimmed = host.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](:\d+)?$/.exec(trimmed);
  if (bracketed) return bracketed[1] as string;
  return trimmed.includes(':') && trimmed.indexOf(':') === trimmed.lastIndexOf(':')
    ? (trimmed.split(':')[0] as string)
    : trimmed.replace(/\.$/, '');
}

export function isLoopbackHost(host: string): boolean {
  const name = hostnameOf(host);
  return (
    name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name)
  );
}

export class RequestGate {
  private readonly hosts: Set<string>;
  private readonly anyHost: boolean;
  private readonly token?: Buffer;

  constructor(options: RequestGateOptions) {
    const bound = WILDCARDS.has(options.listenHost) ? [] : [options.listenHost];
    this.hosts = new Set(
      [...LOOPBACK_NAMES, ...bound, ...(options.localAddresses ?? []), ...(options.allowedHosts ?? [])].map(
        hostnameOf,
      ),
    );
    this.anyHost = (options.allowedHosts ?? []).includes('*');
    this.token = options.authToken ? Buffer.from(options.authToken) : undefined;
  }

  get authRequired(): boolean {
    return this.token !== undefined;
  }

  hostAllowed(host: string | undefined): boolean {
    if (host === undefined || host === '') return false;
    return this.anyHost || isLoopbackHost(host) || this.hosts.has(hostnameOf(host));
  }

  /** No Origin (not a browser), or one on a host this emulator answers to. */
  originAllowed(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // `null` (sandboxed frames, file: pages) and anything else that is not an origin
    }
    return (url.protocol === 'http:' || url.protocol === 'https:') && this.hostAllowed(url.host);
  }

  /** `Authorization: Bearer <token>` (also the `access_token` query parameter Google's APIs accept). */
  authorization(value: string | undefined): 'ok' | 'missing' | 'invalid' {
    if (!this.token) return 'ok';
    if (value === undefined || value === '') return 'missing';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
    if (!match) return 'invalid';
    const given = Buffer.from(match[1] as string);
    return given.length === this.token.length && timingSafeEqual(given, this.token) ? 'ok' : 'invalid';
  }

  /** Host, Origin and (for WebSocket upgrades) auth: what applies to every request whatever its API. */
  checkConnection(request: GatedRequest): Refusal | undefined {
    if (OPEN_PATHS.test(request.url) && request.method === 'GET') return undefined;
    for (const name of ['host', 'x-forwarded-host']) {
      const value = header(request, name);
      if (name === 'x-forwarded-host' && value === undefined) continue;
      if (!this.hostAllowed(value)) {
        return {
          status: 403,
          kind: 'host',
          message: `${name === 'host' ? 'Host' : 'X-Forwarded-Host'} "${value ?? ''}" is not a name of this emulator: start it with --allowed-hosts ${hostnameOf(value ?? '') || '<name>'} (or GKE_EMULATOR_ALLOWED_HOSTS) to accept it.`,
        };
      }
    }
    if (!this.originAllowed(header(request, 'origin'))) {
      return {
        status: 403,
        kind: 'origin',
        message: `Origin "${header(request, 'origin') ?? ''}" may not use this emulator: requests from web pages are accepted from the emulator's own origin only.`,
      };
    }
    return undefined;
  }

  /** Everything: the connection, the body's content type, then the token. */
  check(request: GatedRequest, api: Api): Refusal | undefined {
    const connection = this.checkConnection(request);
    if (connection) return connection;
    if ((OPEN_PATHS.test(request.url) || PUBLIC_READS.test(request.url)) && request.method === 'GET')
      return undefined;
    const contentType = this.checkContentType(request, api);
    if (contentType) return contentType;
    return this.checkAuthorization(request);
  }

  checkAuthorization(request: GatedRequest): Refusal | undefined {
    const auth = this.authorization(header(request, 'authorization') ?? accessTokenParameter(request.url));
    if (auth === 'missing')
      return {
        status: 401,
        kind: 'authMissing',
        message:
          'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      };
    if (auth === 'invalid')
      return {
        status: 401,
        kind: 'authInvalid',
        message:
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      };
    return undefined;
  }

  private checkContentType(request: GatedRequest, api: Api): Refusal | undefined {
    if (!WRITES.has(request.method.toUpperCase()) || !hasBody(request)) return undefined;
    const given = header(request, 'content-type');
    const type = (given ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (MEDIA_TYPES[api].test(type)) return undefined;
    const accepted =
      api === 'kubernetes' ? 'application/json, application/yaml or a patch type' : 'application/json';
    return {
      status: 415,
      kind: 'contentType',
      message:
        given === undefined
          ? `A request body needs a Content-Type: send ${accepted}.`
          : `Content-Type "${given}" is not accepted: send ${accepted}.`,
    };
  }
}

function hasBody(request: GatedRequest): boolean {
  const length = header(request, 'content-length');
  if (length !== undefined) return Number(length) > 0;
  return header(request, 'transfer-encoding') !== undefined;
}

function accessTokenParameter(url: string): string | undefined {
  const query = url.indexOf('?');
  if (query < 0) return undefined;
  const token = new URLSearchParams(url.slice(query + 1)).get('access_token');
  return token === null ? undefined : `Bearer ${token}`;
}
