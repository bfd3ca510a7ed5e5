import { Injectable } from '@nestjs/common';
import {
  applyListQuery,
  GoogleErrors,
  newResourceId,
  parseWireBody,
  renderWire,
  sameJson,
} from '@gke-emulator/common';
import { asConstraintViolation, Database, type Tx } from '@gke-emulator/db';
import { OperationService } from '../operations/operation.service';
import { writeWithOperation } from '../operations/recorded-write';
import { aggregateByScope, REGION_SCOPES } from '../shared/aggregated-list';
import type { ComputeContext, ListQuery, WireObject } from '../shared/compute-context';
import { assertResourceName } from '../shared/names';
import { ProjectRepository } from '../shared/project.repository';
import { resourceInUseError } from '../shared/in-use';
import { assertRegion } from '../shared/regions';
import { computeTimestamp } from '../shared/timestamps';
import { LoadBalancingKinds } from './load-balancing-kinds';
import type { LoadBalancingKind, LoadBalancingRecord, PreparedResource } from './load-balancing-kind';
import { LoadBalancingRepository } from './load-balancing.repository';
import { ReferenceResolverFactory } from './reference.resolver';
import { urlMapStatus } from './kinds/url-map.status';

const GLOBAL = 'global';
const sortKeys = (item: WireObject) => ({
  name: String(item['name']),
  creationTimestamp: String(item['creationTimestamp']),
});

export function scopedPath(project: string, scope: string, collection: string, name: string): string {
  return scope === GLOBAL
    ? `projects/${project}/global/${collection}/${name}`
    : `projects/${project}/regions/${scope}/${collection}/${name}`;
}

/** `insert` or, for kinds Google names that way, `compute.targetGrpcProxies.insert`. */
export function operationTypeOf(kind: LoadBalancingKind, method: string): string {
  return kind.qualifiedOperationTypes ? `compute.${kind.collection}.${method}` : method;
}

/** `backendServices` → `BACKEND_SERVICE`: a collection as Google's internal resource names spell it. */
function internalKindName(collection: string): string {
  return collection
    .replace(/ies$/, 'y')
    .replace(/([^s])s$/, '$1')
    .replace(/([A-Z])/g, '_$1')
    .toUpperCase();
}

/**
 * A link in the internal form some messages use: `projects/p/regions/r/backendServices/b` →
 * `REGION:r/PROJECT:<number>/BACKEND_SERVICE:b`.
 */
export function internalName(link: string, projectNumber: string): string {
  const match = link.match(/projects\/[^/]+\/(?:global|regions\/([^/]+))\/([A-Za-z]+)\/([^/]+)$/);
  if (!match) return link;
  const scope = match[1] ? `REGION:${match[1]}` : 'GLOBAL:global';
  return `${scope}/PROJECT:${projectNumber}/${internalKindName(match[2] as string)}:${match[3]}`;
}

export { resourceInUseError } from '../shared/in-use';

/** The record with the fields its kind decides inside the write transaction (`PreparedResource.complete`). */
async function completed(
  tx: Tx,
  record: LoadBalancingRecord,
  prepared: PreparedResource,
): Promise<LoadBalancingRecord> {
  if (!prepared.complete) return record;
  return { ...record, resource: { ...record.resource, ...(await prepared.complete(tx)) } };
}

/**
 * The use cases every load-balancing kind shares: identity, validation through its kind definition, storage
 * with its references in one transaction, operations, lists, and deletes refused while something still uses
 * the resource (inside the operation, naming the user, as Google does).
 */
@Injectable()
export class LoadBalancingService {
  constructor(
    private readonly db: Database,
    private readonly kinds: LoadBalancingKinds,
    private readonly records: LoadBalancingRepository,
    private readonly resolvers: ReferenceResolverFactory,
    private readonly projects: ProjectRepository,
    private readonly operations: OperationService,
  ) {}

