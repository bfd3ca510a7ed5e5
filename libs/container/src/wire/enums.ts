import { CONTAINER_ENUMS, CONTAINER_MESSAGES } from './container-enums.generated';

export class EnumValueError extends Error {
  constructor(field: string, enumType: string, value: unknown) {
    const snake = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    super(
      `Invalid value at '${snake}' (type.googleapis.com/google.container.v1.${enumType}), ${JSON.stringify(value)}`,
    );
  }
}

/**
 * Rewrites the enum fields of a request body (and refuses scalars given for message fields) from numbers to names, guided by the message types of
 * cluster_service.proto (the Node client's REST transport sends enums as integers), and rejects names or numbers
 * the enum does not have, as the real API does. Other fields are left as they are.
 */
export function enumsToNames(message: string, value: unknown, path = ''): unknown {
  const fields = CONTAINER_MESSAGES[message];
  // A string, number or boolean where the proto has a message: Google's parser names the message type it wanted.
  if (fields && ['string', 'number', 'boolean'].includes(typeof value))
    throw new EnumValueError(path, message, value);
  if (!fields || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value))
    return value.map((item, index) => enumsToNames(message, item, `${path}[${index}]`));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const type = Object.hasOwn(fields, key) ? fields[key] : undefined;
    const fieldPath = path ? `${path}.${key}` : key;
    if (!type) out[key] = field;
    else if ('enum' in type)
      out[key] = Array.isArray(field)
        ? field.map((item) => enumName(type.enum, item, fieldPath))
        : enumName(type.enum, field, fieldPath);
    else if (Array.isArray(field))
      out[key] = field.map((item, index) => enumsToNames(type.message, item, `${fieldPath}[${index}]`));
    else out[key] = enumsToNames(type.message, field, fieldPath);
  }
  return out;
}

function enumName(enumType: string, value: unknown, path: string): unknown {
  const names = CONTAINER_ENUMS[enumType] ?? [];
  if (typeof value === 'number') {
    const name = Number.isInteger(value) ? names[value] : undefined;
    if (!name) throw new EnumValueError(path, enumType, value);
    return name;
  }
  if (typeof value === 'string') {
    if (/^\d+$/.test(value) && names[Number(value)]) return names[Number(value)];
    if (!names.includes(value)) throw new EnumValueError(path, enumType, value);
  }
  return value;
}
