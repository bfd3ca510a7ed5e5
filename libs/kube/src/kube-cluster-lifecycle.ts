import { Injectable } from '@nestjs/common';
import { ClusterDirectory, ClusterLifecycle } from '@gke-emulator/container';
import type { Tx } from '@gke-emulator/db';
import { ControllerRepository } from './controllers/controller.repository';
import { KubeStore } from './store/kube-store';

/**
 * What happens to Kubernetes objects when the container API removes or adds nodes, and the notice to GKE's service
 * and ingress controllers, which sync a cluster's load balancers (instance groups per zone, backends, target pools)
 * to its nodes: delivered when the container API's transaction commits (NOTIFY), so they reconcile after it, as
 * they reconcile after a Service write.
 */
@Injectable()
export class KubeClusterLifecycle extends ClusterLifecycle {
  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly store: KubeStore,
    private readonly controllers: ControllerRepository,
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
    await this.controllers.notifyNodesChanged(tx, clusterId);
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
    await this.controllers.notifyNodesChanged(tx, clusterId);
  }
}
