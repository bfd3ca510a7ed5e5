import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { applyListQuery, GoogleErrors, newResourceId, parseWireBody, renderWire } from '@gke-emulator/common';
import { Database, type Tx } from '@gke-emulator/db';
import { AUTO_MODE_SUBNET_RANGES } from '@gke-emulator/netaddr';
import {
  deleteUnlessInUse,
  firstInstanceGroupUser,
  firstNodeUser,
  resourceInUseError,
} from '../shared/in-use';
import { OperationService } from '../operations/operation.service';
import { writeWithOperation } from '../operations/recorded-write';
import type { ComputeContext, ListQuery, WireObject } from '../shared/compute-context';
import { assertResourceName } from '../shared/names';
import { ProjectRepository } from '../shared/project.repository';
import { computeTimestamp } from '../shared/timestamps';
import { AddressRepository } from '../addresses/address.repository';
import { LoadBalancingRepository } from '../load-balancing/load-balancing.repository';
import { FirewallRepository } from '../firewalls/firewall.repository';
import { RouteRepository, type StoredRoute } from '../routes/route.repository';
import { RouteService } from '../routes/route.service';
import { SubnetworkRepository, type StoredSubnetwork } from '../subnetworks/subnetwork.repository';
import { SubnetworkService } from '../subnetworks/subnetwork.service';
import { NetworkRepository, type StoredNetwork } from './network.repository';
import { NETWORK_SCHEMA } from './network.schema';

interface NetworkBody {
  name?: string;
  description?: string;
  autoCreateSubnetworks?: boolean;
  IPv4Range?: string;
  mtu?: number | string;
  routingConfig?: { routingMode?: string; bgpBestPathSelectionMode?: string } & WireObject;
  networkFirewallPolicyEnforcementOrder?: string;
  enableUlaInternalIpv6?: boolean;
  internalIpv6Range?: string;
  networkProfile?: string;
}

export const ROUTING_MODES = ['REGIONAL', 'GLOBAL'];
export const BGP_MODES = ['LEGACY', 'STANDARD'];
export const ENFORCEMENT_ORDERS = ['AFTER_CLASSIC_FIREWALL', 'BEFORE_CLASSIC_FIREWALL'];
const NETWORK_PROFILE_LINK = /(?:^|\/)projects\/([^/]+)\/global\/networkProfiles\/([a-z0-9-]+)$/;
const RESOURCE_NAME = /^[a-z0-9-]+$/;

function networkPath(project: string, name: string): string {
  return `projects/${project}/global/networks/${name}`;
}

function checkEnum(field: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(String(value))) {
    throw GoogleErrors.invalidFieldValue(field, value, `Must be one of [${allowed.join(', ')}].`);
  }
}

function checkMtu(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const mtu = Number(value);
  if (mtu < 1300 || mtu > 8896) {
    throw GoogleErrors.invalidFieldValue(
      'resource.mtu',
      value,
      'The MTU must be between 1300 and 8896 bytes.',
    );
  }
  return mtu;
}

/** A network profile given as a URL, a relative link or a name, stored as the relative link. */
function networkProfileOf(project: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const link = NETWORK_PROFILE_LINK.exec(value);
  if (link) return `projects/${link[1]}/global/networkProfiles/${link[2]}`;
  if (RESOURCE_NAME.test(value)) return `projects/${project}/global/networkProfiles/${value}`;
  throw GoogleErrors.invalidFieldValue('resource.networkProfile', value, 'Invalid network profile.');
}

/**
 * The ULA range Google picks for a network with `enableUlaInternalIpv6`: a /48 in fd20::/20, written the way
 * Google writes it (`fd20:eb5:88a:0:0:0:0:0/48`), unless the client chose one.
 */
function ulaRange(given: string | undefined): string {
  if (given !== undefined && given !== '') return given;
  const bits = randomBytes(4).readUInt32BE(0);
  const second = (bits >>> 16) & 0x0fff;
  return `fd20:${second.toString(16)}:${(bits & 0xffff).toString(16)}:0:0:0:0:0/48`;
}

