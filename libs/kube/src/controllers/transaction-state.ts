import type { NodeRecord } from '@gke-emulator/container';
import { memoKey, type UnitOfWork } from '@gke-emulator/db';

/**
 * What the in-write controllers of one unit of work share: the nodes, pod counts and IPs read once (so a Deployment
 * of 1,000 pods reads them once), and the batch a Deployment's own pod writes form (Services and pod IPs are
 * brought up to date once, at its end).
 */
export interface TransactionState {
  nodes?: NodeRecord[];
  podsPerNode?: Map<string, number>;
  podIps?: Map<string, Set<string>>;
  /** while a Deployment creates or deletes its own pods: the namespaces whose Services to reconcile at the end */
  batching: number;
  /** per namespace, the label sets of the pods changed meanwhile */
  dirtyPods: Map<string, Record<string, string>[]>;
  /** pods this transaction deletes on a controller's behalf (no replacement wanted) */
  ownDeletes: Set<string>;
  /** pod IP allocations written at the end of a batch: [ip, pod uid] */
  pendingIps: [string, string][];
  /** while the Deployment controller writes ReplicaSets (their hook then leaves them alone) */
  replicaSetWrites: number;
  /** ReplicaSets a user deleted in this transaction: made again, they get a new uid */
  deletedReplicaSets: Set<string>;
}

const STATE = memoKey<TransactionState>('kube.workload-controllers');

export function stateOf(uow: UnitOfWork): TransactionState {
  return uow.memo(STATE, () => ({
    batching: 0,
    dirtyPods: new Map(),
    ownDeletes: new Set(),
    pendingIps: [],
    replicaSetWrites: 0,
    deletedReplicaSets: new Set(),
  }));
}
