import { Injectable } from '@nestjs/common';
import { cloudArmor, connectivity, kubeProxy, netpol, type vpc } from '@gke-emulator/dataplane';
import { DataplaneReadsService } from '../dataplane-reads.service';
import {
  type ClusterRow,
  type GroupRow,
  type LoadBalancingRow,
  type NodeRow,
  TraceInputsRepository,
} from './trace-inputs.repository';

type Json = Record<string, unknown>;

/** Where Google's load-balancer health checks come from: target pools' legacy HTTP checks, and the others. */
const TARGET_POOL_PROBE_RANGES = ['35.191.0.0/16', '209.85.152.0/22', '209.85.204.0/22'];
const BACKEND_SERVICE_PROBE_RANGES = ['35.191.0.0/16', '130.211.0.0/22'];

/** A node's effective firewall and routing table as the worker stored them at vpcGeneration. */
interface NodeVpc {
  vpcGeneration: string;
  firewall: vpc.InstanceFirewall | null;
  routing: vpc.InstanceRoutingTable | null;
}

/** A project's trace inputs, kept while what they were assembled from is unchanged. */
interface Snapshot {
  /** Every stored row (and generation) the inputs come from, as text: equal text, equal inputs. */
  fingerprint: string;
  inputs: connectivity.TraceInputs;
  /** By `cluster id/node name`. */
  nodeVpc: Map<string, NodeVpc>;
}

/** How many projects' snapshots are kept (the least recently traced go first). */
const SNAPSHOTS_KEPT = 8;

