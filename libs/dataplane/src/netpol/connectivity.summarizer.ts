import type { CompiledCluster } from './compiled-policy.types';
import { formatConnections, isEmptyConnections } from './connection-set.model';
import { type IpRange, formatIpRange, partitionIpv4Space } from './ip-range-set.model';
import type { PodInfo } from './network-policy.types';
import { type ResolvedEndpoint, connectionsBetween, podEndpoint } from './network-policy.evaluator';

/** One line of np-guard's connlist: `SRC => DST : CONNS`. */
export interface ConnectivityLine {
  readonly source: string;
  readonly destination: string;
  readonly connections: string;
}

/** np-guard's workload name: "ns/owner[Kind]", or "ns/pod[Pod]" for a pod without controller. */
export function workloadName(pod: PodInfo): string {
  return pod.owner === undefined
    ? `${pod.namespace}/${pod.name}[Pod]`
    : `${pod.namespace}/${pod.owner.name}[${pod.owner.kind}]`;
}

export function externalName(range: IpRange): string {
  return `${formatIpRange(range)}[External]`;
}

interface SummaryNode {
  readonly name: string;
  readonly endpoint: ResolvedEndpoint;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Connectivity between workloads (one representative pod each, the first listed, as np-guard keeps one pod
 * per owner) and external addresses. External sources are the IPv4 space split at the ingress ipBlocks of
 * all policies, external destinations the space split at the egress ipBlocks. A line is listed when egress
 * of SRC and ingress of DST both allow something; self pairs and IP-to-IP pairs are left out.
 */
export function summarizeConnectivity(cluster: CompiledCluster): ConnectivityLine[] {
  const workloads = new Map<string, SummaryNode>();
  for (const pod of Object.values(cluster.pods)) {
    const name = workloadName(pod);
    if (!workloads.has(name)) workloads.set(name, { name, endpoint: podEndpoint(cluster, pod) });
  }
  const external = (ranges: readonly IpRange[]): SummaryNode[] =>
    partitionIpv4Space(ranges).map((range) => ({
      name: externalName(range),
      endpoint: { kind: 'ip', range },
    }));
  const sources = [...external(cluster.ipBlockRanges.ingress), ...workloads.values()];
  const destinations = [...external(cluster.ipBlockRanges.egress), ...workloads.values()];
  const lines: ConnectivityLine[] = [];
  for (const source of sources) {
    for (const destination of destinations) {
      if (source.name === destination.name) continue;
      if (source.endpoint.kind === 'ip' && destination.endpoint.kind === 'ip') continue;
      const connections = connectionsBetween(cluster, source.endpoint, destination.endpoint);
      if (isEmptyConnections(connections)) continue;
      lines.push({
        source: source.name,
        destination: destination.name,
        connections: formatConnections(connections),
      });
    }
  }
  return lines.sort((a, b) => compareText(a.source, b.source) || compareText(a.destination, b.destination));
}

/** The lines as np-guard's txt output prints them, one per line. */
export function formatConnectivityLines(lines: readonly ConnectivityLine[]): string {
  return lines.map((line) => `${line.source} => ${line.destination} : ${line.connections}\n`).join('');
}
