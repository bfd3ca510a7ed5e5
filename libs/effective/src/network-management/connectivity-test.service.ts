import { Injectable } from '@nestjs/common';
import { matchesFilter, newOperationName, parseListFilter } from '@gke-emulator/common';
import { ClusterDirectory } from '@gke-emulator/container';
import { connectivity } from '@gke-emulator/dataplane';
import { ClusterDnsService } from '../cluster-dns.service';
import { ConnectivityTestRepository, type StoredTest } from './connectivity-test.repository';
import {
  type ConnectivityTestSpec,
  NetworkManagementErrors,
  applyUpdateMask,
  decodePageToken,
  encodePageToken,
  inProtoOrder,
  orderItems,
  parsePageSize,
  specOf,
  traceQuery,
  validateSpec,
  validateTestId,
} from './connectivity-test.wire';
import { TraceInputsReader } from './trace-inputs.reader';

type Json = Record<string, unknown>;

const TYPE = 'type.googleapis.com/google.cloud.networkmanagement.v1';
const ORDERABLE = new Set(['name', 'displayName', 'createTime', 'updateTime', 'protocol', 'description']);

export interface ListQuery {
  filter?: unknown;
  orderBy?: unknown;
  pageSize?: unknown;
  pageToken?: unknown;
}

const parent = (project: string) => `projects/${project}/locations/global`;
const testName = (project: string, id: string) => `${parent(project)}/connectivityTests/${id}`;

/**
 * Connectivity Tests (Network Management API v1): a test's result is computed when it is created, updated or rerun,
 * from the effective data plane the worker stored (the same state the node reads serve), and kept with the test.
 * Each change answers with a long-running operation, already done.
 */
@Injectable()
export class ConnectivityTestService {
  private readonly used: (() => void)[] = [];

  constructor(
    private readonly tests: ConnectivityTestRepository,
    private readonly inputs: TraceInputsReader,
    private readonly clusters: ClusterDirectory,
    private readonly dns: ClusterDnsService,
  ) {}

  /** Calls `hook` whenever saved tests are created or read (ConnectivityTestReruns starts following changes then). */
  onUse(hook: () => void): void {
    this.used.push(hook);
  }

  private use(): void {
    for (const hook of this.used) hook();
  }

  /**
   * The reachability details of a spec, now. `strict` (a test being created or changed, a one-off trace): a
   * destination `fqdn` whose source is no pod is the caller's error (400); a saved test rerun says so in its
   * result instead (its pod may have gone since).
   */
  async analyze(project: string, spec: ConnectivityTestSpec, now = new Date(), strict = false) {
    const inputs = await this.inputs.read(project);
    const query = traceQuery(spec);
    const details = query.destination.fqdn
      ? await this.analyzeName(inputs, query, query.destination.fqdn, strict)
      : connectivity.composeReachability(inputs, query);
    return { result: details.result, verifyTime: now.toISOString(), traces: details.traces };
  }

  /** A destination given as a DNS name: resolved as kube-dns answers the source pod, then each address traced. */
  private async analyzeName(
    inputs: connectivity.TraceInputs,
    query: connectivity.TraceQuery,
    name: string,
    strict: boolean,
  ) {
    const source = query.source.ipAddress;
    const pod = source
      ? connectivity.dnsSourcePod(inputs, source, query.destination.gkeMasterCluster)
      : undefined;
    const [, project, location, cluster] =
      /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/.exec(pod?.cluster ?? '') ?? [];
    const record =
      pod && project && location && cluster
        ? await this.clusters.findCluster(project, location, cluster)
        : undefined;
    if (!pod || !record) {
      if (strict) {
        const where = query.destination.gkeMasterCluster
          ? ` of ${connectivity.relativeUri(query.destination.gkeMasterCluster)}`
          : '';
        throw NetworkManagementErrors.invalidArgument(
          `Invalid value for 'destination.fqdn': '${name}'. The emulator resolves a destination name with the cluster's DNS from a pod: 'source.ipAddress' must be the address of a pod${where}${source ? `, and ${source} is not` : ''}.`,
        );
      }
      return connectivity.composeWithoutSourcePod(inputs, query, name);
    }
    const { addresses, detail } = await this.dns.addressesFor(record, name, pod.namespace, pod.name);
    return connectivity.composeReachabilityToName(inputs, query, {
      name,
      from: `${pod.namespace}/${pod.name}`,
      addresses,
      ...(detail ? { detail } : {}),
    });
  }

  private render(
    project: string,
    id: string,
    spec: ConnectivityTestSpec,
    times: { create: Date; update: Date },
    details: Json,
  ): Json {
    // Fields in the proto's order, as Google's JSON prints them; defaults (false, empty) left out.
    return {
      name: testName(project, id),
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      source: spec.source,
      destination: spec.destination,
      protocol: spec.protocol,
      ...(spec.relatedProjects?.length ? { relatedProjects: spec.relatedProjects } : {}),
      displayName: id,
      ...(spec.labels && Object.keys(spec.labels).length > 0 ? { labels: spec.labels } : {}),
      createTime: times.create.toISOString(),
      updateTime: times.update.toISOString(),
      reachabilityDetails: details,
      ...(spec.roundTrip ? { roundTrip: true } : {}),
      ...(spec.bypassFirewallChecks ? { bypassFirewallChecks: true } : {}),
      ...(spec.httpRequest ? { httpRequest: spec.httpRequest } : {}),
    };
  }

