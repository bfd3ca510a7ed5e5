import { GoogleErrors, type WireSchema } from '@gke-emulator/common';
import type { WireObject } from '../../shared/compute-context';
import type {
  KindRequest,
  KindVerb,
  LoadBalancingRecord,
  PreparedResource,
  ResourceReferenceInput,
} from '../load-balancing-kind';
import { GLOBAL, invalid, referenceTo, storedBody, stringList } from './kind-fields';

/** What a proxy field resolves to: the stored link and the reference that keeps its target alive. */
export interface ProxyLink {
  link: string;
  record: LoadBalancingRecord;
  reference: ResourceReferenceInput;
}

function sameScope(record: LoadBalancingRecord, scope: string, field: string, link: string, what: string) {
  if (record.scope !== scope) {
    throw invalid(
      field,
      link,
      scope === GLOBAL
        ? `A global target proxy must use a global ${what}.`
        : `The ${what} must be in region '${scope}'.`,
    );
  }
}

async function resolveIn(
  { scope, body, resolve }: KindRequest,
  field: string,
  kinds: readonly string[],
  what: string,
): Promise<ProxyLink> {
  const link = body[field];
  if (typeof link !== 'string' || link === '') throw GoogleErrors.required(`resource.${field}`);
  const record = await resolve.loadBalancing(kinds, link, `resource.${field}`);
  sameScope(record, scope, field, link, what);
  return { link: String(record.resource['selfLink']), record, reference: referenceTo(record) };
}

/** `urlMap` of an HTTP(S) or gRPC proxy. */
export function urlMapOf(request: KindRequest): Promise<ProxyLink> {
  return resolveIn(request, 'urlMap', ['urlMaps'], 'URL map');
}

/** `service` of a TCP or SSL proxy: a backend service of a proxy load balancer. */
export async function backendServiceOf(request: KindRequest): Promise<ProxyLink> {
  const service = await resolveIn(request, 'service', ['backendServices'], 'backend service');
  const scheme = String(service.record.resource['loadBalancingScheme'] ?? 'EXTERNAL');
  if (scheme === 'INTERNAL') {
    throw invalid(
      'service',
      request.body['service'],
      'An INTERNAL backend service cannot be used by a target proxy.',
    );
  }
  return service;
}

/**
 * `sslCertificates` of an HTTPS or SSL proxy: one to fifteen certificates of the proxy's scope (optional when
 * a certificate map is given instead).
 */
export async function certificatesOf(
  request: KindRequest,
): Promise<{ links: string[]; references: ResourceReferenceInput[] }> {
  const given = stringList(request.body['sslCertificates']);
  if (given.length === 0) {
    if (typeof request.body['certificateMap'] === 'string' && request.body['certificateMap'] !== '') {
      return { links: [], references: [] };
    }
    throw GoogleErrors.required('resource.sslCertificates');
  }
  if (given.length > 15) throw invalid('sslCertificates', '', 'At most 15 SSL certificates can be set.');
  const records = await Promise.all(
    given.map(async (link, i) => {
      const record = await request.resolve.loadBalancing(
        ['sslCertificates'],
        link,
        `resource.sslCertificates[${i}]`,
      );
      sameScope(record, request.scope, `sslCertificates[${i}]`, link, 'SSL certificate');
      return record;
    }),
  );
  return {
    links: records.map((r) => String(r.resource['selfLink'])),
    references: records.map(referenceTo),
  };
}

/** `proxyHeader` of TCP and SSL proxies, `NONE` unless given. */
export function proxyHeaderOf(body: WireObject): string {
  const value =
    body['proxyHeader'] === undefined || body['proxyHeader'] === '' ? 'NONE' : String(body['proxyHeader']);
  if (!['NONE', 'PROXY_V1'].includes(value))
    throw invalid('proxyHeader', value, 'Must be one of [NONE, PROXY_V1].');
  return value;
}

/** A custom method that sets some fields of the stored proxy and checks it again with `prepare`. */
export function proxySetter(
  bodyName: string,
  fields: WireSchema,
  prepare: (request: KindRequest) => Promise<PreparedResource>,
): KindVerb {
  return {
    bodyName,
    schema: fields,
    apply: (request) => {
      const changes = Object.fromEntries(Object.keys(fields).map((field) => [field, request.body[field]]));
      return prepare({ ...request, body: { ...storedBody(request.current), ...changes } });
    },
  };
}
