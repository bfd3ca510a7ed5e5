import type { KindRequest, LoadBalancingKind, PreparedResource } from '../load-balancing-kind';
import { checkFingerprint, fingerprint, present } from './kind-fields';
import { proxySetter, urlMapOf } from './target-proxy.fields';
import { TARGET_GRPC_PROXY } from '../../shared/wire-schemas.generated';

async function prepare(request: KindRequest): Promise<PreparedResource> {
  const { body, current } = request;
  checkFingerprint(body, current);
  const urlMap = await urlMapOf(request);
  return {
    fields: {
      ...present(body, ['description']),
      urlMap: urlMap.link,
      validateForProxyless: body['validateForProxyless'] === true,
      ...fingerprint(),
    },
    references: [urlMap.reference],
  };
}

/**
 * Target gRPC proxies (`targetGrpcProxies`, global): the URL map of a Traffic Director gRPC service. Google
 * names their operations `compute.targetGrpcProxies.<method>` and shows `selfLinkWithId` (recorded).
 */
export const TARGET_GRPC_PROXIES: LoadBalancingKind = {
  collection: 'targetGrpcProxies',
  wireKind: 'compute#targetGrpcProxy',
  resourceNoun: 'target_grpc_proxy',
  scopes: 'global',
  patchable: true,
  updatable: false,
  qualifiedOperationTypes: true,
  showsSelfLinkWithId: true,
  schema: TARGET_GRPC_PROXY,
  prepare,
  verbs: { setUrlMap: proxySetter('urlMapReferenceResource', { urlMap: 'string' }, prepare) },
};
