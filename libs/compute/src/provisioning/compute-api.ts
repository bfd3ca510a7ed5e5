import { Injectable } from '@nestjs/common';
import { GoogleApiError, relativeReference, sameJson } from '@gke-emulator/common';
import { AddressService } from '../addresses/address.service';
import { FirewallService } from '../firewalls/firewall.service';
import { type ControllerGroup, InstanceGroupService } from '../instance-groups/instance-group.service';
import { LoadBalancingService } from '../load-balancing/load-balancing.service';
import type { ComputeContext, WireObject } from '../shared/compute-context';

/** Links in what these calls return are rendered against the real API's root, as a Google controller sees them. */
const INTERNAL_BASE = 'https://www.googleapis.com/compute/v1/';

/** The Compute collections another API group's controllers may write. */
export type ComputeCollection =
  | 'addresses'
  | 'firewalls'
  | 'forwardingRules'
  | 'targetPools'
  | 'httpHealthChecks'
  | 'healthChecks'
  | 'backendServices'
  | 'urlMaps'
  | 'targetHttpProxies';

/**
 * The Compute API as GKE's own controllers use it (the service controller, the ingress controller): the same use
 * cases, validation and referential integrity as a client's requests, called in process. Calls are synchronous
 * here (the operation is done when they return); a failed operation (a resource still in use) throws its error.
 */
@Injectable()
export class ComputeApi {
  constructor(
    private readonly addresses: AddressService,
    private readonly firewalls: FirewallService,
    private readonly loadBalancing: LoadBalancingService,
    private readonly instanceGroups: InstanceGroupService,
  ) {}

  /**
   * Creates a controller's unmanaged instance group in a zone (on the cluster's network, holding the cluster's
   * nodes there) or adds the named ports it lacks; returns whether it wrote.
   */
  ensureInstanceGroup(group: ControllerGroup): Promise<boolean> {
    return this.instanceGroups.ensureControllerGroup(group);
  }

  /** The zones where the project has an unmanaged instance group of this name. */
  instanceGroupZones(project: string, name: string): Promise<string[]> {
    return this.instanceGroups.controllerGroupZones(project, name);
  }

  /**
   * Deletes a controller's instance group in every zone it is in, unless something still uses it: as the GKE
   * controllers do, a group another load balancer's backend service names stays (its in-use error is expected).
   * Returns the zones whose group went.
   */
  async deleteInstanceGroupIfUnused(project: string, name: string): Promise<string[]> {
    const deleted: string[] = [];
    for (const zone of await this.instanceGroups.controllerGroupZones(project, name)) {
      try {
        await this.instanceGroups.deleteGroup(this.context(project), zone, name);
        deleted.push(zone);
      } catch (error) {
        if (error instanceof GoogleApiError && (error.httpStatus === 404 || error.httpStatus === 400))
          continue;
        throw error;
      }
    }
    return deleted;
  }

  private context(project: string): ComputeContext {
    return { project, base: INTERNAL_BASE };
  }

  /** The resource, or null when it does not exist. `scope` is "global" or a region. */
  async get(
    collection: ComputeCollection,
    project: string,
    scope: string,
    name: string,
  ): Promise<WireObject | null> {
    try {
      const ctx = this.context(project);
      if (collection === 'addresses') return await this.addresses.get(ctx, scope, name);
      if (collection === 'firewalls') return await this.firewalls.get(ctx, name);
      return await this.loadBalancing.get(this.kind(collection, scope), ctx, scope, name);
    } catch (error) {
      if (error instanceof GoogleApiError && error.httpStatus === 404) return null;
      throw error;
    }
  }

