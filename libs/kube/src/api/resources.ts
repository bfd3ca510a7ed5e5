/** One kind the emulator serves, with what discovery, paths and errors say about it. */
export interface ResourceKind {
  group: string;
  version: string;
  /** plural, as in the path */
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** subresources served: `status`, `scale` */
  subresources: string[];
  /** kept in kube_object; nodes are rendered from the container API instead */
  stored: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function kind(
  fields: Partial<ResourceKind> & Pick<ResourceKind, 'group' | 'resource' | 'kind'>,
): ResourceKind {
  return {
    version: 'v1',
    singular: fields.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
    stored: true,
    ...fields,
  };
}

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  kind({
    group: '',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  kind({
    group: '',
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    subresources: ['status'],
    stored: false,
  }),
  kind({
    group: '',
    resource: 'pods',
    kind: 'Pod',
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status'],
  }),
  kind({
    group: '',
    resource: 'services',
    kind: 'Service',
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  kind({ group: '', resource: 'events', kind: 'Event', shortNames: ['ev'] }),
  kind({
    group: 'apps',
    resource: 'deployments',
    kind: 'Deployment',
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  kind({
    group: 'apps',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  kind({ group: 'discovery.k8s.io', resource: 'endpointslices', kind: 'EndpointSlice' }),
  kind({
    group: 'networking.k8s.io',
    resource: 'ingresses',
    kind: 'Ingress',
    shortNames: ['ing'],
    subresources: ['status'],
  }),
  kind({
    group: 'networking.k8s.io',
    resource: 'networkpolicies',
    kind: 'NetworkPolicy',
    shortNames: ['netpol'],
  }),
  // GKE's BackendConfig custom resource: what a Service's `cloud.google.com/backend-config` annotation names.
  kind({ group: 'cloud.google.com', resource: 'backendconfigs', kind: 'BackendConfig' }),
  // The same Events as core/v1's, in events.k8s.io/v1's shape (api/events-v1.ts); stored as core/v1 Events.
  kind({ group: 'events.k8s.io', resource: 'events', kind: 'Event', shortNames: ['ev'], stored: false }),
];

/** The kind events.k8s.io/v1 Events are stored as. */
export const CORE_EVENTS = RESOURCE_KINDS.find(
  (k) => k.group === '' && k.resource === 'events',
) as ResourceKind;

export const API_GROUPS: readonly { group: string; version: string }[] = [
  { group: 'apps', version: 'v1' },
  { group: 'events.k8s.io', version: 'v1' },
  { group: 'discovery.k8s.io', version: 'v1' },
  { group: 'networking.k8s.io', version: 'v1' },
  // GKE's own (BackendConfig), as a CRD's group: after the built-in ones, as the apiserver lists them.
  { group: 'cloud.google.com', version: 'v1' },
];

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function apiVersionOf(kindOf: ResourceKind): string {
  return groupVersion(kindOf.group, kindOf.version);
}

export function findKind(group: string, version: string, resource: string): ResourceKind | undefined {
  return RESOURCE_KINDS.find((k) => k.group === group && k.version === version && k.resource === resource);
}

/** The stored kind of a resource (core/v1 `events`, not events.k8s.io's view of them). */
export function kindByResource(resource: string): ResourceKind {
  const found =
    RESOURCE_KINDS.find((k) => k.resource === resource && k.stored !== false) ??
    RESOURCE_KINDS.find((k) => k.resource === resource);
  if (!found) throw new Error(`unknown resource ${resource}`);
  return found;
}
