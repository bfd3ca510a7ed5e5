import { applyOperation, JsonPatchError, type Operation } from 'fast-json-patch';
import { PROTOTYPE_KEY } from '@gke-emulator/common';
import { KubeErrors } from './kube-status';
import type { FieldSchema } from './field-schema';
import { childSchema } from './object-schema';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** RFC 7386 JSON merge patch: objects merge, `null` deletes, everything else (lists included) replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(result, key);
    else result[key] = applyMergePatch(result[key], value) as Json;
  }
  return result;
}

export interface JsonPatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/'))
    throw KubeErrors.badRequest(
      `the server rejected our request due to an error in our request: JSON Pointer "${path}" must start with '/'`,
    );
  const parts = path
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  // Written as `parent[key] = value`, this key would replace the parent's prototype (see common's safe-json).
  if (parts.includes(PROTOTYPE_KEY))
    throw new PatchError(`unknown field "${PROTOTYPE_KEY}" in path "${path}"`);
  return parts;
}

const OPERATIONS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * RFC 6902 JSON patch (add, remove, replace, move, copy, test), applied by `fast-json-patch` one operation at a time
 * (validated, prototype modifications banned). Errors are the server's: 400 for a malformed patch, 422 (a
 * `PatchError`, in the words of the API server's json-patch) for one that does not apply.
 */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations))
    throw KubeErrors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let document = clone(target);
  for (const [index, operation] of (operations as unknown[]).entries()) {
    if (!isObject(operation) || typeof operation['path'] !== 'string')
      throw new PatchError('Unexpected kind: invalid operation');
    const { op, path, from } = operation as unknown as JsonPatchOperation;
    const parts = pointer(path);
    const fromParts = op === 'move' || op === 'copy' ? pointer(String(from)) : undefined;
    if (!OPERATIONS.has(op)) throw new PatchError(`Unexpected kind: ${String(op)}`);
    // What the API server's json-patch requires and fast-json-patch does not check everywhere (it would copy
    // `undefined` to the root, or write into a string): the source exists; the target exists for remove, replace
    // and test (not the root for remove); the parent of an added value is an object or a list.
    if (fromParts !== undefined && at(document, fromParts) === undefined)
      throw new PatchError(`doc is missing path: "${String(from)}"`);
    const target = op === 'add' ? at(document, parts.slice(0, -1)) : at(document, parts);
    if (
      (op === 'add' && parts.length > 0 && !isObject(target) && !Array.isArray(target)) ||
      (op !== 'add' && op !== 'move' && op !== 'copy' && target === undefined) ||
      (op === 'remove' && parts.length === 0)
    )
      throw new PatchError(`doc is missing path: "${path}"`);
    // The API server's json-patch (v4) reads a missing `value` as null; fast-json-patch would refuse the operation.
    const applied = Object.hasOwn(operation, 'value') ? operation : { ...operation, value: null };
    try {
      document = applyOperation(
        document,
        applied as unknown as Operation,
        true,
        true,
        true,
        index,
      ).newDocument;
    } catch (error) {
      throw new PatchError(jsonPatchFailure(error, operation as unknown as JsonPatchOperation));
    }
  }
  return document;
}

/** The value at a JSON pointer's parts, `undefined` when there is none (own properties only). */
function at(document: unknown, parts: readonly string[]): unknown {
  let node = document;
  for (const part of parts) {
    if (Array.isArray(node) && /^\d+$/.test(part) && Number(part) < node.length) node = node[Number(part)];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, part)) node = node[part];
    else return undefined;
  }
  return node;
}

