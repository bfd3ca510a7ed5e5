import { CONTAINER_ENUMS } from './container-enums.generated';
import { CONTAINER_FIELDS } from './container-fields.generated';

/** One entry of a google.rpc.BadRequest: the proto path (absent at the request's top level) and Google's text. */
export interface FieldViolation {
  field?: string;
  description: string;
}

const INT_RANGES: Record<string, readonly [string, bigint, bigint]> = {
  int32: ['TYPE_INT32', -(2n ** 31n), 2n ** 31n - 1n],
  sint32: ['TYPE_SINT32', -(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: ['TYPE_SFIXED32', -(2n ** 31n), 2n ** 31n - 1n],
  uint32: ['TYPE_UINT32', 0n, 2n ** 32n - 1n],
  fixed32: ['TYPE_FIXED32', 0n, 2n ** 32n - 1n],
  int64: ['TYPE_INT64', -(2n ** 63n), 2n ** 63n - 1n],
  sint64: ['TYPE_SINT64', -(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: ['TYPE_SFIXED64', -(2n ** 63n), 2n ** 63n - 1n],
  uint64: ['TYPE_UINT64', 0n, 2n ** 64n - 1n],
  fixed64: ['TYPE_FIXED64', 0n, 2n ** 64n - 1n],
};

/** google.* types given as JSON scalars (proto3 JSON mapping), by the JSON type they take. */
const WELL_KNOWN_SCALARS: Record<string, 'string' | 'boolean'> = {
  'google.protobuf.Duration': 'string',
  'google.protobuf.Timestamp': 'string',
  'google.protobuf.BoolValue': 'boolean',
};

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function invalidValue(path: string, type: string, value: unknown): FieldViolation {
  const description = `Invalid value at '${path}' (${type}), ${shown(value)}`;
  return { field: path, description };
}

function invalidName(path: string, key: string, reason: string): FieldViolation {
  const description = `Invalid JSON payload received. Unknown name ${JSON.stringify(key)}${path ? ` at '${path}'` : ''}: ${reason}`;
  return path ? { field: path, description } : { description };
}

function integerViolation(type: string, value: unknown, path: string): FieldViolation | undefined {
  const [label, min, max] = INT_RANGES[type] as readonly [string, bigint, bigint];
  let parsed: bigint | undefined;
  if (typeof value === 'number' && Number.isInteger(value)) parsed = BigInt(value);
  else if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) parsed = BigInt(value.trim());
  if (parsed === undefined || parsed < min || parsed > max) return invalidValue(path, label, value);
  return undefined;
}

/** A scalar, enum or well-known value at `path`, or what is wrong with it. */
function scalarViolation(type: string, value: unknown, path: string): FieldViolation | undefined {
  if (type in INT_RANGES) return integerViolation(type, value, path);
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : invalidValue(path, 'TYPE_STRING', value);
    case 'bytes':
      return typeof value === 'string' ? undefined : invalidValue(path, 'TYPE_BYTES', value);
    case 'bool':
      return typeof value === 'boolean' || value === 'true' || value === 'false'
        ? undefined
        : invalidValue(path, 'TYPE_BOOL', value);
    case 'double':
    case 'float': {
      const ok =
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' &&
          (['NaN', 'Infinity', '-Infinity'].includes(value) ||
            (value.trim() !== '' && Number.isFinite(Number(value)))));
      return ok ? undefined : invalidValue(path, type === 'double' ? 'TYPE_DOUBLE' : 'TYPE_FLOAT', value);
    }
  }
  if (CONTAINER_ENUMS[type] || type === 'google.rpc.Code') {
    // Which names and numbers the enum has is for enumsToNames: here only the JSON type.
    const wire = type.startsWith('google.') ? type : `google.container.v1.${type}`;
    return typeof value === 'string' || typeof value === 'number'
      ? undefined
      : invalidValue(path, `type.googleapis.com/${wire}`, value);
  }
  const wellKnown = WELL_KNOWN_SCALARS[type];
  if (wellKnown)
    return typeof value === wellKnown ? undefined : invalidValue(path, `type.googleapis.com/${type}`, value);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One value of a field's type (not its list or map) at `path`. */
function valueViolations(type: string, value: unknown, path: string, out: FieldViolation[]): void {
  if (value === null) return;
  const message = CONTAINER_FIELDS[type];
  if (
    message ||
    (type.startsWith('google.') && !(type in WELL_KNOWN_SCALARS) && type !== 'google.rpc.Code')
  ) {
    if (isObject(value)) {
      if (message) messageViolations(type, value, path, out);
      return;
    }
    // A scalar where the proto has a message: Google's parser names the message type it wanted.
    const wire = type.startsWith('google.') ? type : `google.container.v1.${type}`;
    out.push(invalidValue(path, `type.googleapis.com/${wire}`, value));
    return;
  }
  if (isObject(value)) {
    out.push({
      field: path,
      description: `Invalid value at '${path}' (${scalarLabel(type)}), Starting an object on a scalar field`,
    });
    return;
  }
  const violation = scalarViolation(type, value, path);
  if (violation) out.push(violation);
}

function scalarLabel(type: string): string {
  if (type in INT_RANGES) return (INT_RANGES[type] as readonly [string, bigint, bigint])[0];
  if (['string', 'bytes', 'bool', 'double', 'float'].includes(type)) return `TYPE_${type.toUpperCase()}`;
  return `type.googleapis.com/${type.startsWith('google.') ? type : `google.container.v1.${type}`}`;
}

/**
 * What Google's front end (ESF) refuses in a request body of the Container v1 API, by the message types of
 * cluster_service.proto: names no field has (JSON or proto name), a list where the field is not repeated, and
 * values of the wrong JSON type, each at its proto path (`cluster.node_pools[0].config`, a map's entry as
 * `resource_labels["env"]`). Enum names and numbers are left to `enumsToNames`.
 */
export function messageViolations(
  message: string,
  value: Record<string, unknown>,
  path = '',
  out: FieldViolation[] = [],
): FieldViolation[] {
  const fields = CONTAINER_FIELDS[message];
  if (!fields) return out;
  const byProtoName = protoNames(message);
  for (const [key, field] of Object.entries(value)) {
    const spec = (Object.hasOwn(fields, key) ? fields[key] : undefined) ?? byProtoName.get(key);
    if (!spec) {
      out.push(invalidName(path, key, 'Cannot find field.'));
      continue;
    }
    const [protoName, type, kind] = spec;
    const fieldPath = path ? `${path}.${protoName}` : protoName;
    if (field === null) continue;
    if (kind === 'repeated') {
      if (!Array.isArray(field)) {
        valueViolations(type, field, fieldPath, out);
        continue;
      }
      field.forEach((item, index) => valueViolations(type, item, `${fieldPath}[${index}]`, out));
    } else if (kind?.startsWith('map<')) {
      if (!isObject(field)) {
        out.push(invalidValue(fieldPath, 'TYPE_MESSAGE', field));
        continue;
      }
      for (const [entryKey, entry] of Object.entries(field))
        valueViolations(type, entry, `${fieldPath}[${JSON.stringify(entryKey)}]`, out);
    } else if (Array.isArray(field)) {
      out.push(invalidName(path, key, 'Proto field is not repeating, cannot start list.'));
    } else {
      valueViolations(type, field, fieldPath, out);
    }
  }
  return out;
}

const PROTO_NAMES = new Map<string, Map<string, readonly [string, string, string?]>>();

/** A message's fields by proto (snake_case) name: the JSON parser takes either name. */
function protoNames(message: string): Map<string, readonly [string, string, string?]> {
  let names = PROTO_NAMES.get(message);
  if (!names) {
    names = new Map(Object.values(CONTAINER_FIELDS[message] ?? {}).map((spec) => [spec[0], spec] as const));
    PROTO_NAMES.set(message, names);
  }
  return names;
}

/**
 * The body with every field under its JSON name (`initial_node_count` → `initialNodeCount`), as Google's parser
 * reads either: the API reads JSON names only. Unknown names and values are left as they are.
 */
export function withJsonNames(message: string, value: unknown): unknown {
  const fields = CONTAINER_FIELDS[message];
  if (!fields || !isObject(value)) return value;
  const byProtoName = protoNames(message);
  const jsonNames = new Map(Object.entries(fields).map(([json, spec]) => [spec, json] as const));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const spec = (Object.hasOwn(fields, key) ? fields[key] : undefined) ?? byProtoName.get(key);
    if (!spec) {
      out[key] = field;
      continue;
    }
    const [, type, kind] = spec;
    const name = jsonNames.get(spec) ?? key;
    if (kind === 'repeated' && Array.isArray(field))
      out[name] = field.map((item) => withJsonNames(type, item));
    else if (kind?.startsWith('map<') && isObject(field))
      out[name] = Object.fromEntries(Object.entries(field).map(([k, v]) => [k, withJsonNames(type, v)]));
    else out[name] = withJsonNames(type, field);
  }
  return out;
}
