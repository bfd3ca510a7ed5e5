import { isPlainObject, type ManagedFieldsEntry } from './kube-object';
import type { FieldSchema } from './field-schema';
import { childSchema } from './object-schema';

/** The `fieldsV1` set of a value: `f:<field>` for fields, `k:{"name":"x"}` for items of keyed lists. */
export function fieldsV1Of(value: unknown, schema: FieldSchema | undefined): Record<string, unknown> {
  if (!isPlainObject(value)) return {};
  const fields: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childSchemaOf = childSchema(schema, key);
    if (Array.isArray(child) && childSchemaOf?.type === 'list' && childSchemaOf.mergeKey) {
      const mergeKey = childSchemaOf.mergeKey;
      const items: Record<string, unknown> = {};
      for (const item of child) {
        if (!isPlainObject(item) || item[mergeKey] === undefined) continue;
        items[`k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`] = {
          '.': {},
          ...fieldsV1Of(item, childSchemaOf.items),
        };
      }
      fields[`f:${key}`] = items;
    } else if (isPlainObject(child) && childSchemaOf?.type !== 'any') {
      const nested = fieldsV1Of(child, childSchemaOf);
      fields[`f:${key}`] = childSchemaOf?.type === 'map' ? { '.': {}, ...nested } : nested;
    } else {
      fields[`f:${key}`] = {};
    }
  }
  return fields;
}

function withoutIdentity(object: Record<string, unknown>): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, status: _s, ...rest } = object;
  const metadata = isPlainObject(rest['metadata']) ? { ...rest['metadata'] } : undefined;
  if (metadata) {
    for (const key of [
      'name',
      'namespace',
      'uid',
      'resourceVersion',
      'generation',
      'creationTimestamp',
      'managedFields',
    ])
      Reflect.deleteProperty(metadata, key);
    if (Object.keys(metadata).length) rest['metadata'] = metadata;
    else delete rest['metadata'];
  }
  return rest;
}

/**
 * Records who last set what: one entry per manager and operation, as the API server keeps them (kubectl hides them
 * unless `--show-managed-fields`).
 */
export function recordManager(
  entries: readonly ManagedFieldsEntry[] | undefined,
  manager: string,
  operation: 'Apply' | 'Update',
  apiVersion: string,
  time: string,
  fieldsSource: Record<string, unknown>,
  schema: FieldSchema | undefined,
  subresource?: string,
): ManagedFieldsEntry[] {
  const kept = (entries ?? []).filter(
    (entry) =>
      !(
        entry.manager === manager &&
        entry.operation === operation &&
        (entry.subresource ?? '') === (subresource ?? '')
      ),
  );
  return [
    ...kept,
    {
      manager,
      operation,
      apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: fieldsV1Of(withoutIdentity(fieldsSource), schema),
      ...(subresource ? { subresource } : {}),
    },
  ];
}

/**
 * Server-side apply's removal rule: fields the manager applied before and no longer applies, that no other manager
 * owns, are removed from the object.
 */
export function removeReleasedFields(
  object: Record<string, unknown>,
  previous: Record<string, unknown>,
  current: Record<string, unknown>,
  others: readonly Record<string, unknown>[],
): void {
  function walk(
    target: unknown,
    prev: Record<string, unknown>,
    next: Record<string, unknown> | undefined,
    owned: (Record<string, unknown> | undefined)[],
  ): void {
    for (const [key, prevChild] of Object.entries(prev)) {
      if (key === '.') continue;
      const nextChild = next?.[key] as Record<string, unknown> | undefined;
      const ownedChildren = owned.map((o) => o?.[key] as Record<string, unknown> | undefined);
      if (key.startsWith('f:')) {
        const name = key.slice(2);
        if (!isPlainObject(target)) continue;
        if (nextChild === undefined && ownedChildren.every((o) => o === undefined))
          Reflect.deleteProperty(target, name);
        else if (isPlainObject(prevChild)) walk(target[name], prevChild, nextChild, ownedChildren);
      } else if (key.startsWith('k:') && Array.isArray(target)) {
        const itemKey = JSON.parse(key.slice(2)) as Record<string, unknown>;
        const [[mergeKey, mergeValue]] = Object.entries(itemKey) as [[string, unknown]];
        const index = target.findIndex(
          (item) => isPlainObject(item) && JSON.stringify(item[mergeKey]) === JSON.stringify(mergeValue),
        );
        if (index < 0) continue;
        if (nextChild === undefined && ownedChildren.every((o) => o === undefined)) target.splice(index, 1);
        else if (isPlainObject(prevChild)) walk(target[index], prevChild, nextChild, ownedChildren);
      }
    }
  }
  walk(object, previous, current, [...others]);
}
