import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  applyListQuery,
  GoogleErrors,
  newResourceId,
  parseWireBody,
  relativeReference,
  renderWire,
} from '@gke-emulator/common';
import { Database, type Tx } from '@gke-emulator/db';
import { cidrContains, parseCidrOrThrow, parseIpv4, cidrHasAddress } from '@gke-emulator/netaddr';
import { NetworkRepository, type StoredNetwork } from '../networks/network.repository';
import { OperationService } from '../operations/operation.service';
import { writeWithOperation } from '../operations/recorded-write';
import type { ComputeContext, ListQuery, WireObject } from '../shared/compute-context';
import { assertResourceName } from '../shared/names';
import { ProjectRepository } from '../shared/project.repository';
import { networkNameOf } from '../shared/references';
import { computeTimestamp } from '../shared/timestamps';
import { RouteRepository, type StoredRoute } from './route.repository';
import { ROUTE_SCHEMA } from './route.schema';
import {
  checkDestRange,
  checkRoutePriority,
  checkRouteTags,
  DEFAULT_INTERNET_GATEWAY,
  type NextHop,
  parseNextHop,
  type RouteBody,
} from './route.validation';
import { subnetRoute } from './subnet-routes';

function routePath(project: string, name: string): string {
  return `projects/${project}/global/routes/${name}`;
}

const NEXT_HOP_FIELD: Record<NextHop['kind'], string> = {
  gateway: 'nextHopGateway',
  ip: 'nextHopIp',
  instance: 'nextHopInstance',
  ilb: 'nextHopIlb',
  vpnTunnel: 'nextHopVpnTunnel',
};

const sortKeys = (item: WireObject) => ({
  name: String(item['name']),
  creationTimestamp: String(item['creationTimestamp']),
});

@Injectable()
export class RouteService {
  constructor(
    private readonly db: Database,
    private readonly routes: RouteRepository,
    private readonly networks: NetworkRepository,
    private readonly projects: ProjectRepository,
    private readonly operations: OperationService,
  ) {}

  /** Static routes and the subnet routes derived from every subnet range. */
  async list(ctx: ComputeContext, query: ListQuery) {
    const [stored, ranges] = await Promise.all([
      this.routes.list(ctx.project),
      this.routes.subnetRanges(ctx.project),
    ]);
    const items = [...stored.map((route) => route.resource), ...ranges.map(subnetRoute)].map((r) =>
      renderWire(r, ctx.base),
    );
    return applyListQuery(items, query, sortKeys);
  }

  async get(ctx: ComputeContext, name: string): Promise<WireObject> {
    const stored = await this.routes.find(ctx.project, name);
    if (stored) return renderWire(stored.resource, ctx.base);
    const derived = await this.findSubnetRoute(ctx.project, name);
    if (!derived) throw GoogleErrors.notFound(routePath(ctx.project, name));
    return renderWire(derived, ctx.base);
  }

  async insert(ctx: ComputeContext, rawBody: unknown, requestId?: string): Promise<WireObject> {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const body = parseWireBody<RouteBody>(rawBody, ROUTE_SCHEMA);
    const name = assertResourceName(body.name);
    const destRange = checkDestRange(body.destRange);
    const priority = checkRoutePriority(body.priority);
    const tags = checkRouteTags(body.tags);
    const nextHop = parseNextHop(ctx.project, body);
    const networkName = networkNameOf(
      ctx.project,
      body.network ?? 'global/networks/default',
      'resource.network',
    );
    const network = await this.networks.find(ctx.project, networkName);
    if (!network) throw GoogleErrors.notFound(`projects/${ctx.project}/global/networks/${networkName}`);
    await this.checkAgainstSubnets(ctx, network, destRange, nextHop);

    const id = newResourceId();
    const path = routePath(ctx.project, name);
    const route: StoredRoute = {
      id,
      project: ctx.project,
      name,
      networkId: network.id,
      systemGenerated: false,
      resource: {
        kind: 'compute#route',
        id: id.toString(),
        creationTimestamp: computeTimestamp(new Date()),
        name,
        ...(body.description !== undefined ? { description: body.description } : {}),
        network: `projects/${ctx.project}/global/networks/${network.name}`,
        destRange,
        priority,
        ...(tags ? { tags } : {}),
        [NEXT_HOP_FIELD[nextHop.kind]]: nextHop.value,
        // Google returns no `routeType` for a user's static route (recorded); readers take it as STATIC.
        selfLink: path,
      },
    };
    const target = { scope: 'global', operationType: 'insert', targetLink: path, targetId: id, requestId };
    return writeWithOperation(
      this.db,
      this.operations,
      ctx,
      target,
      'route_project_id_name_key',
      async (tx) => {
        await this.projects.ensure(tx, ctx.project);
        if (!(await this.networks.findForShare(tx, ctx.project, network.name))) {
          throw GoogleErrors.notFound(`projects/${ctx.project}/global/networks/${network.name}`);
        }
        // Again under a share lock: the forwarding rule cannot go before this route is committed.
        if (nextHop.kind === 'ilb') await this.checkInternalLoadBalancer(ctx, network, nextHop.value, tx);
        await this.routes.insert(tx, route);
      },
    );
  }

  async delete(ctx: ComputeContext, name: string, requestId?: string): Promise<WireObject> {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const path = routePath(ctx.project, name);
    const stored = await this.routes.find(ctx.project, name);
    if (!stored) {
      if (await this.findSubnetRoute(ctx.project, name)) {
        throw GoogleErrors.invalid(
          `The route '${path}' is a subnet route: it is removed with its subnetwork range.`,
        );
      }
      throw GoogleErrors.notFound(path);
    }
    const op = await this.db.transaction(async (tx) => {
      await this.routes.delete(tx, stored.id);
      return this.operations.record(tx, {
        project: ctx.project,
        scope: 'global',
        operationType: 'delete',
        targetLink: path,
        targetId: stored.id,
        requestId,
      });
    });
    return this.operations.render(op, ctx.base);
  }