/** The IPv6 fields of a network: Google omits `enableUlaInternalIpv6` unless it is true. */
function ipv6Fields(body: NetworkBody, current?: WireObject): WireObject {
  const enabled = body.enableUlaInternalIpv6 ?? current?.['enableUlaInternalIpv6'] === true;
  if (!enabled) return {};
  const range = current?.['internalIpv6Range'];
  return {
    enableUlaInternalIpv6: true,
    internalIpv6Range: typeof range === 'string' ? range : ulaRange(body.internalIpv6Range),
  };
}

function routingConfigOf(input: NetworkBody['routingConfig'], current?: WireObject): WireObject {
  checkEnum('resource.routingConfig.routingMode', input?.routingMode, ROUTING_MODES);
  checkEnum('resource.routingConfig.bgpBestPathSelectionMode', input?.bgpBestPathSelectionMode, BGP_MODES);
  return {
    routingMode: 'REGIONAL',
    bgpBestPathSelectionMode: 'LEGACY',
    ...(current ?? {}),
    ...(input ?? {}),
  };
}

@Injectable()
export class NetworkService {
  constructor(
    private readonly db: Database,
    private readonly networks: NetworkRepository,
    private readonly subnetworks: SubnetworkRepository,
    private readonly subnetworkService: SubnetworkService,
    private readonly firewalls: FirewallRepository,
    private readonly routes: RouteRepository,
    private readonly routeService: RouteService,
    private readonly addresses: AddressRepository,
    private readonly references: LoadBalancingRepository,
    private readonly projects: ProjectRepository,
    private readonly operations: OperationService,
  ) {}

  async get(ctx: ComputeContext, name: string): Promise<WireObject> {
    const network = await this.require(ctx, name);
    const links = await this.networks.subnetworkLinks([network.id]);
    return this.render(network, links.get(network.id) ?? [], ctx.base);
  }

  async list(ctx: ComputeContext, query: ListQuery) {
    const networks = await this.networks.list(ctx.project);
    const links = await this.networks.subnetworkLinks(networks.map((n) => n.id));
    const items = networks.map((n) => this.render(n, links.get(n.id) ?? [], ctx.base));
    return applyListQuery(items, query, (item) => ({
      name: String(item['name']),
      creationTimestamp: String(item['creationTimestamp']),
    }));
  }

  async insert(ctx: ComputeContext, rawBody: unknown, requestId?: string): Promise<WireObject> {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const body = parseWireBody<NetworkBody>(rawBody, NETWORK_SCHEMA);
    const name = assertResourceName(body.name);
    if (body.IPv4Range !== undefined || body.autoCreateSubnetworks === undefined) {
      throw GoogleErrors.invalidFieldValue(
        'resource.autoCreateSubnetworks',
        body.autoCreateSubnetworks ?? '',
        'Legacy networks are not supported: set autoCreateSubnetworks to true (auto mode) or false (custom mode).',
      );
    }
    checkEnum(
      'resource.networkFirewallPolicyEnforcementOrder',
      body.networkFirewallPolicyEnforcementOrder,
      ENFORCEMENT_ORDERS,
    );
    // Google returns `mtu` only when the client set it (the default of 1460 applies unseen).
    const mtu = checkMtu(body.mtu);
    const networkProfile = networkProfileOf(ctx.project, body.networkProfile);
    const id = newResourceId();
    const path = networkPath(ctx.project, name);
    const network: StoredNetwork = {
      id,
      project: ctx.project,
      name,
      resource: {
        kind: 'compute#network',
        id: id.toString(),
        creationTimestamp: computeTimestamp(new Date()),
        name,
        ...(body.description !== undefined ? { description: body.description } : {}),
        selfLink: path,
        selfLinkWithId: `projects/${ctx.project}/global/networks/${id}`,
        autoCreateSubnetworks: body.autoCreateSubnetworks,
        ...(mtu === undefined ? {} : { mtu }),
        ...ipv6Fields(body),
        ...(networkProfile === undefined ? {} : { networkProfile }),
        routingConfig: routingConfigOf(body.routingConfig),
        networkFirewallPolicyEnforcementOrder:
          body.networkFirewallPolicyEnforcementOrder ?? 'AFTER_CLASSIC_FIREWALL',
      },
    };
    const target = { scope: 'global', operationType: 'insert', targetLink: path, targetId: id, requestId };
    return writeWithOperation(
      this.db,
      this.operations,
      ctx,
      target,
      'network_project_id_name_key',
      async (tx) => {
        await this.projects.ensure(tx, ctx.project);
        await this.networks.insert(tx, network);
        await this.routeService.insertDefaultRoute(tx, network);
        if (body.autoCreateSubnetworks)
          await this.subnetworkService.insertAutoMode(tx, network, AUTO_MODE_SUBNET_RANGES);
      },
    );
  }

