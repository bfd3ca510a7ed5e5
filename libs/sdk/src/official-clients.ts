import { createRequire } from 'node:module';
import type * as Compute from '@google-cloud/compute';
import type * as Container from '@google-cloud/container';
import { GkeEmulatorOptionError } from './errors';

type ComputeModule = typeof Compute;
type Constructor = abstract new (...args: never[]) => unknown;

/** Every `@google-cloud/compute` client class name (`FirewallsClient`, `NetworksClient`...). */
export type ComputeClientName = {
  [K in keyof ComputeModule]: K extends `${string}Client`
    ? ComputeModule[K] extends Constructor
      ? K
      : never
    : never;
}[keyof ComputeModule];

export type ComputeClient<K extends ComputeClientName> = InstanceType<ComputeModule[K]>;
export type ClusterManagerClient = InstanceType<typeof Container.ClusterManagerClient>;
/** A Compute Engine `Operation` as the compute clients return it. */
export type ComputeOperation = Compute.protos.google.cloud.compute.v1.IOperation;
/** A GKE `Operation` as `ClusterManagerClient` returns it (`createCluster`, `setNodePoolSize`, ...). */
export type ContainerOperation = Container.protos.google.container.v1.IOperation;

const requirePeer = createRequire(__filename);

/** A CommonJS peer dependency, required on first use with an error that says how to install it. */
export function requireOptionalPeer<T>(packageName: string): T {
  try {
    return requirePeer(packageName) as T;
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') {
      throw new GkeEmulatorOptionError(
        packageName,
        `not installed: this part of @gke-emulator/sdk needs it as a peer dependency (npm i -D ${packageName})`,
      );
    }
    throw error;
  }
}

/**
 * What google-gax needs of an auth client on its REST transport (`fallback: true`): request headers (none) and a
 * `fetch`. Nothing reads Application Default Credentials, a metadata server or a key file.
 */
export function noCredentialsAuthClient(authToken?: string) {
  return {
    universeDomain: 'googleapis.com',
    // The emulator's --auth-token when it has one (it checks nothing else).
    getRequestHeaders: async () => new Headers(authToken ? { authorization: `Bearer ${authToken}` } : {}),
    getClient: async function (this: unknown) {
      return this;
    },
    getProjectId: async () => {
      throw new Error('the emulator clients have no default project: pass `project` in each request');
    },
    fetch: (url: string | URL, init: RequestInit & { responseType?: string; agent?: unknown }) => {
      const { responseType: _responseType, agent: _agent, ...request } = init;
      if (!authToken) return fetch(url, request);
      // google-gax's REST transport sends through the auth client's fetch, which adds the credentials.
      const headers = new Headers(request.headers);
      headers.set('authorization', `Bearer ${authToken}`);
      return fetch(url, { ...request, headers });
    },
  };
}

/** Constructor options that aim a Google client (REST transport, plain HTTP) at the emulator. */
export function googleClientOptions(url: string, authToken?: string) {
  const parsed = new URL(url);
  return {
    apiEndpoint: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)),
    protocol: parsed.protocol.replace(':', ''),
    fallback: true,
    authClient: noCredentialsAuthClient(authToken),
  };
}

/** The `@google-cloud/compute` clients, aimed at the emulator, made once per client class. */
export class ComputeClients {
  private readonly made = new Map<string, unknown>();

  constructor(
    private readonly url: string,
    private readonly authToken?: string,
  ) {}

  /** Any client of `@google-cloud/compute` by class name: `client('FirewallsClient')`. */
  client<K extends ComputeClientName>(name: K): ComputeClient<K> {
    let client = this.made.get(name);
    if (!client) {
      const compute = requireOptionalPeer<Record<string, unknown>>('@google-cloud/compute');
      const Client = compute[name] as (new (options: unknown) => unknown) | undefined;
      if (typeof Client !== 'function') {
        throw new GkeEmulatorOptionError('name', `@google-cloud/compute has no client "${name}"`);
      }
      client = new Client(googleClientOptions(this.url, this.authToken));
      this.made.set(name, client);
    }
    return client as ComputeClient<K>;
  }

  addresses = () => this.client('AddressesClient');
  backendServices = () => this.client('BackendServicesClient');
  firewalls = () => this.client('FirewallsClient');
  forwardingRules = () => this.client('ForwardingRulesClient');
  globalAddresses = () => this.client('GlobalAddressesClient');
  globalForwardingRules = () => this.client('GlobalForwardingRulesClient');
  globalOperations = () => this.client('GlobalOperationsClient');
  healthChecks = () => this.client('HealthChecksClient');
  instances = () => this.client('InstancesClient');
  networks = () => this.client('NetworksClient');
  regionOperations = () => this.client('RegionOperationsClient');
  routes = () => this.client('RoutesClient');
  securityPolicies = () => this.client('SecurityPoliciesClient');
  subnetworks = () => this.client('SubnetworksClient');
  targetPools = () => this.client('TargetPoolsClient');
  urlMaps = () => this.client('UrlMapsClient');
  zoneOperations = () => this.client('ZoneOperationsClient');