/** The API server's message for an operation `fast-json-patch` refused. */
function jsonPatchFailure(error: unknown, operation: JsonPatchOperation): string {
  const missing = (path: unknown) => `doc is missing path: "${String(path)}"`;
  // Not a JsonPatchError: the library refused a prototype key, or walked a `from` (move, copy) or a parent (add)
  // that is not there.
  if (!(error instanceof JsonPatchError)) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith('JSON-Patch: modifying'))
      return `unknown field "prototype" in path "${operation.path}"`;
    return missing(operation.op === 'move' || operation.op === 'copy' ? operation.from : operation.path);
  }
  switch (error.name) {
    case 'OPERATION_PATH_UNRESOLVABLE':
    case 'OPERATION_PATH_CANNOT_ADD':
      return missing(operation.path);
    case 'OPERATION_FROM_UNRESOLVABLE':
      return missing(operation.from);
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
      return `Unable to access invalid index: ${operation.path.slice(operation.path.lastIndexOf('/') + 1)}`;
    case 'TEST_OPERATION_FAILED':
      return `testing value ${operation.path} failed: test failed`;
    default:
      return error.message.split('\n')[0] ?? error.name;
  }
}

/** A patch that does not apply: the server answers 422 Invalid (JSON patch) or 400 (malformed) with it. */
export class PatchError extends Error {
  override name = 'PatchError';
}

/**
 * Strategic merge patch, for the fields the served kinds use: lists with a merge key (containers by name, ports by
 * containerPort/port, env by name...) merge item by item, other lists replace; `null` deletes; directives
 * `$patch: replace|delete|merge`, `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.
 */
export function applyStrategicMergePatch(
  target: unknown,
  patch: unknown,
  schema: FieldSchema | undefined,
): unknown {
  if (!isObject(patch))
    throw KubeErrors.badRequest('the body of a strategic merge patch must be a JSON object');
  return mergeObject(isObject(target) ? clone(target) : {}, patch, schema);
}

function mergeObject(target: JsonObject, patch: JsonObject, schema: FieldSchema | undefined): JsonObject {
  if (patch['$patch'] === 'replace') {
    const replaced: JsonObject = {};
    for (const [key, value] of Object.entries(patch)) if (key !== '$patch') replaced[key] = clone(value);
    return replaced;
  }
  if (patch['$patch'] === 'delete') return {};
  let result = target;
  const retainKeys = patch['$retainKeys'];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const listKey = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[listKey];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[listKey] = current.filter(
          (item) => !value.some((gone) => JSON.stringify(gone) === JSON.stringify(item)),
        );
      }
      continue;
    }
    const fieldSchema = childSchema(schema, key);
    if (value === null) {
      Reflect.deleteProperty(result, key);
    } else if (isObject(value)) {
      result[key] = mergeObject(isObject(result[key]) ? (result[key] as JsonObject) : {}, value, fieldSchema);
    } else if (Array.isArray(value) && fieldSchema?.type === 'list' && fieldSchema.mergeKey) {
      result[key] = mergeList(
        Array.isArray(result[key]) ? (result[key] as Json[]) : [],
        value,
        fieldSchema.mergeKey,
        fieldSchema.items,
      );
    } else if (Array.isArray(value) && fieldSchema?.type === 'list' && fieldSchema.setOfScalars) {
      const current = Array.isArray(result[key]) ? (result[key] as Json[]) : [];
      result[key] = [...current, ...value.filter((item) => !current.includes(item))];
    } else {
      result[key] = clone(value);
    }
  }
  if (Array.isArray(retainKeys)) {
    const keep = new Set(retainKeys.map(String));
    result = Object.fromEntries(Object.entries(result).filter(([key]) => keep.has(key)));
  }
  return result;
}

function mergeList(target: Json[], patch: Json[], mergeKey: string, itemSchema: FieldSchema): Json[] {
  const result = [...target];
  const replace = patch.some((item) => isObject(item) && item['$patch'] === 'replace');
  if (replace) return patch.filter((item) => !(isObject(item) && item['$patch'] === 'replace')).map(clone);
  for (const item of patch) {
    if (!isObject(item)) {
      result.push(clone(item));
      continue;
    }
    const key = JSON.stringify(item[mergeKey]);
    const index = result.findIndex(
      (existing) => isObject(existing) && JSON.stringify(existing[mergeKey]) === key,
    );
    if (item['$patch'] === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = mergeObject(result[index] as JsonObject, item, itemSchema);
    } else {
      const added: JsonObject = {};
      for (const [k, v] of Object.entries(item)) if (!k.startsWith('$')) added[k] = clone(v);
      result.push(added);
    }
  }
  return result;
}
