import type { ClusterDirectory, NodeRecord } from '@gke-emulator/container';
import type { AdmissionContext, AdmissionHook } from '../store/admission';
import { stateOf } from './transaction-state';

/**
 * A controller that runs inside each write's transaction, as admission hooks on the resources it watches. The real
 * ones are asynchronous; here the result is in the same transaction, so a client sees it on its next read.
 */
export interface InWriteController {
  /** what it is called in logs and docs: `scheduler`, `deployment-controller` … */
  readonly name: string;
  /** its hooks, keyed by plural resource name */
  hooks(): Record<string, AdmissionHook>;
}

/** The cluster's nodes, read once per transaction (the scheduler, the Deployment and EndpointSlice controllers). */
export async function nodesOf(clusters: ClusterDirectory, context: AdmissionContext): Promise<NodeRecord[]> {
  const state = stateOf(context.sql);
  state.nodes ??= await clusters.listNodesIn(context.sql, context.cluster.id);
  return state.nodes;
}