/** The node iptables dumps kept per cluster generation (a dump of a large cluster takes a while to build). */
const DUMPS_KEPT = 64;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function record(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** Whether GKE enforces NetworkPolicy on the cluster: the addon enabled, or Dataplane V2. */
export function networkPolicyEnforcement(cluster: Json): connectivity.NetworkPolicyEnforcement {
  return netpol.networkPolicyEnforcement(cluster);
}

/**
 * Assembles a project's trace inputs from what is stored: networks and their subnet ranges, the nodes with the
 * firewall and routing table the worker computed for each, the L4 forwarding rules with their target pools or
 * backend services and health checks, and each cluster's kube-proxy and NetworkPolicy state at its latest
 * computed generation.
 */
@Injectable()
export class TraceInputsReader {
  private readonly dumps = new Map<string, ReturnType<typeof kubeProxy.compileNodeRules>>();
  /**
   * Per project: the last inputs assembled, with what they came from. A read asks the database only for the small
   * rows and the generations; when nothing differs it answers the same inputs object, so the lookups, compiled
   * firewalls and chains a trace builds (kept per inputs object) serve the next trace too. The nodes' firewalls and
   * routing tables (the large part) are fetched again only for nodes whose stored VPC generation moved.
   */
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    private readonly repository: TraceInputsRepository,
    private readonly reads: DataplaneReadsService,
  ) {}

  async read(project: string): Promise<connectivity.TraceInputs> {
    const { networks, nodes, clusters, balancing, armor, groups } =
      await this.repository.projectRows(project);
    const states = await Promise.all(
      clusters.map((row) => this.reads.clusterTraceState(project, row.location, row.name)),
    );
    // Every query orders its rows, so equal state gives equal text.
    const fingerprint = JSON.stringify([
      networks,
      nodes,
      clusters,
      balancing,
      armor,
      groups,
      states.map((state) => [state.cluster.id.toString(), state.freshness.observedGeneration]),
    ]);
    const previous = this.snapshots.get(project);
    if (previous?.fingerprint === fingerprint) {
      this.snapshots.delete(project);
      this.snapshots.set(project, previous);
      return previous.inputs;
    }
    const nodeVpc = await this.nodeVpc(nodes, previous?.nodeVpc);

    const networkUri = (name: string) => `projects/${project}/global/networks/${name}`;
    const clusterUri = (row: ClusterRow) =>
      `projects/${project}/locations/${row.location}/clusters/${row.name}`;
    const clusterById = new Map(clusters.map((row) => [row.id, row]));

    const instances: connectivity.TraceInstance[] = nodes.flatMap((row) => {
      const stored = nodeVpc.get(`${row.cluster_id}/${row.name}`);
      const firewall = stored?.firewall ?? null;
      const routing = stored?.routing ?? null;
      // A node whose VPC side the worker has not computed yet is left out until it has.
      if (!firewall?.rules || !routing?.routes) return [];
      const cluster = clusterById.get(row.cluster_id);
      const nic = record((row.resource['networkInterfaces'] as Json[] | undefined)?.[0]);
      const natIp = (nic['accessConfigs'] as Json[] | undefined)?.[0]?.['natIP'];
      const account = (row.resource['serviceAccounts'] as Json[] | undefined)?.[0]?.['email'];
      return [
        {
          name: row.name,
          uri: `projects/${project}/zones/${row.zone}/instances/${row.name}`,
          networkUri: networkUri(row.network),
          internalIp: row.internal_ip,
          ...(typeof natIp === 'string' ? { externalIp: natIp } : {}),
          tags: strings(record(row.resource['tags'])['items']),
          ...(typeof account === 'string' ? { serviceAccount: account } : {}),
          running: (row.resource['status'] ?? 'RUNNING') === 'RUNNING',
          firewall,
          routing,
          ...(cluster ? { cluster: clusterUri(cluster) } : {}),
        },
      ];
    });

    const traceClusters = clusters.map((row, index): connectivity.TraceCluster => {
      const state = states[index] as (typeof states)[number];
      const generation = `${row.id}/${state.freshness.observedGeneration}`;
      const nodesOf = nodes.filter((node) => node.cluster_id === row.id);
      return {
        name: row.name,
        uri: clusterUri(row),
        networkUri: networkUri(row.network),
        networkPolicy: networkPolicyEnforcement(row.resource),
        policies: state.policies,
        services: state.services,
        endpointSlices: state.endpointSlices,
        servicesRange: state.cluster.servicesRange,
        nodeIptables: (name) => {
          const node = nodesOf.find((candidate) => candidate.name === name);
          const context: kubeProxy.NodeContext = {
            nodeName: name,
            nodeIP: node?.internal_ip ?? '',
            ...(node ? { podCidr: node.pod_cidr } : {}),
          };
          return {
            dump: this.dump(`${generation}/${name}`, () =>
              kubeProxy.compileNodeRules(state.proxyRules, context),
            ),
            localAddresses: kubeProxy.nodeLocalAddresses(context),
          };
        },
      };
    });

    const inputs: connectivity.TraceInputs = {
      project,
      networks: networks.map((row) => ({ name: row.name, uri: networkUri(row.name), ranges: row.ranges })),
      instances,
      forwardingRules: this.forwardingRules(project, balancing, groups, securityPolicies(project, armor)),
      clusters: traceClusters,
    };
    this.snapshots.delete(project);
    this.snapshots.set(project, { fingerprint, inputs, nodeVpc });
    if (this.snapshots.size > SNAPSHOTS_KEPT) {
      this.snapshots.delete(this.snapshots.keys().next().value as string);
    }
    return inputs;
  }

  /**
   * The nodes' stored firewall and routing table: kept from the previous snapshot where the node's VPC generation is
   * the same, read for the others (their rows may have moved on since the first query: what is read is newer, and
   * the next read's fingerprint differs, so nothing older is ever served).
   */
  private async nodeVpc(
    nodes: readonly NodeRow[],
    previous: ReadonlyMap<string, NodeVpc> | undefined,
  ): Promise<Map<string, NodeVpc>> {
    const result = new Map<string, NodeVpc>();
    const missing: NodeRow[] = [];
    for (const node of nodes) {
      if (node.vpc_generation === null) continue;
      const key = `${node.cluster_id}/${node.name}`;
      const kept = previous?.get(key);
      if (kept && kept.vpcGeneration === node.vpc_generation) result.set(key, kept);
      else missing.push(node);
    }
    if (missing.length > 0) {
      const rows = await this.repository.nodeVpcRows(missing);
      for (const row of rows) {
        result.set(`${row.cluster_id}/${row.node_name}`, {
          vpcGeneration: row.vpc_generation,
          firewall: row.firewall as unknown as vpc.InstanceFirewall | null,
          routing: row.routes as unknown as vpc.InstanceRoutingTable | null,
        });
      }
    }
    return result;
  }

  private dump<T extends ReturnType<typeof kubeProxy.compileNodeRules>>(key: string, make: () => T) {
    const hit = this.dumps.get(key);
    if (hit) return hit;
    const dump = make();
    this.dumps.set(key, dump);
    if (this.dumps.size > DUMPS_KEPT) this.dumps.delete(this.dumps.keys().next().value as string);
    return dump;
  }

  private forwardingRules(
    project: string,
    rows: readonly LoadBalancingRow[],
    groups: readonly GroupRow[],
    policies: ReadonlyMap<string, connectivity.TraceSecurityPolicy>,
  ): connectivity.TraceForwardingRule[] {
    const find = (link: unknown, kinds: string[]) => {
      if (typeof link !== 'string') return undefined;
      const name = link.slice(link.lastIndexOf('/') + 1);
      return rows.find(
        (row) => kinds.includes(row.kind) && row.name === name && link.includes(`/${row.kind}/`),
      );
    };
    const groupByLink = new Map(groups.map((group) => [group.link, group]));
    /** A backend's instances, read through its instance group (a group that does not exist has none). */
    const groupInstances = (link: string): string[] => {
      const group = groupByLink.get(connectivity.relativeUri(link));
      if (!group) return [];
      const zone = group.link.split('/')[3];
      return group.instances.map((name) => `projects/${project}/zones/${String(zone)}/instances/${name}`);
    };
    /** The port a group gives a backend service's `portName`, if it names it. */
    const namedPort = (link: string, portName: string): number | undefined =>
      groupByLink.get(connectivity.relativeUri(link))?.named_ports.find((port) => port.name === portName)
        ?.port;
    return rows
      .filter((row) => row.kind === 'forwardingRules')
      .flatMap((row): connectivity.TraceForwardingRule[] => {
        const rule = row.resource;
        const ip = rule['IPAddress'];
        if (typeof ip !== 'string') return [];
        const scope = row.scope === 'global' ? 'global' : `regions/${row.scope}`;
        const targetLink = rule['target'] ?? rule['backendService'];
        const pool = find(targetLink, ['targetPools']);
        const backendService = find(targetLink, ['backendServices']);
        let loadBalancer: connectivity.TraceLoadBalancerBackends | null = null;
        if (pool) {
          const check = find(strings(pool.resource['healthChecks'])[0], ['httpHealthChecks']);
          loadBalancer = {
            loadBalancerType: 'NETWORK_TCP_UDP',
            backendType: 'TARGET_POOL',
            backendUri: `projects/${project}/regions/${pool.scope}/targetPools/${pool.name}`,
            ...(check ? { healthCheckUri: `projects/${project}/global/httpHealthChecks/${check.name}` } : {}),
            ...(check ? { healthCheckPort: Number(check.resource['port'] ?? 80) } : {}),
            healthCheckSourceRanges: TARGET_POOL_PROBE_RANGES,
            backends: strings(pool.resource['instances']).map(connectivity.relativeUri),
          };
        } else if (backendService) {
          const check = find(strings(backendService.resource['healthChecks'])[0], ['healthChecks']);
          const port =
            record(check?.resource['httpHealthCheck'])['port'] ??
            record(check?.resource['tcpHealthCheck'])['port'];
          loadBalancer = {
            loadBalancerType:
              rule['loadBalancingScheme'] === 'INTERNAL' ? 'INTERNAL_TCP_UDP' : 'NETWORK_TCP_UDP',
            backendType: 'BACKEND_SERVICE',
            backendUri: `projects/${project}/${backendService.scope === 'global' ? 'global' : `regions/${backendService.scope}`}/backendServices/${backendService.name}`,
            // An RBS load balancer's health check is regional, an internal one's global.
            ...(check
              ? {
                  healthCheckUri: `projects/${project}/${check.scope === 'global' ? 'global' : `regions/${check.scope}`}/healthChecks/${check.name}`,
                }
              : {}),
            ...(port !== undefined ? { healthCheckPort: Number(port) } : {}),
            healthCheckSourceRanges: BACKEND_SERVICE_PROBE_RANGES,
            backends: ((backendService.resource['backends'] as Json[] | undefined) ?? []).flatMap((backend) =>
              groupInstances(String(backend['group'] ?? '')),
            ),
          };
        }
        const proxy = find(targetLink, ['targetHttpProxies', 'targetHttpsProxies']);
        const http = proxy
          ? httpLoadBalancer(project, proxy, rule, rows, find, groupInstances, namedPort, policies)
          : undefined;
        const network = rule['network'];
        return [
          {
            name: row.name,
            uri: `projects/${project}/${scope}/forwardingRules/${row.name}`,
            ...(row.scope === 'global' ? {} : { region: row.scope }),
            ip,
            protocol: String(rule['IPProtocol'] ?? 'TCP'),
            ...(typeof rule['portRange'] === 'string' ? { portRange: rule['portRange'] } : {}),
            ...(Array.isArray(rule['ports']) ? { ports: strings(rule['ports']) } : {}),
            ...(rule['allPorts'] === true ? { allPorts: true } : {}),
            scheme: rule['loadBalancingScheme'] === 'INTERNAL' ? 'INTERNAL' : 'EXTERNAL',
            ...(typeof network === 'string' ? { networkUri: connectivity.relativeUri(network) } : {}),
            target: typeof targetLink === 'string' ? connectivity.relativeUri(targetLink) : '',
            loadBalancer,
            ...(http ? { http } : {}),
          },
        ];
      });
  }
}

