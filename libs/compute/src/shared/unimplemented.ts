import { METHOD_RESOURCES } from './method-names.generated';

/**
 * Names the Compute method a request would have called, the way Google names them (`compute.firewalls.insert`),
 * so an unimplemented one answers 501 naming it instead of a silent 404.
 */
export function unimplementedComputeMethod(method: string, path: string): string | null {
  const match = path.split('?')[0]?.match(/^\/(?:compute\/v1\/)?projects\/[^/]+(?:\/(.*))?$/);
  if (!match) return null;
  let rest = (match[1] ?? '').split('/').filter(Boolean);
  let scope = 'project';
  if (rest[0] === 'global' || rest[0] === 'aggregated') [scope, rest] = [rest[0], rest.slice(1)];
  else if (rest[0] === 'regions' || rest[0] === 'zones') [scope, rest] = [rest[0], rest.slice(2)];
  const [collection, name, verb] = rest;
  if (!collection) return 'compute.projects.get';
  // Google names some collections' methods after another resource, by scope (generated from its API description).
  const resource = METHOD_RESOURCES[`${scope}/${collection}`] ?? collection;
  // A verb on the project itself (`projects/p/setCommonInstanceMetadata`).
  if (resource === 'projects') return name ? null : `compute.projects.${collection}`;
  const aggregated = scope === 'aggregated';
  // A POST or PUT to a named resource without a custom verb is no Compute method at all.
  if (name && !verb && method === 'POST') return null;
  // Custom verbs are POSTs, except the read-only get*/list* ones.
  if (verb && method !== 'POST' && !(method === 'GET' && /^(get|list)/.test(verb))) return null;
  const action =
    verb ??
    (aggregated
      ? 'aggregatedList'
      : method === 'GET'
        ? name
          ? 'get'
          : 'list'
        : method === 'POST'
          ? 'insert'
          : method === 'DELETE'
            ? 'delete'
            : method === 'PATCH'
              ? 'patch'
              : method === 'PUT'
                ? 'update'
                : method.toLowerCase());
  return `compute.${resource}.${action}`;
}
