import { instanceGroupBaseName } from './cluster-shape';
import {
  type Cidr,
  findFreeRange,
  firstAddress,
  formatCidr,
  formatIpv4,
  lastAddress,
  parseCidr,
  subnetRangeReserved,
} from '@gke-emulator/netaddr';

/** GKE's per-node pod range: max pods rounded up to a power of two, doubled (8 → /28 … 110 → /24, 256 → /23). */
export function podCidrPrefixForMaxPods(maxPods: number): number {
  let addresses = 1;
  while (addresses < maxPods) addresses *= 2;
  return 32 - Math.log2(addresses * 2);
}

export const MAX_PODS_RANGE = { min: 8, max: 256, default: 110 } as const;

/** Where GKE takes the ranges it creates from, and their default sizes. */
export const DEFAULT_RANGE_PREFIX = { pods: 14, services: 20 } as const;
/** Accepted sizes of a range GKE creates (`/N`): a pod range must hold at least one node's range. */
export const RANGE_PREFIX_LIMITS = { pods: { min: 9, max: 24 }, services: { min: 16, max: 27 } } as const;
export const GKE_RANGE_POOL: Cidr = { network: 0x0a000000, prefixLength: 8 };

export type RangeRequest =
  { kind: 'default' } | { kind: 'size'; prefixLength: number } | { kind: 'cidr'; cidr: Cidr };

/** `clusterIpv4CidrBlock` and friends: blank (default size), `/N` (a range of that size) or a CIDR. */
export function parseRangeRequest(value: string | undefined): RangeRequest | { kind: 'invalid' } {
  if (value === undefined || value === '') return { kind: 'default' };
  const size = value.match(/^\/(\d{1,2})$/);
  if (size) {
    const prefixLength = Number(size[1]);
    return prefixLength <= 32 ? { kind: 'size', prefixLength } : { kind: 'invalid' };
  }
  const parsed = parseCidr(value);
  return parsed.ok ? { kind: 'cidr', cidr: parsed.cidr } : { kind: 'invalid' };
}

/** The lowest free block of `prefixLength` in `pool` that overlaps none of `taken`. */
export function pickRange(pool: Cidr, prefixLength: number, taken: readonly Cidr[]): Cidr | null {
  return findFreeRange(pool, prefixLength, taken);
}

/** `count` disjoint blocks of `prefixLength` inside `parent`, lowest first, avoiding `taken`; null if they do not fit. */
export function allocateBlocks(
  parent: Cidr,
  prefixLength: number,
  taken: readonly Cidr[],
  count: number,
): Cidr[] | null {
  const blocked = [...taken];
  const blocks: Cidr[] = [];
  for (let i = 0; i < count; i++) {
    const block = findFreeRange(parent, prefixLength, blocked);
    if (!block) return null;
    blocks.push(block);
    blocked.push(block);
  }
  return blocks;
}

/** How many more blocks of `prefixLength` fit in `parent` beside `taken`. */
export function freeBlockCount(parent: Cidr, prefixLength: number, taken: readonly Cidr[]): number {
  const blocked = [...taken];
  let count = 0;
  for (;;) {
    const block = findFreeRange(parent, prefixLength, blocked);
    if (!block) return count;
    blocked.push(block);
    count++;
  }
}

/** `count` addresses of a subnet primary range, lowest first, skipping Google's four reserved and `taken`. */
export function allocateAddresses(range: Cidr, taken: ReadonlySet<number>, count: number): string[] | null {
  const reserved = new Set<number>(subnetRangeReserved(range));
  const out: string[] = [];
  for (let address = firstAddress(range); address <= lastAddress(range) && out.length < count; address++) {
    if (!reserved.has(address) && !taken.has(address)) out.push(formatIpv4(address));
  }
  return out.length === count ? out : null;
}

/** The highest address of a subnet primary range that is neither reserved by Google nor `taken`. */
export function highestFreeAddress(range: Cidr, taken: ReadonlySet<number>): string | null {
  const reserved = new Set<number>(subnetRangeReserved(range));
  for (let address = lastAddress(range); address >= firstAddress(range); address--) {
    if (!reserved.has(address) && !taken.has(address)) return formatIpv4(address);
  }
  return null;
}

/** The zone letters a regional cluster spreads over when `locations` is not given. */
export const DEFAULT_ZONE_LETTERS = ['a', 'b', 'c'] as const;

