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

/** The patch types of `PATCH` other than server-side apply. */
export type MergePatchType = 'json' | 'merge' | 'strategic';

/** The query parameters, one value each (the first when repeated). */
export type KubeQuery = Readonly<Record<string, string | undefined>>;

interface RequestBase {
  cluster: ClusterAddress;
  query: KubeQuery;
}

interface ResourceRequestBase extends RequestBase {
  target: ResourceTarget;
  /** how the response is to be rendered, from the Accept header */
  shape: ResponseShape;
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
  | (ResourceRequestBase & { verb: 'list' })
  | (ResourceRequestBase & { verb: 'watch' })
  | (ResourceRequestBase & { verb: 'create'; body: Decoded<unknown> })
  | (ResourceRequestBase & { verb: 'update'; body: Decoded<unknown> })
  | (ResourceRequestBase & {
      verb: 'patch';
      /** undefined: the content type is no patch type this resource accepts (415) */
      patchType: MergePatchType | undefined;
      patch: Decoded<unknown>;
    })
  | (ResourceRequestBase & { verb: 'apply'; configuration: Decoded<unknown> })
  | (ResourceRequestBase & { verb: 'delete'; options: Decoded<DeleteOptionsBody> })
  | (ResourceRequestBase & { verb: 'deletecollection'; options: Decoded<DeleteOptionsBody> });

export type KubeVerb = KubeRequest['verb'];

/** The value decoded, or its error thrown. */
export function valueOf<T>(decoded: Decoded<T>): T {
  if ('error' in decoded) throw decoded.error;
  return decoded.value;
}
