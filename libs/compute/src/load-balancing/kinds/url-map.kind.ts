import type { WireObject } from '../../shared/compute-context';
import type { KindRequest, KindVerb, LoadBalancingKind, PreparedResource } from '../load-balancing-kind';
import { checkFingerprint, fingerprint, present, storedBody } from './kind-fields';
import {
  checkDestination,
  checkHostRules,
  DEFAULT_DESTINATION,
  pathMatchersOf,
  ServiceLinks,
} from './url-map.rules';
import { CACHE_INVALIDATION_RULE, URL_MAP } from '../../shared/wire-schemas.generated';

/** Kept as given: route actions, redirects and header actions have no behaviour in the emulator. */
const KEPT = [
  'description',
  'defaultRouteAction',
  'defaultUrlRedirect',
  'defaultCustomErrorResponsePolicy',
  'headerAction',
];

/**
 * `tests` come back as given (links not rewritten) with an empty `description` filled in (recorded).
 */
function testsOf(value: unknown): WireObject[] {
  if (!Array.isArray(value)) return [];
  return (value as WireObject[]).map((test) => ({ description: '', ...test }));
}

/** Durations Google completes with `nanos: 0` when only seconds are given (a retry policy's per-try timeout). */
function withNanos(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withNanos);
  if (!value || typeof value !== 'object') return value;
  const out: WireObject = {};
  for (const [key, inner] of Object.entries(value as WireObject)) {
    out[key] =
      key === 'perTryTimeout' && inner && typeof inner === 'object' && !Array.isArray(inner)
        ? { nanos: 0, ...(inner as WireObject) }
        : withNanos(inner);
  }
  return out;
}

async function prepare({ scope, body, current, resolve }: KindRequest): Promise<PreparedResource> {
  checkFingerprint(body, current);
  checkDestination(body, '', DEFAULT_DESTINATION);
  const services = new ServiceLinks(resolve, scope);
  const fields: WireObject = { ...present(body, KEPT), ...fingerprint() };
  if (body['defaultService'] !== undefined && body['defaultService'] !== '') {
    fields['defaultService'] = await services.link(body['defaultService'], 'defaultService');
  }
  const matchers = await pathMatchersOf(body['pathMatchers'], services);
  const hostRules = checkHostRules(body['hostRules'], matchers);
  if (hostRules.length > 0) fields['hostRules'] = hostRules;
  if (matchers.length > 0) fields['pathMatchers'] = withNanos(matchers);
  if (body['defaultRouteAction'] !== undefined)
    fields['defaultRouteAction'] = withNanos(body['defaultRouteAction']);
  const tests = testsOf(body['tests']);
  if (tests.length > 0) fields['tests'] = tests;
  return { fields, references: services.references };
}

/**
 * `invalidateCache`: the emulator has no cache, so the URL map stays as it is (same fingerprint); the verb
 * answers its operation as Google does.
 */
const INVALIDATE_CACHE: KindVerb = {
  bodyName: 'cacheInvalidationRuleResource',
  schema: CACHE_INVALIDATION_RULE,
  async apply(request) {
    const prepared = await prepare({ ...request, body: storedBody(request.current) });
    return { ...prepared, fields: { ...prepared.fields, fingerprint: request.current['fingerprint'] } };
  },
};

/**
 * URL maps (`urlMaps`, global and regional): the default service and the host rules and path matchers that route
 * to backend services of the same scope (references), checked as Google checks them.
 */
export const URL_MAPS: LoadBalancingKind = {
  collection: 'urlMaps',
  wireKind: 'compute#urlMap',
  resourceNoun: 'url_map',
  scopes: 'both',
  showsQuotaStatus: true,
  patchable: true,
  updatable: true,
  schema: URL_MAP,
  prepare,
  verbs: { invalidateCache: INVALIDATE_CACHE },
};
