import { Injectable } from '@nestjs/common';
import { ClusterDirectory, type ClusterRecord } from '@gke-emulator/container';
import type { SqlClient, UnitOfWork } from '@gke-emulator/db';
import {
  apiGroupList,
  apiGroupOf,
  apiResourceList,
  apiVersions,
  openApiV3Document,
  openApiV3Index,
  versionInfo,
} from '../api/discovery';
import { checkUnknownFields, decodeObject } from '../api/field-validation';
import { isPlainObject, type KubeObject, type ManagedFieldsEntry, rfc3339 } from '../api/kube-object';
import { KubeErrors, KubeStatusError } from '../api/kube-status';
import { recordManager, removeReleasedFields } from '../api/managed-fields';
import type { ResponseShape } from '../api/media-types';
import { SCALE_SCHEMA, SCHEMAS } from '../api/object-schema';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from '../api/patches';
import { apiVersionOf, CORE_EVENTS, type ResourceKind } from '../api/resources';
import {
  EVENTS_V1_API_VERSION,
  eventFieldsToV1,
  eventFieldsV1ToCore,
  eventFromV1,
  eventToV1,
  fieldSelectorFromV1,
  validateEventV1Create,
} from '../api/events-v1';
import { renderTable } from '../api/tables';
import { objectFilter } from '../store/list-filter';
import { KubeStore, type WriteOptions } from '../store/kube-store';
import { KubeWatch, type WatchStream } from '../store/kube-watch';
import { NodeDirectory } from '../store/node-directory';
import {
  type ClusterAddress,
  type Decoded,
  type DiscoveryTarget,
  type KubeRequest,
  type MergePatchType,
  valueOf,
} from './kube-request';

export type KubeResponse =
  { status: number; body: unknown; warnings?: string[] } | { status: 200; watch: WatchStream };

/** A request for objects, decoded: every verb but discovery and the unsupported. */
type ObjectRequest = Exclude<KubeRequest, { verb: 'discover' | 'unsupported' }>;
type RequestOf<V extends ObjectRequest['verb']> = Extract<ObjectRequest, { verb: V }>;
/** A request that writes what its body says (and carries a write's query options). */
type WriteRequest = RequestOf<'create' | 'update' | 'patch' | 'apply'>;

interface ResourceRequest<R extends ObjectRequest = ObjectRequest> {
  cluster: ClusterRecord;
  kind: ResourceKind;
  namespace?: string;
  name?: string;
  subresource?: string;
  request: R;
  shape: ResponseShape;
  /**
   * The kind the client addressed when it is a view of another's storage (events.k8s.io/v1 Events over core/v1
   * Events): `kind` is then the stored kind, and bodies are converted both ways.
   */
  external?: ResourceKind;
}

