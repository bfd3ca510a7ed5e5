import { Injectable } from '@nestjs/common';
import { GoogleErrors } from '@gke-emulator/common';
import { ClusterDirectory, type ClusterRecord } from '@gke-emulator/container';
import { dns } from '@gke-emulator/dataplane';
import { Database } from '@gke-emulator/db';
import { DataplaneInputsRepository } from './dataplane-inputs.repository';

type Json = Record<string, unknown>;

const object = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

/** The pod a query is asked from: `namespace/name`. */
function parseFrom(from: string | undefined): { namespace: string; name: string } | undefined {
  if (from === undefined) return undefined;
  const parts = from.split('/');
  const [namespace, name] = parts;
  if (parts.length !== 2 || !namespace || !name) {
    throw GoogleErrors.invalidFieldValue('from', from, 'Must be namespace/name of a pod.');
  }
  return { namespace, name };
}

/**
 * kube-dns as the cluster's pods see it: names resolved from the cluster's current Services, EndpointSlices and
 * pods (the API's objects, as kube-dns watches them), with the asking pod's search path.
 */
@Injectable()
export class ClusterDnsService {
  private readonly inputs: DataplaneInputsRepository;

  constructor(
    db: Database,
    private readonly clusters: ClusterDirectory,
  ) {
    this.inputs = new DataplaneInputsRepository(db);
  }

  /** `GET …/clusters/{c}/dns?name=…&from=ns/pod`: without `from`, as a pod of `default` would ask. */
  async resolve(
    project: string,
    location: string,
    clusterName: string,
    query: { name?: string; from?: string },
  ) {
    if (query.name === undefined || query.name === '') throw GoogleErrors.required('name');
    const problem = dns.invalidQueryName(query.name);
    if (problem) throw GoogleErrors.invalidFieldValue('name', query.name, `Must be a DNS name: ${problem}.`);
    const from = parseFrom(query.from);
    const cluster = await this.clusters.findCluster(project, location, clusterName);
    if (!cluster)
      throw GoogleErrors.notFound(`projects/${project}/locations/${location}/clusters/${clusterName}`);
    const objects = await this.objects(cluster);
    const namespace = from?.namespace ?? 'default';
    let dnsPolicy = 'ClusterFirst';
    if (from) {
      const pod = objects.pods.find((body) => {
        const metadata = object(body['metadata']);
        return metadata['namespace'] === from.namespace && metadata['name'] === from.name;
      });
      if (!pod) {
        throw GoogleErrors.notFound(
          `projects/${project}/locations/${location}/clusters/${clusterName}/pods/${from.namespace}/${from.name}`,
        );
      }
      dnsPolicy = podDnsPolicy(pod);
    }
    const zone = dns.buildClusterDnsZone(dns.clusterDnsInputOf(objects));
    const nameserver = objects.services
      .map(dns.dnsServiceOf)
      .find((service) => service.namespace === 'kube-system' && service.name === 'kube-dns')?.clusterIP;
    const asked = { from: from ? `${from.namespace}/${from.name}` : undefined, dnsPolicy, nameserver };
    if (dnsPolicy !== 'ClusterFirst' && dnsPolicy !== 'ClusterFirstWithHostNet') {
      // The pod uses its node's resolver (dnsPolicy Default, or a hostNetwork pod): cluster names are not its.
      const fqdn = query.name.toLowerCase().replace(/\.?$/, '.');
      return {
        ...asked,
        nameserver: undefined,
        query: query.name,
        namespace,
        search: [],
        steps: [],
        rcode: 'NXDOMAIN',
        records: [],
        addresses: [],
        upstream: true,
        detail: `the pod's dnsPolicy is ${dnsPolicy}: it asks its node's resolver for ${fqdn}, not kube-dns`,
      };
    }
    return { ...asked, ...dns.resolveName(zone, query.name, namespace) };
  }

  /**
   * The addresses the pod `namespace/pod` gets for `name` from kube-dns now (empty when it does not resolve inside
   * the cluster): what a trace to a DNS-name destination starts from. A pod that does not ask kube-dns (dnsPolicy
   * Default or None, a hostNetwork pod without ClusterFirstWithHostNet) gets none; `detail` says why.
   */
  async addressesFor(
    cluster: ClusterRecord,
    name: string,
    namespace: string,
    pod: string,
  ): Promise<{ addresses: string[]; detail?: string }> {
    const objects = await this.objects(cluster);
    const body = objects.pods.find((candidate) => {
      const metadata = object(candidate['metadata']);
      return metadata['namespace'] === namespace && metadata['name'] === pod;
    });
    const dnsPolicy = body ? podDnsPolicy(body) : 'ClusterFirst';
    if (dnsPolicy !== 'ClusterFirst' && dnsPolicy !== 'ClusterFirstWithHostNet') {
      return {
        addresses: [],
        detail: `the pod's dnsPolicy is ${dnsPolicy}: it asks its node's resolver, not kube-dns`,
      };
    }
    return { addresses: dns.resolveForPod(dns.clusterDnsInputOf(objects), name, namespace) };
  }

  private async objects(cluster: ClusterRecord) {
    const rows = await this.inputs.kubeObjects(cluster.id, ['services', 'endpointslices', 'pods']);
    const of = (resource: string) => rows.filter((row) => row.resource === resource).map((row) => row.body);
    return { services: of('services'), endpointSlices: of('endpointslices'), pods: of('pods') };
  }
}

/** The pod's effective DNS policy: ClusterFirst by default; a hostNetwork pod's ClusterFirst means its node's. */
function podDnsPolicy(pod: Json): string {
  const spec = object(pod['spec']);
  const policy = typeof spec['dnsPolicy'] === 'string' ? spec['dnsPolicy'] : 'ClusterFirst';
  if (policy === 'ClusterFirst' && spec['hostNetwork'] === true) return 'Default';
  return policy;
}