  /** The names of a collection's resources in one scope (every page). */
  async names(collection: ComputeCollection, project: string, scope: string): Promise<string[]> {
    const ctx = this.context(project);
    const names: string[] = [];
    let pageToken: string | undefined;
    do {
      const query = pageToken ? { pageToken } : {};
      const page =
        collection === 'addresses'
          ? await this.addresses.list(ctx, scope, query)
          : collection === 'firewalls'
            ? await this.firewalls.list(ctx, query)
            : await this.loadBalancing.list(this.kind(collection, scope), ctx, scope, query);
      names.push(...(page.items as WireObject[]).map((item) => String(item['name'])));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return names;
  }

  async insert(
    collection: ComputeCollection,
    project: string,
    scope: string,
    body: WireObject,
  ): Promise<void> {
    const ctx = this.context(project);
    const op =
      collection === 'addresses'
        ? await this.addresses.insert(ctx, scope, body)
        : collection === 'firewalls'
          ? await this.firewalls.insert(ctx, body)
          : await this.loadBalancing.insert(this.kind(collection, scope), ctx, scope, body);
    assertSucceeded(op);
  }

  /** Replaces a resource's fields (PUT semantics where the API has them, else PATCH). */
  async patch(collection: ComputeCollection, project: string, scope: string, name: string, body: WireObject) {
    const ctx = this.context(project);
    if (collection === 'firewalls')
      return assertSucceeded(await this.firewalls.patch(ctx, name, body, undefined, true));
    if (collection === 'addresses') throw new Error('addresses cannot be patched');
    const kind = this.kind(collection, scope);
    return assertSucceeded(
      await this.loadBalancing.patch(kind, ctx, scope, name, body, undefined, kind.updatable),
    );
  }

  /**
   * Replaces a resource's fields (PUT) only when that changes what is stored, compared as stored (defaults filled,
   * links normalised): returns whether it wrote. An unchanged resource gets no operation and keeps its fingerprint.
   */
  async updateIfChanged(
    collection: ComputeCollection,
    project: string,
    scope: string,
    name: string,
    body: WireObject,
  ): Promise<boolean> {
    const ctx = this.context(project);
    if (collection === 'addresses') throw new Error('addresses cannot be patched');
    if (collection === 'targetPools') {
      const changed = await this.syncTargetPoolInstances(ctx, scope, name, body);
      if (changed !== undefined) return changed;
    }
    const op =
      collection === 'firewalls'
        ? await this.firewalls.updateIfChanged(ctx, name, body)
        : await this.loadBalancing.updateIfChanged(this.kind(collection, scope), ctx, scope, name, body);
    if (op) assertSucceeded(op);
    return op !== null;
  }

  /**
   * A target pool has no update method: as the service controller does when the cluster's nodes change, its
   * instances follow `body` through addInstance and removeInstance. Returns whether it wrote, or undefined when
   * another field differs too (left to the update, which target pools refuse).
   */
  private async syncTargetPoolInstances(
    ctx: ComputeContext,
    region: string,
    name: string,
    body: WireObject,
  ): Promise<boolean | undefined> {
    const kind = this.kind('targetPools', region);
    const stored = (await this.loadBalancing.get(kind, ctx, region, name)) as WireObject;
    const relative = (links: unknown) =>
      (Array.isArray(links) ? links : []).map(
        (link) => relativeReference(ctx.project, String(link), 'zones') ?? String(link),
      );
    const others = Object.keys(body).filter((key) => key !== 'instances' && key !== 'name');
    const same = (key: string) =>
      key === 'healthChecks'
        ? sameJson(relative(stored[key]), relative(body[key]))
        : sameJson(stored[key], body[key]);
    if (!others.every(same)) return undefined;
    const have = new Set(relative(stored['instances']));
    const want = new Set(relative(body['instances']));
    const removed = [...have].filter((link) => !want.has(link));
    const added = [...want].filter((link) => !have.has(link));
    const instances = (links: string[]) => ({ instances: links.map((instance) => ({ instance })) });
    if (removed.length > 0)
      assertSucceeded(
        await this.loadBalancing.verb(kind, 'removeInstance', ctx, region, name, instances(removed), {}),
      );
    if (added.length > 0)
      assertSucceeded(
        await this.loadBalancing.verb(kind, 'addInstance', ctx, region, name, instances(added), {}),
      );
    return removed.length + added.length > 0;
  }

  /** Deletes the resource if it exists. */
  async delete(collection: ComputeCollection, project: string, scope: string, name: string): Promise<void> {
    try {
      const ctx = this.context(project);
      const op =
        collection === 'addresses'
          ? await this.addresses.delete(ctx, scope, name)
          : collection === 'firewalls'
            ? await this.firewalls.delete(ctx, name)
            : await this.loadBalancing.delete(this.kind(collection, scope), ctx, scope, name);
      assertSucceeded(op);
    } catch (error) {
      if (error instanceof GoogleApiError && error.httpStatus === 404) return;
      throw error;
    }
  }

  private kind(collection: ComputeCollection, scope: string) {
    const kind = this.loadBalancing.kindFor(collection, scope);
    if (!kind) throw new Error(`${collection} is not implemented in scope ${scope}`);
    return kind;
  }
}

function assertSucceeded(op: WireObject): void {
  const error = op['error'] as { errors?: { code?: string; message?: string }[] } | undefined;
  const first = error?.errors?.[0];
  if (first) {
    throw new GoogleApiError(
      Number(op['httpErrorStatusCode'] ?? 400),
      'resourceInUseByAnotherResource',
      first.message ?? String(first.code),
    );
  }
}