  /**
   * The kind behind a URL collection in a scope (`null`: any scope, for aggregated lists), or null when the
   * emulator does not implement it there.
   */
  kindFor(collection: string, scope: string | null): LoadBalancingKind | null {
    const kind = this.kinds.byCollection(collection);
    if (!kind || scope === null) return kind ?? null;
    if (scope === GLOBAL ? kind.scopes === 'regional' : kind.scopes === 'global') return null;
    return kind;
  }

  async get(kind: LoadBalancingKind, ctx: ComputeContext, scope: string, name: string): Promise<WireObject> {
    const [rendered] = await this.render(kind, [await this.require(kind, ctx, scope, name)], ctx.base);
    return rendered as WireObject;
  }

  async list(kind: LoadBalancingKind, ctx: ComputeContext, scope: string, query: ListQuery) {
    this.checkScope(ctx, scope);
    const items = await this.render(
      kind,
      await this.records.list(ctx.project, kind.collection, scope),
      ctx.base,
    );
    return applyListQuery(items, query, sortKeys);
  }

  /** The stored objects as read: with `usedBy` and `selfLinkWithId` for the kinds that show them. */
  private async render(
    kind: LoadBalancingKind,
    records: readonly LoadBalancingRecord[],
    base: string,
  ): Promise<WireObject[]> {
    const users = kind.showsUsedBy
      ? await this.records.usersOfMany(
          'loadBalancingId',
          records.map((r) => r.id),
        )
      : new Map<bigint, string[]>();
    const forwardingRules = kind.showsQuotaStatus
      ? await this.records.forwardingRulesThroughProxies(records.map((r) => r.id))
      : new Map<bigint, number>();
    return records.map((record) => {
      const using = [...new Set(users.get(record.id) ?? [])];
      return renderWire(
        {
          ...record.resource,
          ...(kind.showsSelfLinkWithId
            ? {
                selfLinkWithId: String(record.resource['selfLink']).replace(/[^/]+$/, record.id.toString()),
              }
            : {}),
          ...(using.length > 0 ? { usedBy: using.map((reference) => ({ reference })) } : {}),
          ...(kind.showsQuotaStatus ? { status: urlMapStatus(forwardingRules.get(record.id) ?? 0) } : {}),
        },
        base,
      );
    });
  }

  async aggregatedList(kind: LoadBalancingKind, ctx: ComputeContext, query: ListQuery) {
    const items = await this.render(kind, await this.records.list(ctx.project, kind.collection), ctx.base);
    const page = applyListQuery(items, query, sortKeys);
    const scopes = kind.scopes === 'regional' ? REGION_SCOPES : [GLOBAL, ...REGION_SCOPES];
    return {
      items: aggregateByScope(page.items, kind.collection, scopes),
      nextPageToken: page.nextPageToken,
    };
  }

  async insert(
    kind: LoadBalancingKind,
    ctx: ComputeContext,
    scope: string,
    rawBody: unknown,
    requestId?: string,
  ) {
    this.checkScope(ctx, scope);
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const body = parseWireBody<WireObject>(rawBody, kind.schema);
    const name = assertResourceName(body['name']);
    const prepared = await kind.prepare({
      ctx,
      scope,
      name,
      body,
      resolve: this.resolvers.create(ctx, scope),
    });
    const id = newResourceId();
    const path = scopedPath(ctx.project, scope, kind.collection, name);
    const record: LoadBalancingRecord = {
      id,
      project: ctx.project,
      kind: kind.collection,
      scope,
      name,
      resource: {
        ...prepared.fields,
        kind: kind.wireKind,
        id: id.toString(),
        creationTimestamp: computeTimestamp(new Date()),
        name,
        ...(scope === GLOBAL ? {} : { region: `projects/${ctx.project}/regions/${scope}` }),
        selfLink: path,
      },
    };
    return this.write(ctx, scope, path, operationTypeOf(kind, 'insert'), id, requestId, async (tx) => {
      await this.projects.ensure(tx, ctx.project);
      await this.records.insert(tx, await completed(tx, record, prepared), prepared.references);
    });
  }

