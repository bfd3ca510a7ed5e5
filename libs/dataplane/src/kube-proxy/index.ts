// kube-proxy's iptables mode as pure data: the rules of a cluster computed once (and kept up to date Service by
// Service), each node's rules from them, the iptables-restore text, and a packet tracer over it.

export {
  type KubeEndpoint,
  type KubeEndpointConditions,
  type KubeEndpointPort,
  type KubeEndpointSlice,
  type KubeProxyConfig,
  type KubeService,
  type KubeServicePort,
  type DetectLocalMode,
  type LoadBalancerIngress,
  type NodeContext,
  type ServiceProtocol,
  type ServiceType,
  type SessionAffinity,
  type TrafficPolicy,
} from './kube-proxy.types';
export { type ResolvedKubeProxyConfig, resolveKubeProxyConfig } from './kube-proxy-config.resolver';
export {
  type ClusterKubeProxyRules,
  type ClusterProxyInput,
  type CompiledServicePort,
  LARGE_CLUSTER_ENDPOINTS,
  assembleClusterRules,
  compileClusterRules,
  compileServicePorts,
  countServiceEndpoints,
} from './cluster-rules.compiler';
export { compileNodeRules, nodeLocalAddresses, renderKubeProxyIptables } from './node-rules.compiler';
export { renderNodeIptables } from './node-iptables.renderer';
export { IncrementalClusterRules, type IncrementalClusterRulesOptions } from './incremental-cluster-rules';
export { type ServicePortRules } from './service-port-rules.builder';
export { type ServicePortInfo, formatServicePortName, servicePortInfos } from './service-port-info';
export { type EndpointInfo } from './service-endpoints';
export {
  type IptablesChain,
  type IptablesDump,
  type IptablesTable,
  findChain,
  findTable,
} from './iptables-dump';
export { renderIptablesRestore } from './iptables-restore.renderer';
export { parseIptablesRestore } from './iptables-restore.parser';
export { type IptablesRule, type IptablesValue, parseIptablesRule } from './iptables-rule.parser';
export { sortIptablesDump } from './iptables-dump.sorter';
export { type PacketTrace, type PacketVerdict, type TracedPacket, tracePacket } from './packet-tracer';
export {
  type ServicePortChainNames,
  endpointChainName,
  isServiceChainName,
  portProtoHash,
  servicePortChainNames,
} from './chain-names';
export { computeProbability } from './probability';
