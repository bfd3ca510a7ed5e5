import type { Tx } from '@gke-emulator/db';

/**
 * Told, inside the container API's write transaction, when nodes come and go, so that what lives on them (the
 * Kubernetes API's pods) follows. The Kubernetes API module provides it; without it nodes just come and go.
 */
export abstract class ClusterLifecycle {
  /** The nodes named are being deleted (pool resized down, pool or cluster deleted). */
  abstract nodesRemoved(tx: Tx, clusterId: bigint, nodeNames: readonly string[]): Promise<void>;
  /** Nodes were added (cluster created, pool created or resized up). */
  abstract nodesAdded(tx: Tx, clusterId: bigint, nodeNames: readonly string[]): Promise<void>;
}