  /** PATCH merges into the stored object; PUT (update) replaces it. Identity and scope never change. */
  async patch(
    kind: LoadBalancingKind,
    ctx: ComputeContext,
    scope: string,
    name: string,
    rawBody: unknown,
    requestId: string | undefined,
    replace: boolean,
  ) {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const { next, prepared, method } = await this.patched(kind, ctx, scope, name, rawBody, replace);
    return this.writePatch(kind, ctx, scope, next, prepared, method, requestId);
  }

  /**
   * A controller's update (PUT) that writes only what drifted: the body is normalised as a write would store it,
   * and when that equals the stored object (its fingerprint aside) nothing is written — no operation, the same
   * fingerprint; null then, else the operation.
   */
  async updateIfChanged(
    kind: LoadBalancingKind,
    ctx: ComputeContext,
    scope: string,
    name: string,
    rawBody: unknown,
  ): Promise<WireObject | null> {
    const { current, next, prepared, method } = await this.patched(kind, ctx, scope, name, rawBody, true);
    const { fingerprint: _before, ...stored } = current.resource;
    const { fingerprint: _after, ...wanted } = next.resource;
    if (!prepared.complete && sameJson(stored, wanted)) return null;
    return this.writePatch(kind, ctx, scope, next, prepared, method, undefined);
  }

  /** The record a patch (or update) would store, validated, and what its kind prepared. */
  private async patched(
    kind: LoadBalancingKind,
    ctx: ComputeContext,
    scope: string,
    name: string,
    rawBody: unknown,
    replace: boolean,
  ) {
    if (!(replace ? kind.updatable : kind.patchable)) {
      throw GoogleErrors.notImplemented(`compute.${kind.collection}.${replace ? 'update' : 'patch'}`);
    }
    const current = await this.require(kind, ctx, scope, name);
    const body = parseWireBody<WireObject>(rawBody, kind.schema);
    if (body['name'] !== undefined && body['name'] !== name) {
      throw GoogleErrors.invalidFieldValue('resource.name', body['name'], 'Field cannot be changed.');
    }
    const {
      kind: _k,
      id: _i,
      creationTimestamp,
      selfLink,
      region,
      fingerprint: _f,
      ...stored
    } = current.resource;
    const merged = replace ? body : { ...stored, ...body };
    const prepared = await kind.prepare({
      ctx,
      scope,
      name,
      body: merged,
      current: current.resource,
      resolve: this.resolvers.create(ctx, scope),
    });
    const next: LoadBalancingRecord = {
      ...current,
      resource: {
        ...prepared.fields,
        kind: kind.wireKind,
        id: current.id.toString(),
        creationTimestamp,
        name,
        ...(region ? { region } : {}),
        selfLink,
      },
    };
    return { current, next, prepared, method: replace ? ('update' as const) : ('patch' as const) };
  }

  private writePatch(
    kind: LoadBalancingKind,
    ctx: ComputeContext,
    scope: string,
    next: LoadBalancingRecord,
    prepared: PreparedResource,
    method: 'update' | 'patch',
    requestId: string | undefined,
  ) {
    const path = scopedPath(ctx.project, scope, kind.collection, next.name);
    return this.write(ctx, scope, path, operationTypeOf(kind, method), next.id, requestId, async (tx) =>
      this.records.update(tx, await completed(tx, next, prepared), prepared.references),
    );
  }

