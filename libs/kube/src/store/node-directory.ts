import { Injectable } from '@nestjs/common';
import { ClusterDirectory, type ClusterRecord } from '@gke-emulator/container';
import type { SqlClient, UnitOfWork } from '@gke-emulator/db';
import { KubeErrors } from '../api/kube-status';
import { type KubeObject, rfc3339 } from '../api/kube-object';
import { type NodeOverlay, renderNode } from '../api/node-view';
import { kindByResource } from '../api/resources';
import { KubeObjectRepository } from './kube-object.repository';
import type { KubeStore } from './kube-store';

/**
 * Nodes are the container API's instances, rendered; what users set on them (labels, annotations, cordon) is kept
 * as an overlay row (resource `nodes`) merged over the rendered node.
 */
@Injectable()
export class NodeDirectory {
  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly objects: KubeObjectRepository,
  ) {}

  private async overlays(sql: SqlClient, cluster: ClusterRecord): Promise<Map<string, NodeOverlay>> {
    const rows = await this.objects.nodeOverlays(sql, cluster.id);
    return new Map(
      rows.map((row) => [
        row.name,
        {
          labels: row.body.metadata.labels,
          annotations: row.body.metadata.annotations,
          unschedulable: (row.body['spec'] as { unschedulable?: boolean } | undefined)?.unschedulable,
          resourceVersion: row.resourceVersion,
        },
      ]),
    );
  }

  async list(sql: SqlClient, cluster: ClusterRecord, fallbackVersion: string): Promise<KubeObject[]> {
    // Both through `sql`: inside a write that is the open transaction (a pool read there could wait behind it).
    const nodes = await this.clusters.listNodesIn(sql, cluster.id);
    const overlays = await this.overlays(sql, cluster);
    return nodes.map((node) => renderNode(cluster.project, node, overlays.get(node.name), fallbackVersion));
  }

  async get(
    sql: SqlClient,
    cluster: ClusterRecord,
    name: string,
    fallbackVersion: string,
  ): Promise<KubeObject> {
    const found = (await this.list(sql, cluster, fallbackVersion)).find(
      (node) => node.metadata.name === name,
    );
    if (!found) throw KubeErrors.notFound({ group: '', resource: 'nodes' }, name);
    return found;
  }

  /** Keeps what may change on a node (labels, annotations, spec.unschedulable) from `next`. */
  async write(
    sql: UnitOfWork,
    store: KubeStore,
    cluster: ClusterRecord,
    current: KubeObject,
    next: KubeObject,
  ): Promise<KubeObject> {
    const nodes = kindByResource('nodes');
    const name = current.metadata.name as string;
    if (next.metadata.resourceVersion && next.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw KubeErrors.conflict(
        nodes,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const overlay: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: next.metadata.labels ?? {}, annotations: next.metadata.annotations ?? {} },
      spec: {
        unschedulable: (next['spec'] as { unschedulable?: boolean } | undefined)?.unschedulable ?? false,
      },
    };
    const existing = await store.get(sql, cluster, nodes, '', name);
    const written = existing
      ? await store.update(
          sql,
          cluster,
          { ...nodes, subresources: [] },
          { ...overlay, metadata: { ...overlay.metadata, resourceVersion: undefined } },
        )
      : await store.create(sql, cluster, { ...nodes, subresources: [] }, overlay, {
          now: new Date(current.metadata.creationTimestamp ?? rfc3339(new Date())),
        });
    const rendered = await this.get(sql, cluster, name, written.metadata.resourceVersion as string);
    return rendered;
  }
}
