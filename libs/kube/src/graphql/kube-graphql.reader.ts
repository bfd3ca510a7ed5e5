import { Injectable } from '@nestjs/common';
import { GoogleApiError, GoogleErrors } from '@gke-emulator/common';
import { ClusterDirectory, type ClusterRecord, type NodeRecord } from '@gke-emulator/container';
import type { KubeObject } from '../api/kube-object';
import { KubeStatusError } from '../api/kube-status';
import { kindByResource } from '../api/resources';
import { type LabelRequirement, matchesLabels, parseLabelSelector } from '../api/selectors';
import { KubeStore } from '../store/kube-store';
import { NodeDirectory } from '../store/node-directory';

/**
 * The reads behind the Kubernetes GraphQL types, through the same store and directory as the Kubernetes API. A
 * query asks for the same things many times over (every pod's node, every node's pods), so within one request each
 * cluster and each list is read once: the memo is keyed by the request's GraphQL context object.
 */
@Injectable()
export class KubeGraphqlReader {
  private readonly memo = new WeakMap<object, Map<string, Promise<unknown>>>();

  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly store: KubeStore,
    private readonly nodeDirectory: NodeDirectory,
  ) {}

  private once<T>(context: object, key: string, load: () => Promise<T>): Promise<T> {
    let entries = this.memo.get(context);
    if (!entries) this.memo.set(context, (entries = new Map()));
    let entry = entries.get(key) as Promise<T> | undefined;
    if (!entry) entries.set(key, (entry = load()));
    return entry;
  }

  /** The cluster, with its default namespaces in place as the Kubernetes API has them; notFound otherwise. */
  cluster(context: object, project: string, location: string, name: string): Promise<ClusterRecord> {
    return this.once(context, `cluster ${project}/${location}/${name}`, async () => {
      const cluster = await this.clusters.findCluster(project, location, name);
      if (!cluster) {
        throw new GoogleApiError(
          404,
          'notFound',
          `Not found: projects/${project}/locations/${location}/clusters/${name}.`,
        );
      }
      await this.store.ensureClusterObjects(cluster);
      return cluster;
    });
  }

  /** Every object of a resource (`pods`, `services`, …) in the cluster, in namespace and name order. */
  objects(context: object, cluster: ClusterRecord, resource: string): Promise<KubeObject[]> {
    return this.once(context, `objects ${cluster.id}/${resource}`, async () => {
      const list = await this.store.list(this.store.reader, cluster, kindByResource(resource));
      return list.items;
    });
  }

  /** The objects of one namespace (all when absent). */
  async inNamespace(
    context: object,
    cluster: ClusterRecord,
    resource: string,
    namespace?: string,
  ): Promise<KubeObject[]> {
    const all = await this.objects(context, cluster, resource);
    return namespace === undefined ? all : all.filter((object) => object.metadata.namespace === namespace);
  }

  nodes(context: object, cluster: ClusterRecord): Promise<NodeRecord[]> {
    return this.once(context, `nodes ${cluster.id}`, () => this.clusters.listNodes(cluster.id));
  }

  /** Nodes as the Kubernetes API renders them (labels, taints, conditions), by name. */
  nodeObjects(context: object, cluster: ClusterRecord): Promise<Map<string, KubeObject>> {
    return this.once(context, `node objects ${cluster.id}`, async () => {
      const nodes = await this.nodeDirectory.list(this.store.reader, cluster, '0');
      return new Map(nodes.map((node) => [String(node.metadata.name), node]));
    });
  }
}

/** A `labelSelector` argument, parsed as the Kubernetes API parses it; a bad one is an invalid argument. */
export function labelRequirements(selector: string | undefined): LabelRequirement[] {
  if (!selector) return [];
  try {
    return parseLabelSelector(selector);
  } catch (error) {
    if (error instanceof KubeStatusError) throw GoogleErrors.invalid(error.message);
    throw error;
  }
}

export const selectedBy = (requirements: readonly LabelRequirement[]) => (object: KubeObject) =>
  matchesLabels(requirements, object.metadata.labels);
