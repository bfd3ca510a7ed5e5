import { GoogleErrors } from '@gke-emulator/common';
import type { Tx } from '@gke-emulator/db';
import {
  type Cidr,
  cidrHasAddress,
  formatCidr,
  formatIpv4,
  lastAddress,
  parseCidrOrThrow,
  parseIpv4,
} from '@gke-emulator/netaddr';
import { EXTERNAL_POOLS, lowestFreeAddress, reservedInSubnet } from '../../addresses/address-pool';
import type { KindRequest, ResourceReferenceInput } from '../load-balancing-kind';
import type { ForwardingRuleIps, ReservedAddress, RuleIdentity } from './forwarding-rule-ips.repository';
import { EXTERNAL_SCHEMES } from './forwarding-rule-ips.repository';
import type { Placement } from './forwarding-rule.destination';
import { type PortRange, rangesOverlap, storedRanges } from './forwarding-rule.ports';
import { GLOBAL, invalid } from './kind-fields';

export interface RuleAddress {
  /** the IP; empty for an ephemeral one, which `allocate` chooses inside the write transaction */
  ip: string;
  reference?: ResourceReferenceInput;
  allocate?: (tx: Tx) => Promise<string>;
}

export interface AddressContext {
  request: KindRequest;
  ips: ForwardingRuleIps;
  internal: boolean;
  tier: string;
  placement: Placement;
  self: RuleIdentity;
}

/** Google's answer when an IP is taken (real wording, seen from kubemci and GKE). */
export function ipConflict(ip: string) {
  return invalid('IPAddress', ip, 'Specified IP address is in-use and would result in a conflict.');
}

function scopeOfAddress(resource: Record<string, unknown>): string {
  const region = resource['region'];
  return typeof region === 'string' ? (region.split('/').pop() ?? GLOBAL) : GLOBAL;
}

/** A reserved address the rule may use: same scope, the right type, its tier, and (internal) its network. */
function useReserved(context: AddressContext, address: ReservedAddress, given: string): RuleAddress {
  const { request, internal, tier, placement } = context;
  const resource = address.resource;
  if (scopeOfAddress(resource) !== request.scope) {
    throw invalid(
      'IPAddress',
      given,
      request.scope === GLOBAL
        ? 'A global forwarding rule needs a global address.'
        : `The address must be in region '${request.scope}'.`,
    );
  }
  const type = String(resource['addressType'] ?? 'EXTERNAL');
  if ((type === 'INTERNAL') !== internal) {
    throw invalid(
      'IPAddress',
      given,
      `An ${type} address cannot be used by an ${internal ? 'internal' : 'external'} forwarding rule.`,
    );
  }
  if (internal && resource['network'] !== placement.network?.link) {
    throw invalid('IPAddress', given, 'The address belongs to another network than the forwarding rule.');
  }
  if (!internal && String(resource['networkTier'] ?? 'PREMIUM') !== tier) {
    throw invalid(
      'networkTier',
      tier,
      `Must be the network tier of the address (${String(resource['networkTier'] ?? 'PREMIUM')}).`,
    );
  }
  const selfLink = String(resource['selfLink']);
  return { ip: address.address, reference: { targetLink: selfLink, target: { addressId: address.id } } };
}

function selfManaged(context: AddressContext): boolean {
  return context.request.body['loadBalancingScheme'] === 'INTERNAL_SELF_MANAGED';
}

async function subnetRangeOf(context: AddressContext): Promise<Cidr> {
  const subnet = context.placement.subnetwork;
  if (!subnet) throw GoogleErrors.required('resource.subnetwork');
  return parseCidrOrThrow(await context.ips.subnetRange(subnet.id));
}

/** An IP given by value: a reserved address of the project when there is one, else checked and kept. */
async function byValue(context: AddressContext, ip: string): Promise<RuleAddress> {
  const { request, ips, internal, placement, self } = context;
  const networkId = internal ? (placement.network?.id ?? null) : null;
  const reserved = await ips.reservedAt(request.ctx.project, request.scope, ip, networkId);
  if (reserved) return useReserved(context, reserved, ip);
  // Traffic Director rules take any IP (usually 0.0.0.0): they are matched by clients, not routed.
  if (selfManaged(context)) return { ip };
  if (internal) {
    const range = await subnetRangeOf(context);
    const n = parseIpv4(ip) as number;
    if (!cidrHasAddress(range, n) || reservedInSubnet(range).includes(n)) {
      throw invalid(
        'IPAddress',
        ip,
        `The IP address must be a usable address of the subnetwork's range ${formatCidr(range)}.`,
      );
    }
  } else if (await ips.externalHeldElsewhere(ip, self)) {
    throw ipConflict(ip);
  }
  return { ip };
}