  /**
   * Waits until a Compute operation is `DONE` (through the global, regional or zonal operations client it belongs
   * to) and returns it; rejects with the operation's error. Takes what `insert`/`delete`/... resolve with
   * (`const [lro] = await networks.insert(...)`), or the `Operation` itself.
   */
  async wait(
    operation: { latestResponse?: unknown } | ComputeOperation,
    options: { timeoutMs?: number } = {},
  ): Promise<ComputeOperation> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    if (!(timeoutMs > 0)) throw new GkeEmulatorOptionError('timeoutMs', `must be positive, got ${timeoutMs}`);
    const deadline = Date.now() + timeoutMs;
    let current = ('latestResponse' in operation ? operation.latestResponse : operation) as ComputeOperation;
    while (current.status !== 'DONE') {
      if (Date.now() > deadline) {
        throw new GkeEmulatorOptionError(
          'timeoutMs',
          `operation ${current.name} not DONE within ${timeoutMs} ms`,
        );
      }
      const project = /\/projects\/([^/]+)\//.exec(current.selfLink ?? '')?.[1];
      const last = (url: string | null | undefined) => url?.split('/').pop();
      const request = { project: project ?? '', operation: current.name ?? '' };
      if (current.zone) {
        [current] = await this.zoneOperations().wait({ ...request, zone: last(current.zone) });
      } else if (current.region) {
        [current] = await this.regionOperations().wait({ ...request, region: last(current.region) });
      } else {
        [current] = await this.globalOperations().wait(request);
      }
    }
    const errors = current.error?.errors ?? [];
    if (errors.length > 0) {
      throw new Error(
        `operation ${current.name} failed: ${errors.map((e) => `${e.code}: ${e.message}`).join('; ')}`,
      );
    }
    return current;
  }

  /** Closes every client made so far. */
  async close(): Promise<void> {
    const clients = [...this.made.values()] as { close?: () => Promise<void> }[];
    this.made.clear();
    await Promise.all(clients.map((c) => c.close?.().catch(() => undefined)));
  }
}

/** `@google-cloud/container`'s `ClusterManagerClient`, aimed at the emulator. */
export class ContainerClients {
  private made?: ClusterManagerClient;

  constructor(
    private readonly url: string,
    private readonly authToken?: string,
  ) {}

  clusterManager(): ClusterManagerClient {
    if (!this.made) {
      const { ClusterManagerClient } = requireOptionalPeer<typeof Container>('@google-cloud/container');
      this.made = new ClusterManagerClient(googleClientOptions(this.url, this.authToken) as never);
    }
    return this.made;
  }

  /**
   * Waits until a GKE operation is `DONE` and returns it; rejects with the operation's error. Takes what
   * `createCluster`, `deleteCluster`, `setNodePoolSize`... resolve with (`const [op] = await ...createCluster(...)`),
   * or the `Operation` itself. GKE has no `operations.wait`: this polls `getOperation` (the operation's own
   * `selfLink` names it), every 50 ms at first, then less often up to every second.
   */
  async wait(
    operation: ContainerOperation | readonly [ContainerOperation, ...unknown[]],
    options: { timeoutMs?: number } = {},
  ): Promise<ContainerOperation> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    if (!(timeoutMs > 0)) throw new GkeEmulatorOptionError('timeoutMs', `must be positive, got ${timeoutMs}`);
    const deadline = Date.now() + timeoutMs;
    let current = (Array.isArray(operation) ? operation[0] : operation) as ContainerOperation;
    const name = containerOperationName(current);
    let pause = 50;
    while (!isDoneContainerOperation(current)) {
      if (Date.now() > deadline) {
        throw new GkeEmulatorOptionError(
          'timeoutMs',
          `operation ${current.name} not DONE within ${timeoutMs} ms`,
        );
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(pause, Math.max(deadline - Date.now(), 0))),
      );
      pause = Math.min(pause * 2, 1000);
      [current] = await this.clusterManager().getOperation({ name });
    }
    const error = current.error;
    if (error && (error.message || (error.code ?? 0) !== 0)) {
      throw new Error(`operation ${current.name} failed: ${error.code ?? ''}: ${error.message ?? ''}`);
    }
    return current;
  }

  async close(): Promise<void> {
    const made = this.made;
    this.made = undefined;
    await made?.close().catch(() => undefined);
  }
}

/** `DONE` as the REST transport gives it (the enum's name), or its number (3) when enums come as numbers. */
function isDoneContainerOperation(operation: ContainerOperation): boolean {
  const status = operation.status as unknown;
  return status === 'DONE' || status === 3;
}

/**
 * `projects/{p}/locations/{l}/operations/{name}` of a GKE operation, from its `selfLink`
 * (`…/v1/projects/{p}/zones/{z}/operations/{name}` or `…/locations/{l}/…`): the operation holds no other project.
 */
export function containerOperationName(operation: ContainerOperation): string {
  const match = /\/projects\/([^/]+)\/(?:zones|locations)\/([^/]+)\/operations\/([^/?]+)$/.exec(
    operation.selfLink ?? '',
  );
  if (!match) {
    throw new GkeEmulatorOptionError(
      'operation',
      `is not a GKE operation with a selfLink (got name ${JSON.stringify(operation.name)}, selfLink ${JSON.stringify(operation.selfLink)})`,
    );
  }
  return `projects/${match[1]}/locations/${match[2]}/operations/${match[3]}`;
}
