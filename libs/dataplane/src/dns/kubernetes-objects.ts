import type { ClusterDnsInput, DnsEndpointSlice, DnsPod, DnsService } from './cluster-dns.types';

type Json = Record<string, unknown>;

const object = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A Service as the API returns it, reduced to what kube-dns reads. */
export function dnsServiceOf(body: Json): DnsService {
  const metadata = object(body['metadata']);
  const spec = object(body['spec']);
  return {
    namespace: text(metadata['namespace']) ?? 'default',
    name: text(metadata['name']) ?? '',
    type: text(spec['type']) ?? 'ClusterIP',
    clusterIP: text(spec['clusterIP']),
    externalName: text(spec['externalName']),
    publishNotReadyAddresses: spec['publishNotReadyAddresses'] === true,
  };
}

export function dnsEndpointSliceOf(body: Json): DnsEndpointSlice {
  const metadata = object(body['metadata']);
  const labels = object(metadata['labels']);
  return {
    namespace: text(metadata['namespace']) ?? 'default',
    serviceName: text(labels['kubernetes.io/service-name']) ?? '',
    endpoints: list(body['endpoints']).map((value) => {
      const endpoint = object(value);
      const conditions = object(endpoint['conditions']);
      const ref = object(endpoint['targetRef']);
      return {
        addresses: list(endpoint['addresses']).filter((a): a is string => typeof a === 'string'),
        ...(typeof conditions['ready'] === 'boolean' ? { ready: conditions['ready'] } : {}),
        ...(text(endpoint['hostname']) ? { hostname: text(endpoint['hostname']) } : {}),
        ...(text(ref['name'])
          ? {
              targetRef: {
                kind: text(ref['kind']),
                namespace: text(ref['namespace']),
                name: String(ref['name']),
              },
            }
          : {}),
      };
    }),
  };
}

export function dnsPodOf(body: Json): DnsPod {
  const metadata = object(body['metadata']);
  const spec = object(body['spec']);
  const status = object(body['status']);
  return {
    namespace: text(metadata['namespace']) ?? 'default',
    name: text(metadata['name']) ?? '',
    ip: text(status['podIP']),
    hostname: text(spec['hostname']),
    subdomain: text(spec['subdomain']),
  };
}

/** kube-dns's inputs from the API's objects (Services, EndpointSlices, pods as their JSON bodies). */
export function clusterDnsInputOf(objects: {
  services: readonly Json[];
  endpointSlices: readonly Json[];
  pods: readonly Json[];
  clusterDomain?: string;
}): ClusterDnsInput {
  return {
    services: objects.services.map(dnsServiceOf),
    endpointSlices: objects.endpointSlices.map(dnsEndpointSliceOf),
    pods: objects.pods.map(dnsPodOf),
    ...(objects.clusterDomain ? { clusterDomain: objects.clusterDomain } : {}),
  };
}
