export { asService, asSlice, loadDataplaneInputs, type DataplaneInputs } from './dataplane-inputs';
export { computeNodeResults, type NodeResult } from './cluster-dataplane';
export {
  computeClusterDataplane,
  recordDataplaneFailure,
  requeueStaleClusters,
  STALE_LOCK_SECONDS,
  type ComputeOutcome,
  type PgClientLike,
} from './compute-cluster.task';
export { EffectiveModule } from './effective.module';
export { ClusterDnsService } from './cluster-dns.service';
export { DataplaneReadsService, type Freshness } from './dataplane-reads.service';
export { FirewallEvaluateService } from './firewall-evaluate.service';
export {
  DATAPLANE_NODE_CHANNEL,
  NodeEffectiveStateEvents,
  type DataplaneNodeNotification,
} from './graphql/node-effective-state.events';
export { NetworkManagementModule } from './network-management/network-management.module';
export { ConnectivityTestService } from './network-management/connectivity-test.service';
export { ConnectivityTestReruns } from './network-management/connectivity-test.reruns';
export { ConnectivityTestGraphqlModule } from './graphql/connectivity-test.module';
export { toFirewallRuleModel, toRouteModel } from './graphql/effective-graphql.mapper';
