import { Injectable } from '@nestjs/common';
import {
  applyListQuery,
  GoogleErrors,
  newFingerprint,
  newResourceId,
  parseWireBody,
  renderWire,
  sameFingerprint,
} from '@gke-emulator/common';
import { asConstraintViolation, Database, type Tx } from '@gke-emulator/db';
import {
  type Cidr,
  cidrContains,
  cidrEquals,
  findFreeRange,
  formatCidr,
  parseCidrOrThrow,
} from '@gke-emulator/netaddr';
import { AddressRepository } from '../addresses/address.repository';
import { LoadBalancingRepository } from '../load-balancing/load-balancing.repository';
import { deleteUnlessInUse, firstNodeUser, resourceInUseError } from '../shared/in-use';
import { OperationService } from '../operations/operation.service';
import { NetworkRepository, type StoredNetwork } from '../networks/network.repository';
import type { ComputeContext, ListQuery, WireObject } from '../shared/compute-context';
import { assertResourceName } from '../shared/names';
import { newProjectNumber } from '../shared/project.repository';
import { assertSameRegion, networkNameOf } from '../shared/references';
import { aggregateByScope, REGION_SCOPES } from '../shared/aggregated-list';
import { assertRegion } from '../shared/regions';
import {
  assertOutsideAutoModeBlock,
  parseRange,
  parseSecondaryRanges,
  type SubnetRangeClaim,
} from './subnetwork-ranges';
import { SubnetworkRepository, type StoredSubnetwork } from './subnetwork.repository';
import { EXPAND_SCHEMA, PRIVATE_ACCESS_SCHEMA, SUBNETWORK_SCHEMA } from './subnetwork.schema';

import {
  assertEnum,
  buildResource,
  networkNameFromLink,
  overlapsText,
  PRIVATE_IPV6_ACCESS,
  PURPOSES,
  rangesOf,
  sortKeys,
  staleFingerprint,
  subnetworkPath,
  type SubnetworkBody,
  wireSecondary,
} from './subnetwork.resource';

@Injectable()
export class SubnetworkService {
  constructor(
    private readonly db: Database,
    private readonly subnetworks: SubnetworkRepository,
    private readonly networks: NetworkRepository,
    private readonly operations: OperationService,
    private readonly addresses: AddressRepository,
    private readonly references: LoadBalancingRepository,
  ) {}

  render(subnet: StoredSubnetwork, base: string): WireObject {
    return renderWire(subnet.resource, base);
  }

  async get(ctx: ComputeContext, region: string, name: string): Promise<WireObject> {
    return this.render(await this.require(ctx, region, name), ctx.base);
  }

  async list(ctx: ComputeContext, region: string, query: ListQuery) {
    assertRegion(ctx.project, region);
    const items = (await this.subnetworks.list(ctx.project, region)).map((s) => this.render(s, ctx.base));
    return applyListQuery(items, query, sortKeys);
  }

  /** The subnetworks of one network, in one query. */
  async listByNetwork(ctx: ComputeContext, networkName: string): Promise<WireObject[]> {
    const network = await this.networks.find(ctx.project, networkName);
    if (!network) return [];
    return (await this.subnetworks.listByNetwork(null, network.id)).map((s) => this.render(s, ctx.base));
  }

  /** Every region's subnetworks, keyed `regions/<r>`, with Google's warning for the empty scopes. */
  async aggregatedList(ctx: ComputeContext, query: ListQuery) {
    const all = (await this.subnetworks.list(ctx.project)).map((s) => this.render(s, ctx.base));
    const page = applyListQuery(all, query, sortKeys);
    return {
      items: aggregateByScope(page.items, 'subnetworks', REGION_SCOPES),
      nextPageToken: page.nextPageToken,
    };
  }

