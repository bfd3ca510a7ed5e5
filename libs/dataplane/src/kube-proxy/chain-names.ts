import { encodeBase32 } from './base32';
import { sha256 } from './sha256';

// kube-proxy names its per-service and per-endpoint chains after a hash because iptables chain names are
// limited to 28 characters: base32(sha256(servicePortName + protocol [+ endpoint]))[:16] behind a fixed
// prefix.

export const KUBE_SVC_PREFIX = 'KUBE-SVC-';
export const KUBE_SVL_PREFIX = 'KUBE-SVL-';
export const KUBE_EXT_PREFIX = 'KUBE-EXT-';
export const KUBE_FW_PREFIX = 'KUBE-FW-';
export const KUBE_SEP_PREFIX = 'KUBE-SEP-';

const utf8 = new TextEncoder();

/**
 * prefix + hash as one flat string. (With +, V8 would keep a pair of pieces, and chain names are hashed,
 * compared and sorted by the hundred thousand.)
 */
function chainName(prefix: string, hash: string): string {
  return [prefix, hash].join('');
}

function hash16(text: string): string {
  return encodeBase32(sha256(utf8.encode(text))).slice(0, 16);
}

/**
 * The 16-character hash kube-proxy derives from a service port. `servicePortName` is
 * ServicePortName.String(): "namespace/name:port", or "namespace/name" when the port is unnamed;
 * `protocol` is lower-case ("tcp").
 */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol);
}

/** The four chains of one service port, which share one hash. */
export interface ServicePortChainNames {
  /** KUBE-SVC-*: load-balances over the endpoints used with Cluster traffic policy. */
  readonly cluster: string;
  /** KUBE-SVL-*: load-balances over this node's endpoints (Local traffic policy). */
  readonly local: string;
  /** KUBE-EXT-*: entry point for NodePort, external IP and load-balancer traffic. */
  readonly external: string;
  /** KUBE-FW-*: loadBalancerSourceRanges filter in front of KUBE-EXT-*. */
  readonly firewall: string;
}

export function servicePortChainNames(servicePortName: string, protocol: string): ServicePortChainNames {
  const hash = portProtoHash(servicePortName, protocol);
  return {
    cluster: chainName(KUBE_SVC_PREFIX, hash),
    local: chainName(KUBE_SVL_PREFIX, hash),
    external: chainName(KUBE_EXT_PREFIX, hash),
    firewall: chainName(KUBE_FW_PREFIX, hash),
  };
}

/** KUBE-SEP-* for one endpoint ("ip:port") of a service port. */
export function endpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return chainName(KUBE_SEP_PREFIX, hash16(servicePortName + protocol + endpoint));
}

/** True for the chains kube-proxy creates per service port or endpoint (and deletes when unused). */
export function isServiceChainName(chain: string): boolean {
  return [KUBE_SVC_PREFIX, KUBE_SVL_PREFIX, KUBE_EXT_PREFIX, KUBE_FW_PREFIX, KUBE_SEP_PREFIX].some((prefix) =>
    chain.startsWith(prefix),
  );
}
