import { createHash } from 'node:crypto';
import { GoogleErrors, relativeReference } from '@gke-emulator/common';
import type { WireObject } from '../../shared/compute-context';
import { floatField, GLOBAL, invalid } from './kind-fields';

export const SCHEMES = [
  'EXTERNAL',
  'EXTERNAL_MANAGED',
  'INTERNAL',
  'INTERNAL_MANAGED',
  'INTERNAL_SELF_MANAGED',
] as const;

export const PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'TCP', 'SSL', 'UDP', 'GRPC', 'UNSPECIFIED'] as const;

export const SESSION_AFFINITIES = [
  'NONE',
  'CLIENT_IP',
  'CLIENT_IP_PORT_PROTO',
  'CLIENT_IP_PROTO',
  'CLIENT_IP_NO_DESTINATION',
  'GENERATED_COOKIE',
  'HEADER_FIELD',
  'HTTP_COOKIE',
  'STRONG_COOKIE_AFFINITY',
];

export const BALANCING_MODES = ['UTILIZATION', 'RATE', 'CONNECTION', 'IN_FLIGHT', 'CUSTOM_METRICS'];

/** The protocols an Application Load Balancer speaks to its backends. */
export const HTTP_PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'GRPC'];

/**
 * Passthrough Network Load Balancers (internal, and regional external): no proxy, so no port, port name,
 * CDN, cookies or capacity scaler, and CONNECTION balancing only.
 */
export function isPassthrough(scheme: string, scope: string): boolean {
  return scheme === 'INTERNAL' || (scheme === 'EXTERNAL' && scope !== GLOBAL);
}

/** Which scheme lives in which scope, and what protocols each load balancer type supports. */
export function checkSchemeAndProtocol(scheme: string, protocol: string, scope: string): void {
  if (scope === GLOBAL && scheme === 'INTERNAL') {
    throw invalid(
      'loadBalancingScheme',
      scheme,
      'Backend services with load balancing scheme INTERNAL must be regional.',
    );
  }
  if (scope !== GLOBAL && scheme === 'INTERNAL_SELF_MANAGED') {
    throw invalid(
      'loadBalancingScheme',
      scheme,
      'Backend services with load balancing scheme INTERNAL_SELF_MANAGED must be global.',
    );
  }
  const allowed = isPassthrough(scheme, scope)
    ? ['TCP', 'UDP', 'UNSPECIFIED']
    : scheme === 'INTERNAL_SELF_MANAGED'
      ? ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'TCP']
      : ['HTTP', 'HTTPS', 'HTTP2', 'TCP', 'SSL'];
  if (!allowed.includes(protocol)) {
    throw invalid(
      'protocol',
      protocol,
      `Protocol ${protocol} is not supported with load balancing scheme ${scheme} in a ${scope === GLOBAL ? 'global' : 'regional'} backend service; must be one of [${allowed.join(', ')}].`,
    );
  }
}

const GROUP = /^projects\/[^/]+\/(?:zones|regions)\/[^/]+\/(?:instanceGroups|networkEndpointGroups)\/[^/]+$/;
const GLOBAL_NEG = /^projects\/[^/]+\/global\/networkEndpointGroups\/[^/]+$/;

/**
 * `backends[]`: each needs a group (an instance group or NEG link; groups are not emulated, so the link is kept,
 * made relative, and not checked to exist), with Google's balancing defaults for the load balancer type.
 */
export function backendsOf(
  given: unknown,
  project: string,
  scheme: string,
  scope: string,
): WireObject[] | undefined {
  if (!Array.isArray(given) || given.length === 0) return undefined;
  const passthrough = isPassthrough(scheme, scope);
  const seen = new Set<string>();
  return (given as WireObject[]).map((backend, index) => {
    const field = `backends[${index}]`;
    const groupLink = backend['group'];
    if (typeof groupLink !== 'string' || groupLink === '') {
      throw GoogleErrors.required(`resource.${field}.group`);
    }
    const group = relativeReference(project, groupLink, 'zones');
    if (!group || !(GROUP.test(group) || GLOBAL_NEG.test(group))) {
      throw invalid(
        `${field}.group`,
        groupLink,
        'Must be a link to an instance group or network endpoint group.',
      );
    }
    if (seen.has(group)) {
      throw invalid(`${field}.group`, groupLink, 'The group is already a backend of this backend service.');
    }
    seen.add(group);
    const mode = String(backend['balancingMode'] ?? (passthrough ? 'CONNECTION' : 'UTILIZATION'));
    if (!BALANCING_MODES.includes(mode)) {
      throw invalid(`${field}.balancingMode`, mode, `Must be one of [${BALANCING_MODES.join(', ')}].`);
    }
    if (passthrough && mode !== 'CONNECTION') {
      throw invalid(
        `${field}.balancingMode`,
        mode,
        `Balancing mode must be CONNECTION for a backend service with load balancing scheme ${scheme}.`,
      );
    }
    const capacityScaler = floatField(backend['capacityScaler'], `resource.${field}.capacityScaler`, 0, 1);
    const maxUtilization = floatField(backend['maxUtilization'], `resource.${field}.maxUtilization`, 0, 1);
    return {
      ...backend,
      group,
      balancingMode: mode,
      ...(passthrough ? {} : { capacityScaler: capacityScaler ?? 1 }),
      ...(maxUtilization === undefined ? {} : { maxUtilization }),
    };
  });
}

/**
 * `iap`: the OAuth client secret is input only; Google keeps and returns its SHA-256 instead. A patch that
 * does not resend the secret keeps the stored hash.
 */
export function iapOf(given: unknown, scheme: string, protocol: string): WireObject | undefined {
  if (!given || typeof given !== 'object') return undefined;
  const iap = given as WireObject;
  const enabled = iap['enabled'] === true;
  if (enabled && (scheme === 'INTERNAL' || !['HTTP', 'HTTPS', 'HTTP2'].includes(protocol))) {
    throw invalid(
      'iap',
      'enabled',
      'IAP is only supported by backend services of Application Load Balancers.',
    );
  }
  const secret = iap['oauth2ClientSecret'];
  const sha =
    typeof secret === 'string' // an empty secret too: Google returns the SHA-256 of ""
      ? createHash('sha256').update(secret).digest('hex')
      : iap['oauth2ClientSecretSha256'];
  return {
    enabled,
    ...(iap['oauth2ClientId'] !== undefined ? { oauth2ClientId: iap['oauth2ClientId'] } : {}),
    ...(sha !== undefined ? { oauth2ClientSecretSha256: sha } : {}),
  };
}
