// The Network Management API v1 wire: a ConnectivityTest body checked as Google's front end checks it, the test
// id's rules, update masks, and AIP-158/132 paging and ordering of lists.
import { GoogleApiError, type WireSchema, parseWireBody } from '@gke-emulator/common';
import { type connectivity, dns } from '@gke-emulator/dataplane';
import { parseIpv4 } from '@gke-emulator/netaddr';

type Json = Record<string, unknown>;

const ENDPOINT: WireSchema = {
  ipAddress: 'string',
  port: 'int32',
  instance: 'string',
  forwardingRule: 'string',
  gkeMasterCluster: 'string',
  fqdn: 'string',
  cloudSqlInstance: 'string',
  redisInstance: 'string',
  redisCluster: 'string',
  cloudFunction: { object: { uri: 'string' } },
  appEngineVersion: { object: { uri: 'string' } },
  cloudRunRevision: { object: { uri: 'string' } },
  network: 'string',
  networkType: 'string',
  projectId: 'string',
  forwardingRuleTarget: 'string',
  loadBalancerId: 'string',
  loadBalancerType: 'string',
};

export const CONNECTIVITY_TEST_SCHEMA: WireSchema = {
  name: 'string',
  description: 'string',
  source: { object: ENDPOINT },
  destination: { object: ENDPOINT },
  protocol: 'string',
  relatedProjects: { array: 'string' },
  displayName: 'string',
  labels: { map: 'string' },
  createTime: 'string',
  updateTime: 'string',
  reachabilityDetails: 'any',
  returnReachabilityDetails: 'any',
  probingDetails: 'any',
  roundTrip: 'bool',
  bypassFirewallChecks: 'bool',
  httpRequest: {
    object: {
      method: 'string',
      host: 'string',
      path: 'string',
      headers: { map: 'string' },
      scheme: 'string',
      identity: 'string',
      regionCode: 'string',
    },
  },
};

/**
 * Emulator extension (Google's ConnectivityTest has no such field): the HTTP request a test sends through an
 * HTTP(S) load balancer on its path — URL map, Cloud Armor and IAP decide on it. Without it such a path carries
 * `GET /` with the destination address as Host and no identity.
 */
export interface HttpRequestSpec {
  method?: string;
  host?: string;
  path?: string;
  headers?: Record<string, string>;
  scheme?: string;
  identity?: string;
  regionCode?: string;
}

/** What a test asks, as stored: the fields a user sets (output-only ones are dropped). */
export interface ConnectivityTestSpec {
  description?: string;
  source: Json;
  destination: Json;
  protocol: string;
  relatedProjects?: string[];
  labels?: Record<string, string>;
  roundTrip?: boolean;
  bypassFirewallChecks?: boolean;
  httpRequest?: HttpRequestSpec;
}

/** Google's canonical error statuses for this API (its body carries `status`). */
export const NetworkManagementErrors = {
  invalidArgument: (message: string) =>
    new GoogleApiError(400, 'invalid', message, { status: 'INVALID_ARGUMENT' }),
  notFound: (name: string) => new GoogleApiError(404, 'notFound', `Resource '${name}' was not found`),
  alreadyExists: (name: string) =>
    new GoogleApiError(409, 'alreadyExists', `Resource '${name}' already exists`),
};

const TEST_ID = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const PROTOCOLS = new Set(['TCP', 'UDP', 'ICMP', 'ESP', 'AH', 'SCTP', 'IPIP', 'GRE']);
const PORT_PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

export function validateTestId(testId: unknown): string {
  if (typeof testId !== 'string' || testId === '') {
    throw NetworkManagementErrors.invalidArgument("Required parameter 'testId' is missing.");
  }
  if (!TEST_ID.test(testId)) {
    throw NetworkManagementErrors.invalidArgument(
      `Invalid value for 'testId': '${testId}'. Must contain only lowercase letters, numbers and hyphens, start with a letter, end with a letter or number, and be 1-40 characters long.`,
    );
  }
  return testId;
}