  async patch(ctx: ComputeContext, name: string, rawBody: unknown, requestId?: string): Promise<WireObject> {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const current = await this.require(ctx, name);
    const body = parseWireBody<NetworkBody>(rawBody, NETWORK_SCHEMA);
    if (body.name !== undefined && body.name !== name) {
      throw GoogleErrors.invalidFieldValue('resource.name', body.name, 'Field cannot be patched.');
    }
    if (
      body.autoCreateSubnetworks !== undefined &&
      body.autoCreateSubnetworks !== current.resource['autoCreateSubnetworks']
    ) {
      throw GoogleErrors.invalidFieldValue(
        'resource.autoCreateSubnetworks',
        body.autoCreateSubnetworks,
        'Field cannot be patched; use switchToCustomMode.',
      );
    }
    checkEnum(
      'resource.networkFirewallPolicyEnforcementOrder',
      body.networkFirewallPolicyEnforcementOrder,
      ENFORCEMENT_ORDERS,
    );
    const { enableUlaInternalIpv6: _e, internalIpv6Range: _r, ...kept } = current.resource;
    const next: WireObject = { ...kept, ...ipv6Fields(body, current.resource) };
    const mtu = checkMtu(body.mtu);
    if (mtu !== undefined) next['mtu'] = mtu;
    if (body.routingConfig !== undefined) {
      next['routingConfig'] = routingConfigOf(
        body.routingConfig,
        current.resource['routingConfig'] as WireObject,
      );
    }
    if (body.description !== undefined) next['description'] = body.description;
    if (body.networkFirewallPolicyEnforcementOrder !== undefined) {
      next['networkFirewallPolicyEnforcementOrder'] = body.networkFirewallPolicyEnforcementOrder;
    }
    const op = await this.db.transaction(async (tx) => {
      await this.networks.update(tx, { ...current, resource: next });
      return this.operations.record(tx, {
        project: ctx.project,
        scope: 'global',
        // Google names a network patch's operation after the internal method it runs.
        operationType: 'updateNetwork',
        targetLink: networkPath(ctx.project, name),
        targetId: current.id,
        requestId,
      });
    });
    return this.operations.render(op, ctx.base);
  }

  /** Auto mode → custom mode: the subnetworks Google created stay, but become the user's to delete. */
  async switchToCustomMode(ctx: ComputeContext, name: string, requestId?: string): Promise<WireObject> {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const path = networkPath(ctx.project, name);
    const op = await this.db.transaction(async (tx) => {
      const network = await this.networks.findForUpdate(tx, ctx.project, name);
      if (!network) throw GoogleErrors.notFound(path);
      if (network.resource['autoCreateSubnetworks'] !== true) {
        throw GoogleErrors.invalid(`Network '${path}' is already a custom mode network.`);
      }
      await this.networks.update(tx, {
        ...network,
        resource: { ...network.resource, autoCreateSubnetworks: false },
      });
      await this.subnetworks.adoptAutoCreated(tx, network.id);
      return this.operations.record(tx, {
        project: ctx.project,
        scope: 'global',
        operationType: 'switchToCustomMode',
        targetLink: path,
        targetId: network.id,
        requestId,
      });
    });
    return this.operations.render(op, ctx.base);
  }