/** The project's Cloud Armor policies by relative URI, their stored rules validated (a rule that no longer validates is left out). */
function securityPolicies(
  project: string,
  rows: readonly { name: string; rules: Json[] }[],
): Map<string, connectivity.TraceSecurityPolicy> {
  const policies = new Map<string, connectivity.TraceSecurityPolicy>();
  for (const row of rows) {
    const rules = row.rules.flatMap((rule) => {
      const valid = cloudArmor.validateSecurityPolicyRule(rule as cloudArmor.SecurityPolicyRuleInput);
      return valid.ok ? [valid.value] : [];
    });
    const uri = `projects/${project}/global/securityPolicies/${row.name}`;
    policies.set(uri, { name: row.name, uri, rules });
  }
  return policies;
}

function scopePath(scope: string): string {
  return scope === 'global' ? 'global' : `regions/${scope}`;
}

/** A target HTTP(S) proxy's URL map and the backend services it routes to, with their Armor policy and IAP. */
function httpLoadBalancer(
  project: string,
  proxy: LoadBalancingRow,
  rule: Json,
  rows: readonly LoadBalancingRow[],
  find: (link: unknown, kinds: string[]) => LoadBalancingRow | undefined,
  groupInstances: (group: string) => string[],
  namedPort: (group: string, portName: string) => number | undefined,
  policies: ReadonlyMap<string, connectivity.TraceSecurityPolicy>,
): connectivity.TraceHttpLoadBalancer | undefined {
  const urlMap = find(proxy.resource['urlMap'], ['urlMaps']);
  if (!urlMap) return undefined;
  const backendServices: Record<string, connectivity.TraceHttpBackendService> = {};
  for (const row of rows) {
    if (row.kind !== 'backendServices' || row.scope !== urlMap.scope) continue;
    const service = row.resource;
    const uri = `projects/${project}/${scopePath(row.scope)}/backendServices/${row.name}`;
    const check = find(strings(service['healthChecks'])[0], ['healthChecks']);
    const checkPort =
      record(check?.resource['httpHealthCheck'])['port'] ?? record(check?.resource['tcpHealthCheck'])['port'];
    // The proxy connects to the port each backend's instance group gives the service's `portName` (ingress-gce
    // names it after the NodePort, `port30080`); a group without that named port serves nothing.
    const portName = String(service['portName'] ?? 'http');
    const groupsOf = ((service['backends'] as Json[] | undefined) ?? []).map((backend) =>
      String(backend['group'] ?? ''),
    );
    const served = groupsOf.filter((group) => namedPort(group, portName) !== undefined);
    const port = Number(
      (served[0] ? namedPort(served[0], portName) : undefined) ?? checkPort ?? service['port'] ?? 80,
    );
    const policyLink = service['securityPolicy'];
    const policy =
      typeof policyLink === 'string' ? policies.get(connectivity.relativeUri(policyLink)) : undefined;
    const iap = record(service['iap']);
    backendServices[uri] = {
      name: row.name,
      uri,
      port,
      ...(check ? { healthCheckUri: `projects/${project}/global/healthChecks/${check.name}` } : {}),
      ...(checkPort !== undefined ? { healthCheckPort: Number(checkPort) } : {}),
      backends: served.flatMap(groupInstances),
      ...(policy ? { securityPolicy: policy } : {}),
      ...(typeof policyLink === 'string' && !policy
        ? { missingSecurityPolicy: connectivity.relativeUri(policyLink) }
        : {}),
      ...(Object.keys(iap).length > 0 ? { iap: { enabled: iap['enabled'] === true } } : {}),
    };
  }
  const regional = proxy.scope !== 'global';
  const internal = String(rule['loadBalancingScheme'] ?? '').startsWith('INTERNAL');
  return {
    loadBalancerType: internal
      ? 'INTERNAL_HTTPS_LOAD_BALANCER'
      : regional
        ? 'REGIONAL_HTTPS_LOAD_BALANCER'
        : rule['loadBalancingScheme'] === 'EXTERNAL_MANAGED'
          ? 'HTTPS_ADVANCED_LOAD_BALANCER'
          : 'HTTPS_LOAD_BALANCER',
    targetProxyUri: `projects/${project}/${scopePath(proxy.scope)}/${proxy.kind}/${proxy.name}`,
    urlMapUri: `projects/${project}/${scopePath(urlMap.scope)}/urlMaps/${urlMap.name}`,
    urlMap: urlMap.resource as connectivity.UrlMapSpec,
    backendServices,
  };
}
