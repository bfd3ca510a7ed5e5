import { type Cidr } from '@gke-emulator/netaddr';

import { type ServicePortChainNames, servicePortChainNames } from './chain-names';
import { isIpv4Address, parseIpv4CidrSloppy } from './ipv4-sloppy.parser';
import { type KubeService, type KubeServicePort, type ServiceProtocol } from './kube-proxy.types';

/** The API server's default for sessionAffinityConfig.clientIP.timeoutSeconds. */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

/** One port of a proxied Service, as kube-proxy sees it (its ServicePort / BaseServicePortInfo). */
export interface ServicePortInfo {
  /** "namespace/name": the test suite orders rules by it, and so does this model. */
  readonly serviceName: string;
  /** Position in spec.ports, the tie-break among one service's ports. */
  readonly portIndex: number;
  /** ServicePortName.String(): "namespace/name:port", or "namespace/name" for an unnamed port. */
  readonly servicePortName: string;
  readonly portName: string;
  readonly protocol: ServiceProtocol;
  /** Lower-case protocol as written in the rules ("tcp"). */
  readonly ruleProtocol: string;
  readonly chains: ServicePortChainNames;
  readonly clusterIP: string;
  readonly port: number;
  /** 0 when the port has no NodePort. */
  readonly nodePort: number;
  readonly externalIPs: readonly string[];
  readonly loadBalancerVIPs: readonly string[];
  readonly loadBalancerSourceRanges: readonly Cidr[];
  /** 0 unless the service needs one (LoadBalancer with externalTrafficPolicy Local). */
  readonly healthCheckNodePort: number;
  /** Seconds for ClientIP session affinity; null without affinity. */
  readonly stickyMaxAgeSeconds: number | null;
  readonly externalPolicyLocal: boolean;
  readonly internalPolicyLocal: boolean;
  /** Reachable by something other than its cluster IP (NodePort, external IP, load-balancer IP). */
  readonly externallyAccessible: boolean;
  /** Ever sends traffic to Cluster-policy endpoints (including the short-circuit for local traffic). */
  readonly usesClusterEndpoints: boolean;
  /** Ever sends traffic to endpoints chosen by Local policy: its rules depend on the node. */
  readonly usesLocalEndpoints: boolean;
}

function clusterIPv4(service: KubeService): string | null {
  const candidates =
    service.clusterIPs && service.clusterIPs.length > 0 ? service.clusterIPs : [service.clusterIP];
  for (const candidate of candidates) {
    if (candidate !== undefined && isIpv4Address(candidate)) return candidate.trim();
  }
  return null;
}

/** "namespace/name[:port]" as kube-proxy's ServicePortName prints it. */
export function formatServicePortName(namespace: string, name: string, portName: string): string {
  return portName === '' ? `${namespace}/${name}` : `${namespace}/${name}:${portName}`;
}

function loadBalancerVIPs(service: KubeService): string[] {
  return (service.loadBalancerIngress ?? [])
    .filter((ingress) => ingress.ip !== undefined && ingress.ip !== '' && ingress.ipMode !== 'Proxy')
    .map((ingress) => (ingress.ip ?? '').trim())
    .filter(isIpv4Address);
}

function externalPolicyLocal(service: KubeService): boolean {
  const type = service.type ?? 'ClusterIP';
  return (type === 'NodePort' || type === 'LoadBalancer') && service.externalTrafficPolicy === 'Local';
}

function toServicePortInfo(
  service: KubeService,
  port: KubeServicePort,
  index: number,
  clusterIP: string,
): ServicePortInfo {
  const portName = port.name ?? '';
  const protocol = port.protocol ?? 'TCP';
  const servicePortName = formatServicePortName(service.namespace, service.name, portName);
  const ruleProtocol = protocol.toLowerCase();
  const nodePort = port.nodePort ?? 0;
  const externalIPs = (service.externalIPs ?? []).map((ip) => ip.trim()).filter(isIpv4Address);
  const vips = loadBalancerVIPs(service);
  const externalLocal = externalPolicyLocal(service);
  const internalLocal = service.internalTrafficPolicy === 'Local';
  const externallyAccessible = nodePort !== 0 || vips.length > 0 || externalIPs.length > 0;
  const needsHealthCheck = (service.type ?? 'ClusterIP') === 'LoadBalancer' && externalLocal;
  return {
    serviceName: `${service.namespace}/${service.name}`,
    portIndex: index,
    servicePortName,
    portName,
    protocol,
    ruleProtocol,
    chains: servicePortChainNames(servicePortName, ruleProtocol),
    clusterIP,
    port: port.port,
    nodePort,
    externalIPs,
    loadBalancerVIPs: vips,
    loadBalancerSourceRanges: (service.loadBalancerSourceRanges ?? [])
      .map(parseIpv4CidrSloppy)
      .filter((cidr): cidr is Cidr => cidr !== null),
    healthCheckNodePort: needsHealthCheck ? (service.healthCheckNodePort ?? 0) : 0,
    stickyMaxAgeSeconds:
      service.sessionAffinity === 'ClientIP'
        ? (service.sessionAffinityTimeoutSeconds ?? DEFAULT_CLIENT_IP_AFFINITY_SECONDS)
        : null,
    externalPolicyLocal: externalLocal,
    internalPolicyLocal: internalLocal,
    externallyAccessible,
    // Even with external policy Local, cluster endpoints serve the short-circuit for traffic from inside.
    usesClusterEndpoints: !internalLocal || externallyAccessible,
    usesLocalEndpoints: internalLocal || (externalLocal && externallyAccessible),
  };
}

/**
 * The proxied ports of a Service, in spec order. Headless, IPv6-only and ExternalName services have none, as
 * kube-proxy skips them.
 */
export function servicePortInfos(service: KubeService): ServicePortInfo[] {
  if (service.type === 'ExternalName') return [];
  const clusterIP = clusterIPv4(service);
  if (clusterIP === null) return [];
  return service.ports.map((port, index) => toServicePortInfo(service, port, index, clusterIP));
}

/** Orders service ports as the rules are written: by "namespace/name", then by position in spec.ports. */
export function compareServicePorts(a: ServicePortInfo, b: ServicePortInfo): number {
  if (a.serviceName !== b.serviceName) return a.serviceName < b.serviceName ? -1 : 1;
  return a.portIndex - b.portIndex;
}