function validateEndpoint(endpoint: Json | undefined, field: 'source' | 'destination'): Json {
  if (endpoint === undefined)
    throw NetworkManagementErrors.invalidArgument(`Required field '${field}' is missing.`);
  const ip = endpoint['ipAddress'];
  // The tracer reads the address with the same parser: what passes here is traced, not aborted as no address.
  if (typeof ip === 'string' && ip !== '' && parseIpv4(ip) === null) {
    throw NetworkManagementErrors.invalidArgument(
      `Invalid value for '${field}.ipAddress': '${ip}'. Must be a valid IPv4 address.`,
    );
  }
  const fqdn = endpoint['fqdn'];
  const named = typeof fqdn === 'string' && fqdn !== '';
  if (named) validateFqdn(fqdn, endpoint, field);
  const located = [
    'ipAddress',
    'instance',
    'forwardingRule',
    'gkeMasterCluster',
    'cloudSqlInstance',
    'network',
  ].some((key) => typeof endpoint[key] === 'string' && endpoint[key] !== '');
  if (!located && !named) {
    throw NetworkManagementErrors.invalidArgument(
      `Invalid value for '${field}': at least one of ipAddress, instance, forwardingRule, gkeMasterCluster, cloudSqlInstance, network or fqdn is required.`,
    );
  }
  const port = endpoint['port'];
  if (port !== undefined && (Number(port) < 0 || Number(port) > 65535)) {
    throw NetworkManagementErrors.invalidArgument(
      `Invalid value for '${field}.port': ${String(port)}. Must be 0-65535.`,
    );
  }
  return endpoint;
}

/**
 * `fqdn`: Google's names a GKE control plane's DNS endpoint, on the destination only, never with `ipAddress` or
 * `network`. The emulator also resolves it from a pod source with the cluster's DNS (kube-dns): whether the source
 * is a pod is checked when the test runs against the stored state (ConnectivityTestService).
 */
function validateFqdn(fqdn: string, endpoint: Json, field: 'source' | 'destination'): void {
  const bad = (why: string) =>
    NetworkManagementErrors.invalidArgument(`Invalid value for '${field}.fqdn': '${fqdn}'. ${why}`);
  if (field === 'source') throw bad('fqdn applies to the destination endpoint only.');
  for (const other of ['ipAddress', 'network']) {
    if (typeof endpoint[other] === 'string' && endpoint[other] !== '')
      throw bad(`fqdn cannot be used together with ${field}.${other}.`);
  }
  const problem = dns.invalidQueryName(fqdn);
  if (problem) throw bad(`Must be a DNS name: ${problem}.`);
}

/** Checks a complete test (create, or the result of a patch). */
export function validateSpec(spec: ConnectivityTestSpec): ConnectivityTestSpec {
  validateEndpoint(spec.source, 'source');
  validateEndpoint(spec.destination, 'destination');
  if (!PROTOCOLS.has(spec.protocol)) {
    throw NetworkManagementErrors.invalidArgument(
      `Invalid value for 'protocol': '${spec.protocol}'. Must be one of ${[...PROTOCOLS].join(', ')}.`,
    );
  }
  if (spec.description !== undefined && spec.description.length > 512) {
    throw NetworkManagementErrors.invalidArgument("Invalid value for 'description': at most 512 characters.");
  }
  const port = spec.destination['port'];
  if (PORT_PROTOCOLS.has(spec.protocol) && port !== undefined && Number(port) === 0) {
    throw NetworkManagementErrors.invalidArgument("Invalid value for 'destination.port': 0.");
  }
  if (spec.httpRequest) validateHttpRequest(spec.httpRequest, spec.protocol);
  return spec;
}