/** An error about the stored core/v1 Event, as the API server words it for events.k8s.io (`events.events.k8s.io "x"`). */
function asEventsV1Error(error: unknown): unknown {
  if (!(error instanceof KubeStatusError)) return error;
  const details = error.details as { kind?: string; group?: string } | undefined;
  if (details?.kind !== 'events' || details.group) return error;
  return new KubeStatusError(
    error.code,
    error.reason,
    error.message.replace(/^events "/, 'events.events.k8s.io "').replace(/^Event "/, 'Event.events.k8s.io "'),
    { ...details, group: 'events.k8s.io' },
  );
}

class DryRunResult extends Error {
  constructor(readonly result: KubeObject) {
    super('dry run');
  }
}

function is<V extends ObjectRequest['verb']>(
  r: ResourceRequest,
  ...verbs: V[]
): r is ResourceRequest<RequestOf<V>> {
  return (verbs as string[]).includes(r.request.verb);
}

/**
 * The Kubernetes API of every cluster: discovery, objects, subresources, watches. It serves requests the HTTP layer
 * decoded (`KubeRequest`); framework-free below the transport.
 */
@Injectable()
export class KubeApi {
  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly store: KubeStore,
    private readonly nodes: NodeDirectory,
    private readonly watches: KubeWatch,
  ) {}

  async handle(request: KubeRequest): Promise<KubeResponse> {
    const address = request.cluster;
    const cluster = await this.clusters.findCluster(address.project, address.location, address.cluster);
    if (!cluster)
      throw new KubeStatusError(
        404,
        'NotFound',
        `cluster "${address.cluster}" not found in project "${address.project}", location "${address.location}"`,
      );
    if (request.verb === 'discover') return { status: 200, body: this.discovery(request.target, request) };
    if (request.target.type !== 'resource') throw KubeErrors.methodNotAllowed();
    await this.store.ensureClusterObjects(cluster);
    const target = request.target;
    if (target.subresource && !target.kind.subresources.includes(target.subresource))
      throw KubeErrors.notFoundPath();
    if (request.verb === 'unsupported') throw KubeErrors.methodNotAllowed();
    if (target.kind.group === 'events.k8s.io') {
      try {
        return await this.resource({
          cluster,
          kind: CORE_EVENTS,
          external: target.kind,
          namespace: target.namespace,
          name: target.name,
          subresource: target.subresource,
          request: inCoreEventNames(request),
          shape: request.shape,
        });
      } catch (error) {
        throw asEventsV1Error(error);
      }
    }
    return this.resource({
      cluster,
      kind: target.kind,
      namespace: target.namespace,
      name: target.name,
      subresource: target.subresource,
      request,
      shape: request.shape,
    });
  }

  private discovery(
    target: DiscoveryTarget,
    request: { cluster: ClusterAddress; serverAddress: string },
  ): unknown {
    const { project, location, cluster } = request.cluster;
    const prefix = `/k8s/${project}/${location}/${cluster}`;
    switch (target.type) {
      case 'version':
        return versionInfo();
      case 'api':
        return apiVersions(request.serverAddress);
      case 'apis':
        return apiGroupList();
      case 'apiGroup':
        return apiGroupOf(target.group);
      case 'resourceList':
        return apiResourceList(target.group, target.version);
      case 'openapiIndex':
        return openApiV3Index(prefix);
      case 'openapiDocument': {
        const document = openApiV3Document(target.group, target.version);
        if (!document) throw KubeErrors.notFoundPath();
        return document;
      }
      case 'openapiV2':
        throw KubeErrors.notFoundPath();
    }
  }

  private async resource(r: ResourceRequest): Promise<KubeResponse> {
    if (r.kind.resource === 'nodes') return this.node(r);
    if (r.subresource === 'scale') return this.scale(r);
    if (is(r, 'list', 'watch')) return this.listOrWatch(r);
    if (is(r, 'create')) return this.create(r);
    if (is(r, 'deletecollection')) return this.deleteCollection(r);
    if (is(r, 'get')) {
      const object = await this.store.get(
        this.reader(),
        r.cluster,
        r.kind,
        r.namespace ?? '',
        r.name as string,
      );
      if (!object) throw KubeErrors.notFound(r.kind, r.name as string);
      return {
        status: 200,
        body: this.render(r, [object], object.metadata.resourceVersion as string, false),
      };
    }
    if (is(r, 'update')) return this.replace(r);
    if (is(r, 'patch')) return this.patch(r);
    if (is(r, 'apply')) return this.serverSideApply(r);
    if (is(r, 'delete')) return this.delete(r);
    throw KubeErrors.methodNotAllowed();
  }

  private reader(): SqlClient {
    return this.store.reader;
  }

  private render(
    r: ResourceRequest,
    objects: KubeObject[],
    resourceVersion: string,
    asList: boolean,
    next?: string,
    remaining?: number,
  ): unknown {
    if (r.shape === 'table') {
      const table = renderTable(r.kind.resource, objects, Date.now(), {
        resourceVersion,
        ...(next ? { continue: next } : {}),
      });
      const include = r.request.includeObject;
      if (include === 'Object')
        table.rows.forEach((row, i) => ((row as { object: unknown }).object = objects[i]));
      if (include === 'None') table.rows.forEach((row) => delete (row as { object?: unknown }).object);
      return table;
    }
    if (r.shape === 'partialMetadata') {
      const partial = (object: KubeObject) => ({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: object.metadata,
      });
      if (!asList) return partial(objects[0] as KubeObject);
      return {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion },
        items: objects.map(partial),
      };
    }
    if (r.external) objects = objects.map(eventToV1);
    if (!asList) return objects[0];
    return {
      kind: `${r.kind.kind}List`,
      apiVersion: apiVersionOf(r.external ?? r.kind),
      metadata: {
        resourceVersion,
        ...(next ? { continue: next } : {}),
        ...(remaining ? { remainingItemCount: remaining } : {}),
      },
      items: objects,
    };
  }

  private async listOrWatch(r: ResourceRequest<RequestOf<'list' | 'watch'>>): Promise<KubeResponse> {
    const { selectors } = r.request;
    const filter = objectFilter(r.kind, selectors.labelSelector, selectors.fieldSelector);
    if (r.request.verb === 'watch') {
      return {
        status: 200,
        watch: await this.watches.open(
          r.cluster,
          r.kind,
          r.namespace,
          filter,
          r.request.options,
          r.shape,
          r.external ? eventToV1 : undefined,
        ),
      };
    }
    const options = r.request.options;
    const limit = valueOf(options.limit);
    const after = options.continue ? decodeContinue(options.continue) : undefined;
    if (r.kind.namespaced && r.namespace) {
      // listing in a namespace that does not exist is an empty list, as on a real server
    }
    const list = await this.store.list(this.reader(), r.cluster, r.kind, {
      namespace: r.namespace,
      limit,
      after,
      filter,
    });
    const next = list.next ? encodeContinue(list.next) : undefined;
    return {
      status: 200,
      body: this.render(r, list.items, list.resourceVersion, true, next, list.remainingItemCount),
    };
  }

  /** Decodes a request body into an object of the kind, applying fieldValidation; returns it and the warnings. */
  private decode(
    r: ResourceRequest<WriteRequest>,
    body: unknown,
    schemaKind = r.kind.kind,
  ): { object: KubeObject; warnings: string[] } {
    const schema = r.subresource === 'scale' ? SCALE_SCHEMA : SCHEMAS[r.kind.resource];
    if (!schema) throw KubeErrors.internal(`no schema for ${r.kind.resource}`);
    if (!isPlainObject(body))
      throw KubeErrors.badRequest(
        `${schemaKind} in version "v1" cannot be handled as a ${schemaKind}: the body must be a JSON object`,
      );
    let unknownInVersion: string[] = [];
    if (r.external) {
      // events.k8s.io/v1: checked in its own names, then stored as the core/v1 Event it converts to.
      if (body['apiVersion'] !== undefined && body['apiVersion'] !== EVENTS_V1_API_VERSION)
        throw KubeErrors.badRequest(
          `the API version in the data (${String(body['apiVersion'])}) does not match the expected API version (${EVENTS_V1_API_VERSION})`,
        );
      if (r.request.verb === 'create') {
        const causes = validateEventV1Create(body);
        const meta = body['metadata'];
        const name = isPlainObject(meta) && typeof meta['name'] === 'string' ? meta['name'] : '';
        if (causes.length > 0) throw KubeErrors.invalid('Event', 'events.k8s.io', name, causes);
      }
      const converted = eventFromV1(body);
      body = converted.object;
      unknownInVersion = converted.unknownFields;
    }
    const decoded = decodeObject(schema, body, schemaKind);
    decoded.unknownFields.push(...unknownInVersion);
    const warnings = checkUnknownFields(decoded, valueOf(r.request.options.fieldValidation), schemaKind);
    const object = decoded.object as KubeObject;
    object.metadata = isPlainObject(object.metadata) ? object.metadata : {};
    const expectedApiVersion = r.subresource === 'scale' ? 'autoscaling/v1' : apiVersionOf(r.kind);
    if (
      (object.kind !== undefined && object.kind !== schemaKind) ||
      (object.apiVersion !== undefined && object.apiVersion !== expectedApiVersion)
    ) {
      throw KubeErrors.badRequest(
        `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${expectedApiVersion})`,
      );
    }
    return { object, warnings };
  }

  private checkIdentity(r: ResourceRequest, object: KubeObject): void {
    if (r.kind.namespaced) {
      if (object.metadata.namespace && object.metadata.namespace !== r.namespace) {
        throw KubeErrors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      object.metadata.namespace = r.namespace;
    }
    if (r.name !== undefined && object.metadata.name !== undefined && object.metadata.name !== r.name) {
      throw KubeErrors.badRequest(
        `the name of the object (${object.metadata.name}) does not match the name on the URL (${r.name})`,
      );
    }
    if (r.name !== undefined) object.metadata.name = r.name;
  }

  private writeOptions(r: ResourceRequest<WriteRequest>): WriteOptions {
    return { dryRun: valueOf(r.request.options.dryRun), subresource: r.subresource };
  }

  /** Runs a write in one transaction; a dry run rolls it back and returns what it would have written. */
  private async write(
    options: WriteOptions,
    work: (sql: UnitOfWork) => Promise<KubeObject>,
  ): Promise<KubeObject> {
    try {
      return await this.store.transaction(async (sql) => {
        const result = await work(sql);
        if (options.dryRun) throw new DryRunResult(result);
        return result;
      });
    } catch (error) {
      if (error instanceof DryRunResult) return error.result;
      throw error;
    }
  }

  private manager(r: ResourceRequest<WriteRequest>, fallback: string): string {
    return valueOf(r.request.options.fieldManager) || fallback;
  }

  private recordUpdate(r: ResourceRequest, object: KubeObject, manager: string): void {
    object.metadata.managedFields = recordManager(
      object.metadata.managedFields,
      manager,
      'Update',
      apiVersionOf(r.kind),
      rfc3339(new Date()),
      object,
      SCHEMAS[r.kind.resource],
      r.subresource,
    );
  }

  private async create(r: ResourceRequest<RequestOf<'create'>>): Promise<KubeResponse> {
    if (r.subresource) throw KubeErrors.methodNotAllowed();
    const { object, warnings } = this.decode(r, valueOf(r.request.body));
    this.checkIdentity(r, object);
    this.recordUpdate(r, object, this.manager(r, 'unknown'));
    const options = this.writeOptions(r);
    const created = await this.write(options, (sql) =>
      this.store.create(sql, r.cluster, r.kind, object, options),
    );
    return {
      status: 201,
      body: this.render(r, [created], created.metadata.resourceVersion as string, false),
      warnings,
    };
  }

  private async replace(r: ResourceRequest<RequestOf<'update'>>): Promise<KubeResponse> {
    const { object, warnings } = this.decode(r, valueOf(r.request.body));
    this.checkIdentity(r, object);
    if (!object.metadata.resourceVersion && r.kind.resource !== 'namespaces') {
      // PUT without a resourceVersion is an unconditional update
    }
    const options = { ...this.writeOptions(r), expectedResourceVersion: object.metadata.resourceVersion };
    const manager = this.manager(r, 'unknown');
    const updated = await this.write(options, async (sql) => {
      const current = await this.store.get(sql, r.cluster, r.kind, r.namespace ?? '', r.name as string);
      if (!current) throw KubeErrors.notFound(r.kind, r.name as string);
      object.metadata.managedFields = current.metadata.managedFields;
      this.recordUpdate(r, object, manager);
      return this.store.update(sql, r.cluster, r.kind, object, options);
    });
    return {
      status: 200,
      body: this.render(r, [updated], updated.metadata.resourceVersion as string, false),
      warnings,
    };
  }

  /** Applies the request's patch (its type and document decoded) to `current`; returns the result before decoding. */
  private applyPatch(
    r: ResourceRequest,
    type: MergePatchType,
    patch: Decoded<unknown>,
    current: KubeObject | undefined,
    schema = SCHEMAS[r.kind.resource],
  ): unknown {
    // A patch to events.k8s.io/v1 is written in its names: applied to the object in that version.
    if (r.external && current) current = eventToV1(current);
    try {
      switch (type) {
        case 'json':
          return applyJsonPatch(current, valueOf(patch));
        case 'merge':
          return applyMergePatch(current, valueOf(patch));
        case 'strategic':
          return applyStrategicMergePatch(current, valueOf(patch), schema);
      }
    } catch (error) {
      if (error instanceof PatchError) {
        throw new KubeStatusError(
          422,
          'Invalid',
          `the server rejected our request due to an error in our request: ${error.message}`,
        );
      }
      throw error;
    }
  }

  private async patch(r: ResourceRequest<RequestOf<'patch'>>): Promise<KubeResponse> {
    const { patchType: type, patch } = r.request;
    if (!type) throw KubeErrors.unsupportedMediaType();
    const options = this.writeOptions(r);
    const manager = this.manager(r, 'unknown');
    let warnings: string[] = [];
    const updated = await this.write(options, async (sql) => {
      await this.store.lockCluster(sql, r.cluster);
      const current = await this.store.get(sql, r.cluster, r.kind, r.namespace ?? '', r.name as string);
      if (!current) throw KubeErrors.notFound(r.kind, r.name as string);
      const decoded = this.decode(r, this.applyPatch(r, type, patch, current));
      warnings = decoded.warnings;
      const patched = decoded.object;
      this.checkIdentity(r, patched);
      this.recordUpdate(r, patched, manager);
      return this.store.update(sql, r.cluster, r.kind, patched, {
        ...options,
        expectedResourceVersion: patched.metadata.resourceVersion,
      });
    });
    return {
      status: 200,
      body: this.render(r, [updated], updated.metadata.resourceVersion as string, false),
      warnings,
    };
  }

  /**
   * Server-side apply: the applied configuration is merged into the live object (created when absent); fields
   * this manager applied before and no longer applies are removed unless another manager owns them.
   *
   * Through events.k8s.io/v1 the configuration is merged in storage's (core/v1) names and its manager's fields are
   * recorded in the names applied, under `apiVersion: events.k8s.io/v1`, as the API server records them; the
   * removal rule reads every manager's fields in storage's names.
   */
  private async serverSideApply(r: ResourceRequest<RequestOf<'apply'>>): Promise<KubeResponse> {
    const manager = valueOf(r.request.options.applyManager);
    const { object: config, warnings } = this.decode(r, valueOf(r.request.configuration));
    if (!config.apiVersion || !config.kind)
      throw KubeErrors.badRequest(
        'invalid object type: apiVersion and kind must be set in an applied configuration',
      );
    this.checkIdentity(r, config);
    const options = this.writeOptions(r);
    const schema = SCHEMAS[r.kind.resource];
    const appliedVersion = apiVersionOf(r.external ?? r.kind);
    const applied = r.external ? eventFieldsToV1(config) : config;
    const inStorageNames = (entry: ManagedFieldsEntry) =>
      entry.apiVersion === EVENTS_V1_API_VERSION ? eventFieldsV1ToCore(entry.fieldsV1) : entry.fieldsV1;
    let status = 200;
    const result = await this.write(options, async (sql) => {
      await this.store.lockCluster(sql, r.cluster);
      const current = await this.store.get(sql, r.cluster, r.kind, r.namespace ?? '', r.name as string);
      const now = rfc3339(new Date());
      if (!current) {
        if (r.external) {
          // A create through events.k8s.io/v1: what the API server checks of one (ValidateEventCreate).
          const causes = validateEventV1Create(applied);
          if (causes.length > 0)
            throw KubeErrors.invalid('Event', 'events.k8s.io', config.metadata.name ?? '', causes);
        }
        status = 201;
        const created = JSON.parse(JSON.stringify(config)) as KubeObject;
        created.metadata.managedFields = recordManager(
          undefined,
          manager,
          'Apply',
          appliedVersion,
          now,
          applied,
          schema,
        );
        return this.store.create(sql, r.cluster, r.kind, created, options);
      }
      const merged = applyStrategicMergePatch(current, config, schema) as KubeObject;
      const entries = current.metadata.managedFields ?? [];
      const previous = entries.find(
        (e) => e.manager === manager && e.operation === 'Apply' && !e.subresource,
      );
      const next = recordManager(entries, manager, 'Apply', appliedVersion, now, applied, schema);
      const mine = next.find((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource);
      if (previous && mine) {
        const others = entries.filter((e) => e !== previous).map(inStorageNames);
        removeReleasedFields(merged, inStorageNames(previous), inStorageNames(mine), others);
      }
      merged.metadata = { ...merged.metadata, managedFields: next };
      return this.store.update(sql, r.cluster, r.kind, merged, {
        ...options,
        expectedResourceVersion: config.metadata.resourceVersion,
      });
    });
    return {
      status,
      body: this.render(r, [result], result.metadata.resourceVersion as string, false),
      warnings,
    };
  }

  private deleteOptions(r: ResourceRequest<RequestOf<'delete' | 'deletecollection'>>): WriteOptions {
    const { preconditions, dryRun } = valueOf(r.request.options);
    const options: WriteOptions = { dryRun, subresource: r.subresource };
    if (preconditions.resourceVersion !== undefined)
      options.expectedResourceVersion = preconditions.resourceVersion;
    if (preconditions.uid !== undefined) options.expectedUid = preconditions.uid;
    return options;
  }

  private async delete(r: ResourceRequest<RequestOf<'delete'>>): Promise<KubeResponse> {
    const options = this.deleteOptions(r);
    const deleted = await this.write(options, (sql) =>
      this.store.delete(sql, r.cluster, r.kind, r.namespace ?? '', r.name as string, options),
    );
    if (r.kind.resource === 'namespaces') {
      deleted['status'] = { ...(deleted['status'] as object), phase: 'Terminating' };
      deleted.metadata.deletionTimestamp = rfc3339(new Date());
    }
    return {
      status: 200,
      body: this.render(
        { ...r, shape: 'object' },
        [deleted],
        deleted.metadata.resourceVersion as string,
        false,
      ),
    };
  }

  private async deleteCollection(r: ResourceRequest<RequestOf<'deletecollection'>>): Promise<KubeResponse> {
    if (!r.kind.verbs.includes('deletecollection')) throw KubeErrors.methodNotAllowed();
    const { selectors } = r.request;
    const filter = objectFilter(r.kind, selectors.labelSelector, selectors.fieldSelector);
    const options = this.deleteOptions(r);
    const deleted: KubeObject[] = [];
    await this.write(options, async (sql) => {
      const list = await this.store.list(sql, r.cluster, r.kind, { namespace: r.namespace, filter });
      for (const object of list.items) {
        deleted.push(
          await this.store.delete(
            sql,
            r.cluster,
            r.kind,
            object.metadata.namespace ?? '',
            object.metadata.name as string,
            options,
          ),
        );
      }
      return deleted[0] as KubeObject;
    });
    const resourceVersion = deleted.at(-1)?.metadata.resourceVersion ?? '';
    return { status: 200, body: this.render({ ...r, shape: 'object' }, deleted, resourceVersion, true) };
  }

  private toScale(deployment: KubeObject): KubeObject {
    const spec = (deployment['spec'] ?? {}) as {
      replicas?: number;
      selector?: { matchLabels?: Record<string, string> };
    };
    const status = (deployment['status'] ?? {}) as { replicas?: number };
    const labels = spec.selector?.matchLabels ?? {};
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: deployment.metadata.name,
        namespace: deployment.metadata.namespace,
        uid: deployment.metadata.uid,
        resourceVersion: deployment.metadata.resourceVersion,
        creationTimestamp: deployment.metadata.creationTimestamp,
      },
      spec: { replicas: spec.replicas ?? 0 },
      status: {
        replicas: status.replicas ?? 0,
        selector: Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      },
    };
  }

  /** `deployments/<name>/scale`: the Scale view of spec.replicas, as `kubectl scale` reads and patches it. */
  private async scale(r: ResourceRequest): Promise<KubeResponse> {
    const name = r.name as string;
    if (is(r, 'get')) {
      const deployment = await this.store.get(this.reader(), r.cluster, r.kind, r.namespace ?? '', name);
      if (!deployment) throw KubeErrors.notFound(r.kind, name);
      return { status: 200, body: this.toScale(deployment) };
    }
    if (!is(r, 'update', 'patch', 'apply')) throw KubeErrors.methodNotAllowed();
    const request = r.request;
    const options = { ...this.writeOptions(r), subresource: undefined };
    const manager = this.manager(r, 'unknown');
    let warnings: string[] = [];
    const updated = await this.write(options, async (sql) => {
      await this.store.lockCluster(sql, r.cluster);
      const deployment = await this.store.get(sql, r.cluster, r.kind, r.namespace ?? '', name);
      if (!deployment) throw KubeErrors.notFound(r.kind, name);
      const current = this.toScale(deployment);
      let patched: unknown;
      if (request.verb === 'update') patched = valueOf(request.body);
      else {
        if (request.verb === 'apply' || !request.patchType) throw KubeErrors.unsupportedMediaType();
        patched = this.applyPatch(r, request.patchType, request.patch, current, SCALE_SCHEMA);
      }
      const decoded = this.decode(r, patched, 'Scale');
      warnings = decoded.warnings;
      const replicas = (decoded.object['spec'] as { replicas?: unknown } | undefined)?.replicas;
      if (typeof replicas !== 'number' || replicas < 0) {
        throw KubeErrors.invalid('Scale', 'autoscaling', name, [
          {
            reason: 'FieldValueInvalid',
            field: 'spec.replicas',
            message: `Invalid value: ${String(replicas)}: must be greater than or equal to 0`,
          },
        ]);
      }
      const expected = decoded.object.metadata.resourceVersion;
      const next = { ...deployment, spec: { ...(deployment['spec'] as object), replicas } };
      this.recordUpdate(r, next, manager);
      return this.store.update(sql, r.cluster, r.kind, next, {
        ...options,
        expectedResourceVersion: expected,
      });
    });
    return { status: 200, body: this.toScale(updated), warnings };
  }

  private async node(r: ResourceRequest): Promise<KubeResponse> {
    const { cluster, kind } = r;
    const reader = this.reader();
    if (r.name === undefined) {
      if (!is(r, 'list', 'watch')) throw KubeErrors.methodNotAllowed();
      const { selectors } = r.request;
      const filter = objectFilter(kind, selectors.labelSelector, selectors.fieldSelector);
      if (r.request.verb === 'watch') {
        return {
          status: 200,
          watch: await this.watches.open(cluster, kind, undefined, filter, r.request.options, r.shape),
        };
      }
      const version = await this.store.listResourceVersion(reader, cluster, kind);
      const items = (await this.nodes.list(reader, cluster, version)).filter(filter);
      return { status: 200, body: this.render(r, items, version, true) };
    }
    const version = await this.store.listResourceVersion(reader, cluster, kind);
    if (is(r, 'get')) {
      const node = await this.nodes.get(reader, cluster, r.name, version);
      return { status: 200, body: this.render(r, [node], node.metadata.resourceVersion as string, false) };
    }
    if (!is(r, 'update', 'patch', 'apply')) throw KubeErrors.methodNotAllowed();
    const request = r.request;
    let warnings: string[] = [];
    const updated = await this.write(this.writeOptions(r), async (sql) => {
      await this.store.lockCluster(sql, cluster);
      const current = await this.nodes.get(sql, cluster, r.name as string, version);
      let next: unknown;
      if (request.verb === 'update') next = valueOf(request.body);
      else {
        if (request.verb === 'apply')
          throw KubeErrors.methodNotAllowed('server-side apply is not supported on nodes by the emulator');
        if (!request.patchType) throw KubeErrors.unsupportedMediaType();
        next = this.applyPatch(r, request.patchType, request.patch, current);
      }
      const decoded = this.decode(r, next);
      warnings = decoded.warnings;
      return this.nodes.write(sql, this.store, cluster, current, decoded.object);
    });
    return {
      status: 200,
      body: this.render(r, [updated], updated.metadata.resourceVersion as string, false),
      warnings,
    };
  }
}

/** An events.k8s.io/v1 request in storage's (core/v1) names: its field selector's labels are renamed. */
function inCoreEventNames(request: ObjectRequest): ObjectRequest {
  if (!('selectors' in request)) return request;
  const fieldSelector = fieldSelectorFromV1(request.selectors.fieldSelector);
  if (fieldSelector === undefined) return request;
  return { ...request, selectors: { ...request.selectors, fieldSelector } };
}

function encodeContinue(position: { namespace: string; name: string }): string {
  return Buffer.from(JSON.stringify({ v: 1, ...position })).toString('base64url');
}

function decodeContinue(token: string): { namespace: string; name: string } {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v: number;
      namespace: string;
      name: string;
    };
    if (decoded.v !== 1 || typeof decoded.namespace !== 'string' || typeof decoded.name !== 'string')
      throw new Error('bad');
    return { namespace: decoded.namespace, name: decoded.name };
  } catch {
    throw KubeErrors.badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}
