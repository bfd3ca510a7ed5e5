import { parse as parseYaml } from 'yaml';
import {
  checkJsonTree,
  parseJsonSafely,
  PROTOTYPE_KEY,
  PrototypeKeyError,
  refusePrototypeKeys,
} from '@gke-emulator/common';
import { parseFieldValidation } from '../api/field-validation';
import { isPlainObject } from '../api/kube-object';
import { KubeErrors, KubeStatusError } from '../api/kube-status';
import { patchTypeOf, responseShape } from '../api/media-types';
import type {
  ApplyQueryOptions,
  ClusterAddress,
  Decoded,
  DeleteOptions,
  DeleteOptionsBody,
  IncludeObject,
  KubeQuery,
  KubeRequest,
  ListQueryOptions,
  ResourceTarget,
  Selectors,
  WatchQueryOptions,
  WriteQueryOptions,
} from '../apiserver/kube-request';
import { parseKubePath } from './kube-path';

/** A Kubernetes API request as it came off the wire (the body as text: protobuf is already its JSON form). */
export interface RawKubeRequest extends ClusterAddress {
  method: string;
  /** the path after the cluster's prefix, without the query */
  path: string;
  query: KubeQuery;
  accept?: string;
  contentType?: string;
  body?: string;
  /** host:port the client used */
  serverAddress: string;
}

/**
 * Go's decoder replaces lone surrogates with U+FFFD, as done here. Its nesting limit (10,000) is beyond what the
 * recursive code of this process (and `JSON.stringify`) can walk, so this one is lower; jsonb cannot store U+0000.
 */
const KUBE_JSON_RULES = { maxDepth: 1000, loneSurrogates: 'replace' } as const;

