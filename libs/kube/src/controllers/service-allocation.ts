import { firstAddress, formatIpv4, lastAddress, parseCidrOrThrow } from '@gke-emulator/netaddr';
import { kubeDnsServiceIp } from '../api/cluster-dns';

export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

/**
 * The lowest free ClusterIP of the services range. The range's network and broadcast addresses are never
 * handed out; the first usable one goes to the `kubernetes` Service, as on a real cluster. `.10` is kube-dns's
 * (the address kubelet names as the pods' nameserver): never handed out dynamically, only when asked for by name,
 * as the API server's allocator keeps the static part of the range for addresses chosen in advance.
 */
export function allocateClusterIp(servicesRange: string, taken: ReadonlySet<string>): string | null {
  const range = parseCidrOrThrow(servicesRange);
  const reserved = kubeDnsServiceIp(servicesRange);
  for (let address = firstAddress(range) + 1; address < lastAddress(range); address++) {
    const text = formatIpv4(address);
    if (!taken.has(text) && text !== reserved) return text;
  }
  return null;
}

/** Whether a requested ClusterIP may be used: inside the range, and neither its network nor broadcast address. */
export function clusterIpInRange(servicesRange: string, ip: string, parsed: number | null): boolean {
  const range = parseCidrOrThrow(servicesRange);
  return (
    parsed !== null &&
    parsed > firstAddress(range) &&
    parsed < lastAddress(range) &&
    formatIpv4(parsed) === ip
  );
}

/**
 * A free NodePort. The real allocator picks at random; this one walks from a point derived from `seed` (the
 * Service's name), so ports look spread like real ones yet repeat from run to run.
 */
export function allocateNodePort(taken: ReadonlySet<number>, seed: string): number | null {
  const size = NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1;
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  for (let i = 0; i < size; i++) {
    const port = NODE_PORT_RANGE.min + ((hash + i) % size);
    if (!taken.has(port)) return port;
  }
  return null;
}
