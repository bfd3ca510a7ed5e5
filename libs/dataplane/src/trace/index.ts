// Connectivity Tests, computed: one packet's path through the VPC and on inside GKE nodes, in the Network
// Management API's ReachabilityDetails shape.
export * from './network-management-enums.generated';
export type * from './reachability.types';
export type * from './trace-inputs.types';
export { MAX_TRACES, composeReachability } from './connectivity.composer';
export { relativeUri, resourceName } from './trace-index';
export {
  type DnsSourcePod,
  type NameResolution,
  composeReachabilityToName,
  composeWithoutSourcePod,
  dnsSourcePod,
} from './dns-destination';
export {
  type UrlMapRequest,
  type UrlMapRoute,
  type UrlMapSpec,
  type UrlRedirect,
  routeUrlMap,
} from './url-map.matcher';
