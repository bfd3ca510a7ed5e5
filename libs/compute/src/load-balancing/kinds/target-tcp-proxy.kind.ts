import type { KindRequest, LoadBalancingKind, PreparedResource } from '../load-balancing-kind';
import { present } from './kind-fields';
import { backendServiceOf, certificatesOf, proxyHeaderOf, proxySetter } from './target-proxy.fields';
import { TARGET_SSL_PROXY, TARGET_TCP_PROXY } from '../../shared/wire-schemas.generated';

/** TCP proxies have no fingerprint (recorded): a backend service and the PROXY protocol header. */
async function prepareTcp(request: KindRequest): Promise<PreparedResource> {
  const service = await backendServiceOf(request);
  return {
    fields: {
      ...present(request.body, ['description', 'proxyBind']),
      proxyHeader: proxyHeaderOf(request.body),
      service: service.link,
    },
    references: [service.reference],
  };
}

/** SSL proxies: a TCP proxy that also terminates TLS with SSL certificates. */
async function prepareSsl(request: KindRequest): Promise<PreparedResource> {
  const tcp = await prepareTcp(request);
  const certificates = await certificatesOf(request);
  return {
    fields: {
      ...tcp.fields,
      ...present(request.body, ['sslPolicy', 'certificateMap']),
      ...(certificates.links.length > 0 ? { sslCertificates: certificates.links } : {}),
    },
    references: [...tcp.references, ...certificates.references],
  };
}

const SERVICE_VERBS = (prepare: (request: KindRequest) => Promise<PreparedResource>) => ({
  setBackendService: proxySetter(
    'targetTcpProxiesSetBackendServiceRequestResource',
    { service: 'string' },
    prepare,
  ),
  setProxyHeader: proxySetter(
    'targetTcpProxiesSetProxyHeaderRequestResource',
    { proxyHeader: 'string' },
    prepare,
  ),
});

/** Target TCP proxies (`targetTcpProxies`, global and regional). */
export const TARGET_TCP_PROXIES: LoadBalancingKind = {
  collection: 'targetTcpProxies',
  wireKind: 'compute#targetTcpProxy',
  resourceNoun: 'target_tcp_proxy',
  scopes: 'both',
  patchable: false,
  updatable: false,
  schema: TARGET_TCP_PROXY,
  prepare: prepareTcp,
  verbs: SERVICE_VERBS(prepareTcp),
};

/** Target SSL proxies (`targetSslProxies`, global). */
export const TARGET_SSL_PROXIES: LoadBalancingKind = {
  collection: 'targetSslProxies',
  wireKind: 'compute#targetSslProxy',
  resourceNoun: 'target_ssl_proxy',
  scopes: 'global',
  patchable: false,
  updatable: false,
  schema: TARGET_SSL_PROXY,
  prepare: prepareSsl,
  verbs: {
    ...SERVICE_VERBS(prepareSsl),
    setSslCertificates: proxySetter(
      'targetSslProxiesSetSslCertificatesRequestResource',
      { sslCertificates: { array: 'string' } },
      prepareSsl,
    ),
    setSslPolicy: proxySetter('sslPolicyReferenceResource', { sslPolicy: 'string' }, prepareSsl),
    setCertificateMap: proxySetter(
      'targetSslProxiesSetCertificateMapRequestResource',
      { certificateMap: 'string' },
      prepareSsl,
    ),
  },
};
