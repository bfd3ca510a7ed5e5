import { Injectable } from '@nestjs/common';
import {
  applyListQuery,
  GoogleErrors,
  newResourceId,
  parseWireBody,
  renderWire,
  sameJson,
} from '@gke-emulator/common';
import { Database, type Tx } from '@gke-emulator/db';
import { NetworkRepository, type StoredNetwork } from '../networks/network.repository';
import { OperationService } from '../operations/operation.service';
import { writeWithOperation } from '../operations/recorded-write';
import type { ComputeContext, ListQuery, WireObject } from '../shared/compute-context';
import { assertResourceName } from '../shared/names';
import { ProjectRepository } from '../shared/project.repository';
import { networkNameOf } from '../shared/references';
import { computeTimestamp } from '../shared/timestamps';
import { type FirewallBody, validateFirewallRule } from './firewall-rule.validation';
import { FirewallRepository, type StoredFirewall } from './firewall.repository';
import { FIREWALL_SCHEMA } from './firewall.schema';

function firewallPath(project: string, name: string): string {
  return `projects/${project}/global/firewalls/${name}`;
}

const sortKeys = (item: WireObject) => ({
  name: String(item['name']),
  creationTimestamp: String(item['creationTimestamp']),
});

@Injectable()
export class FirewallService {
  constructor(
    private readonly db: Database,
    private readonly firewalls: FirewallRepository,
    private readonly networks: NetworkRepository,
    private readonly projects: ProjectRepository,
    private readonly operations: OperationService,
  ) {}

  async get(ctx: ComputeContext, name: string): Promise<WireObject> {
    return renderWire((await this.require(ctx, name)).resource, ctx.base);
  }

  async list(ctx: ComputeContext, query: ListQuery) {
    const items = (await this.firewalls.list(ctx.project)).map((f) => renderWire(f.resource, ctx.base));
    return applyListQuery(items, query, sortKeys);
  }

  /** networks.getEffectiveFirewalls: the network's rules, in evaluation order (no firewall policies here). */
  async effectiveFirewalls(ctx: ComputeContext, networkName: string) {
    const network = await this.networks.find(ctx.project, networkName);
    if (!network) throw GoogleErrors.notFound(`projects/${ctx.project}/global/networks/${networkName}`);
    const rules = await this.firewalls.listByNetwork(network.id);
    return { firewalls: rules.map((rule) => renderWire(rule.resource, ctx.base)) };
  }

  async insert(ctx: ComputeContext, rawBody: unknown, requestId?: string): Promise<WireObject> {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const body = parseWireBody<FirewallBody>(rawBody, FIREWALL_SCHEMA);
    const name = assertResourceName(body.name);
    const fields = validateFirewallRule(body);
    const network = await this.requireNetwork(ctx, body.network ?? 'global/networks/default');
    const id = newResourceId();
    const path = firewallPath(ctx.project, name);
    const firewall: StoredFirewall = {
      id,
      project: ctx.project,
      name,
      networkId: network.id,
      resource: {
        kind: 'compute#firewall',
        id: id.toString(),
        creationTimestamp: computeTimestamp(new Date()),
        name,
        network: `projects/${ctx.project}/global/networks/${network.name}`,
        selfLink: path,
        ...fields,
      },
    };
    return this.write(ctx, path, 'insert', id, requestId, async (tx) => {
      await this.projects.ensure(tx, ctx.project);
      if (!(await this.networks.findForShare(tx, ctx.project, network.name))) {
        throw GoogleErrors.notFound(`projects/${ctx.project}/global/networks/${network.name}`);
      }
      await this.firewalls.insert(tx, firewall);
    });
  }

  /** PATCH merges the given fields into the rule; PUT (update) replaces it. The network never changes. */
  async patch(ctx: ComputeContext, name: string, rawBody: unknown, requestId?: string, replace = false) {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const { next } = await this.patched(ctx, name, rawBody, replace);
    return this.writePatch(ctx, next, replace, requestId);
  }

