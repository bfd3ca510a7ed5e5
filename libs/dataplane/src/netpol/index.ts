export type {
  ClusterState,
  Container,
  ContainerPort,
  IpBlock,
  LabelSelector,
  LabelSelectorRequirement,
  Labels,
  NamespaceInfo,
  NetworkPolicy,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicySpec,
  PodInfo,
  Protocol,
  WorkloadOwner,
} from './network-policy.types';
export { DEFAULT_NAMESPACE, NAMESPACE_NAME_LABEL, PROTOCOLS } from './network-policy.types';
export type { NetworkPolicyIssue, NetworkPolicyIssueCode } from './network-policy.issues';
export { validateNetworkPolicy } from './network-policy.validator';
export type {
  CompiledCluster,
  CompiledDirection,
  CompiledPeer,
  CompiledPodPolicy,
  CompiledPorts,
  CompiledRule,
  NamedPortRef,
  NamespaceMatch,
  PolicyDirection,
  PolicyRef,
  RejectedPolicy,
  RuleRef,
} from './compiled-policy.types';
export type { CompiledSelector, SelectorOperator, SelectorRequirement } from './label-selector.matcher';
export {
  compileCluster,
  compilePodPolicy,
  formatPolicyRef,
  policyDirections,
} from './network-policy.compiler';
export type {
  ConnectionQuery,
  ConnectionVerdict,
  DirectionDecision,
  DirectionVerdict,
  Endpoint,
} from './connection-verdict.types';
export { allowedConnections, evaluateConnection } from './network-policy.evaluator';
export {
  type AllPairsQuery,
  type AllPairsReachability,
  allPairsReachability,
} from './all-pairs-reachability';
export {
  type ConnectionSet,
  type PortRange,
  connectionsContain,
  formatConnections,
  isAllConnections,
  isEmptyConnections,
} from './connection-set.model';
export type { IpRange } from './ip-range-set.model';
export {
  type ConnectivityLine,
  formatConnectivityLines,
  summarizeConnectivity,
  workloadName,
} from './connectivity.summarizer';
export { type KubernetesObjectsReading, readKubernetesObjects } from './kubernetes-objects.reader';
export {
  type Change,
  type NetpolChanges,
  type NetpolImpact,
  type NetpolImpactState,
  netpolChangeImpact,
  policyPeersMatchNamespace,
  policyPeersMatchPod,
} from './change-impact';
export { type NetworkPolicyEnforcement, networkPolicyEnforcement } from './network-policy-enforcement';