  async insert(
    ctx: ComputeContext,
    region: string,
    rawBody: unknown,
    requestId?: string,
  ): Promise<WireObject> {
    assertRegion(ctx.project, region);
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const body = parseWireBody<SubnetworkBody>(rawBody, SUBNETWORK_SCHEMA);
    const name = assertResourceName(body.name);
    const networkName = networkNameOf(ctx.project, body.network, 'resource.network');
    assertSameRegion(ctx.project, region, body.region, 'resource.region');
    const network = await this.networks.find(ctx.project, networkName);
    if (!network) throw GoogleErrors.notFound(`projects/${ctx.project}/global/networks/${networkName}`);
    const primary =
      body.ipCidrRange === undefined && body.reservedInternalRange
        ? await this.rangeForInternalRange(network.id)
        : parseRange('resource.ipCidrRange', body.ipCidrRange, 'primary');
    const secondary = parseSecondaryRanges(primary, body.secondaryIpRanges);
    assertEnum('resource.purpose', body.purpose, PURPOSES);
    assertEnum('resource.privateIpv6GoogleAccess', body.privateIpv6GoogleAccess, PRIVATE_IPV6_ACCESS);
    if (body.stackType !== undefined && body.stackType !== 'IPV4_ONLY') {
      throw GoogleErrors.invalidFieldValue(
        'resource.stackType',
        body.stackType,
        'gke-emulator supports IPV4_ONLY subnetworks only.',
      );
    }
    const claims: SubnetRangeClaim[] = [{ rangeName: null, cidr: primary }, ...secondary];
    if (network.resource['autoCreateSubnetworks'] === true) assertOutsideAutoModeBlock(claims);

    const id = newResourceId();
    const path = subnetworkPath(ctx.project, region, name);
    const subnet: StoredSubnetwork = {
      id,
      project: ctx.project,
      region,
      name,
      networkId: network.id,
      autoCreated: false,
      fingerprint: newFingerprint(),
      resource: {},
    };
    subnet.resource = buildResource(subnet, network, primary, {
      description: body.description,
      secondaryIpRanges: secondary,
      privateIpGoogleAccess: body.privateIpGoogleAccess ?? false,
      privateIpv6GoogleAccess: body.privateIpv6GoogleAccess,
      purpose: body.purpose,
      role: body.role,
      enableFlowLogs: body.enableFlowLogs,
      logConfig: body.logConfig,
      reservedInternalRange: body.reservedInternalRange,
      allowSubnetCidrRoutesOverlap: body.allowSubnetCidrRoutesOverlap,
    });
    const op = await this.operations.prepare({
      project: ctx.project,
      scope: region,
      operationType: 'insert',
      targetLink: path,
      targetId: id,
      requestId,
    });
    // One statement writes the project, subnetwork, ranges and operation; overlaps are the constraint's to refuse.
    const inserted = await this.translateViolations(network.id, claims, path, () =>
      this.subnetworks.insertWithOperation(subnet, networkName, claims, op, newProjectNumber()),
    );
    if (!inserted) throw GoogleErrors.notFound(`projects/${ctx.project}/global/networks/${networkName}`);
    return this.operations.render(op, ctx.base);
  }

  /**
   * The primary range of a subnetwork made on a reserved internal range with no `ipCidrRange`: the range is
   * the internal range's, which lives in the Network Connectivity API the emulator does not serve, so the
   * emulator takes the lowest free /20 of 10.0.0.0/8 in the network (Google's default internal range size).
   */
  private async rangeForInternalRange(networkId: bigint): Promise<Cidr> {
    const used = (await this.subnetworks.listByNetwork(null, networkId)).flatMap((s) =>
      rangesOf(s.resource).map((claim) => claim.cidr),
    );
    const free = findFreeRange(parseCidrOrThrow('10.0.0.0/8'), 20, used);
    if (!free) throw GoogleErrors.invalid('IP_SPACE_EXHAUSTED: no free /20 range is left in 10.0.0.0/8.');
    return free;
  }

  /** The auto mode subnetworks of a new network: one per region, named like the network. */
  async insertAutoMode(
    tx: Tx,
    network: StoredNetwork,
    ranges: readonly { region: string; ipCidrRange: string }[],
  ) {
    for (const { region, ipCidrRange } of ranges) {
      const primary = parseCidrOrThrow(ipCidrRange);
      const subnet: StoredSubnetwork = {
        id: newResourceId(),
        project: network.project,
        region,
        name: network.name,
        networkId: network.id,
        autoCreated: true,
        fingerprint: newFingerprint(),
        resource: {},
      };
      subnet.resource = buildResource(subnet, network, primary, {
        secondaryIpRanges: [],
        privateIpGoogleAccess: false,
      });
      await this.subnetworks.insert(tx, subnet, [{ rangeName: null, cidr: primary }]);
    }
  }

