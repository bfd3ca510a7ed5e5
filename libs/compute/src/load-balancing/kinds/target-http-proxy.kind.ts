import { GoogleErrors } from '@gke-emulator/common';
import type { KindRequest, KindVerb, LoadBalancingKind, PreparedResource } from '../load-balancing-kind';
import {
  checkFingerprint,
  fingerprint,
  intField,
  invalid,
  present,
  referenceTo,
  storedBody,
} from './kind-fields';
import { TARGET_HTTP_PROXY, URL_MAP_REFERENCE } from '../../shared/wire-schemas.generated';

async function prepare({ scope, body, current, resolve }: KindRequest): Promise<PreparedResource> {
  checkFingerprint(body, current);
  const link = body['urlMap'];
  if (typeof link !== 'string' || link === '') throw GoogleErrors.required('resource.urlMap');
  const urlMap = await resolve.loadBalancing(['urlMaps'], link, 'resource.urlMap');
  if (urlMap.scope !== scope) {
    throw invalid(
      'urlMap',
      link,
      scope === 'global'
        ? 'A global target HTTP proxy must use a global URL map.'
        : `A regional target HTTP proxy must use a URL map of region '${scope}'.`,
    );
  }
  const keepAlive = intField(body, 'httpKeepAliveTimeoutSec', undefined, 5, 1200);
  return {
    fields: {
      ...present(body, ['description', 'proxyBind']),
      ...(keepAlive === undefined ? {} : { httpKeepAliveTimeoutSec: keepAlive }),
      urlMap: String(urlMap.resource['selfLink']),
      ...fingerprint(),
    },
    references: [referenceTo(urlMap)],
  };
}

/** `setUrlMap`: points the proxy at another URL map (body `urlMapReference`). */
const SET_URL_MAP: KindVerb = {
  bodyName: 'urlMapReferenceResource',
  schema: URL_MAP_REFERENCE,
  apply: (request) =>
    prepare({ ...request, body: { ...storedBody(request.current), urlMap: request.body['urlMap'] } }),
};

/** Target HTTP proxies (`targetHttpProxies`, global and regional): the URL map they route by is a reference. */
export const TARGET_HTTP_PROXIES: LoadBalancingKind = {
  collection: 'targetHttpProxies',
  wireKind: 'compute#targetHttpProxy',
  resourceNoun: 'target_http_proxy',
  scopes: 'both',
  patchable: true,
  updatable: false,
  schema: TARGET_HTTP_PROXY,
  prepare,
  verbs: { setUrlMap: SET_URL_MAP },
};
