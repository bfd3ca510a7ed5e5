import type { WireObject } from '../../shared/compute-context';
import type {
  KindRequest,
  KindVerb,
  LoadBalancingKind,
  PreparedResource,
  ResourceReferenceInput,
} from '../load-balancing-kind';
import {
  backendsOf,
  checkSchemeAndProtocol,
  HTTP_PROTOCOLS,
  iapOf,
  isPassthrough,
  PROTOCOLS,
  SCHEMES,
  SESSION_AFFINITIES,
} from './backend-service.rules';
import {
  checkFingerprint,
  enumField,
  fingerprint,
  GLOBAL,
  intField,
  invalid,
  present,
  referenceTo,
  storedBody,
  stringList,
} from './kind-fields';
import { BACKEND_SERVICE, SECURITY_POLICY_REFERENCE } from '../../shared/wire-schemas.generated';

/** Fields kept as the client sent them: the emulator stores them but has no behaviour behind them. */
const KEPT = [
  'cdnPolicy',
  'circuitBreakers',
  'compressionMode',
  'consistentHash',
  'customRequestHeaders',
  'customResponseHeaders',
  'localityLbPolicy',
  'localityLbPolicies',
  'logConfig',
  'outlierDetection',
  'failoverPolicy',
  'connectionTrackingPolicy',
  'subsetting',
  'maxStreamDuration',
  'securitySettings',
  'serviceBindings',
  'metadatas',
  'ipAddressSelectionPolicy',
  'customMetrics',
  'strongSessionAffinityCookie',
  'tlsSettings',
];

/**
 * Health checks: a global backend service uses global ones; a regional proxy (managed) one uses health checks
 * of its region; a passthrough one (INTERNAL, regional EXTERNAL) either, as GKE's internal load balancers
 * point regional backend services at the global `k8s-<cluster>-node` check.
 */
async function healthChecksOf(
  { scope, body, resolve }: KindRequest,
  scheme: string,
): Promise<{ links: string[]; references: ResourceReferenceInput[] }> {
  const given = stringList(body['healthChecks']);
  if (given.length > 1) {
    throw invalid(
      'healthChecks',
      given.join(','),
      'At most one health check can be specified per backend service.',
    );
  }
  const collections =
    scope === GLOBAL && scheme === 'EXTERNAL' ? ['healthChecks', 'httpHealthChecks'] : ['healthChecks'];
  const links: string[] = [];
  const references: ResourceReferenceInput[] = [];
  for (const [index, link] of given.entries()) {
    const record = await resolve.loadBalancing(collections, link, `resource.healthChecks[${index}]`);
    const fits =
      scope === GLOBAL
        ? record.scope === GLOBAL
        : record.scope === scope || (record.scope === GLOBAL && isPassthrough(scheme, scope));
    if (!fits) {
      throw invalid(
        `healthChecks[${index}]`,
        link,
        scope === GLOBAL
          ? 'A global backend service must use global health checks.'
          : `The health check must be in region '${scope}'${isPassthrough(scheme, scope) ? ' or global' : ''}.`,
      );
    }
    links.push(String(record.resource['selfLink']));
    references.push(referenceTo(record));
  }
  return { links, references };
}