  /** The default route to the internet every new network gets (`gcloud compute routes list` shows it). */
  async insertDefaultRoute(tx: Tx, network: StoredNetwork): Promise<void> {
    const id = newResourceId();
    const name = `default-route-${randomBytes(8).toString('hex')}`;
    await this.routes.insert(tx, {
      id,
      project: network.project,
      name,
      networkId: network.id,
      systemGenerated: true,
      resource: {
        kind: 'compute#route',
        id: id.toString(),
        creationTimestamp: computeTimestamp(new Date()),
        name,
        description: 'Default route to the Internet.',
        network: `projects/${network.project}/global/networks/${network.name}`,
        destRange: '0.0.0.0/0',
        priority: 1000,
        nextHopGateway: `projects/${network.project}/global/gateways/${DEFAULT_INTERNET_GATEWAY}`,
        routeType: 'STATIC',
        selfLink: routePath(network.project, name),
      },
    });
  }

  /**
   * A static route may not be as specific as a subnet route or more (Google's subnet route interaction rule),
   * and a next hop IP must be an address in the network.
   */
  private async checkAgainstSubnets(
    ctx: ComputeContext,
    network: StoredNetwork,
    destRange: string,
    nextHop: NextHop,
  ) {
    const ranges = await this.routes.subnetRanges(ctx.project, network.id);
    const dest = parseCidrOrThrow(destRange);
    const shadowed = ranges.find((range) => cidrContains(parseCidrOrThrow(range.cidr), dest));
    if (shadowed) {
      // Google's wording, as gcloud shows it.
      throw GoogleErrors.invalidFieldValue(
        'resource.destRange',
        destRange,
        `${destRange} hides the address space of the network (${shadowed.cidr}). ` +
          'Cannot change the routing of packets destined for the network.',
      );
    }
    if (nextHop.kind === 'ip') {
      const ip = parseIpv4(nextHop.value) as number;
      if (!ranges.some((range) => cidrHasAddress(parseCidrOrThrow(range.cidr), ip))) {
        throw GoogleErrors.invalidFieldValue(
          'resource.nextHopIp',
          nextHop.value,
          `The next hop IP is not in a subnetwork of network '${network.name}'.`,
        );
      }
    }
    if (nextHop.kind === 'instance') {
      // The emulator's instances are GKE nodes' VMs.
      const instanceProject = nextHop.value.split('/')[1] ?? ctx.project;
      const instanceNetwork = await this.routes.instanceNetwork(
        instanceProject,
        nextHop.zone,
        nextHop.instance,
      );
      if (instanceNetwork === null) throw GoogleErrors.notFound(nextHop.value);
      if (instanceNetwork !== network.id) {
        throw GoogleErrors.invalidFieldValue(
          'resource.nextHopInstance',
          nextHop.value,
          `The next hop instance has no network interface in network '${network.name}'.`,
        );
      }
    }
    if (nextHop.kind === 'ilb') await this.checkInternalLoadBalancer(ctx, network, nextHop.value);
    if (nextHop.kind === 'vpnTunnel') {
      // VPN tunnels are not emulated: the reference cannot resolve.
      throw GoogleErrors.notFound(
        nextHop.value.startsWith('projects/')
          ? nextHop.value
          : `projects/${ctx.project}/regions/-/vpnTunnels/${nextHop.value}`,
      );
    }
  }

  /**
   * `nextHopIlb` names an internal passthrough load balancer of the route's network: a forwarding rule with
   * scheme INTERNAL, by link or by its IP address.
   */
  private async checkInternalLoadBalancer(
    ctx: ComputeContext,
    network: StoredNetwork,
    value: string,
    tx?: Tx,
  ) {
    const byIp = parseIpv4(value) !== null;
    const relative = byIp ? null : relativeReference(ctx.project, value, 'regions/-/forwardingRules');
    const match = relative?.match(/^projects\/([^/]+)\/regions\/([^/]+)\/forwardingRules\/([^/]+)$/);
    if (!byIp && (!match || match[2] === '-')) {
      throw GoogleErrors.invalidFieldValue(
        'resource.nextHopIlb',
        value,
        'Must be a forwarding rule URL or the IP address of one.',
      );
    }
    const [rule] = await this.routes.forwardingRules(
      ctx.project,
      byIp ? { ip: value } : { region: match?.[2] as string, name: match?.[3] as string },
      tx,
    );
    if (!rule)
      throw GoogleErrors.notFound(relative ?? `projects/${ctx.project}/regions/-/forwardingRules/${value}`);
    if (rule.resource['loadBalancingScheme'] !== 'INTERNAL') {
      throw GoogleErrors.invalidFieldValue(
        'resource.nextHopIlb',
        value,
        'The next hop must be an internal passthrough load balancer (loadBalancingScheme INTERNAL).',
      );
    }
    if (rule.resource['network'] !== `projects/${ctx.project}/global/networks/${network.name}`) {
      throw GoogleErrors.invalidFieldValue(
        'resource.nextHopIlb',
        value,
        `The forwarding rule is not in network '${network.name}'.`,
      );
    }
  }

  private async findSubnetRoute(project: string, name: string): Promise<WireObject | null> {
    if (!name.startsWith('default-route-')) return null;
    return (
      (await this.routes.subnetRanges(project)).map(subnetRoute).find((route) => route['name'] === name) ??
      null
    );
  }
}