const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function validateHttpRequest(request: HttpRequestSpec, protocol: string): void {
  const bad = (field: string, value: unknown, why: string) =>
    NetworkManagementErrors.invalidArgument(
      `Invalid value for 'httpRequest.${field}': '${String(value)}'. ${why}`,
    );
  if (protocol !== 'TCP') {
    throw NetworkManagementErrors.invalidArgument(
      `Invalid value for 'protocol': '${protocol}'. An httpRequest needs protocol TCP.`,
    );
  }
  if (request.method !== undefined && !HTTP_TOKEN.test(request.method))
    throw bad('method', request.method, 'Must be an HTTP method token, e.g. GET.');
  if (request.path !== undefined && (!request.path.startsWith('/') || /[\s#]/.test(request.path)))
    throw bad('path', request.path, "Must start with '/' and hold no spaces or fragment.");
  if (request.host !== undefined && (request.host === '' || /[\s/]/.test(request.host)))
    throw bad('host', request.host, 'Must be a host name or address, optionally with :port.');
  if (request.scheme !== undefined && !['http', 'https'].includes(request.scheme.toLowerCase()))
    throw bad('scheme', request.scheme, 'Must be http or https.');
  for (const name of Object.keys(request.headers ?? {})) {
    if (!HTTP_TOKEN.test(name)) throw bad(`headers`, name, 'Header names must be HTTP tokens.');
  }
  if (request.regionCode !== undefined && !/^[A-Z]{2}$/.test(request.regionCode))
    throw bad('regionCode', request.regionCode, 'Must be an ISO 3166-1 alpha-2 code, e.g. US.');
}

/** The user-settable part of a body; output-only fields are ignored, as Google ignores them. */
export function specOf(body: unknown): ConnectivityTestSpec {
  const test = parseWireBody<Json>(body ?? {}, CONNECTIVITY_TEST_SCHEMA, 'connectivity_test');
  const spec: ConnectivityTestSpec = {
    ...(typeof test['description'] === 'string' ? { description: test['description'] } : {}),
    source: (test['source'] as Json | undefined) ?? (undefined as unknown as Json),
    destination: (test['destination'] as Json | undefined) ?? (undefined as unknown as Json),
    protocol:
      typeof test['protocol'] === 'string' && test['protocol'] !== ''
        ? test['protocol'].toUpperCase()
        : 'TCP',
    ...(Array.isArray(test['relatedProjects'])
      ? { relatedProjects: test['relatedProjects'] as string[] }
      : {}),
    ...(test['labels'] ? { labels: test['labels'] as Record<string, string> } : {}),
    ...(test['roundTrip'] === true ? { roundTrip: true } : {}),
    ...(test['bypassFirewallChecks'] === true ? { bypassFirewallChecks: true } : {}),
    ...(test['httpRequest'] && Object.keys(test['httpRequest'] as Json).length > 0
      ? { httpRequest: test['httpRequest'] as HttpRequestSpec }
      : {}),
  };
  return spec;
}

const MASKABLE = new Set([
  'description',
  'source',
  'destination',
  'protocol',
  'relatedProjects',
  'labels',
  'roundTrip',
  'bypassFirewallChecks',
  'httpRequest',
]);

const camel = (path: string) => path.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Applies `updateMask` (comma-separated paths, snake or camel case, `source.ipAddress` style allowed). */
export function applyUpdateMask(
  current: ConnectivityTestSpec,
  patch: ConnectivityTestSpec & Json,
  updateMask: unknown,
) {
  if (typeof updateMask !== 'string' || updateMask.trim() === '') {
    throw NetworkManagementErrors.invalidArgument("Required parameter 'updateMask' is missing.");
  }
  let next: Json = structuredClone(current) as unknown as Json;
  const from = patch as unknown as Json;
  const setField = (object: Json, key: string, value: unknown): Json =>
    value === undefined
      ? Object.fromEntries(Object.entries(object).filter(([name]) => name !== key))
      : { ...object, [key]: value };
  for (const raw of updateMask.split(',').map((path) => camel(path.trim()))) {
    const [head, ...rest] = raw.split('.');
    if (!head || !MASKABLE.has(head) || (rest.length > 0 && head !== 'source' && head !== 'destination')) {
      throw NetworkManagementErrors.invalidArgument(
        `Invalid value for 'updateMask': '${raw}' is not a field of ConnectivityTest that can be updated.`,
      );
    }
    if (rest.length === 0) {
      next = setField(next, head, from[head]);
      continue;
    }
    const key = rest.join('.');
    const inner = setField(
      (next[head] as Json | undefined) ?? {},
      key,
      (from[head] as Json | undefined)?.[key],
    );
    next = { ...next, [head]: inner };
  }
  return next as unknown as ConnectivityTestSpec;
}

/** The trace query a test's spec asks. */
export function traceQuery(spec: ConnectivityTestSpec): connectivity.TraceQuery {
  const endpoint = (value: Json): connectivity.TraceEndpointSpec => ({
    ...(typeof value['ipAddress'] === 'string' && value['ipAddress']
      ? { ipAddress: value['ipAddress'] }
      : {}),
    ...(value['port'] !== undefined ? { port: Number(value['port']) } : {}),
    ...(typeof value['instance'] === 'string' && value['instance'] ? { instance: value['instance'] } : {}),
    ...(typeof value['forwardingRule'] === 'string' && value['forwardingRule']
      ? { forwardingRule: value['forwardingRule'] }
      : {}),
    ...(typeof value['network'] === 'string' && value['network'] ? { network: value['network'] } : {}),
    ...(typeof value['fqdn'] === 'string' && value['fqdn'] ? { fqdn: value['fqdn'] } : {}),
    ...(typeof value['gkeMasterCluster'] === 'string' && value['gkeMasterCluster']
      ? { gkeMasterCluster: value['gkeMasterCluster'] }
      : {}),
    ...(typeof value['projectId'] === 'string' && value['projectId']
      ? { projectId: value['projectId'] }
      : {}),
  });
  return {
    source: endpoint(spec.source),
    destination: endpoint(spec.destination),
    protocol: spec.protocol,
    ...(spec.bypassFirewallChecks ? { bypassFirewallChecks: true } : {}),
    ...(spec.httpRequest ? { http: spec.httpRequest } : {}),
  };
}

// ---- lists -------------------------------------------------------------------------------------------------

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export function parsePageSize(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_PAGE_SIZE;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 0) {
    throw NetworkManagementErrors.invalidArgument(`Invalid value for 'pageSize': '${String(value)}'.`);
  }
  return size === 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
}

export function encodePageToken(offset: number, query: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: query })).toString('base64url');
}

