import type {
  ClusterDnsInput,
  DnsLookupStep,
  DnsRecord,
  DnsResolution,
  DnsService,
} from './cluster-dns.types';

/** kube-dns's TTL for the cluster's records (`--dns-ttl`'s default). */
export const KUBE_DNS_TTL = 30;
/** What kubelet writes in a ClusterFirst pod's resolv.conf: `options ndots:5`. */
export const POD_NDOTS = 5;
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
/** Longest CNAME chain followed inside the cluster domain (an ExternalName naming another). */
const MAX_CNAME_CHAIN = 8;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A name's fully qualified, lower-case form, with its trailing dot. */
function fqdn(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

interface Entry {
  records: DnsRecord[];
  detail: string;
}

/**
 * The cluster's zone as kube-dns builds it from the API: one entry per name it answers. Built once per snapshot of
 * the cluster; lookups are then map reads.
 */
export interface ClusterDnsZone {
  domain: string;
  names: ReadonlyMap<string, Entry>;
  /** namespaces with a Service or pod: a name under a missing one is NXDOMAIN */
  namespaces: ReadonlySet<string>;
}

function isHeadless(service: DnsService): boolean {
  return service.clusterIP === 'None';
}

/**
 * The zone kube-dns serves for a cluster:
 * - `<svc>.<ns>.svc.<domain>`: the ClusterIP of a Service that has one; the ready endpoints' addresses of a
 *   headless Service (all of them with `publishNotReadyAddresses`); a CNAME to `externalName` for ExternalName;
 * - `<hostname>.<svc>.<ns>.svc.<domain>`: a headless Service's endpoint with a hostname (the endpoint's own, or
 *   the pod's `spec.hostname` when its `spec.subdomain` names the Service, as the endpoints controller sets it).
 * Pod names (`a-b-c-d.<ns>.pod.<domain>`) are computed on lookup.
 */
export function buildClusterDnsZone(input: ClusterDnsInput): ClusterDnsZone {
  const domain = (input.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN).toLowerCase().replace(/\.$/, '');
  const names = new Map<string, Entry>();
  const namespaces = new Set<string>();
  const add = (name: string, record: Omit<DnsRecord, 'name' | 'ttl'>, detail: string) => {
    const key = fqdn(name);
    const entry = names.get(key) ?? { records: [], detail };
    if (!entry.records.some((r) => r.type === record.type && r.value === record.value)) {
      entry.records.push({ name: key, ttl: KUBE_DNS_TTL, ...record });
    }
    names.set(key, entry);
  };
  const pods = new Map(input.pods.map((pod) => [`${pod.namespace}/${pod.name}`, pod]));
  for (const pod of input.pods) namespaces.add(pod.namespace);
  const slicesByService = new Map<string, ClusterDnsInput['endpointSlices'][number][]>();
  for (const slice of input.endpointSlices) {
    const key = `${slice.namespace}/${slice.serviceName}`;
    slicesByService.set(key, [...(slicesByService.get(key) ?? []), slice]);
  }
  const services = [...input.services].sort((a, b) =>
    `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
  );
  for (const service of services) {
    namespaces.add(service.namespace);
    const name = `${service.name}.${service.namespace}.svc.${domain}`;
    const id = `Service ${service.namespace}/${service.name}`;
    if (service.type === 'ExternalName') {
      if (service.externalName) {
        add(name, { type: 'CNAME', value: fqdn(service.externalName) }, `${id} (ExternalName)`);
      }
      continue;
    }
    if (!isHeadless(service)) {
      if (service.clusterIP) add(name, { type: 'A', value: service.clusterIP }, `${id} (ClusterIP)`);
      continue;
    }
    const endpoints = (slicesByService.get(`${service.namespace}/${service.name}`) ?? [])
      .flatMap((slice) => slice.endpoints)
      .filter((endpoint) => service.publishNotReadyAddresses || endpoint.ready !== false);
    const addresses = endpoints.flatMap((endpoint) => endpoint.addresses).sort(compareIps);
    for (const address of addresses)
      add(name, { type: 'A', value: address }, `${id} (headless: its endpoints)`);
    if (addresses.length === 0)
      names.set(fqdn(name), { records: [], detail: `${id} (headless, no ready endpoints)` });
    for (const endpoint of endpoints) {
      const ref = endpoint.targetRef;
      const pod =
        ref && (ref.kind ?? 'Pod') === 'Pod'
          ? pods.get(`${ref.namespace ?? service.namespace}/${ref.name}`)
          : undefined;
      const hostname =
        endpoint.hostname ?? (pod?.hostname && pod.subdomain === service.name ? pod.hostname : undefined);
      if (!hostname) continue;
      for (const address of endpoint.addresses) {
        add(
          `${hostname}.${name}`,
          { type: 'A', value: address },
          `${id} (headless): endpoint ${hostname}${pod ? ` (pod ${pod.namespace}/${pod.name})` : ''}`,
        );
      }
    }
  }
  return { domain, names, namespaces };
}

function compareIps(a: string, b: string): number {
  const parts = (ip: string) => ip.split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 4; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

/** What kube-dns answers for one fully qualified name (no search path). */
export function lookupName(zone: ClusterDnsZone, name: string): DnsLookupStep {
  const key = fqdn(name);
  const suffix = `.${zone.domain}.`;
  if (!key.endsWith(suffix) && key !== `${zone.domain}.`) {
    return {
      name: key,
      rcode: 'NXDOMAIN',
      upstream: true,
      records: [],
      detail: `outside ${zone.domain}: kube-dns forwards it upstream, which the emulator does not resolve`,
    };
  }
  const entry = zone.names.get(key);
  if (entry) {
    return {
      name: key,
      rcode: 'NOERROR',
      records: entry.records.map((r) => ({ ...r })),
      detail: entry.detail,
    };
  }
  const labels = key.slice(0, -suffix.length).split('.');
  // a-b-c-d.<ns>.pod.<domain>: kube-dns answers the address the name spells (it does not look the pod up)
  if (labels.length === 3 && labels[2] === 'pod') {
    const ip = (labels[0] ?? '').replace(/-/g, '.');
    if (IPV4.test(ip) && /^\d+(-\d+){3}$/.test(labels[0] ?? '')) {
      return {
        name: key,
        rcode: 'NOERROR',
        records: [{ name: key, type: 'A', ttl: KUBE_DNS_TTL, value: ip }],
        detail: `pod name: the address it spells, in namespace ${String(labels[1])}`,
      };
    }
  }
  return { name: key, rcode: 'NXDOMAIN', records: [], detail: nxdomainDetail(zone, labels) };
}

function nxdomainDetail(zone: ClusterDnsZone, labels: string[]): string {
  if (labels.length >= 3 && labels.at(-1) === 'svc') {
    const namespace = labels.at(-2) ?? '';
    if (!zone.namespaces.has(namespace)) return `no namespace ${namespace} with Services or pods`;
    if (labels.length === 3) return `no Service ${namespace}/${labels[0]}`;
    return `no endpoint ${labels[0]} of a headless Service ${namespace}/${labels[1]}`;
  }
  return 'no such name in the cluster zone';
}

/**
 * The names a ClusterFirst pod's resolver asks, in order, for `query` (glibc with kubelet's resolv.conf: `search
 * <ns>.svc.<domain> svc.<domain> <domain>` and `options ndots:5`): a name ending in a dot only as it is; one with
 * at least ndots dots as it is first, then with each search domain; any other with each search domain first.
 */
export function searchNames(
  query: string,
  namespace: string,
  domain = DEFAULT_CLUSTER_DOMAIN,
  ndots = POD_NDOTS,
) {
  const search = podSearchPath(namespace, domain);
  const name = query.toLowerCase();
  if (name.endsWith('.')) return { search, names: [name] };
  const dots = name.split('.').length - 1;
  const expanded = search.map((suffix) => `${name}.${suffix}.`);
  return { search, names: dots >= ndots ? [`${name}.`, ...expanded] : [...expanded, `${name}.`] };
}

export function podSearchPath(namespace: string, domain = DEFAULT_CLUSTER_DOMAIN): string[] {
  return [`${namespace}.svc.${domain}`, `svc.${domain}`, domain];
}

/** Why a query is refused before any lookup (the resolver's own checks), or undefined when it may be asked. */
export function invalidQueryName(query: string): string | undefined {
  if (query.length === 0) return 'must not be empty';
  if (query.length > 253) return 'must be at most 253 characters';
  const labels = query.replace(/\.$/, '').split('.');
  for (const label of labels) {
    if (label.length === 0) return 'must not have an empty label';
    if (label.length > 63) return `label "${label}" is longer than 63 characters`;
    if (!/^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?$/.test(label))
      return `label "${label}" is not a DNS label`;
  }
  return undefined;
}

/**
 * Resolves `query` as a pod of `namespace` would through kube-dns: the search path tried in turn until a name
 * answers, ExternalName CNAMEs followed while they stay inside the cluster domain.
 */
export function resolveName(zone: ClusterDnsZone, query: string, namespace: string): DnsResolution {
  const { search, names } = searchNames(query, namespace, zone.domain);
  const steps: DnsLookupStep[] = [];
  for (const name of names) {
    const step = lookupName(zone, name);
    steps.push(step);
    if (step.rcode === 'NOERROR' && step.records.length > 0) {
      const records = followCnames(zone, step.records);
      return {
        query,
        namespace,
        search,
        ndots: POD_NDOTS,
        steps,
        rcode: 'NOERROR',
        answeredName: step.name,
        records,
        addresses: records.filter((r) => r.type === 'A').map((r) => r.value),
      };
    }
  }
  return {
    query,
    namespace,
    search,
    ndots: POD_NDOTS,
    steps,
    rcode: 'NXDOMAIN',
    records: [],
    addresses: [],
    ...(steps.at(-1)?.upstream ? { upstream: true } : {}),
  };
}

function followCnames(zone: ClusterDnsZone, first: DnsRecord[]): DnsRecord[] {
  const records = [...first];
  let last = first;
  const seen = new Set<string>();
  for (let hop = 0; hop < MAX_CNAME_CHAIN; hop++) {
    const cname = last.length === 1 && last[0]?.type === 'CNAME' ? last[0] : undefined;
    if (!cname || seen.has(cname.value)) break;
    seen.add(cname.value);
    const next = lookupName(zone, cname.value);
    if (next.rcode !== 'NOERROR' || next.records.length === 0) break;
    records.push(...next.records);
    last = next.records;
  }
  return records;
}

/**
 * The addresses a pod of `namespace` reaches when it names `query` (what a trace with a DNS-name destination
 * starts from): empty when the name does not resolve inside the cluster.
 */
export function resolveForPod(
  cluster: ClusterDnsInput | ClusterDnsZone,
  query: string,
  namespace: string,
): string[] {
  const zone = 'names' in cluster ? cluster : buildClusterDnsZone(cluster);
  return resolveName(zone, query, namespace).addresses;
}
