import { KUBELET_VERSION } from './node-view';
import { API_GROUPS, groupVersion, RESOURCE_KINDS, type ResourceKind } from './resources';

export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: KUBELET_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-04-01T00:00:00Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(group: string, version: string): Record<string, unknown> {
  const gv = { groupVersion: groupVersion(group, version), version };
  return { name: group, versions: [gv], preferredVersion: gv };
}

export function apiGroupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: API_GROUPS.map(({ group, version }) => apiGroup(group, version)),
  };
}

export function apiGroupOf(group: string): Record<string, unknown> | undefined {
  const found = API_GROUPS.find((g) => g.group === group);
  return found && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(found.group, found.version) };
}

function resourceEntries(kind: ResourceKind): Record<string, unknown>[] {
  const main = {
    name: kind.resource,
    singularName: kind.singular,
    namespaced: kind.namespaced,
    kind: kind.kind,
    verbs: kind.verbs,
    ...(kind.shortNames.length ? { shortNames: kind.shortNames } : {}),
    ...(kind.categories.length ? { categories: kind.categories } : {}),
  };
  const subresources = kind.subresources.map((sub) =>
    sub === 'scale'
      ? {
          name: `${kind.resource}/scale`,
          singularName: '',
          namespaced: kind.namespaced,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
        }
      : {
          name: `${kind.resource}/${sub}`,
          singularName: '',
          namespaced: kind.namespaced,
          kind: kind.kind,
          verbs: ['get', 'patch', 'update'],
        },
  );
  return [main, ...subresources];
}

/** `/api/v1` or `/apis/<group>/<version>`; `undefined` for a group version not served. */
export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const kinds = RESOURCE_KINDS.filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources: kinds.flatMap(resourceEntries),
  };
}

function openApiPathKey(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/**
 * `/openapi/v3`: the index of group versions. kubectl reads it to learn that the server validates fields
 * (`fieldValidation` on PATCH); it computes strategic merge patches from its compiled-in types.
 */
export function openApiV3Index(prefix: string): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of [{ group: '', version: 'v1' }, ...API_GROUPS]) {
    const key = openApiPathKey(group, version);
    paths[key] = { serverRelativeURL: `${prefix}/openapi/v3/${key}?hash=${OPENAPI_HASH}` };
  }
  return { paths };
}

const OPENAPI_HASH = '6F3A1C0E2B7D4E59';

/** One group version's document: for each kind the item paths with their verbs and the query parameters. */
export function openApiV3Document(group: string, version: string): Record<string, unknown> | undefined {
  const kinds = RESOURCE_KINDS.filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  const root = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const paths: Record<string, unknown> = {};
  const queryParameter = (name: string) => ({
    name,
    in: 'query',
    schema: { type: 'string', uniqueItems: true },
  });
  for (const kind of kinds) {
    const gvk = { group, version, kind: kind.kind };
    const itemPath = kind.namespaced
      ? `${root}/namespaces/{namespace}/${kind.resource}/{name}`
      : `${root}/${kind.resource}/{name}`;
    const operation = (verb: string, parameters: string[]) => ({
      operationId: `${verb}${kind.kind}`,
      'x-kubernetes-action': verb,
      'x-kubernetes-group-version-kind': gvk,
      parameters: parameters.map(queryParameter),
      responses: { '200': { description: 'OK' } },
    });
    paths[itemPath] = {
      get: operation('get', []),
      put: operation('put', ['dryRun', 'fieldManager', 'fieldValidation']),
      patch: operation('patch', ['dryRun', 'fieldManager', 'fieldValidation', 'force']),
      delete: operation('delete', ['dryRun', 'gracePeriodSeconds', 'propagationPolicy']),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBELET_VERSION },
    paths,
    components: { schemas: {} },
  };
}