  async patch(ctx: ComputeContext, region: string, name: string, rawBody: unknown, requestId?: string) {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const current = await this.require(ctx, region, name);
    const body = parseWireBody<SubnetworkBody>(rawBody, SUBNETWORK_SCHEMA);
    if (body.fingerprint === undefined || body.fingerprint === '')
      throw GoogleErrors.required('resource.fingerprint');
    if (!sameFingerprint(body.fingerprint, current.fingerprint)) throw staleFingerprint();
    for (const field of ['name', 'ipCidrRange'] as const) {
      if (body[field] !== undefined && body[field] !== current.resource[field]) {
        throw GoogleErrors.invalidFieldValue(
          `resource.${field}`,
          body[field],
          field === 'ipCidrRange'
            ? 'The primary range can only be changed with expandIpCidrRange.'
            : 'Field cannot be patched.',
        );
      }
    }
    if (
      body.network !== undefined &&
      networkNameOf(ctx.project, body.network, 'resource.network') !== networkNameFromLink(current)
    ) {
      throw GoogleErrors.invalidFieldValue('resource.network', body.network, 'Field cannot be patched.');
    }
    assertSameRegion(ctx.project, region, body.region, 'resource.region');
    assertEnum('resource.privateIpv6GoogleAccess', body.privateIpv6GoogleAccess, PRIVATE_IPV6_ACCESS);
    if (body.stackType !== undefined && body.stackType !== 'IPV4_ONLY') {
      throw GoogleErrors.invalidFieldValue(
        'resource.stackType',
        body.stackType,
        'gke-emulator supports IPV4_ONLY subnetworks only.',
      );
    }
    const primary = parseCidrOrThrow(String(current.resource['ipCidrRange']));
    const next: WireObject = { ...current.resource };
    let claims: SubnetRangeClaim[] | undefined;
    if (body.secondaryIpRanges !== undefined) {
      const secondary = parseSecondaryRanges(primary, body.secondaryIpRanges);
      claims = [{ rangeName: null, cidr: primary }, ...secondary];
      const network = await this.networks.find(ctx.project, networkNameFromLink(current));
      if (network?.resource['autoCreateSubnetworks'] === true && !current.autoCreated)
        assertOutsideAutoModeBlock(secondary);
      await this.assertNoConflicts(current.networkId, secondary, current.id);
      if (secondary.length > 0) next['secondaryIpRanges'] = secondary.map(wireSecondary);
      else delete next['secondaryIpRanges'];
    }
    for (const field of [
      'description',
      'privateIpGoogleAccess',
      'privateIpv6GoogleAccess',
      'enableFlowLogs',
      'role',
    ] as const) {
      if (body[field] !== undefined) next[field] = body[field];
    }
    if (body.logConfig !== undefined) next['logConfig'] = { enable: false, ...body.logConfig };
    return this.update(ctx, current, next, 'patch', requestId, claims);
  }

  async expandIpCidrRange(
    ctx: ComputeContext,
    region: string,
    name: string,
    rawBody: unknown,
    requestId?: string,
  ) {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const current = await this.require(ctx, region, name);
    const body = parseWireBody<{ ipCidrRange?: string }>(
      rawBody,
      EXPAND_SCHEMA,
      'subnetworksExpandIpCidrRangeRequestResource',
    );
    const wanted = parseRange(
      'subnetworksExpandIpCidrRangeRequestResource.ipCidrRange',
      body.ipCidrRange,
      'primary',
    );
    const claims = rangesOf(current.resource);
    const primary = (claims[0] as SubnetRangeClaim).cidr;
    if (!cidrContains(wanted, primary) || cidrEquals(wanted, primary)) {
      throw GoogleErrors.invalidFieldValue(
        'subnetworksExpandIpCidrRangeRequestResource.ipCidrRange',
        body.ipCidrRange,
        `Invalid IPCidrRange: ${formatCidr(wanted)} must be a strict superset of the current range ${formatCidr(primary)}.`,
      );
    }
    const network = await this.networks.find(ctx.project, networkNameFromLink(current));
    if (network?.resource['autoCreateSubnetworks'] === true && !current.autoCreated) {
      assertOutsideAutoModeBlock([{ rangeName: null, cidr: wanted }]);
    }
    const next = { ...current.resource, ipCidrRange: formatCidr(wanted) };
    const newClaims = [{ rangeName: null, cidr: wanted }, ...claims.slice(1)];
    await this.assertNoConflicts(current.networkId, [newClaims[0] as SubnetRangeClaim], current.id);
    return this.update(ctx, current, next, 'expandIpCidrRange', requestId, newClaims);
  }

  async setPrivateIpGoogleAccess(
    ctx: ComputeContext,
    region: string,
    name: string,
    rawBody: unknown,
    requestId?: string,
  ) {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const current = await this.require(ctx, region, name);
    const body = parseWireBody<{ privateIpGoogleAccess?: boolean }>(
      rawBody,
      PRIVATE_ACCESS_SCHEMA,
      'subnetworksSetPrivateIpGoogleAccessRequestResource',
    );
    const next = { ...current.resource, privateIpGoogleAccess: body.privateIpGoogleAccess ?? false };
    return this.update(ctx, current, next, 'setPrivateIpGoogleAccess', requestId);
  }

