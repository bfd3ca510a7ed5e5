/** What kube-dns serves from: the cluster's Services, EndpointSlices and pods, reduced to what names need. */
export interface DnsService {
  namespace: string;
  name: string;
  /** ClusterIP, NodePort, LoadBalancer or ExternalName */
  type?: string;
  /** `None` for a headless Service */
  clusterIP?: string;
  externalName?: string;
  publishNotReadyAddresses?: boolean;
}

export interface DnsEndpoint {
  addresses: string[];
  /** absent counts as ready, as EndpointSlice consumers read it */
  ready?: boolean;
  hostname?: string;
  targetRef?: { kind?: string; namespace?: string; name: string };
}

export interface DnsEndpointSlice {
  namespace: string;
  /** the `kubernetes.io/service-name` label */
  serviceName: string;
  endpoints: DnsEndpoint[];
}

export interface DnsPod {
  namespace: string;
  name: string;
  ip?: string;
  /** `spec.hostname` */
  hostname?: string;
  /** `spec.subdomain` */
  subdomain?: string;
}

export interface ClusterDnsInput {
  services: readonly DnsService[];
  endpointSlices: readonly DnsEndpointSlice[];
  pods: readonly DnsPod[];
  /** `cluster.local` unless the cluster says otherwise */
  clusterDomain?: string;
}

export type DnsRecordType = 'A' | 'CNAME';

export interface DnsRecord {
  /** fully qualified, with its trailing dot */
  name: string;
  type: DnsRecordType;
  ttl: number;
  /** an IPv4 address (A) or a fully qualified name (CNAME) */
  value: string;
}

/** What one query of the search path got back. */
export interface DnsLookupStep {
  /** the fully qualified name asked, with its trailing dot */
  name: string;
  rcode: 'NOERROR' | 'NXDOMAIN';
  /** outside the cluster domain: kube-dns hands it upstream, which the emulator does not answer */
  upstream?: boolean;
  records: DnsRecord[];
  /** why: the Service or pod that answered, or what was missing */
  detail: string;
}

/** A pod's resolver (glibc's, with the resolv.conf kubelet writes) asking kube-dns for one name. */
export interface DnsResolution {
  query: string;
  namespace: string;
  search: string[];
  ndots: number;
  /** each name asked in turn, up to the first that answered */
  steps: DnsLookupStep[];
  rcode: 'NOERROR' | 'NXDOMAIN';
  /** the name that answered */
  answeredName?: string;
  /** the answer's records: any CNAMEs followed inside the cluster domain, then A records */
  records: DnsRecord[];
  /** the A records' addresses, in answer order */
  addresses: string[];
  /** nothing in the cluster answered and the last name asked left the cluster domain (kube-dns's upstream) */
  upstream?: boolean;
}