export function decodePageToken(token: unknown, query: string): number {
  if (token === undefined || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as {
      o?: unknown;
      q?: unknown;
    };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.q === query)
      return parsed.o;
  } catch {
    // falls through to the error
  }
  throw NetworkManagementErrors.invalidArgument(`Invalid value for 'pageToken': '${String(token)}'.`);
}

function fieldValue(item: Json, path: string): unknown {
  let value: unknown = item;
  for (const part of path.split('.')) value = (value as Json | undefined)?.[part];
  return value;
}

/** AIP-132 `orderBy`: `field[ desc][, field[ desc]]…`; unknown fields are refused. */
export function orderItems(items: Json[], orderBy: unknown, fields: ReadonlySet<string>): Json[] {
  if (orderBy === undefined || String(orderBy).trim() === '') return items;
  const keys = String(orderBy)
    .split(',')
    .map((part) => part.trim().split(/\s+/))
    .map(([field = '', direction = 'asc', ...extra]) => {
      const path = camel(field);
      if (!fields.has(path) || extra.length > 0 || !['asc', 'desc'].includes(direction.toLowerCase())) {
        throw NetworkManagementErrors.invalidArgument(`Invalid value for 'orderBy': '${String(orderBy)}'.`);
      }
      return { path, sign: direction.toLowerCase() === 'desc' ? -1 : 1 };
    });
  return [...items].sort((a, b) => {
    for (const { path, sign } of keys) {
      const left = String(fieldValue(a, path) ?? '');
      const right = String(fieldValue(b, path) ?? '');
      if (left !== right) return left < right ? -sign : sign;
    }
    return 0;
  });
}

const TEST_FIELDS = [
  'name',
  'description',
  'source',
  'destination',
  'protocol',
  'relatedProjects',
  'displayName',
  'labels',
  'createTime',
  'updateTime',
  'reachabilityDetails',
  'probingDetails',
  'roundTrip',
  'returnReachabilityDetails',
  'bypassFirewallChecks',
  'httpRequest',
];

/** A stored test in the proto's field order, as Google prints it (jsonb keeps its own order). */
export function inProtoOrder(resource: Json): Json {
  return Object.fromEntries(
    TEST_FIELDS.filter((field) => resource[field] !== undefined).map((field) => [field, resource[field]]),
  );
}