  /**
   * Deleting a subnetwork that something still uses fails at once (400 `resourceInUseByAnotherResource`), as on
   * Google Cloud. The row is locked before the check; the foreign keys refuse whatever the check misses.
   */
  async delete(ctx: ComputeContext, region: string, name: string, requestId?: string): Promise<WireObject> {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const current = await this.require(ctx, region, name);
    const path = subnetworkPath(ctx.project, region, name);
    const op = await deleteUnlessInUse(
      () =>
        this.db.transaction(async (tx) => {
          if (!(await this.subnetworks.lock(tx, current.id))) throw GoogleErrors.notFound(path);
          const user = await this.firstUser(tx, current.id);
          if (user) throw resourceInUseError('subnetwork', path, user);
          await this.subnetworks.delete(tx, current.id);
          return this.operations.record(tx, {
            project: ctx.project,
            scope: region,
            operationType: 'delete',
            targetLink: path,
            targetId: current.id,
            requestId,
          });
        }),
      'subnetwork',
      path,
      () => this.db.transaction((tx) => this.firstUser(tx, current.id)),
    );
    return this.operations.render(op, ctx.base);
  }

  /** What keeps a subnetwork: an address reserved in it, a load-balancing resource on it, a GKE node. */
  private async firstUser(tx: Tx, subnetworkId: bigint): Promise<string | null> {
    const [address] = await this.addresses.inSubnetworks(tx, [subnetworkId]);
    if (address) return String(address.resource['selfLink']);
    const [user] = await this.references.usersOf({ subnetworkId }, tx);
    return user ?? firstNodeUser(tx, { subnetworkId });
  }

  private async update(
    ctx: ComputeContext,
    current: StoredSubnetwork,
    resource: WireObject,
    operationType: string,
    requestId: string | undefined,
    claims?: SubnetRangeClaim[],
  ): Promise<WireObject> {
    const fingerprint = newFingerprint();
    const next: StoredSubnetwork = { ...current, fingerprint, resource: { ...resource, fingerprint } };
    const path = subnetworkPath(ctx.project, current.region, current.name);
    const op = await this.write(
      current.networkId,
      claims ?? [],
      path,
      async (tx) => {
        if (!(await this.subnetworks.update(tx, next, current.fingerprint, claims))) throw staleFingerprint();
        return this.operations.record(tx, {
          project: ctx.project,
          scope: current.region,
          operationType,
          targetLink: path,
          targetId: current.id,
          requestId,
        });
      },
      current.id,
    );
    return this.operations.render(op, ctx.base);
  }

  /** Runs a write in one transaction, turning constraint violations into the errors Google returns. */
  private write<T>(
    networkId: bigint,
    claims: readonly SubnetRangeClaim[],
    path: string,
    work: (tx: Tx) => Promise<T>,
    exceptSubnetworkId?: bigint,
  ): Promise<T> {
    return this.translateViolations(
      networkId,
      claims,
      path,
      () => this.db.transaction(work),
      exceptSubnetworkId,
    );
  }

  /**
   * Turns constraint violations (lost races, or overlaps the database found first) into Google's errors: the
   * overlap message names the subnetwork whose range conflicts.
   */
  private async translateViolations<T>(
    networkId: bigint,
    claims: readonly SubnetRangeClaim[],
    path: string,
    work: () => Promise<T>,
    exceptSubnetworkId?: bigint,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const violation = asConstraintViolation(error);
      if (
        violation?.kind === 'unique' &&
        violation.constraint !== 'operation_project_id_client_operation_id_key'
      ) {
        throw GoogleErrors.alreadyExists(path);
      }
      if (violation?.kind === 'exclusion') {
        await this.assertNoConflicts(networkId, claims, exceptSubnetworkId);
        throw GoogleErrors.invalid(
          'Invalid IPCidrRange: the range conflicts with another range of the network.',
        );
      }
      if (violation?.kind === 'foreignKey') throw GoogleErrors.notFound(path);
      throw error;
    }
  }

  private async assertNoConflicts(
    networkId: bigint,
    claims: readonly SubnetRangeClaim[],
    exceptSubnetworkId?: bigint,
  ) {
    const conflicts = await this.subnetworks.conflicts(
      networkId,
      claims.map((claim) => formatCidr(claim.cidr)),
      exceptSubnetworkId,
    );
    const conflict = conflicts[0];
    if (!conflict) return;
    const mine = claims.find((claim) => overlapsText(claim.cidr, conflict.cidr)) ?? claims[0];
    throw GoogleErrors.invalid(
      `Invalid IPCidrRange: ${mine ? formatCidr(mine.cidr) : conflict.cidr} conflicts with existing subnetwork '${conflict.subnetwork}' in region '${conflict.region}'.`,
    );
  }

  private async require(ctx: ComputeContext, region: string, name: string): Promise<StoredSubnetwork> {
    assertRegion(ctx.project, region);
    const subnet = await this.subnetworks.find(ctx.project, region, name);
    if (!subnet) throw GoogleErrors.notFound(subnetworkPath(ctx.project, region, name));
    return subnet;
  }
}
