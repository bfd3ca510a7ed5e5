import { KubeErrors } from './kube-status';
import type { FieldSchema, ObjectSchema } from './field-schema';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface DecodeResult {
  /** the object without unknown fields (the server prunes them when it does not refuse them) */
  object: Record<string, unknown>;
  unknownFields: string[];
}

const GO_TYPES: Record<string, string> = {
  string: 'string',
  integer: 'int32',
  int64: 'int64',
  number: 'float64',
  boolean: 'bool',
  time: 'Time',
  quantity: 'Quantity',
  intOrString: 'IntOrString',
};

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_LIMIT = 2 ** 63;

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  // Go's decoder names JSON's true/false "bool"
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decodes a request body against the kind's schema as the API server's strict decoder does: wrong JSON types are
 * refused whatever the mode; unknown fields are collected (for Strict to refuse and Warn to report) and pruned.
 */
export function decodeObject(schema: ObjectSchema, body: unknown, kind: string): DecodeResult {
  const unknownFields: string[] = [];
  const typeError = (path: string, value: unknown, goType: string, parent: string, literal = false) =>
    KubeErrors.badRequest(
      `${kind} in version "v1" cannot be handled as a ${kind}: json: cannot unmarshal ${literal ? `number ${String(value)}` : jsonType(value)} into Go struct field ${parent}.${path} of type ${goType}`,
    );

  function walk(fieldSchema: FieldSchema, value: unknown, path: string, parent: string): unknown {
    if (value === null) return null;
    switch (fieldSchema.type) {
      case 'any':
        return value;
      case 'string':
      case 'time':
        if (typeof value !== 'string')
          throw typeError(path, value, GO_TYPES[fieldSchema.type] as string, parent);
        return value;
      case 'integer':
        // Go's decoder names the number it cannot fit: a fraction or anything outside int32.
        if (typeof value !== 'number') throw typeError(path, value, 'int32', parent);
        if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX)
          throw typeError(path, value, 'int32', parent, true);
        return value;
      case 'int64':
        if (typeof value !== 'number') throw typeError(path, value, 'int64', parent);
        if (!Number.isInteger(value) || value < -INT64_LIMIT || value >= INT64_LIMIT)
          throw typeError(path, value, 'int64', parent, true);
        return value;
      case 'number':
        if (typeof value !== 'number') throw typeError(path, value, 'float64', parent);
        return value;
      case 'boolean':
        if (typeof value !== 'boolean') throw typeError(path, value, 'bool', parent);
        return value;
      case 'intOrString':
      case 'quantity':
        if (typeof value !== 'string' && typeof value !== 'number')
          throw typeError(path, value, GO_TYPES[fieldSchema.type] as string, parent);
        // IntOrString decodes a number into its int32 half: a fraction or anything outside int32 is refused.
        if (
          fieldSchema.type === 'intOrString' &&
          typeof value === 'number' &&
          (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX)
        )
          throw typeError(path, value, 'int32', parent, true);
        return value;
      case 'map': {
        if (!isPlainObject(value))
          throw typeError(
            path,
            value,
            `map[string]${fieldSchema.values.type === 'string' ? 'string' : 'Quantity'}`,
            parent,
          );
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value))
          out[key] = walk(fieldSchema.values, item, `${path}.${key}`, parent);
        return out;
      }
      case 'list': {
        if (!Array.isArray(value))
          throw typeError(
            path,
            value,
            `[]${fieldSchema.items.type === 'object' ? `v1.${fieldSchema.items.name}` : 'string'}`,
            parent,
          );
        return value.map((item, index) => walk(fieldSchema.items, item, `${path}[${index}]`, parent));
      }
      case 'object': {
        if (!isPlainObject(value)) throw typeError(path, value, `v1.${fieldSchema.name}`, parent);
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) {
          const child = Object.prototype.hasOwnProperty.call(fieldSchema.fields, key)
            ? fieldSchema.fields[key]
            : undefined;
          const childPath = path ? `${path}.${key}` : key;
          if (!child) {
            // the server keeps directive keys of patches out of this (they are applied before decoding)
            unknownFields.push(childPath);
            continue;
          }
          out[key] = walk(child, item, childPath, fieldSchema.name);
        }
        return out;
      }
    }
  }

  const object = walk(schema, body, '', schema.name);
  if (!isPlainObject(object))
    throw KubeErrors.badRequest(
      `${kind} in version "v1" cannot be handled as a ${kind}: body must be a JSON object`,
    );
  return { object, unknownFields };
}

/** Applies the `fieldValidation` mode: Strict refuses unknown fields, Warn returns warnings, Ignore drops them. */
export function checkUnknownFields(result: DecodeResult, mode: FieldValidation, kind: string): string[] {
  if (result.unknownFields.length === 0) return [];
  const listed = result.unknownFields.map((field) => `unknown field "${field}"`);
  if (mode === 'Strict') {
    throw KubeErrors.badRequest(
      `${kind} in version "v1" cannot be handled as a ${kind}: strict decoding error: ${listed.join(', ')}`,
    );
  }
  return mode === 'Warn' ? listed : [];
}

export function parseFieldValidation(value: string | undefined): FieldValidation {
  if (value === undefined || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw KubeErrors.badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${value}"`);
}
