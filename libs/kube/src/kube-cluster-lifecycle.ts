import { Injectable } from '@nestjs/common';
import { ClusterDirectory, ClusterLifecycle } from '@gke-emulator/container';
import type { SqlClient, Tx } from '@gke-emulator/db';
import { KubeStore } from './store/kube-store';

/** Runs the store's SQL on the container API's Prisma transaction. */
function sqlOf(tx: Tx): SqlClient {
  return {
    query: <T>(text: string, values: readonly unknown[] = []) => tx.$queryRawUnsafe<T[]>(text, ...values),
  };
}

/** What happens to Kubernetes objects when the container API removes or adds nodes. */
@Injectable()
export class KubeClusterLifecycle extends ClusterLifecycle {
  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly store: KubeStore,
  ) {
    super();
  }

  /** Pods bound to removed nodes go (with their allocations), each with its DELETED watch event. */
  async nodesRemoved(tx: Tx, clusterId: bigint, nodeNames: readonly string[]): Promise<void> {
    const cluster = await this.clusters.clusterById(clusterId);
    if (!cluster || nodeNames.length === 0) return;
    const sql = sqlOf(tx);
    await this.store.deletePodsOnNodes(sql, cluster, nodeNames);
    await this.store.scaleKubeDns(sql, cluster);
  }

  /**
   * Nodes are rendered from the container API's rows: nothing to store for them. A new cluster's first nodes are
   * when its API server would come up: its default namespaces and `default/kubernetes` are made here, in the
   * cluster's own creation transaction, with kube-system/kube-dns.
   */
  async nodesAdded(tx: Tx, clusterId: bigint): Promise<void> {
    const sql = sqlOf(tx);
    const cluster = await this.clusters.clusterByIdIn(sql, clusterId);
    if (!cluster) return;
    await this.store.createClusterObjects(sql, cluster);
    // kube-dns-autoscaler follows the node count.
    await this.store.scaleKubeDns(sql, cluster);
  }
}
