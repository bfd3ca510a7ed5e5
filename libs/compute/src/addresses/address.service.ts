import { Injectable } from '@nestjs/common';
import {
  applyListQuery,
  GoogleApiError,
  GoogleErrors,
  newResourceId,
  parseWireBody,
  relativeReference,
  renderWire,
  sameFingerprint,
} from '@gke-emulator/common';
import { asConstraintViolation, Database, type Tx } from '@gke-emulator/db';
import { NetworkRepository } from '../networks/network.repository';
import {
  type Cidr,
  cidrHasAddress,
  cidrOverlaps,
  findFreeRange,
  formatCidr,
  formatIpv4,
  makeCidr,
  parseCidrOrThrow,
  parseIpv4,
} from '@gke-emulator/netaddr';
import { deleteUnlessInUse, resourceInUseError } from '../shared/in-use';
import { LoadBalancingRepository } from '../load-balancing/load-balancing.repository';
import { OperationService } from '../operations/operation.service';
import { aggregateByScope, REGION_SCOPES } from '../shared/aggregated-list';
import type { ComputeContext, ListQuery, WireObject } from '../shared/compute-context';
import { assertResourceName } from '../shared/names';
import { ProjectRepository } from '../shared/project.repository';
import { assertRegion } from '../shared/regions';
import { computeTimestamp } from '../shared/timestamps';
import {
  checkLabels,
  EMPTY_LABELS_FINGERPRINT,
  labelFingerprintOf,
} from '../load-balancing/kinds/kind-fields';
import { SubnetworkRepository, type StoredSubnetwork } from '../subnetworks/subnetwork.repository';
import { EXTERNAL_POOLS, lowestFreeAddress, reservedInSubnet } from './address-pool';
import { AddressRepository, type StoredAddress } from './address.repository';
import { ADDRESS_SCHEMA, SET_LABELS_SCHEMA } from './address.schema';

interface AddressBody {
  name?: string;
  description?: string;
  address?: string;
  addressType?: string;
  purpose?: string;
  subnetwork?: string;
  network?: string;
  networkTier?: string;
  ipVersion?: string;
  labels?: Record<string, string>;
  prefixLength?: number;
}

const GLOBAL = 'global';
const REGIONAL_INTERNAL_PURPOSES = ['GCE_ENDPOINT', 'SHARED_LOADBALANCER_VIP', 'DNS_RESOLVER'];
const GLOBAL_INTERNAL_PURPOSES = ['VPC_PEERING', 'PRIVATE_SERVICE_CONNECT'];
/** Where Google picks a VPC_PEERING (private services access) range when none is given: private space. */
const PEERING_SPACE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(parseCidrOrThrow);

/** Where an address is reserved: its pool, and the subnetwork or network it belongs to. */
interface Placement {
  range: Cidr;
  subnet: StoredSubnetwork | null;
  purpose: string | undefined;
  network?: { id: bigint; link: string };
  prefixLength?: number;
}

function addressPath(project: string, region: string, name: string): string {
  return region === GLOBAL
    ? `projects/${project}/global/addresses/${name}`
    : `projects/${project}/regions/${region}/addresses/${name}`;
}

const sortKeys = (item: WireObject) => ({
  name: String(item['name']),
  creationTimestamp: String(item['creationTimestamp']),
});

function checkEnum(field: string, value: string | undefined, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value)) {
    throw GoogleErrors.invalidFieldValue(field, value, `Must be one of [${allowed.join(', ')}].`);
  }
}

/** An address already held: Google answers 400 for external addresses and 409 for internal ones. */
function addressInUse(address: string, type: 'EXTERNAL' | 'INTERNAL'): GoogleApiError {
  const message = `IP address '${address}' is already being used by another resource.`;
  return type === 'EXTERNAL'
    ? new GoogleApiError(400, 'invalid', message)
    : new GoogleApiError(409, 'alreadyExists', message);
}

/**
 * Reserved addresses, regional and global (`region` = "global"). Internal addresses come from their subnetwork's
 * primary range, external ones from the emulator's external pool; a given address is checked to be free and
 * allowed, an omitted one is the lowest free. Partial unique indexes make double allocation impossible.
 */