/** Zones a regional cluster spreads over when `locations` is not given. */
export function defaultZones(region: string): string[] {
  return DEFAULT_ZONE_LETTERS.map((letter) => `${region}-${letter}`);
}

/** `us-central1-a` → `us-central1`; a region stays itself. */
export function regionOf(location: string): string {
  return /-[a-z]$/.test(location) ? location.slice(0, -2) : location;
}

export function isZone(location: string): boolean {
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location);
}

export function isRegion(location: string): boolean {
  return /^[a-z]+-[a-z]+\d+$/.test(location);
}

export function randomHex(length: number, random: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

/** Node names as GKE makes them: their instance group's base name and 4 characters. */
export function nodeName(cluster: string, pool: string, groupHash: string, suffix: string): string {
  return `${instanceGroupBaseName(cluster, pool, groupHash)}-${suffix}`;
}

export function nodeSuffix(random: () => number = Math.random): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 4; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/** The control plane's public address a cluster reports (TEST-NET-3, RFC 5737): used by its -ssh rule. */
export function masterIpOf(hash: string): string {
  return `203.0.113.${(parseInt(hash.slice(0, 2), 16) % 254) + 1}`;
}

/** The source range of a cluster's -vms rule on an auto mode network: every auto mode subnet. */
export const AUTO_MODE_NODE_SOURCE = '10.128.0.0/9';

export interface GkeFirewallInput {
  cluster: string;
  hash: string;
  podRange: string;
  /** the node subnet's primary range, or `AUTO_MODE_NODE_SOURCE` on auto mode networks */
  nodeSourceRange: string;
  /** the control plane's address, for the -ssh rule of public clusters */
  masterIp: string;
}

/** The node network tag of a cluster. */
export function nodeTag(cluster: string, hash: string): string {
  return `gke-${cluster}-${hash}-node`;
}

/** The suffixes of the firewall rules GKE creates for a cluster, in the order `gkeFirewallRules` lists them. */
export const GKE_FIREWALL_SUFFIXES = ['all', 'vms', 'inkubelet', 'exkubelet', 'ssh'] as const;

/** The names of the firewall rules GKE creates for a cluster (what its deletion removes). */
export function gkeFirewallNames(cluster: string, hash: string): string[] {
  return GKE_FIREWALL_SUFFIXES.map((suffix) => `gke-${cluster}-${hash}-${suffix}`);
}

/**
 * The firewall rules GKE creates for a (public) cluster, with their real contents
 * (cloud.google.com/kubernetes-engine/docs/concepts/firewall-rules; ../shared/reference/gce-api.md §4.1).
 */
export function gkeFirewallRules(input: GkeFirewallInput) {
  const prefix = `gke-${input.cluster}-${input.hash}`;
  const targetTags = [nodeTag(input.cluster, input.hash)];
  return [
    {
      name: `${prefix}-all`,
      direction: 'INGRESS',
      priority: 1000,
      sourceRanges: [input.podRange],
      targetTags,
      allowed: ['icmp', 'esp', 'ah', 'sctp', 'tcp', 'udp'].map((IPProtocol) => ({ IPProtocol })),
    },
    {
      name: `${prefix}-vms`,
      direction: 'INGRESS',
      priority: 1000,
      sourceRanges: [input.nodeSourceRange],
      targetTags,
      allowed: [
        { IPProtocol: 'icmp' },
        { IPProtocol: 'tcp', ports: ['1-65535'] },
        { IPProtocol: 'udp', ports: ['1-65535'] },
      ],
    },
    {
      name: `${prefix}-inkubelet`,
      direction: 'INGRESS',
      priority: 999,
      sourceRanges: [input.podRange],
      sourceTags: targetTags,
      targetTags,
      allowed: [{ IPProtocol: 'tcp', ports: ['10255'] }],
    },
    {
      name: `${prefix}-exkubelet`,
      direction: 'INGRESS',
      priority: 1000,
      sourceRanges: ['0.0.0.0/0'],
      targetTags,
      denied: [{ IPProtocol: 'tcp', ports: ['10255'] }],
    },
    {
      name: `${prefix}-ssh`,
      direction: 'INGRESS',
      priority: 1000,
      sourceRanges: [`${input.masterIp}/32`],
      targetTags,
      allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
    },
  ];
}

export { formatCidr };