function cannotHandle(kind: string, reason: string): KubeStatusError {
  return KubeErrors.badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: ${reason}`);
}

function checkedTree(decoded: unknown, kind: string): Decoded<unknown> {
  const problem = checkJsonTree(decoded, KUBE_JSON_RULES);
  if (!problem) return { value: decoded };
  const reason =
    problem.kind === 'tooDeep'
      ? `exceeded max depth (${KUBE_JSON_RULES.maxDepth}) at ${problem.path}`
      : `${problem.path}: the NUL character (\\u0000) cannot be stored`;
  return { error: cannotHandle(kind, reason) };
}

/** The API server's answer to an unknown field under strict decoding: `__proto__` is never a field of an object. */
function prototypeKeyRefused(kind: string): KubeStatusError {
  return cannotHandle(kind, `strict decoding error: unknown field "${PROTOTYPE_KEY}"`);
}

/** A JSON body, as the API server decodes one into `kind`. */
export function decodeJsonBody(text: string | undefined, kind: string): Decoded<unknown> {
  let parsed: unknown;
  try {
    parsed = parseJsonSafely(text ?? '');
  } catch (error) {
    if (error instanceof PrototypeKeyError) return { error: prototypeKeyRefused(kind) };
    return { error: cannotHandle(kind, error instanceof Error ? error.message : 'invalid JSON') };
  }
  return checkedTree(parsed, kind);
}

/** A server-side apply body (`application/apply-patch+yaml`: YAML, of which JSON is a part). */
export function decodeApplyBody(text: string | undefined, kind: string): Decoded<unknown> {
  let applied: unknown;
  try {
    applied = parseYaml(text ?? '');
    refusePrototypeKeys(applied);
  } catch (error) {
    if (error instanceof PrototypeKeyError) return { error: prototypeKeyRefused(kind) };
    return {
      error: KubeErrors.badRequest(
        `error decoding YAML: ${error instanceof Error ? error.message : 'invalid YAML'}`,
      ),
    };
  }
  return checkedTree(applied, kind);
}

/** The preconditions and dry run of a `DeleteOptions` body (an empty body is none). */
export function decodeDeleteOptions(text: string | undefined): Decoded<DeleteOptionsBody> {
  const options: DeleteOptionsBody = { preconditions: {} };
  if (!text?.trim()) return { value: options };
  const decoded = decodeJsonBody(text, 'DeleteOptions');
  if ('error' in decoded) return decoded;
  const body = decoded.value;
  if (!isPlainObject(body)) return { value: options };
  const preconditions = body['preconditions'];
  if (isPlainObject(preconditions)) {
    if (typeof preconditions['resourceVersion'] === 'string')
      options.preconditions.resourceVersion = preconditions['resourceVersion'];
    if (typeof preconditions['uid'] === 'string') options.preconditions.uid = preconditions['uid'];
  }
  if (body['dryRun'] !== undefined) options.dryRun = JSON.stringify(body['dryRun']) === '["All"]';
  return { value: options };
}

/** The value `check` returns, or the API server's error it throws. */
function decoding<T>(check: () => T): Decoded<T> {
  try {
    return { value: check() };
  } catch (error) {
    if (error instanceof KubeStatusError) return { error };
    throw error;
  }
}

/** The query's `dryRun`: `All` is the only value (an empty one is refused too). */
function decodeDryRun(query: KubeQuery): Decoded<boolean> {
  const dryRun = query['dryRun'];
  if (dryRun !== undefined && dryRun !== 'All')
    return { error: KubeErrors.badRequest(`Invalid dry run value: ${dryRun}: supported values: "All"`) };
  return { value: dryRun === 'All' };
}

/** `labelSelector` and `fieldSelector`, as sent. */
export function decodeSelectors(query: KubeQuery): Selectors {
  const selectors: Selectors = {};
  if (query['labelSelector'] !== undefined) selectors.labelSelector = query['labelSelector'];
  if (query['fieldSelector'] !== undefined) selectors.fieldSelector = query['fieldSelector'];
  return selectors;
}

/** A list's `limit` (a non-negative integer; empty is none) and `continue`. */
export function decodeListOptions(query: KubeQuery): ListQueryOptions {
  const text = query['limit'];
  const limit = text ? Number(text) : undefined;
  const options: ListQueryOptions = {
    limit:
      limit !== undefined && (!Number.isInteger(limit) || limit < 0)
        ? { error: KubeErrors.badRequest(`invalid limit: ${text}`) }
        : { value: limit },
  };
  if (query['continue']) options.continue = query['continue'];
  return options;
}

/** A watch's `resourceVersion` (digits; empty is none) and `timeoutSeconds` (digits; empty is refused). */
export function decodeWatchOptions(query: KubeQuery): WatchQueryOptions {
  const requested = query['resourceVersion'];
  const timeout = query['timeoutSeconds'];
  return {
    resourceVersion:
      requested && !/^\d+$/.test(requested)
        ? {
            error: KubeErrors.badRequest(
              `resourceVersion: Invalid value: "${requested}": must be a valid integer`,
            ),
          }
        : { value: requested || undefined },
    timeoutSeconds:
      timeout !== undefined && !/^\d+$/.test(timeout)
        ? {
            error: KubeErrors.badRequest(
              `timeoutSeconds: Invalid value: "${timeout}": must be a non-negative integer`,
            ),
          }
        : { value: timeout ? Number(timeout) : undefined },
  };
}

/** A write's `dryRun`, `fieldManager` and `fieldValidation`. */
export function decodeWriteOptions(query: KubeQuery): WriteQueryOptions {
  const manager = query['fieldManager'];
  return {
    dryRun: decodeDryRun(query),
    fieldManager:
      manager !== undefined && (manager.length > 128 || /[^\x20-\x7e]/.test(manager))
        ? {
            error: KubeErrors.badRequest(
              'fieldManager: Invalid value: must be no more than 128 characters and printable',
            ),
          }
        : { value: manager },
    fieldValidation: decoding(() => parseFieldValidation(query['fieldValidation'])),
  };
}

/** A server-side apply's options: a write's, and the field manager apply requires. */
export function decodeApplyOptions(query: KubeQuery): ApplyQueryOptions {
  const manager = query['fieldManager'];
  return {
    ...decodeWriteOptions(query),
    applyManager: manager
      ? { value: manager }
      : {
          error: KubeErrors.badRequest(
            'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
          ),
        },
  };
}

/**
 * A delete's options: the query's `dryRun`, then the body's preconditions and `dryRun`, which wins over the
 * query's. A bad query `dryRun` is answered before a bad body.
 */
export function decodeDeleteRequestOptions(
  query: KubeQuery,
  body: string | undefined,
): Decoded<DeleteOptions> {
  const dryRun = decodeDryRun(query);
  if ('error' in dryRun) return dryRun;
  const decoded = decodeDeleteOptions(body);
  if ('error' in decoded) return decoded;
  return {
    value: { preconditions: decoded.value.preconditions, dryRun: decoded.value.dryRun ?? dryRun.value },
  };
}

function includeObjectOf(query: KubeQuery): IncludeObject {
  const include = query['includeObject'];
  return include === 'None' || include === 'Object' ? include : 'Metadata';
}

function resourceRequest(
  raw: RawKubeRequest,
  base: { cluster: ClusterAddress },
  target: ResourceTarget,
): KubeRequest {
  const query = raw.query;
  const resource = {
    ...base,
    target,
    shape: responseShape(raw.accept),
    includeObject: includeObjectOf(query),
  };
  const method = raw.method === 'HEAD' ? 'GET' : raw.method;
  const unsupported: KubeRequest = { ...base, verb: 'unsupported', target };
  const kind = target.kind.kind;
  if (target.name === undefined) {
    switch (method) {
      case 'GET': {
        const selectors = decodeSelectors(query);
        if (query['watch'] === 'true' || query['watch'] === '1')
          return { ...resource, verb: 'watch', selectors, options: decodeWatchOptions(query) };
        return { ...resource, verb: 'list', selectors, options: decodeListOptions(query) };
      }
      case 'POST':
        return {
          ...resource,
          verb: 'create',
          body: decodeJsonBody(raw.body, kind),
          options: decodeWriteOptions(query),
        };
      case 'DELETE':
        return {
          ...resource,
          verb: 'deletecollection',
          selectors: decodeSelectors(query),
          options: decodeDeleteRequestOptions(query, raw.body),
        };
      default:
        return unsupported;
    }
  }
  switch (method) {
    case 'GET':
      return { ...resource, verb: 'get' };
    case 'PUT': {
      const bodyKind = target.subresource === 'scale' ? 'Scale' : kind;
      return {
        ...resource,
        verb: 'update',
        body: decodeJsonBody(raw.body, bodyKind),
        options: decodeWriteOptions(query),
      };
    }
    case 'PATCH': {
      const type = patchTypeOf(raw.contentType);
      if (type === 'apply')
        return {
          ...resource,
          verb: 'apply',
          configuration: decodeApplyBody(raw.body, kind),
          options: decodeApplyOptions(query),
        };
      const options = decodeWriteOptions(query);
      if (!type)
        return {
          ...resource,
          verb: 'patch',
          options,
          patchType: undefined,
          patch: { error: KubeErrors.unsupportedMediaType() },
        };
      return { ...resource, verb: 'patch', options, patchType: type, patch: decodeJsonBody(raw.body, kind) };
    }
    case 'DELETE':
      if (target.subresource) return unsupported;
      return { ...resource, verb: 'delete', options: decodeDeleteRequestOptions(query, raw.body) };
    default:
      return unsupported;
  }
}

/**
 * Decodes a request's path, method, query, Accept and Content-Type headers and body into the typed request the API
 * serves. Only an unknown path is refused here (404); what else is wrong (a body, a query option) is carried in the
 * request, for the API to answer in the API server's order (the cluster first, then the object).
 */
export function decodeKubeRequest(raw: RawKubeRequest): KubeRequest {
  const target = parseKubePath(raw.path);
  const base = { cluster: { project: raw.project, location: raw.location, cluster: raw.cluster } };
  if (target.type === 'resource') return resourceRequest(raw, base, target);
  if (raw.method !== 'GET' && raw.method !== 'HEAD') return { ...base, verb: 'unsupported', target };
  return { ...base, verb: 'discover', target, serverAddress: raw.serverAddress };
}