@Injectable()
export class AddressService {
  constructor(
    private readonly db: Database,
    private readonly addresses: AddressRepository,
    private readonly subnetworks: SubnetworkRepository,
    private readonly networks: NetworkRepository,
    private readonly projects: ProjectRepository,
    private readonly operations: OperationService,
    private readonly references: LoadBalancingRepository,
  ) {}

  async get(ctx: ComputeContext, region: string, name: string): Promise<WireObject> {
    const [rendered] = await this.render([await this.require(ctx, region, name)], ctx.base);
    return rendered as WireObject;
  }

  async list(ctx: ComputeContext, region: string, query: ListQuery) {
    if (region !== GLOBAL) assertRegion(ctx.project, region);
    const items = await this.render(await this.addresses.list(ctx.project, region), ctx.base);
    return applyListQuery(items, query, sortKeys);
  }

  /** `status` and `users` are derived from what refers to each address (forwarding rules), when read. */
  private async render(addresses: readonly StoredAddress[], base: string): Promise<WireObject[]> {
    const users = await this.references.usersOfMany(
      'addressId',
      addresses.map((a) => a.id),
    );
    return addresses.map((a) => {
      const using = users.get(a.id) ?? [];
      return renderWire(
        using.length > 0 ? { ...a.resource, status: 'IN_USE', users: using } : a.resource,
        base,
      );
    });
  }

  async aggregatedList(ctx: ComputeContext, query: ListQuery) {
    const all = await this.render(await this.addresses.list(ctx.project), ctx.base);
    const page = applyListQuery(all, query, sortKeys);
    return {
      items: aggregateByScope(page.items, 'addresses', [GLOBAL, ...REGION_SCOPES]),
      nextPageToken: page.nextPageToken,
    };
  }