/** The highest free address of an external pool: reservations come from the bottom, so they rarely meet. */
function highestFree(range: Cidr, taken: ReadonlySet<string>): string | null {
  for (let n = lastAddress(range) - 1; n > range.network; n--) {
    const ip = formatIpv4(n);
    if (!taken.has(ip)) return ip;
  }
  return null;
}

/**
 * An ephemeral address, chosen by `allocate` inside the rule's write transaction under the pool's advisory lock
 * (ForwardingRuleIps). External: the highest free IP of the emulator's pool (198.18.0.0/16 regional,
 * 198.19.0.0/16 global) not held by a reserved address or a forwarding rule of any project. Internal: the
 * lowest free IP of the subnetwork's primary range, skipping Google's four reserved ones, the network's
 * reserved addresses, its internal forwarding rules and its GKE nodes.
 */
async function ephemeral(context: AddressContext): Promise<RuleAddress> {
  const { request, ips, internal, placement } = context;
  if (selfManaged(context)) return { ip: '0.0.0.0' };
  if (!internal) {
    const range = EXTERNAL_POOLS[request.scope === GLOBAL ? 'global' : 'regional'];
    return {
      ip: '',
      allocate: async (tx) => {
        await ips.lockPool(tx, null);
        const free = highestFree(range, new Set(await ips.externalTaken(tx, formatCidr(range))));
        if (!free)
          throw GoogleErrors.invalid(
            `IP_SPACE_EXHAUSTED: no free external address is left in ${formatCidr(range)}.`,
          );
        return free;
      },
    };
  }
  const range = await subnetRangeOf(context);
  const network = placement.network as { id: bigint; link: string };
  return {
    ip: '',
    allocate: async (tx) => {
      await ips.lockPool(tx, network.id);
      const taken = await ips.internalTaken(tx, formatCidr(range), network.id, network.link);
      const free = lowestFreeAddress(
        range,
        taken.map((t) => parseIpv4(t) as number),
        reservedInSubnet(range),
      );
      if (!free)
        throw GoogleErrors.invalid(`IP_SPACE_EXHAUSTED: no free address is left in ${formatCidr(range)}.`);
      return free;
    },
  };
}

/** `IPAddress`: an IP, a link or name of a reserved address (referenced, so it shows IN_USE), or nothing. */
export async function addressOf(context: AddressContext): Promise<RuleAddress> {
  const { request } = context;
  const given = request.body['IPAddress'];
  if (typeof given !== 'string' || given === '') return ephemeral(context);
  if (request.body['ipVersion'] !== undefined) {
    throw invalid(
      'ipVersion',
      request.body['ipVersion'],
      'Both IP Version and IP Address cannot be specified.',
    );
  }
  if (parseIpv4(given) !== null) return byValue(context, formatIpv4(parseIpv4(given) as number));
  if (given.includes(':') && !given.includes('/addresses/')) {
    throw invalid('IPAddress', given, 'gke-emulator supports IPv4 forwarding rules only.');
  }
  const address = await request.resolve.address(given, 'resource.IPAddress');
  return useReserved(context, address, given);
}

/**
 * Two rules may not share [IPAddress, IPProtocol] with overlapping ports: external rules among the project's
 * rules of the scope, internal rules within one network (compute.proto, `portRange` and `ports`).
 */
export async function checkOverlap(
  context: AddressContext,
  ip: string,
  protocol: string,
  ranges: readonly PortRange[],
): Promise<void> {
  const { ips, internal, placement, self } = context;
  const rules = await ips.rulesOn(ip, protocol);
  const clash = rules.find((rule) => {
    if (rule.project === self.project && rule.scope === self.scope && rule.name === self.name) return false;
    const scheme = String(rule.resource['loadBalancingScheme']);
    const sameSpace = internal
      ? !EXTERNAL_SCHEMES.includes(scheme) && rule.resource['network'] === placement.network?.link
      : EXTERNAL_SCHEMES.includes(scheme) && rule.project === self.project && rule.scope === self.scope;
    return sameSpace && rangesOverlap(ranges, storedRanges(rule.resource));
  });
  if (clash) throw ipConflict(ip);
}
