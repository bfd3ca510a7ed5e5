import { GoogleApiError } from '../errors/google-api-error';

/**
 * A declarative description of a request body, checked the way Google's front end checks JSON against the proto:
 * unknown names and wrong types are rejected with 400 before any use case runs.
 */
export type FieldSpec =
  | 'string'
  | 'bool'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float'
  | 'double'
  | 'any'
  | { object: WireSchema }
  | { array: FieldSpec }
  | { map: FieldSpec };

export type WireSchema = Readonly<Record<string, FieldSpec>>;

/** Every Compute resource's `description` (and a rule's, a range's...) holds at most 2,048 characters. */
export const MAX_DESCRIPTION_LENGTH = 2048;

const TYPE_NAMES: Record<string, string> = {
  string: 'TYPE_STRING',
  bool: 'TYPE_BOOL',
  int32: 'TYPE_INT32',
  uint32: 'TYPE_UINT32',
  int64: 'TYPE_INT64',
  uint64: 'TYPE_UINT64',
  float: 'TYPE_FLOAT',
  double: 'TYPE_DOUBLE',
};

const UINT64_MAX = 2n ** 64n - 1n;

/** A uint64 as proto JSON carries it: a decimal string (ids pass 2^53, so read exactly) or a JSON number. */
function checkUint64(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0;
  return typeof value === 'string' && /^\d+$/.test(value) && BigInt(value) <= UINT64_MAX;
}

/** A float or double as proto JSON carries it: a number, a numeral in a string, or NaN/Infinity/-Infinity. */
function checkFloating(value: unknown): boolean {
  if (typeof value === 'number') return true;
  if (typeof value !== 'string') return false;
  return (
    ['NaN', 'Infinity', '-Infinity'].includes(value) || /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)
  );
}

function typeError(path: string, spec: FieldSpec, value: unknown): GoogleApiError {
  const typeName = typeof spec === 'string' ? (TYPE_NAMES[spec] ?? 'TYPE_MESSAGE') : 'TYPE_MESSAGE';
  return new GoogleApiError(
    400,
    'invalid',
    `Invalid value at '${path}' (${typeName}), ${JSON.stringify(value)}`,
  );
}

function checkInteger(value: unknown, min: number, max: number): boolean {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;
}

function checkValue(value: unknown, spec: FieldSpec, path: string): void {
  if (value === null) return; // JSON null means "unset" to Google's parser.
  if (spec === 'any') return;
  if (spec === 'string') {
    if (typeof value !== 'string') throw typeError(path, spec, value);
    if (path.endsWith('.description') && value.length > MAX_DESCRIPTION_LENGTH) {
      throw new GoogleApiError(
        400,
        'invalid',
        `Invalid value for field '${path}': '${value.slice(0, 64)}...'. Must be at most ${MAX_DESCRIPTION_LENGTH} characters long.`,
      );
    }
    return;
  }
  if (spec === 'bool') {
    if (typeof value !== 'boolean') throw typeError(path, spec, value);
    return;
  }
  if (spec === 'int32') {
    if (!checkInteger(value, -2147483648, 2147483647)) throw typeError(path, spec, value);
    return;
  }
  if (spec === 'uint32') {
    if (!checkInteger(value, 0, 4294967295)) throw typeError(path, spec, value);
    return;
  }
  if (spec === 'int64') {
    if (!checkInteger(value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER))
      throw typeError(path, spec, value);
    return;
  }
  if (spec === 'uint64') {
    if (!checkUint64(value)) throw typeError(path, spec, value);
    return;
  }
  if (spec === 'float' || spec === 'double') {
    if (!checkFloating(value)) throw typeError(path, spec, value);
    return;
  }
  if ('array' in spec) {
    if (!Array.isArray(value)) throw typeError(path, spec, value);
    value.forEach((item, index) => {
      // A null field is unset, but a list cannot hold an unset element: Google's parser refuses it.
      if (item === null) throw typeError(`${path}[${index}]`, spec.array, item);
      checkValue(item, spec.array, `${path}[${index}]`);
    });
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw typeError(path, spec, value);
  if ('map' in spec) {
    for (const [key, item] of Object.entries(value)) checkValue(item, spec.map, `${path}[${key}]`);
    return;
  }
  checkObject(value as Record<string, unknown>, spec.object, path);
}

function checkObject(value: Record<string, unknown>, schema: WireSchema, path: string): void {
  for (const [key, item] of Object.entries(value)) {
    // Own fields only: a body key like `valueOf` or `constructor` must not find Object.prototype's.
    const spec = Object.hasOwn(schema, key) ? schema[key] : undefined;
    if (!spec) {
      throw new GoogleApiError(
        400,
        'invalid',
        `Invalid JSON payload received. Unknown name "${key}" at '${path}': Cannot find field.`,
      );
    }
    checkValue(item, spec, `${path}.${key}`);
  }
}

/** Checks `body` against `schema` and returns it typed; `path` is how Google names the body (`resource`). */
export function parseWireBody<T>(body: unknown, schema: WireSchema, path = 'resource'): T {
  if (body === undefined || body === null) return {} as T;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new GoogleApiError(
      400,
      'invalid',
      `Invalid JSON payload received. Expected an object at '${path}'.`,
    );
  }
  checkObject(body as Record<string, unknown>, schema, path);
  return dropNulls(body) as T;
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== null)
        .map(([key, item]) => [key, dropNulls(item)]),
    );
  }
  return value;
}