  async insert(
    ctx: ComputeContext,
    region: string,
    rawBody: unknown,
    requestId?: string,
  ): Promise<WireObject> {
    if (region !== GLOBAL) assertRegion(ctx.project, region);
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const body = parseWireBody<AddressBody>(rawBody, ADDRESS_SCHEMA);
    const name = assertResourceName(body.name);
    const addressType = body.addressType ?? 'EXTERNAL';
    checkEnum('resource.addressType', addressType, ['EXTERNAL', 'INTERNAL']);
    checkEnum('resource.networkTier', body.networkTier, ['PREMIUM', 'STANDARD']);
    if (region === GLOBAL && body.networkTier === 'STANDARD') {
      throw GoogleErrors.invalidFieldValue(
        'resource.networkTier',
        body.networkTier,
        'Global addresses must use the PREMIUM network tier.',
      );
    }
    if (body.ipVersion !== undefined && body.ipVersion !== 'IPV4') {
      throw GoogleErrors.invalidFieldValue(
        'resource.ipVersion',
        body.ipVersion,
        'gke-emulator allocates IPv4 addresses only.',
      );
    }
    if (body.address !== undefined && parseIpv4(body.address) === null) {
      throw GoogleErrors.invalidFieldValue('resource.address', body.address, 'Must be an IPv4 address.');
    }

    const placement: Placement =
      addressType === 'INTERNAL'
        ? region === GLOBAL
          ? await this.globalInternalPlacement(ctx, body)
          : await this.internalPlacement(ctx, region, body)
        : {
            range: EXTERNAL_POOLS[region === GLOBAL ? 'global' : 'regional'],
            subnet: null,
            purpose: body.purpose,
          };
    const id = newResourceId();
    const path = addressPath(ctx.project, region, name);
    const networkId = placement.subnet?.networkId ?? placement.network?.id ?? null;
    const build = (address: string): StoredAddress => ({
      id,
      project: ctx.project,
      region,
      name,
      addressType: addressType as 'EXTERNAL' | 'INTERNAL',
      address,
      networkId,
      subnetworkId: placement.subnet?.id ?? null,
      resource: {
        kind: 'compute#address',
        id: id.toString(),
        creationTimestamp: computeTimestamp(new Date()),
        name,
        ...(body.description !== undefined ? { description: body.description } : {}),
        address,
        addressType,
        ...(placement.purpose ? { purpose: placement.purpose } : {}),
        ...(placement.subnet
          ? {
              subnetwork: String(placement.subnet.resource['selfLink']),
              network: String(placement.subnet.resource['network']),
            }
          : placement.network
            ? { network: placement.network.link }
            : {}),
        ...(placement.prefixLength !== undefined ? { prefixLength: placement.prefixLength } : {}),
        ...(addressType === 'EXTERNAL' || region === GLOBAL
          ? { networkTier: body.networkTier ?? 'PREMIUM' }
          : {}),
        ...(body.ipVersion !== undefined ? { ipVersion: body.ipVersion } : {}),
        ...(region === GLOBAL ? {} : { region: `projects/${ctx.project}/regions/${region}` }),
        status: 'RESERVED',
        // Google ignores `labels` on insert (recorded in 2024 and 2025): they are set with setLabels.
        labelFingerprint: EMPTY_LABELS_FINGERPRINT,
        selfLink: path,
      },
    });
    let chosen: StoredAddress | undefined;
    try {
      const op = await this.db.transaction(async (tx) => {
        await this.projects.ensure(tx, ctx.project);
        await this.addresses.lockPool(tx, networkId);
        const taken = (await this.addresses.taken(tx, formatCidr(placement.range), networkId)).map(
          (a) => parseIpv4(a) as number,
        );
        chosen = build(
          placement.prefixLength !== undefined && networkId !== null
            ? await this.peeringBlock(tx, networkId, body.address, placement.prefixLength)
            : this.chooseAddress(body.address, placement.range, placement.subnet, addressType, taken),
        );
        await this.addresses.insert(tx, chosen);
        return this.operations.record(tx, {
          project: ctx.project,
          scope: region,
          operationType: 'insert',
          targetLink: path,
          targetId: id,
          requestId,
        });
      });
      return this.operations.render(op, ctx.base);
    } catch (error) {
      const violation = asConstraintViolation(error);
      if (violation?.constraint === 'address_project_id_region_name_key')
        throw GoogleErrors.alreadyExists(path);
      if (
        chosen &&
        (violation?.constraint === 'address_external_unique' ||
          violation?.constraint === 'address_internal_unique')
      ) {
        throw addressInUse(chosen.address, chosen.addressType);
      }
      throw error;
    }
  }

  /** `setLabels`: replaces the labels against the current label fingerprint (412 when stale). */
  async setLabels(
    ctx: ComputeContext,
    region: string,
    name: string,
    rawBody: unknown,
    requestId?: string,
  ): Promise<WireObject> {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const body = parseWireBody<{ labels?: Record<string, string>; labelFingerprint?: string }>(
      rawBody,
      SET_LABELS_SCHEMA,
      region === GLOBAL ? 'globalSetLabelsRequestResource' : 'regionSetLabelsRequestResource',
    );
    const labels = body.labels ?? {};
    checkLabels(labels, 'labels');
    const current = await this.require(ctx, region, name);
    const path = addressPath(ctx.project, region, name);
    const op = await this.db.transaction(async (tx) => {
      const locked = await this.addresses.findForUpdate(tx, current.id);
      if (!locked) throw GoogleErrors.notFound(path);
      const fingerprint = String(locked.resource['labelFingerprint'] ?? EMPTY_LABELS_FINGERPRINT);
      if (body.labelFingerprint === undefined || !sameFingerprint(body.labelFingerprint, fingerprint)) {
        throw GoogleErrors.conditionNotMet(
          'Labels fingerprint either invalid or resource labels have changed',
        );
      }
      const { labels: _old, ...rest } = locked.resource;
      await this.addresses.updateResource(tx, current.id, {
        ...rest,
        ...(Object.keys(labels).length > 0 ? { labels } : {}),
        labelFingerprint: labelFingerprintOf(labels),
      });
      return this.operations.record(tx, {
        project: ctx.project,
        scope: region,
        operationType: 'setLabels',
        targetLink: path,
        targetId: current.id,
        requestId,
      });
    });
    return this.operations.render(op, ctx.base);
  }

