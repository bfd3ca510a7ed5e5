import { type Cidr, cidrHasAddress, parseIpv4 } from '@gke-emulator/netaddr';

import { parseIpv4CidrSloppy } from './ipv4-sloppy.parser';
import { type DetectLocalMode, type KubeProxyConfig, type NodeContext } from './kube-proxy.types';
import { type ServicePortRuleSettings } from './service-port-rules.builder';

/** kube-proxy's flags with defaults applied and the derived switches computed once per cluster. */
export interface ResolvedKubeProxyConfig {
  readonly masqueradeMark: string;
  readonly masqueradeAll: boolean;
  readonly detectLocalMode: DetectLocalMode;
  /** The range written in "-s"/"! -s" with ClusterCIDR detection. */
  readonly clusterCidr: string | null;
  /** Localhost NodePorts in effect: asked for, and 127.0.0.0/8 among the NodePort addresses. */
  readonly localhostNodePorts: boolean;
  /** IPv4 --nodeport-addresses ranges; null when NodePorts answer on every local address. */
  readonly nodePortCidrs: readonly Cidr[] | null;
  readonly conntrackTcpLiberal: boolean;
  readonly ctStateInvalidCounter: boolean;
  readonly localhostNodePortsCounter: boolean;
  readonly masqueradeRandomFully: boolean;
}

const LOOPBACK_NETWORK = 0x7f000000;

function nodePortCidrs(addresses: readonly string[] | null | undefined): readonly Cidr[] | null {
  // Ranges of the other family are dropped; none left, or a zero range, means "every address".
  const cidrs = (addresses ?? []).map(parseIpv4CidrSloppy).filter((cidr): cidr is Cidr => cidr !== null);
  if (cidrs.length === 0 || cidrs.some((cidr) => cidr.prefixLength === 0)) return null;
  return cidrs;
}

function detectLocalMode(config: KubeProxyConfig, clusterCidr: string | null): DetectLocalMode {
  const mode = config.detectLocalMode ?? (clusterCidr !== null ? 'ClusterCIDR' : 'None');
  return mode === 'ClusterCIDR' && clusterCidr === null ? 'None' : mode;
}

export function resolveKubeProxyConfig(config: KubeProxyConfig = {}): ResolvedKubeProxyConfig {
  const clusterCidrText = config.clusterCidr?.trim() ?? '';
  const clusterCidr = parseIpv4CidrSloppy(clusterCidrText) !== null ? clusterCidrText : null;
  const cidrs = nodePortCidrs(config.nodePortAddresses);
  const allowsLoopback =
    cidrs === null ||
    cidrs.some((cidr) => cidrHasAddress(cidr, LOOPBACK_NETWORK) || cidr.network >>> 24 === 127);
  return {
    masqueradeMark: config.masqueradeMark ?? '0x4000',
    masqueradeAll: config.masqueradeAll ?? false,
    detectLocalMode: detectLocalMode(config, clusterCidr),
    clusterCidr,
    localhostNodePorts: (config.localhostNodePorts ?? true) && allowsLoopback,
    nodePortCidrs: cidrs,
    conntrackTcpLiberal: config.conntrackTcpLiberal ?? false,
    ctStateInvalidCounter: config.nfacctCounters?.ctStateInvalidDroppedPkts ?? true,
    localhostNodePortsCounter: config.nfacctCounters?.localhostNodePortsAcceptedPkts ?? true,
    masqueradeRandomFully: config.masqueradeRandomFully ?? false,
  };
}

/**
 * The settings service-port rules are built with: on a given node, or (node null) for the node-independent part,
 * where nothing may depend on the node's address or pod range.
 */
export function servicePortRuleSettings(
  config: ResolvedKubeProxyConfig,
  node: NodeContext | null,
  largeClusterMode: boolean,
): ServicePortRuleSettings {
  const nodeCidr = node?.podCidr?.trim() ?? null;
  return {
    masqueradeAll: config.masqueradeAll,
    localTrafficCidr:
      config.detectLocalMode === 'ClusterCIDR'
        ? config.clusterCidr
        : config.detectLocalMode === 'NodeCIDR'
          ? nodeCidr
          : null,
    localhostNodePortRule: config.localhostNodePorts && config.localhostNodePortsCounter,
    nodeIP: node === null ? null : parseIpv4(node.nodeIP.trim()),
    largeClusterMode,
  };
}
