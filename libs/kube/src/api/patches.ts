import { PROTOTYPE_KEY } from '@gke-emulator/common';
import { KubeErrors } from './kube-status';
import { childSchema, type FieldSchema } from './object-schema';

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

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). Errors are the server's 422 for bad patches. */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations))
    throw KubeErrors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let document = clone(target) as Json;
  const fail = (message: string): never => {
    throw new (class extends Error {})(message);
  };
  const parentOf = (root: Json, parts: string[]): { parent: Json; key: string } => {
    let node: Json = root;
    for (const part of parts.slice(0, -1)) {
      if (Array.isArray(node)) node = node[Number(part)] as Json;
      else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, part)) node = node[part] as Json;
      else return fail(`doc is missing path: "/${parts.join('/')}"`);
      if (node === undefined) return fail(`doc is missing path: "/${parts.join('/')}"`);
    }
    return { parent: node, key: parts[parts.length - 1] as string };
  };
  const read = (root: Json, parts: string[]): Json => {
    let node: Json = root;
    for (const part of parts) {
      if (Array.isArray(node) && /^\d+$/.test(part) && Number(part) < node.length)
        node = node[Number(part)] as Json;
      else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, part)) node = node[part] as Json;
      else return fail(`doc is missing path: "/${parts.join('/')}"`);
    }
    return node;
  };
  const add = (root: Json, parts: string[], value: Json): Json => {
    if (parts.length === 0) return value;
    const { parent, key } = parentOf(root, parts);
    if (Array.isArray(parent)) {
      const index = key === '-' ? parent.length : Number(key);
      if (!/^(\d+|-)$/.test(key) || index > parent.length) fail(`Unable to access invalid index: ${key}`);
      parent.splice(index, 0, value);
    } else if (isObject(parent)) parent[key] = value;
    else fail(`doc is missing path: "/${parts.join('/')}"`);
    return root;
  };
  const remove = (root: Json, parts: string[]): Json => {
    read(root, parts);
    const { parent, key } = parentOf(root, parts);
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else if (isObject(parent)) Reflect.deleteProperty(parent, key);
    return root;
  };
  try {
    for (const operation of operations as JsonPatchOperation[]) {
      if (!isObject(operation) || typeof operation.path !== 'string')
        fail('Unexpected kind: invalid operation');
      const parts = pointer(operation.path);
      switch (operation.op) {
        case 'add':
          document = add(document, parts, clone(operation.value) as Json);
          break;
        case 'remove':
          document = remove(document, parts);
          break;
        case 'replace':
          read(document, parts);
          document = add(remove(document, parts), parts, clone(operation.value) as Json);
          break;
        case 'move': {
          const from = pointer(String(operation.from));
          const value = read(document, from);
          document = add(remove(document, from), parts, value);
          break;
        }
        case 'copy':
          document = add(document, parts, clone(read(document, pointer(String(operation.from)))));
          break;
        case 'test':
          if (JSON.stringify(read(document, parts)) !== JSON.stringify(operation.value))
            fail(`testing value ${operation.path} failed: test failed`);
          break;
        default:
          fail(`Unexpected kind: ${String(operation.op)}`);
      }
    }
  } catch (error) {
    if (error instanceof Error && error.name !== 'KubeStatusError') {
      throw new PatchError(error.message);
    }
    throw error;
  }
  return document;
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
