// A trace to a destination given as a DNS name, from a pod: the name is resolved as kube-dns answers that pod
// (the caller resolves it; see dns/cluster-dns.resolver.ts), then each address it gets is traced as an IP
// destination would be. Entry point only: the paths themselves are composeReachability's.
import { MAX_TRACES, composeReachability } from './connectivity.composer';
import type { ReachabilityDetails, Trace } from './reachability.types';
import type { TraceInputs, TraceQuery } from './trace-inputs.types';
import { relativeUri, traceIndex } from './trace-index';
import { abortStep } from './trace-step.mappers';

/** The pod a DNS-name test starts from. */
export interface DnsSourcePod {
  /** `projects/p/locations/l/clusters/c` */
  cluster: string;
  namespace: string;
  name: string;
}

/**
 * The pod whose address is `ip` (in the cluster `clusterUri` names, when given): the resolver that answers a
 * DNS-name destination is that pod's kube-dns, with its namespace's search path. Undefined when no pod has it.
 */
export function dnsSourcePod(inputs: TraceInputs, ip: string, clusterUri?: string): DnsSourcePod | undefined {
  const index = traceIndex(inputs);
  if (clusterUri === undefined) {
    const found = index.pod(ip);
    return found
      ? { cluster: found.cluster.uri, namespace: found.pod.namespace, name: found.pod.name }
      : undefined;
  }
  const cluster = index.clusterByUri.get(relativeUri(clusterUri));
  const key = cluster?.policies.podKeysByIp[ip];
  const pod = key === undefined ? undefined : cluster?.policies.pods[key];
  return cluster && pod ? { cluster: cluster.uri, namespace: pod.namespace, name: pod.name } : undefined;
}

/** What the source pod's resolver answered for the name. */
export interface NameResolution {
  /** the name as the test gives it */
  name: string;
  /** the asking pod, `namespace/name` */
  from: string;
  /** the A records' addresses (a headless Service has one per ready pod); empty when the name does not resolve */
  addresses: readonly string[];
  /** why the pod got no address, when not that kube-dns has no such name (e.g. its dnsPolicy is Default) */
  detail?: string;
}

/**
 * The details of a DNS-name test whose source is no pod (any more: a saved test's pod may be gone): there is no
 * resolver to ask, so UNDETERMINED, with an ABORT step saying so.
 */
export function composeWithoutSourcePod(
  inputs: TraceInputs,
  query: TraceQuery,
  name: string,
): ReachabilityDetails {
  const source = query.source.ipAddress;
  return {
    result: 'UNDETERMINED',
    traces: [
      {
        endpointInfo: {
          ...(source ? { sourceIp: source } : {}),
          protocol: (query.protocol ?? 'TCP').toUpperCase(),
          ...(query.destination.port !== undefined ? { destinationPort: query.destination.port } : {}),
        },
        steps: [
          abortStep(inputs.project, 'NO_SOURCE_LOCATION', {
            ...(source ? { ipAddress: source } : {}),
            description: `Aborted: ${name} is resolved from the source pod, and no pod has the address ${source ?? '(none)'}${query.destination.gkeMasterCluster ? ` in ${relativeUri(query.destination.gkeMasterCluster)}` : ''}.`,
          }),
        ],
      },
    ],
  };
}

function resultOf(traces: readonly Trace[]): ReachabilityDetails['result'] {
  const finals = traces.map((trace) => trace.steps[trace.steps.length - 1]?.state);
  const delivered = finals.filter((state) => state === 'DELIVER' || state === 'FORWARD').length;
  if (traces.length === 0) return 'UNDETERMINED';
  if (delivered === traces.length) return 'REACHABLE';
  if (delivered > 0) return 'AMBIGUOUS';
  return finals.every((state) => state === 'ABORT') ? 'UNDETERMINED' : 'UNREACHABLE';
}

/**
 * The reachability details of a test whose destination is a DNS name a pod resolved. A name that resolves to
 * nothing is UNDETERMINED (an ABORT step, DESTINATION_ENDPOINT_NOT_FOUND, saying so). One address is traced as
 * that IP destination. Several (a headless Service's pods) are several places the name may take the packet: one
 * trace set per address, each trace's probability divided among them as the client picks one record, and the
 * result over all of them — AMBIGUOUS when some addresses are reached and others not, as for any test whose
 * endpoints do not name one path.
 */
export function composeReachabilityToName(
  inputs: TraceInputs,
  query: TraceQuery,
  resolution: NameResolution,
): ReachabilityDetails {
  const addresses = [...new Set(resolution.addresses)];
  if (addresses.length === 0) {
    const protocol = (query.protocol ?? 'TCP').toUpperCase();
    return {
      result: 'UNDETERMINED',
      traces: [
        {
          endpointInfo: {
            ...(query.source.ipAddress ? { sourceIp: query.source.ipAddress } : {}),
            protocol,
            ...(query.destination.port !== undefined ? { destinationPort: query.destination.port } : {}),
          },
          steps: [
            abortStep(inputs.project, 'DESTINATION_ENDPOINT_NOT_FOUND', {
              description: `Aborted: ${resolution.name} does not resolve from pod ${resolution.from}: ${resolution.detail ?? "the cluster's DNS (kube-dns) answers no address for it"}.`,
            }),
          ],
        },
      ],
    };
  }
  if (addresses.length === 1) {
    return composeReachability(inputs, {
      ...query,
      destination: { ...query.destination, ipAddress: addresses[0] },
    });
  }
  const traces: Trace[] = [];
  for (const address of addresses) {
    if (traces.length >= MAX_TRACES) break;
    const details = composeReachability(inputs, {
      ...query,
      destination: { ...query.destination, ipAddress: address },
    });
    for (const trace of details.traces) {
      if (traces.length >= MAX_TRACES) break;
      traces.push({ ...trace, probability: (trace.probability ?? 1) / addresses.length });
    }
  }
  return { result: resultOf(traces), traces };
}
