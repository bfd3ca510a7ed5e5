import { ContainerErrors } from './container-errors';

type Json = Record<string, unknown>;

/** A message field of a request: `{}` when absent, the Container API's 400 when not an object. */
export function object(value: unknown, field: string): Json {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw ContainerErrors.invalid(`Invalid JSON payload received. '${field}' must be an object.`);
  return value as Json;
}

/** A string field of a request: undefined when absent or empty, the Container API's 400 when not a string. */
export function str(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw ContainerErrors.invalid(`Invalid value for field "${field}": ${JSON.stringify(value)}.`);
  return value;
}