  private operation(
    project: string,
    verb: string,
    target: string,
    now: Date,
    response: Json,
  ): { name: string; resource: Json } {
    const name = `${parent(project)}/operations/${newOperationName(now)}`;
    return {
      name,
      resource: {
        name,
        metadata: {
          '@type': `${TYPE}.OperationMetadata`,
          createTime: now.toISOString(),
          endTime: now.toISOString(),
          target,
          verb,
          cancelRequested: false,
          apiVersion: 'v1',
        },
        done: true,
        response,
      },
    };
  }

  async create(project: string, testId: unknown, body: unknown): Promise<Json> {
    this.use();
    const id = validateTestId(testId);
    const spec = validateSpec(specOf(body));
    const now = new Date();
    const details = await this.analyze(project, spec, now, true);
    const resource = this.render(project, id, spec, { create: now, update: now }, details);
    const op = this.operation(project, 'create', resource['name'] as string, now, {
      '@type': `${TYPE}.ConnectivityTest`,
      ...resource,
    });
    const stored: StoredTest = { name: id, resource, createTime: now, updateTime: now };
    if (!(await this.tests.insert(project, stored, op)))
      throw NetworkManagementErrors.alreadyExists(testName(project, id));
    return op.resource;
  }

  async get(project: string, id: string): Promise<Json> {
    this.use();
    return inProtoOrder((await this.found(project, id)).resource);
  }

  async list(project: string, query: ListQuery): Promise<Json> {
    this.use();
    const filter = parseListFilter(typeof query.filter === 'string' ? query.filter : undefined);
    const pageSize = parsePageSize(query.pageSize);
    const key = `${String(query.filter ?? '')}|${String(query.orderBy ?? '')}`;
    const offset = decodePageToken(query.pageToken, key);
    const all = (await this.tests.list(project)).map((test) => inProtoOrder(test.resource));
    const ordered = orderItems(
      all.filter((item) => matchesFilter(filter, item)),
      query.orderBy,
      ORDERABLE,
    );
    const page = ordered.slice(offset, offset + pageSize);
    return {
      ...(page.length > 0 ? { resources: page } : {}),
      ...(offset + pageSize < ordered.length
        ? { nextPageToken: encodePageToken(offset + pageSize, key) }
        : {}),
    };
  }

  async patch(project: string, id: string, body: unknown, updateMask: unknown): Promise<Json> {
    const current = await this.found(project, id);
    const patch = specOf({
      ...(body as Json),
      source: (body as Json | null)?.['source'] ?? {},
      destination: (body as Json | null)?.['destination'] ?? {},
    });
    const spec = validateSpec(
      applyUpdateMask(specOf(current.resource), patch as ConnectivityTestSpec & Json, updateMask),
    );
    return this.recompute(project, id, current, spec, 'update', true);
  }

  async rerun(project: string, id: string): Promise<Json> {
    const current = await this.found(project, id);
    return this.recompute(project, id, current, specOf(current.resource), 'rerun');
  }

  async delete(project: string, id: string): Promise<Json> {
    const now = new Date();
    const op = this.operation(project, 'delete', testName(project, id), now, {
      '@type': 'type.googleapis.com/google.protobuf.Empty',
    });
    if (!(await this.tests.delete(project, id, op, now)))
      throw NetworkManagementErrors.notFound(testName(project, id));
    return op.resource;
  }

  async getOperation(project: string, name: string): Promise<Json> {
    const full = `${parent(project)}/operations/${name}`;
    const found = await this.tests.findOperation(project, full);
    if (!found) throw NetworkManagementErrors.notFound(full);
    return found;
  }

  async listOperations(project: string, query: ListQuery): Promise<Json> {
    const filter = parseListFilter(typeof query.filter === 'string' ? query.filter : undefined);
    const pageSize = parsePageSize(query.pageSize);
    const key = `ops|${String(query.filter ?? '')}`;
    const offset = decodePageToken(query.pageToken, key);
    const all = (await this.tests.listOperations(project)).filter((item) => matchesFilter(filter, item));
    const page = all.slice(offset, offset + pageSize);
    return {
      ...(page.length > 0 ? { operations: page } : {}),
      ...(offset + pageSize < all.length ? { nextPageToken: encodePageToken(offset + pageSize, key) } : {}),
    };
  }

  async deleteOperation(project: string, name: string): Promise<Json> {
    const full = `${parent(project)}/operations/${name}`;
    if (!(await this.tests.deleteOperation(project, full))) throw NetworkManagementErrors.notFound(full);
    return {};
  }

  /** Operations finish at once: cancelling one that exists is a no-op, as for any finished operation. */
  async cancelOperation(project: string, name: string): Promise<Json> {
    await this.getOperation(project, name);
    return {};
  }

  private async found(project: string, id: string): Promise<StoredTest> {
    const test = await this.tests.find(project, id);
    if (!test) throw NetworkManagementErrors.notFound(testName(project, id));
    return test;
  }

  private async recompute(
    project: string,
    id: string,
    current: StoredTest,
    spec: ConnectivityTestSpec,
    verb: string,
    strict = false,
  ): Promise<Json> {
    const now = new Date();
    const details = await this.analyze(project, spec, now, strict);
    const resource = this.render(project, id, spec, { create: current.createTime, update: now }, details);
    const op = this.operation(project, verb, resource['name'] as string, now, {
      '@type': `${TYPE}.ConnectivityTest`,
      ...resource,
    });
    if (!(await this.tests.update(project, { ...current, resource, updateTime: now }, op))) {
      throw NetworkManagementErrors.notFound(testName(project, id));
    }
    return op.resource;
  }
}
