import { parse as parseYaml } from 'yaml';
import {
  checkJsonTree,
  parseJsonSafely,
  PROTOTYPE_KEY,
  PrototypeKeyError,
  refusePrototypeKeys,
} from '@gke-emulator/common';
import { isPlainObject } from '../api/kube-object';
import { KubeErrors, type KubeStatusError } from '../api/kube-status';
import { patchTypeOf, responseShape } from '../api/media-types';
import type {
  ClusterAddress,
  Decoded,
  DeleteOptionsBody,
  KubeQuery,
  KubeRequest,
  ResourceTarget,
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

function resourceRequest(
  raw: RawKubeRequest,
  base: { cluster: ClusterAddress; query: KubeQuery },
  target: ResourceTarget,
): KubeRequest {
  const resource = { ...base, target, shape: responseShape(raw.accept) };
  const method = raw.method === 'HEAD' ? 'GET' : raw.method;
  const unsupported: KubeRequest = { ...base, verb: 'unsupported', target };
  const kind = target.kind.kind;
  if (target.name === undefined) {
    switch (method) {
      case 'GET': {
        const watch = raw.query['watch'] === 'true' || raw.query['watch'] === '1';
        return { ...resource, verb: watch ? 'watch' : 'list' };
      }
      case 'POST':
        return { ...resource, verb: 'create', body: decodeJsonBody(raw.body, kind) };
      case 'DELETE':
        return { ...resource, verb: 'deletecollection', options: decodeDeleteOptions(raw.body) };
      default:
        return unsupported;
    }
  }
  switch (method) {
    case 'GET':
      return { ...resource, verb: 'get' };
    case 'PUT': {
      const bodyKind = target.subresource === 'scale' ? 'Scale' : kind;
      return { ...resource, verb: 'update', body: decodeJsonBody(raw.body, bodyKind) };
    }
    case 'PATCH': {
      const type = patchTypeOf(raw.contentType);
      if (type === 'apply')
        return { ...resource, verb: 'apply', configuration: decodeApplyBody(raw.body, kind) };
      if (!type)
        return {
          ...resource,
          verb: 'patch',
          patchType: undefined,
          patch: { error: KubeErrors.unsupportedMediaType() },
        };
      return { ...resource, verb: 'patch', patchType: type, patch: decodeJsonBody(raw.body, kind) };
    }
    case 'DELETE':
      if (target.subresource) return unsupported;
      return { ...resource, verb: 'delete', options: decodeDeleteOptions(raw.body) };
    default:
      return unsupported;
  }
}

/**
 * Decodes a request's path, method, Accept and Content-Type headers and body into the typed request the API serves.
 * Only an unknown path is refused here (404); what else is wrong is carried in the request, for the API to answer
 * in the API server's order (the cluster first, then the object).
 */
export function decodeKubeRequest(raw: RawKubeRequest): KubeRequest {
  const target = parseKubePath(raw.path);
  const base = {
    cluster: { project: raw.project, location: raw.location, cluster: raw.cluster },
    query: raw.query,
  };
  if (target.type === 'resource') return resourceRequest(raw, base, target);
  if (raw.method !== 'GET' && raw.method !== 'HEAD') return { ...base, verb: 'unsupported', target };
  return { ...base, verb: 'discover', target, serverAddress: raw.serverAddress };
}
