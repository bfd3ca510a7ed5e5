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
    await this.store.deletePodsOnNodes(sqlOf(tx), cluster, nodeNames);
  }

  async nodesAdded(): Promise<void> {
    // Nodes are rendered from the container API's rows: nothing to store.
  }
}