async function prepare(request: KindRequest): Promise<PreparedResource> {
  const { ctx, scope, body, current, resolve } = request;
  checkFingerprint(body, current);
  const scheme = enumField(body, 'loadBalancingScheme', SCHEMES, 'EXTERNAL');
  const protocol = enumField(body, 'protocol', PROTOCOLS, 'HTTP');
  checkSchemeAndProtocol(scheme, protocol, scope);
  const passthrough = isPassthrough(scheme, scope);
  const health = await healthChecksOf(request, scheme);
  const references = [...health.references];

  const fields: WireObject = {
    description: body['description'] ?? '',
    protocol,
    loadBalancingScheme: scheme,
    timeoutSec: intField(body, 'timeoutSec', 30, 1, 2147483647),
    sessionAffinity: enumField(body, 'sessionAffinity', SESSION_AFFINITIES, 'NONE'),
    connectionDraining: {
      drainingTimeoutSec: intField(
        (body['connectionDraining'] as WireObject | undefined) ?? {},
        'drainingTimeoutSec',
        0,
        0,
        3600,
        'connectionDraining.drainingTimeoutSec',
      ),
    },
    ...present(body, KEPT),
    ...fingerprint(),
  };
  if (!passthrough) {
    // Proxies connect to a named port; passthrough load balancers keep the client's destination port.
    fields['port'] = intField(body, 'port', 80, 1, 65535);
    fields['portName'] = body['portName'] ?? 'http';
    fields['affinityCookieTtlSec'] = intField(body, 'affinityCookieTtlSec', 0, 0, 1209600);
  } else {
    Object.assign(fields, present(body, ['port', 'portName']));
  }
  const cdnCapable = scope === GLOBAL && scheme.startsWith('EXTERNAL');
  if (body['enableCDN'] === true && !(cdnCapable && HTTP_PROTOCOLS.includes(protocol))) {
    throw invalid(
      'enableCDN',
      'true',
      'Cloud CDN can only be enabled on global external Application Load Balancers.',
    );
  }
  if (cdnCapable) fields['enableCDN'] = body['enableCDN'] === true;
  if (health.links.length > 0) fields['healthChecks'] = health.links;
  const backends = backendsOf(body['backends'], ctx.project, scheme, scope);
  if (backends) fields['backends'] = backends;
  // A backend on a stored instance group keeps it from being deleted while the backend service names it.
  for (const backend of backends ?? []) {
    const group = await resolve.instanceGroup(String(backend['group']));
    if (group)
      references.push({ targetLink: String(backend['group']), target: { instanceGroupId: group.id } });
  }
  const iap = iapOf(body['iap'], scheme, protocol);
  if (iap) fields['iap'] = iap;

  const policyLink = body['securityPolicy'];
  if (typeof policyLink === 'string' && policyLink !== '') {
    if (scheme !== 'EXTERNAL' && scheme !== 'EXTERNAL_MANAGED') {
      throw invalid(
        'securityPolicy',
        policyLink,
        `Security policies are not supported by backend services with load balancing scheme ${scheme}.`,
      );
    }
    const policy = await resolve.securityPolicy(policyLink, 'resource.securityPolicy');
    fields['securityPolicy'] = policy.link;
    references.push({ targetLink: policy.link, target: { securityPolicyId: policy.id } });
  }
  const networkLink = body['network'];
  if (typeof networkLink === 'string' && networkLink !== '') {
    if (scheme !== 'INTERNAL') {
      throw invalid('network', networkLink, 'A network can only be set on INTERNAL backend services.');
    }
    const network = await resolve.network(networkLink, 'resource.network');
    fields['network'] = network.link;
    references.push({ targetLink: network.link, target: { networkId: network.id } });
  }
  return { fields, references };
}

/** `setSecurityPolicy`: attaches the policy named by `securityPolicy`, or detaches it when empty. */
const SET_SECURITY_POLICY: KindVerb = {
  bodyName: 'securityPolicyReferenceResource',
  schema: SECURITY_POLICY_REFERENCE,
  apply(request) {
    const { securityPolicy: _old, ...rest } = storedBody(request.current);
    const link = request.body['securityPolicy'];
    return prepare({
      ...request,
      body: typeof link === 'string' && link !== '' ? { ...rest, securityPolicy: link } : rest,
    });
  },
};

/**
 * Backend services (`backendServices`, global and regional): Google's defaults per load balancer type (HTTP on
 * named port `http`, 30 s timeout, no affinity, no draining), health checks, security policy and network as
 * references.
 */
export const BACKEND_SERVICES: LoadBalancingKind = {
  collection: 'backendServices',
  wireKind: 'compute#backendService',
  resourceNoun: 'backend_service',
  showsUsedBy: true,
  scopes: 'both',
  patchable: true,
  updatable: true,
  schema: BACKEND_SERVICE,
  prepare,
  verbs: { setSecurityPolicy: SET_SECURITY_POLICY },
};
