/**
 * Names the Compute method a request would have called, the way Google names them (`compute.firewalls.insert`),
 * so an unimplemented one answers 501 naming it instead of a silent 404.
 */
export function unimplementedComputeMethod(method: string, path: string): string | null {
  const match = path.split('?')[0]?.match(/^\/(?:compute\/v1\/)?projects\/[^/]+(?:\/(.*))?$/);
  if (!match) return null;
  let rest = (match[1] ?? '').split('/').filter(Boolean);
  if (rest[0] === 'global' || rest[0] === 'aggregated') rest = rest.slice(1);
  else if (rest[0] === 'regions' || rest[0] === 'zones') rest = rest.slice(2);
  const [collection, name, verb] = rest;
  if (!collection) return 'compute.projects.get';
  const aggregated = path.includes('/aggregated/');
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
  return `compute.${collection}.${action}`;
}
