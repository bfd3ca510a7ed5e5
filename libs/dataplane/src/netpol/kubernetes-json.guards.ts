// Narrowing helpers for Kubernetes objects that arrive as untyped JSON (parsed YAML, API responses).

export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectField(value: unknown, key: string): JsonObject | undefined {
  if (!isJsonObject(value)) return undefined;
  const field = value[key];
  return isJsonObject(field) ? field : undefined;
}

export function arrayField(value: unknown, key: string): readonly unknown[] | undefined {
  if (!isJsonObject(value)) return undefined;
  const field = value[key];
  return Array.isArray(field) ? field : undefined;
}

export function stringField(value: unknown, key: string): string | undefined {
  if (!isJsonObject(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' ? field : undefined;
}

export function numberField(value: unknown, key: string): number | undefined {
  if (!isJsonObject(value)) return undefined;
  const field = value[key];
  return typeof field === 'number' ? field : undefined;
}

export function booleanField(value: unknown, key: string): boolean | undefined {
  if (!isJsonObject(value)) return undefined;
  const field = value[key];
  return typeof field === 'boolean' ? field : undefined;
}

/** A string map such as labels; non-string values (a YAML `true`) are kept in their text form. */
export function stringMapField(value: unknown, key: string): Record<string, string> | undefined {
  const field = objectField(value, key);
  if (field === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(field).flatMap(([k, v]) =>
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? [[k, String(v)]] : [],
    ),
  );
}

export function stringArray(value: readonly unknown[] | undefined): string[] | undefined {
  return value?.flatMap((item) => (typeof item === 'string' ? [item] : []));
}
