import { KubeErrors } from '../api/kube-status';
import { API_GROUPS, findKind } from '../api/resources';
import type { KubeTarget } from '../apiserver/kube-request';

function resourceTarget(group: string, version: string, segments: string[]): KubeTarget {
  const lookup = (resource: string | undefined) =>
    resource ? findKind(group, version, resource) : undefined;
  const [first, second, third, fourth, fifth, ...rest] = segments;
  if (rest.length > 0) throw KubeErrors.notFoundPath();
  if (first === 'namespaces' && second !== undefined && third !== undefined) {
    const namespaced = lookup(third);
    if (namespaced?.namespaced) {
      return { type: 'resource', kind: namespaced, namespace: second, name: fourth, subresource: fifth };
    }
  }
  const kind = lookup(first);
  if (!kind || fourth !== undefined) throw KubeErrors.notFoundPath();
  if (second === undefined) return { type: 'resource', kind };
  if (kind.namespaced) throw KubeErrors.notFoundPath();
  return { type: 'resource', kind, name: second, subresource: third };
}

/** Parses the part of the path after `/k8s/<project>/<location>/<cluster>`. Unknown paths are 404 NotFound. */
export function parseKubePath(path: string): KubeTarget {
  const segments = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment));
  const [head, ...tail] = segments;
  if (head === 'version' && tail.length === 0) return { type: 'version' };
  if (head === 'openapi') {
    if (tail[0] === 'v2' && tail.length === 1) return { type: 'openapiV2' };
    if (tail[0] === 'v3' && tail.length === 1) return { type: 'openapiIndex' };
    if (tail[0] === 'v3' && tail[1] === 'api' && tail.length === 3)
      return { type: 'openapiDocument', group: '', version: tail[2] as string };
    if (tail[0] === 'v3' && tail[1] === 'apis' && tail.length === 4)
      return { type: 'openapiDocument', group: tail[2] as string, version: tail[3] as string };
    throw KubeErrors.notFoundPath();
  }
  if (head === 'api') {
    if (tail.length === 0) return { type: 'api' };
    const [version, ...rest] = tail;
    if (version !== 'v1') throw KubeErrors.notFoundPath();
    if (rest.length === 0) return { type: 'resourceList', group: '', version };
    return resourceTarget('', version, rest);
  }
  if (head === 'apis') {
    if (tail.length === 0) return { type: 'apis' };
    const [group, version, ...rest] = tail as [string, string | undefined, ...string[]];
    if (!API_GROUPS.some((g) => g.group === group)) throw KubeErrors.notFoundPath();
    if (version === undefined) return { type: 'apiGroup', group };
    if (!API_GROUPS.some((g) => g.group === group && g.version === version)) throw KubeErrors.notFoundPath();
    if (rest.length === 0) return { type: 'resourceList', group, version };
    return resourceTarget(group, version, rest);
  }
  throw KubeErrors.notFoundPath();
}
