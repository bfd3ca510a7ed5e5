import type { WireSchema } from '@gke-emulator/common';
import type { KindRequest, LoadBalancingKind, PreparedResource } from '../load-balancing-kind';
import { checkFingerprint, enumField, fingerprint, intField, present } from './kind-fields';
import { certificatesOf, proxySetter, urlMapOf } from './target-proxy.fields';
import { TARGET_HTTPS_PROXY } from '../../shared/wire-schemas.generated';

export const QUIC = ['NONE', 'ENABLE', 'DISABLE'];
export const EARLY_DATA = ['DISABLED', 'STRICT', 'PERMISSIVE', 'UNRESTRICTED'];

async function prepare(request: KindRequest): Promise<PreparedResource> {
  const { body, current } = request;
  checkFingerprint(body, current);
  const urlMap = await urlMapOf(request);
  const certificates = await certificatesOf(request);
  const keepAlive = intField(body, 'httpKeepAliveTimeoutSec', undefined, 5, 1200);
  return {
    fields: {
      ...present(body, ['description', 'sslPolicy', 'certificateMap', 'serverTlsPolicy', 'proxyBind']),
      urlMap: urlMap.link,
      ...(certificates.links.length > 0 ? { sslCertificates: certificates.links } : {}),
      // Google returns both with their defaults (recorded): QUIC negotiation and TLS early data.
      quicOverride: enumField(body, 'quicOverride', QUIC, 'NONE'),
      tlsEarlyData: enumField(body, 'tlsEarlyData', EARLY_DATA, 'DISABLED'),
      ...(keepAlive === undefined ? {} : { httpKeepAliveTimeoutSec: keepAlive }),
      ...fingerprint(),
    },
    references: [urlMap.reference, ...certificates.references],
  };
}

const setter = (bodyName: string, fields: WireSchema) => proxySetter(bodyName, fields, prepare);

/**
 * Target HTTPS proxies (`targetHttpsProxies`, global and regional): a URL map and the SSL certificates they
 * terminate TLS with, both references.
 */
export const TARGET_HTTPS_PROXIES: LoadBalancingKind = {
  collection: 'targetHttpsProxies',
  wireKind: 'compute#targetHttpsProxy',
  resourceNoun: 'target_https_proxy',
  scopes: 'both',
  patchable: true,
  updatable: false,
  schema: TARGET_HTTPS_PROXY,
  prepare,
  verbs: {
    setUrlMap: setter('urlMapReferenceResource', { urlMap: 'string' }),
    setSslCertificates: setter('targetHttpsProxiesSetSslCertificatesRequestResource', {
      sslCertificates: { array: 'string' },
    }),
    setQuicOverride: setter('targetHttpsProxiesSetQuicOverrideRequestResource', { quicOverride: 'string' }),
    setSslPolicy: setter('sslPolicyReferenceResource', { sslPolicy: 'string' }),
    setCertificateMap: setter('targetHttpsProxiesSetCertificateMapRequestResource', {
      certificateMap: 'string',
    }),
  },
};
