/**
 * Links are stored relative to the API root (`projects/p/global/networks/n`) and rendered against the base URL
 * the client used (`http://127.0.0.1:8085/compute/v1/`), so that gcloud can follow `selfLink`s to the emulator.
 */
export const GOOGLE_COMPUTE_BASE = 'https://www.googleapis.com/compute/v1/';

const LINK_KEYS = new Set([
  'selfLink',
  'selfLinkWithId',
  'network',
  'subnetwork',
  'subnetworks',
  'region',
  'zone',
  'targetLink',
  'users',
  'nextHopGateway',
  'nextHopInstance',
  'nextHopNetwork',
  'healthChecks',
  'backendService',
  'target',
  'urlMap',
  'defaultService',
  'service',
  'securityPolicy',
  'sslCertificates',
  'networkProfile',
  // `usedBy[].reference` of backend services and buckets
  'reference',
  'backupPool',
  'group',
  'instances',
  'machineType',
  'source',
]);

export function absoluteLink(base: string, relative: string): string {
  return relative.startsWith('projects/') ? base + relative : relative;
}

/**
 * Renders a stored wire object for a client: every link field (at any depth) against `base`, and keys in
 * alphabetical order as Google's front end emits them (PostgreSQL's jsonb does not keep insertion order).
 */
export function renderWire<T>(value: T, base: string): T {
  return renderValue(value, base, false) as T;
}

/** Objects echoed as the client sent them, links included (a URL map's `tests`). */
const VERBATIM_KEYS = new Set(['tests']);

function renderValue(value: unknown, base: string, isLink: boolean): unknown {
  if (typeof value === 'string') return isLink ? absoluteLink(base, value) : value;
  if (Array.isArray(value)) return value.map((item) => renderValue(item, base, isLink));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const inner = (value as Record<string, unknown>)[key];
      out[key] = VERBATIM_KEYS.has(key) ? inner : renderValue(inner, base, LINK_KEYS.has(key));
    }
    return out;
  }
  return value;
}

/**
 * Accepts a reference the way Compute does (a full URL with any host, `projects/p/...`, `global/networks/n`,
 * `regions/r/subnetworks/s`, or a bare name) and returns the path relative to the API root.
 * `collection` is the scope-relative tail for bare names, e.g. `global/networks`.
 */
export function relativeReference(project: string, reference: string, collection: string): string | null {
  let ref = reference.trim();
  const versioned = ref.match(/^https?:\/\/[^/]+\/(?:compute\/)?(?:v1|beta|alpha)\/(.*)$/);
  if (versioned) ref = versioned[1] ?? '';
  else if (/^https?:\/\//.test(ref)) return null;
  if (ref.startsWith('projects/')) return ref;
  if (ref.startsWith('global/') || ref.startsWith('regions/') || ref.startsWith('zones/'))
    return `projects/${project}/${ref}`;
  if (/^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/.test(ref)) return `projects/${project}/${collection}/${ref}`;
  return null;
}
