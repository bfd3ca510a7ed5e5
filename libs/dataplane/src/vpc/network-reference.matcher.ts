/** A network reference reduced to what identifies it: its project (when the reference names one) and name. */
export interface NetworkKey {
  readonly project: string | null;
  readonly name: string;
}

// Compute's resource default: a rule or route created without `network` belongs to `global/networks/default`.
const DEFAULT_NETWORK = 'default';

const VERSIONED_URL = /^https?:\/\/[^/]+\/(?:compute\/)?(?:v1|beta|alpha)\/(.*)$/;
const PROJECT_PATH = /^projects\/([^/]+)\/global\/networks\/([^/]+)$/;
const GLOBAL_PATH = /^global\/networks\/([^/]+)$/;

/**
 * Reads a network reference in any form Compute accepts: a full URL (any host and API version),
 * `projects/p/global/networks/n`, `global/networks/n` or a bare name. Unrecognised text is taken as a name.
 */
export function parseNetworkReference(reference: string | undefined): NetworkKey {
  if (reference === undefined || reference === '') return { project: null, name: DEFAULT_NETWORK };
  const path = VERSIONED_URL.exec(reference)?.[1] ?? reference;
  const full = PROJECT_PATH.exec(path);
  if (full) return { project: full[1] ?? null, name: full[2] ?? DEFAULT_NETWORK };
  const global = GLOBAL_PATH.exec(path);
  if (global) return { project: null, name: global[1] ?? DEFAULT_NETWORK };
  return { project: null, name: path };
}

/**
 * True when both references name the same network. Projects are compared only when both references carry one:
 * a bare name is relative to the caller's project.
 */
export function sameNetwork(a: string | undefined, b: string | undefined): boolean {
  const left = parseNetworkReference(a);
  const right = parseNetworkReference(b);
  if (left.name !== right.name) return false;
  return left.project === null || right.project === null || left.project === right.project;
}
