import type { FieldValidation } from '../api/field-validation';
import type { KubeStatusError } from '../api/kube-status';
import type { ResponseShape } from '../api/media-types';
import type { ResourceKind } from '../api/resources';

/** What a path under a cluster's prefix addresses. */
export type KubeTarget =
  | { type: 'version' }
  | { type: 'api' }
  | { type: 'apis' }
  | { type: 'apiGroup'; group: string }
  | { type: 'resourceList'; group: string; version: string }
  | { type: 'openapiIndex' }
  | { type: 'openapiDocument'; group: string; version: string }
  | { type: 'openapiV2' }
  | { type: 'resource'; kind: ResourceKind; namespace?: string; name?: string; subresource?: string };

export type ResourceTarget = Extract<KubeTarget, { type: 'resource' }>;
export type DiscoveryTarget = Exclude<KubeTarget, { type: 'resource' }>;

/** The cluster a request is for: `/k8s/<project>/<location>/<cluster>/…`. */
export interface ClusterAddress {
  project: string;
  location: string;
  cluster: string;
}

/**
 * A part of the request decoded from the wire: its value, or the API server's error about it. The error is raised
 * where the API server raises it (a patch body that is not JSON is reported after the object was found: a missing
 * object is 404 whatever its patch says).
 */
export type Decoded<T> = { value: T } | { error: KubeStatusError };

/** The parts of a `DeleteOptions` body the API reads. */
export interface DeleteOptionsBody {
  preconditions: { resourceVersion?: string; uid?: string };
  /** set when the body says `dryRun` (true only for `["All"]`) */
  dryRun?: boolean;
}

/** The options of a delete: the query's `dryRun` merged with the body's (the body's wins when it says one). */
export interface DeleteOptions {
  preconditions: { resourceVersion?: string; uid?: string };
  dryRun: boolean;
}

/** The patch types of `PATCH` other than server-side apply. */
export type MergePatchType = 'json' | 'merge' | 'strategic';

/** The query parameters, one value each (the first when repeated). */
export type KubeQuery = Readonly<Record<string, string | undefined>>;

/** What a Table row carries besides its cells (`includeObject`; a value the emulator does not know is `Metadata`). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The selectors of a list, watch or collection delete, as sent: they are parsed against the kind they select. */
export interface Selectors {
  labelSelector?: string;
  fieldSelector?: string;
}

/** The query options of a list. */
export interface ListQueryOptions {
  /** the page size; its error is `invalid limit: <value>` */
  limit: Decoded<number | undefined>;
  /** the token a previous page ended with (decoded by the API, whose token it is) */
  continue?: string;
}

/** The query options of a watch. */
export interface WatchQueryOptions {
  /** the resource version to watch from, digits only; undefined (or `0`) watches from now, listing first */
  resourceVersion: Decoded<string | undefined>;
  timeoutSeconds: Decoded<number | undefined>;
}

/**
 * The query options of a write. Each carries its own error, raised where the API raises it: a request with a bad
 * body and a bad option is answered about whichever the API server checks first.
 */
export interface WriteQueryOptions {
  /** true for `dryRun=All`, the only value there is */
  dryRun: Decoded<boolean>;
  /** the manager the write is recorded under: at most 128 printable characters */
  fieldManager: Decoded<string | undefined>;
  /** how unknown fields in the body are answered (`Warn` when unsaid) */
  fieldValidation: Decoded<FieldValidation>;
}

/** The query options of a server-side apply. */
export interface ApplyQueryOptions extends WriteQueryOptions {
  /** the manager the applied fields belong to, which apply requires (not checked for length or printability) */
  applyManager: Decoded<string>;
}

interface RequestBase {
  cluster: ClusterAddress;
}

interface ResourceRequestBase extends RequestBase {
  target: ResourceTarget;
  /** how the response is to be rendered, from the Accept header */
  shape: ResponseShape;
  /** what a Table's rows carry, when the response is a Table */
  includeObject: IncludeObject;
}

/**
 * One Kubernetes API request, decoded by the HTTP layer from its method, path, content type and body. Verbs are
 * the API server's; `unsupported` is a method the path does not serve (405 once the cluster is known).
 */
export type KubeRequest =
  | (RequestBase & {
      verb: 'discover';
      target: DiscoveryTarget;
      /** host:port the client used, for `/api`'s serverAddressByClientCIDRs */
      serverAddress: string;
    })
  | (RequestBase & { verb: 'unsupported'; target: KubeTarget })
  | (ResourceRequestBase & { verb: 'get' })
  | (ResourceRequestBase & { verb: 'list'; selectors: Selectors; options: ListQueryOptions })
  | (ResourceRequestBase & { verb: 'watch'; selectors: Selectors; options: WatchQueryOptions })
  | (ResourceRequestBase & { verb: 'create'; body: Decoded<unknown>; options: WriteQueryOptions })
  | (ResourceRequestBase & { verb: 'update'; body: Decoded<unknown>; options: WriteQueryOptions })
  | (ResourceRequestBase & {
      verb: 'patch';
      options: WriteQueryOptions;
      /** undefined: the content type is no patch type this resource accepts (415) */
      patchType: MergePatchType | undefined;
      patch: Decoded<unknown>;
    })
  | (ResourceRequestBase & { verb: 'apply'; configuration: Decoded<unknown>; options: ApplyQueryOptions })
  | (ResourceRequestBase & { verb: 'delete'; options: Decoded<DeleteOptions> })
  | (ResourceRequestBase & {
      verb: 'deletecollection';
      selectors: Selectors;
      options: Decoded<DeleteOptions>;
    });

export type KubeVerb = KubeRequest['verb'];

/** The value decoded, or its error thrown. */
export function valueOf<T>(decoded: Decoded<T>): T {
  if ('error' in decoded) throw decoded.error;
  return decoded.value;
}