  /**
   * Deleting an address a forwarding rule uses fails at once (400 `resourceInUseByAnotherResource`), as on Google
   * Cloud. The row is locked before the check; the foreign keys refuse whatever the check misses.
   */
  async delete(ctx: ComputeContext, region: string, name: string, requestId?: string): Promise<WireObject> {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const current = await this.require(ctx, region, name);
    const path = addressPath(ctx.project, region, name);
    const firstUser = async (tx?: Tx) =>
      (await this.references.usersOf({ addressId: current.id }, tx))[0] ?? null;
    const op = await deleteUnlessInUse(
      () =>
        this.db.transaction(async (tx) => {
          if (!(await this.addresses.findForUpdate(tx, current.id))) throw GoogleErrors.notFound(path);
          const user = await firstUser(tx);
          if (user) throw resourceInUseError('address', path, user);
          await this.addresses.delete(tx, current.id);
          return this.operations.record(tx, {
            project: ctx.project,
            scope: region,
            operationType: 'delete',
            targetLink: path,
            targetId: current.id,
            requestId,
          });
        }),
      'address',
      path,
      () => firstUser(),
    );
    return this.operations.render(op, ctx.base);
  }

  /**
   * A global internal address belongs to a network, not a subnetwork: a range for private services access
   * (`VPC_PEERING`, a block of `prefixLength`) or a Private Service Connect endpoint IP.
   */
  private async globalInternalPlacement(ctx: ComputeContext, body: AddressBody): Promise<Placement> {
    if (body.purpose === undefined) throw GoogleErrors.required('resource.purpose');
    checkEnum('resource.purpose', body.purpose, GLOBAL_INTERNAL_PURPOSES);
    if (body.network === undefined) throw GoogleErrors.required('resource.network');
    const relative = relativeReference(ctx.project, body.network, 'global/networks');
    const match = relative?.match(/^projects\/([^/]+)\/global\/networks\/([^/]+)$/);
    if (!match || match[1] !== ctx.project) {
      throw GoogleErrors.invalidFieldValue('resource.network', body.network, 'Invalid network.');
    }
    const network = await this.networks.find(ctx.project, match[2] as string);
    if (!network) throw GoogleErrors.notFound(relative as string);
    const placement = {
      subnet: null,
      purpose: body.purpose,
      network: { id: network.id, link: String(network.resource['selfLink']) },
    };
    if (body.purpose === 'PRIVATE_SERVICE_CONNECT') {
      if (body.address === undefined) throw GoogleErrors.required('resource.address');
      return { ...placement, range: makeCidr(parseIpv4(body.address) as number, 32) };
    }
    const prefixLength = body.prefixLength === undefined ? undefined : Number(body.prefixLength);
    if (prefixLength === undefined) throw GoogleErrors.required('resource.prefixLength');
    if (!Number.isInteger(prefixLength) || prefixLength < 8 || prefixLength > 30) {
      throw GoogleErrors.invalidFieldValue(
        'resource.prefixLength',
        body.prefixLength,
        'Must be between 8 and 30.',
      );
    }
    return { ...placement, range: makeCidr(0, 0), prefixLength };
  }

  /**
   * The block of a VPC_PEERING range: the given start address (aligned), else the lowest free block of private
   * space; either way clear of the network's subnetwork ranges and of its other peering ranges.
   */
  private async peeringBlock(
    tx: Tx,
    networkId: bigint,
    wanted: string | undefined,
    prefixLength: number,
  ): Promise<string> {
    const used = [
      ...(await this.subnetworks.listByNetwork(tx, networkId)).flatMap((subnet) => [
        String(subnet.resource['ipCidrRange']),
        ...((subnet.resource['secondaryIpRanges'] as { ipCidrRange?: string }[] | undefined) ?? []).map((r) =>
          String(r.ipCidrRange),
        ),
      ]),
      ...(await this.addresses.peeringRanges(tx, networkId)),
    ].map(parseCidrOrThrow);
    if (wanted !== undefined) {
      const start = parseIpv4(wanted) as number;
      const block = makeCidr(start, prefixLength);
      if (block.network !== start) {
        throw GoogleErrors.invalidFieldValue(
          'resource.address',
          wanted,
          `The address must be the first address of a /${prefixLength} range.`,
        );
      }
      const clash = used.find((range) => cidrOverlaps(range, block));
      if (clash) {
        throw GoogleErrors.invalidFieldValue(
          'resource.address',
          wanted,
          `The range ${formatCidr(block)} overlaps ${formatCidr(clash)} in the network.`,
        );
      }
      return wanted;
    }
    for (const space of PEERING_SPACE) {
      const free = findFreeRange(space, prefixLength, used);
      if (free) return formatIpv4(free.network);
    }
    throw GoogleErrors.invalid(`IP_SPACE_EXHAUSTED: no free /${prefixLength} range is left in the network.`);
  }

