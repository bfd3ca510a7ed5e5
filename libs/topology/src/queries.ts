import type {
  ClusterIn,
  FirewallIn,
  KubernetesIn,
  LbResourceIn,
  NetworkIn,
  TopologyInput,
} from './input.types';
import { LB_COLLECTIONS } from './model';

/**
 * The GraphQL the page sends: one query for the project (its networks, firewall rules, clusters and load-balancing
 * resources) and one per cluster for its Kubernetes objects — split so each stays well inside the server's query
 * cost limit — and the subscription that says when a cluster's data plane changed.
 */

const lbAliases = LB_COLLECTIONS.map(
  (collection) =>
    `${collection}: loadBalancingResources(project: $project, collection: "${collection}") { collection name scope selfLink json }`,
).join('\n  ');

export const PROJECT_QUERY = `query TopologyProject($project: String!) {
  networks(project: $project) {
    name autoCreateSubnetworks mtu routingMode selfLink
    subnetworks { name region network ipCidrRange gatewayAddress purpose selfLink secondaryIpRanges { rangeName ipCidrRange } }
  }
  firewalls(project: $project) {
    name network direction priority disabled sourceRanges sourceTags destinationRanges targetTags targetServiceAccounts selfLink
    allowed { IPProtocol ports }
    denied { IPProtocol ports }
  }
  clusters(project: $project) {
    name location network subnetwork clusterIpv4Cidr servicesIpv4Cidr vpcNative status endpoint
    nodePools { name nodeCount machineType maxPodsPerNode podIpv4CidrSize status locations }
  }
  ${lbAliases}
}`;

const BACKEND = 'serviceName servicePortNumber servicePortName';

export const CLUSTER_QUERY = `query TopologyCluster($project: String!, $location: String!, $cluster: String!) {
  kubernetes(project: $project, location: $location, cluster: $cluster) {
    nodes { name nodePool zone internalIp podCidr maxPods tags unschedulable }
    pods { name namespace nodeName podIP phase ready controlledBy labels { key value } containers { name image ports } }
    services {
      name namespace type clusterIP externalTrafficPolicy healthCheckNodePort loadBalancerIngress
      selector { key value }
      ports { name port targetPort protocol nodePort }
      endpoints { address nodeName podName ready }
      loadBalancer { name region scheme ingressIp }
    }
    ingresses {
      name namespace className ip loadBalancerIngress
      defaultBackend { ${BACKEND} }
      rules { host paths { path pathType backend { ${BACKEND} } } }
    }
    networkPolicies {
      name namespace policyTypes ingress egress
      podSelector { matchLabels { key value } matchExpressions { key operator values } }
    }
  }
}`;

/** The projects the emulator holds, for the page's project picker. */
export const PROJECTS_QUERY = `query TopologyProjects { projects { projectId } }`;

export const CHANGES_SUBSCRIPTION = `subscription TopologyChanges($project: String!, $location: String!, $cluster: String!) {
  nodeEffectiveStateChanged(project: $project, location: $location, cluster: $cluster) { node generation }
}`;

/** The project's Compute and GKE writes (networks, subnets, firewall rules, load balancers, clusters). */
export const PROJECT_CHANGES_SUBSCRIPTION = `subscription TopologyProjectChanges($project: String!) {
  projectChanged(project: $project) { project }
}`;

export interface ProjectAnswer {
  networks: NetworkIn[];
  firewalls: FirewallIn[];
  clusters: ClusterIn[];
  [collection: string]: unknown;
}

/** The two answers as the model's input (load-balancing rows' `json` parsed). */
export function topologyInput(
  project: string,
  answer: ProjectAnswer,
  clusters: Map<string, KubernetesIn>,
): TopologyInput {
  const loadBalancing: LbResourceIn[] = [];
  for (const collection of LB_COLLECTIONS) {
    const rows = (answer[collection] ?? []) as {
      collection: string;
      name: string;
      scope: string;
      selfLink: string;
      json: string;
    }[];
    for (const row of rows) {
      let resource: Record<string, unknown> = {};
      try {
        resource = JSON.parse(row.json) as Record<string, unknown>;
      } catch {
        // shown without its fields
      }
      loadBalancing.push({
        collection: row.collection,
        name: row.name,
        scope: row.scope,
        selfLink: row.selfLink,
        resource,
      });
    }
  }
  return {
    project,
    networks: answer.networks,
    firewalls: answer.firewalls,
    clusters: answer.clusters.map((cluster) => {
      const kubernetes = clusters.get(`${cluster.location}/${cluster.name}`);
      return kubernetes ? { ...cluster, kubernetes } : cluster;
    }),
    loadBalancing,
  };
}