  /**
   * Deleting a network that something still uses fails at once (400 `resourceInUseByAnotherResource`, naming the
   * user), as on Google Cloud; the subnetworks an auto mode network created for itself go with it. The network row
   * is locked before the check, so a referrer inserted meanwhile waits and then finds the network gone (its foreign
   * key); one the check does not cover is refused by the foreign key and reported the same way.
   */
  async delete(ctx: ComputeContext, name: string, requestId?: string): Promise<WireObject> {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const path = networkPath(ctx.project, name);
    let networkId: bigint | null = null;
    const op = await deleteUnlessInUse(
      () =>
        this.db.transaction(async (tx) => {
          const network = await this.networks.findForUpdate(tx, ctx.project, name);
          if (!network) throw GoogleErrors.notFound(path);
          networkId = network.id;
          const subnets = await this.subnetworks.listByNetwork(tx, network.id);
          const routes = await this.routes.listByNetwork(tx, network.id);
          const blocking = await this.firstUser(tx, network.id, subnets, routes);
          if (blocking) throw resourceInUseError('network', path, blocking);
          await this.subnetworks.deleteMany(
            tx,
            subnets.map((subnet) => subnet.id),
          );
          await this.routes.deleteMany(
            tx,
            routes.map((route) => route.id),
          );
          await this.networks.delete(tx, network.id);
          return this.operations.record(tx, {
            project: ctx.project,
            scope: 'global',
            operationType: 'delete',
            targetLink: path,
            targetId: network.id,
            requestId,
          });
        }),
      'network',
      path,
      () =>
        this.db.transaction(async (tx) => {
          if (networkId === null) return null;
          const id: bigint = networkId;
          const subnets = await this.subnetworks.listByNetwork(tx, id);
          const routes = await this.routes.listByNetwork(tx, id);
          return this.firstUser(tx, id, subnets, routes);
        }),
    );
    return this.operations.render(op, ctx.base);
  }

  /**
   * What keeps a network from being deleted: a load-balancing resource (an internal forwarding rule), a firewall
   * rule, a static route, a subnetwork of the user's, an address reserved in one of its subnetworks, a GKE node or
   * an instance group.
   */
  private async firstUser(
    tx: Tx,
    networkId: bigint,
    subnets: readonly StoredSubnetwork[],
    routes: readonly StoredRoute[],
  ): Promise<string | null> {
    const [forwardingRule] = await this.references.usersOf({ networkId }, tx);
    if (forwardingRule) return forwardingRule;
    const [peering] = await this.addresses.ofNetworkOnly(tx, networkId);
    if (peering) return String(peering.resource['selfLink']);
    const firewall = (await this.firewalls.listByNetwork(networkId, tx))[0];
    if (firewall) return String(firewall.resource['selfLink']);
    const route = routes.find((r) => !r.systemGenerated);
    if (route) return String(route.resource['selfLink']);
    const subnet = subnets.find((s) => !s.autoCreated);
    if (subnet) return String(subnet.resource['selfLink']);
    // An address reserved in an auto-created subnetwork keeps that subnetwork, and so the network, in use.
    const [address] = await this.addresses.inSubnetworks(
      tx,
      subnets.map((s) => s.id),
    );
    if (address) return String(address.resource['selfLink']);
    return (await firstNodeUser(tx, { networkId })) ?? firstInstanceGroupUser(tx, networkId);
  }

  private render(network: StoredNetwork, subnetworkLinks: string[], base: string): WireObject {
    return renderWire(
      { ...network.resource, ...(subnetworkLinks.length > 0 ? { subnetworks: subnetworkLinks } : {}) },
      base,
    );
  }

  private async require(ctx: ComputeContext, name: string): Promise<StoredNetwork> {
    const network = await this.networks.find(ctx.project, name);
    if (!network) throw GoogleErrors.notFound(networkPath(ctx.project, name));
    return network;
  }
}
