import type { WireSchema } from '@gke-emulator/common';
import type { Tx } from '@gke-emulator/db';
import type { ComputeContext, WireObject } from '../shared/compute-context';

/** What a load-balancing resource refers to: exactly one target, by id, plus the link it was given as. */
export type ReferenceTarget =
  | { loadBalancingId: bigint }
  | { addressId: bigint }
  | { networkId: bigint }
  | { subnetworkId: bigint }
  | { securityPolicyId: bigint }
  | { instanceGroupId: bigint };

export interface ResourceReferenceInput {
  /** relative link of the target, e.g. `projects/p/global/healthChecks/hc` */
  targetLink: string;
  target: ReferenceTarget;
}

/** A resolved load-balancing resource (any kind). */
export interface LoadBalancingRecord {
  id: bigint;
  project: string;
  kind: string;
  scope: string;
  name: string;
  resource: WireObject;
}

/** The lookups a kind needs to resolve the links in a request body. Each throws Google's error when absent. */
export interface ReferenceResolver {
  loadBalancing(kinds: readonly string[], link: string, field: string): Promise<LoadBalancingRecord>;
  address(link: string, field: string): Promise<{ id: bigint; address: string; resource: WireObject }>;
  network(link: string, field: string): Promise<{ id: bigint; link: string }>;
  subnetwork(
    link: string,
    field: string,
  ): Promise<{ id: bigint; link: string; networkLink: string; region: string }>;
  securityPolicy(link: string, field: string): Promise<{ id: bigint; link: string }>;
  /**
   * The stored unmanaged instance group a backend's relative `zones/…/instanceGroups/…` link names, if there is
   * one (node pools' managed groups and NEGs are not stored: their links are kept as given).
   */
  instanceGroup(relativeLink: string): Promise<{ id: bigint } | undefined>;
}

export interface KindRequest {
  ctx: ComputeContext;
  /** `global` or the region of the request */
  scope: string;
  name: string;
  body: WireObject;
  /** the stored object when patching or updating */
  current?: WireObject;
  resolve: ReferenceResolver;
}

export interface PreparedResource {
  /** the validated wire fields with Google's defaults (identity, kind and links are added by the service) */
  fields: WireObject;
  references: ResourceReferenceInput[];
  /**
   * Fields decided inside the write transaction, merged over `fields` before the write: what must be chosen
   * under a lock shared with other writers (an ephemeral forwarding-rule IP under its address pool's lock).
   */
  complete?: (tx: Tx) => Promise<WireObject>;
}

/**
 * A custom method (`POST …/{name}/setTarget`): checks its body and returns the resource as it will be stored.
 * The service keeps identity, links and the operation (whose type is the verb's name).
 */
export interface KindVerb {
  /** how Google names the body in errors, e.g. `targetReferenceResource` */
  bodyName: string;
  schema: WireSchema;
  /** the operation's type when Google does not name it after the verb (forwarding rules' `SetTarget`) */
  operationType?: string;
  apply(
    request: KindRequest & { current: WireObject; query: Record<string, unknown> },
  ): Promise<PreparedResource>;
}

/**
 * One kind of load-balancing resource: its URL collection, wire kind, scopes and validation. The generic
 * service (LoadBalancingService) does identity, storage, operations, lists and referential integrity.
 */
export interface LoadBalancingKind {
  /** URL collection and stored kind, e.g. `healthChecks` */
  collection: string;
  /** e.g. `compute#healthCheck` */
  wireKind: string;
  /**
   * the noun Google uses in messages, e.g. `health_check` ("The health_check resource '…' is already being
   * used by '…'")
   */
  resourceNoun: string;
  /**
   * How Google names the resource and its user in that message: `link` (`projects/p/global/…`, the default)
   * or `internal` (`GLOBAL:global/PROJECT:<number>/HEALTH_CHECK:<name>`, as health checks are named).
   */
  inUseNames?: 'link' | 'internal';
  /** `compute.<collection>.<method>` operation types (newer kinds, e.g. gRPC proxies) instead of `<method>` */
  qualifiedOperationTypes?: boolean;
  /** whether reads carry `usedBy` (the resources that refer to it), as backend services and buckets do */
  showsUsedBy?: boolean;
  /** whether reads carry `status.quotaUsage`, as URL maps do (see `urlMapStatus`) */
  showsQuotaStatus?: boolean;
  /** whether reads carry `selfLinkWithId` */
  showsSelfLinkWithId?: boolean;
  scopes: 'global' | 'regional' | 'both';
  schema: WireSchema;
  patchable: boolean;
  updatable: boolean;
  prepare(request: KindRequest): Promise<PreparedResource>;
  /** custom methods by name, e.g. `setTarget`, `setSecurityPolicy` */
  verbs?: Readonly<Record<string, KindVerb>>;
  /**
   * Users that resource_reference cannot hold because they are not load-balancing resources (routes whose
   * `nextHopIlb` is a forwarding rule), as relative links, oldest first: they keep the resource from being deleted.
   */
  usersBeyondReferences?: (tx: Tx, record: LoadBalancingRecord) => Promise<string[]>;
}
