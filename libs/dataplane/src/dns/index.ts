export type {
  ClusterDnsInput,
  DnsEndpoint,
  DnsEndpointSlice,
  DnsLookupStep,
  DnsPod,
  DnsRecord,
  DnsRecordType,
  DnsResolution,
  DnsService,
} from './cluster-dns.types';
export {
  buildClusterDnsZone,
  type ClusterDnsZone,
  DEFAULT_CLUSTER_DOMAIN,
  invalidQueryName,
  KUBE_DNS_TTL,
  lookupName,
  POD_NDOTS,
  podSearchPath,
  resolveForPod,
  resolveName,
  searchNames,
} from './cluster-dns.resolver';
export { clusterDnsInputOf, dnsEndpointSliceOf, dnsPodOf, dnsServiceOf } from './kubernetes-objects';
