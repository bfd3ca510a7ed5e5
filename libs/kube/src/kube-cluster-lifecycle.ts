import { Injectable } from '@nestjs/common';
import { ClusterDirectory, ClusterLifecycle } from '@gke-emulator/container';
import type { Tx } from '@gke-emulator/db';
import { KubeStore } from './store/kube-store';

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
    if (nodeNames.length === 0) return;
    const cluster = await this.clusters.clusterByIdIn(tx, clusterId);
    if (!cluster) return;
    // The container API's unit of work: the store writes in the same transaction.
    await this.store.deletePodsOnNodes(tx, cluster, nodeNames);
    await this.store.scaleKubeDns(tx, cluster);
  }

  /**
   * Nodes are rendered from the container API's rows: nothing to store for them. A new cluster's first nodes are
   * when its API server would come up: its default namespaces and `default/kubernetes` are made here, in the
   * cluster's own creation transaction, with kube-system/kube-dns.
   */
  async nodesAdded(tx: Tx, clusterId: bigint): Promise<void> {
    const cluster = await this.clusters.clusterByIdIn(tx, clusterId);
    if (!cluster) return;
    await this.store.createClusterObjects(tx, cluster);
    // kube-dns-autoscaler follows the node count.
    await this.store.scaleKubeDns(tx, cluster);
  }
}