  /**
   * A controller's update (PUT) that writes only what drifted: when the rule as it would be stored equals the
   * stored one, nothing is written and null is returned (no operation), else the operation.
   */
  async updateIfChanged(ctx: ComputeContext, name: string, rawBody: unknown): Promise<WireObject | null> {
    const { current, next } = await this.patched(ctx, name, rawBody, true);
    if (sameJson(current.resource, next.resource)) return null;
    return this.writePatch(ctx, next, true, undefined);
  }

  /** The rule a patch (or update) would store, validated. */
  private async patched(ctx: ComputeContext, name: string, rawBody: unknown, replace: boolean) {
    const current = await this.require(ctx, name);
    const body = parseWireBody<FirewallBody>(rawBody, FIREWALL_SCHEMA);
    if (body.name !== undefined && body.name !== name) {
      throw GoogleErrors.invalidFieldValue('resource.name', body.name, 'Field cannot be changed.');
    }
    if (body.network !== undefined) {
      const networkName = networkNameOf(ctx.project, body.network, 'resource.network');
      if (`projects/${ctx.project}/global/networks/${networkName}` !== current.resource['network']) {
        throw GoogleErrors.invalidFieldValue(
          'resource.network',
          body.network,
          'The network of a firewall rule cannot be changed.',
        );
      }
    }
    const merged = replace ? body : mergePatch(current.resource, body);
    const fields = validateFirewallRule(merged);
    const { kind, id, creationTimestamp, network, selfLink } = current.resource;
    const next: StoredFirewall = {
      ...current,
      resource: { kind, id, creationTimestamp, name, network, selfLink, ...fields },
    };
    return { current, next };
  }

  private writePatch(
    ctx: ComputeContext,
    next: StoredFirewall,
    replace: boolean,
    requestId: string | undefined,
  ) {
    return this.write(
      ctx,
      firewallPath(ctx.project, next.name),
      replace ? 'update' : 'patch',
      next.id,
      requestId,
      (tx) => this.firewalls.update(tx, next),
    );
  }

  async delete(ctx: ComputeContext, name: string, requestId?: string): Promise<WireObject> {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const current = await this.require(ctx, name);
    return this.write(ctx, firewallPath(ctx.project, name), 'delete', current.id, requestId, (tx) =>
      this.firewalls.delete(tx, current.id),
    );
  }

  private async write(
    ctx: ComputeContext,
    path: string,
    operationType: string,
    targetId: bigint,
    requestId: string | undefined,
    work: (tx: Tx) => Promise<void>,
  ): Promise<WireObject> {
    const target = { scope: 'global', operationType, targetLink: path, targetId, requestId };
    return writeWithOperation(this.db, this.operations, ctx, target, 'firewall_project_id_name_key', work);
  }

  private async requireNetwork(ctx: ComputeContext, reference: string): Promise<StoredNetwork> {
    const networkName = networkNameOf(ctx.project, reference, 'resource.network');
    const network = await this.networks.find(ctx.project, networkName);
    if (!network) throw GoogleErrors.notFound(`projects/${ctx.project}/global/networks/${networkName}`);
    return network;
  }

  private async require(ctx: ComputeContext, name: string): Promise<StoredFirewall> {
    const firewall = await this.firewalls.find(ctx.project, name);
    if (!firewall) throw GoogleErrors.notFound(firewallPath(ctx.project, name));
    return firewall;
  }
}

/**
 * A PATCH body's fields replace the stored ones; unmentioned fields stay. Source and destination defaults are
 * recomputed from what remains, so the stored `0.0.0.0/0` default does not survive a patch that adds tags.
 */
function mergePatch(current: WireObject, body: FirewallBody): FirewallBody {
  const base = { ...current } as FirewallBody & WireObject;
  const sourcesChanged = body.sourceTags !== undefined || body.sourceServiceAccounts !== undefined;
  if (sourcesChanged && body.sourceRanges === undefined && isDefaultRange(base.sourceRanges))
    delete base.sourceRanges;
  if (body.allowed !== undefined) delete base.denied;
  if (body.denied !== undefined) delete base.allowed;
  return { ...base, ...body };
}

function isDefaultRange(ranges: string[] | undefined): boolean {
  return ranges?.length === 1 && ranges[0] === '0.0.0.0/0';
}