  /** A custom method of the kind (`setTarget`, `setSecurityPolicy`, ...), or 501 when it has none by that name. */
  async verb(
    kind: LoadBalancingKind,
    verbName: string,
    ctx: ComputeContext,
    scope: string,
    name: string,
    rawBody: unknown,
    query: Record<string, unknown>,
    requestId?: string,
  ) {
    const verb = kind.verbs && Object.hasOwn(kind.verbs, verbName) ? kind.verbs[verbName] : undefined;
    if (!verb) throw GoogleErrors.notImplemented(`compute.${kind.collection}.${verbName}`);
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const current = await this.require(kind, ctx, scope, name);
    // @google-cloud/compute sends an empty request message (setSecurityPolicy with no policy, to detach it) as
    // the JSON string "": it means an empty object.
    const body = parseWireBody<WireObject>(rawBody === '' ? {} : rawBody, verb.schema, verb.bodyName);
    const prepared = await verb.apply({
      ctx,
      scope,
      name,
      body,
      query,
      current: current.resource,
      resolve: this.resolvers.create(ctx, scope),
    });
    const { kind: wireKind, id, creationTimestamp, selfLink, region } = current.resource;
    const next: LoadBalancingRecord = {
      ...current,
      resource: {
        ...prepared.fields,
        kind: wireKind,
        id,
        creationTimestamp,
        name,
        ...(region ? { region } : {}),
        selfLink,
      },
    };
    const path = scopedPath(ctx.project, scope, kind.collection, name);
    const operationType = verb.operationType ?? operationTypeOf(kind, verbName);
    return this.write(ctx, scope, path, operationType, current.id, requestId, async (tx) =>
      this.records.update(tx, await completed(tx, next, prepared), prepared.references),
    );
  }

  async delete(
    kind: LoadBalancingKind,
    ctx: ComputeContext,
    scope: string,
    name: string,
    requestId?: string,
  ) {
    const replay = await this.operations.replay(ctx, requestId);
    if (replay) return replay;
    const current = await this.require(kind, ctx, scope, name);
    const path = scopedPath(ctx.project, scope, kind.collection, name);
    const op = await this.db.transaction(async (tx) => {
      // Locked first: a referrer that commits while we wait is seen by the checks below.
      await this.records.lock(tx, current.id);
      const [user] = [
        ...(await this.records.usersOf({ loadBalancingId: current.id }, tx)),
        ...((await kind.usersBeyondReferences?.(tx, current)) ?? []),
      ];
      if (user) {
        if (kind.inUseNames !== 'internal') throw resourceInUseError(kind.resourceNoun, path, user);
        const number = await this.projects.number(tx, ctx.project);
        throw resourceInUseError(kind.resourceNoun, internalName(path, number), internalName(user, number));
      }
      await this.records.delete(tx, current.id);
      return this.operations.record(tx, {
        project: ctx.project,
        scope,
        operationType: operationTypeOf(kind, 'delete'),
        targetLink: path,
        targetId: current.id,
        requestId,
      });
    });
    return this.operations.render(op, ctx.base);
  }

  private async write(
    ctx: ComputeContext,
    scope: string,
    path: string,
    operationType: string,
    targetId: bigint,
    requestId: string | undefined,
    work: (tx: Tx) => Promise<void>,
  ): Promise<WireObject> {
    const target = { scope, operationType, targetLink: path, targetId, requestId };
    try {
      return await writeWithOperation(
        this.db,
        this.operations,
        ctx,
        target,
        'load_balancing_resource_project_id_kind_scope_name_key',
        work,
      );
    } catch (error) {
      // A referenced resource deleted between our check and the commit.
      if (asConstraintViolation(error)?.kind === 'foreignKey')
        throw GoogleErrors.invalid(`A resource referenced by '${path}' no longer exists.`);
      throw error;
    }
  }

  private checkScope(ctx: ComputeContext, scope: string): void {
    if (scope !== GLOBAL) assertRegion(ctx.project, scope);
  }

  private async require(kind: LoadBalancingKind, ctx: ComputeContext, scope: string, name: string) {
    this.checkScope(ctx, scope);
    const record = await this.records.find(ctx.project, kind.collection, scope, name);
    if (!record) throw GoogleErrors.notFound(scopedPath(ctx.project, scope, kind.collection, name));
    return record;
  }
}