  private async internalPlacement(
    ctx: ComputeContext,
    region: string,
    body: AddressBody,
  ): Promise<Placement> {
    checkEnum('resource.purpose', body.purpose, REGIONAL_INTERNAL_PURPOSES);
    if (body.subnetwork === undefined) {
      throw GoogleErrors.invalidFieldValue(
        'resource.subnetwork',
        '',
        'An internal address needs the subnetwork it is reserved in.',
      );
    }
    const relative = relativeReference(ctx.project, body.subnetwork, `regions/${region}/subnetworks`);
    const match = relative?.match(/^projects\/([^/]+)\/regions\/([^/]+)\/subnetworks\/([^/]+)$/);
    if (!match || match[1] !== ctx.project || match[2] !== region) {
      throw GoogleErrors.invalidFieldValue(
        'resource.subnetwork',
        body.subnetwork,
        `Must be a subnetwork of this project in region '${region}'.`,
      );
    }
    const subnet = await this.subnetworks.find(ctx.project, region, match[3] as string);
    if (!subnet) throw GoogleErrors.notFound(relative as string);
    return {
      range: parseCidrOrThrow(String(subnet.resource['ipCidrRange'])),
      subnet,
      purpose: body.purpose ?? 'GCE_ENDPOINT',
    };
  }

  /** A given address after checking it may be used; else the lowest free one of the range. */
  private chooseAddress(
    wanted: string | undefined,
    range: Cidr,
    subnet: StoredSubnetwork | null,
    addressType: 'EXTERNAL' | 'INTERNAL' | string,
    taken: readonly number[],
  ): string {
    const reserved = subnet
      ? reservedInSubnet(range)
      : [range.network, range.network + (2 ** (32 - range.prefixLength) - 1)];
    if (wanted !== undefined) {
      const ip = parseIpv4(wanted) as number;
      if (!cidrHasAddress(range, ip)) {
        throw GoogleErrors.invalidFieldValue(
          'resource.address',
          wanted,
          subnet
            ? `The address is not in the primary range ${formatCidr(range)} of the subnetwork.`
            : `External addresses in gke-emulator come from ${formatCidr(range)}.`,
        );
      }
      if (reserved.includes(ip)) {
        throw GoogleErrors.invalidFieldValue(
          'resource.address',
          wanted,
          'The address is reserved by Google Cloud in the subnetwork.',
        );
      }
      if (taken.includes(ip))
        throw addressInUse(wanted, addressType === 'INTERNAL' ? 'INTERNAL' : 'EXTERNAL');
      return wanted;
    }
    const free = lowestFreeAddress(range, taken, reserved);
    if (!free) {
      throw GoogleErrors.invalid(
        addressType === 'INTERNAL'
          ? `IP_SPACE_EXHAUSTED: no free address is left in ${formatCidr(range)}.`
          : `IP_SPACE_EXHAUSTED: no free external address is left in ${formatCidr(makeCidr(range.network, range.prefixLength))}.`,
      );
    }
    return free;
  }

  private async require(ctx: ComputeContext, region: string, name: string): Promise<StoredAddress> {
    if (region !== GLOBAL) assertRegion(ctx.project, region);
    const address = await this.addresses.find(ctx.project, region, name);
    if (!address) throw GoogleErrors.notFound(addressPath(ctx.project, region, name));
    return address;
  }
}
