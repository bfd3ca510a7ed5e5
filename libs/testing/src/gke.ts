import { testProject } from './projects';

export interface TestGkeCluster {
  project: string;
  /** `/compute/v1/projects/<project>` */
  compute: string;
  /** the Kubernetes API's path prefix on the plain listener: `/k8s/<project>/us-central1-a/c1` */
  kube: string;
  /** the data-plane reads of the cluster: `/emulator/v1/projects/<project>/locations/us-central1-a/clusters/c1` */
  dataplane: string;
}

async function post(url: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
}

/**
 * A project of its own with a custom-mode VPC `vpc`, a subnet `s1` (10.0.0.0/24 in us-central1) and a zonal
 * cluster `c1` through the container API: VPC-native on the subnet's named ranges `pods` (10.4.0.0/14) and `svc`
 * (10.8.0.0/20) when `namedRanges`, else on ranges GKE creates. As on GKE, the cluster enforces NetworkPolicy only
 * with `networkPolicy`.
 */
export async function createTestGkeCluster(
  url: string,
  options: {
    prefix?: string;
    nodes?: number;
    maxPods?: number;
    namedRanges?: boolean;
    /** Create the cluster with NetworkPolicy enforcement (Calico: `networkPolicy.enabled` and its addon). */
    networkPolicy?: boolean;
  } = {},
): Promise<TestGkeCluster> {
  const project = testProject(options.prefix ?? 'gke');
  const compute = `/compute/v1/projects/${project}`;
  const named = options.namedRanges ?? true;
  await post(url, `${compute}/global/networks`, { name: 'vpc', autoCreateSubnetworks: false });
  await post(url, `${compute}/regions/us-central1/subnetworks`, {
    name: 's1',
    network: 'vpc',
    ipCidrRange: '10.0.0.0/24',
    ...(named
      ? {
          secondaryIpRanges: [
            { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
            { rangeName: 'svc', ipCidrRange: '10.8.0.0/20' },
          ],
        }
      : {}),
  });
  await post(url, `/v1/projects/${project}/locations/us-central1-a/clusters`, {
    cluster: {
      name: 'c1',
      network: 'vpc',
      subnetwork: 's1',
      initialNodeCount: options.nodes ?? 2,
      ...(options.maxPods ? { defaultMaxPodsConstraint: { maxPodsPerNode: options.maxPods } } : {}),
      ...(options.networkPolicy
        ? {
            networkPolicy: { provider: 'CALICO', enabled: true },
            addonsConfig: { networkPolicyConfig: { disabled: false } },
          }
        : {}),
      ...(named
        ? {
            ipAllocationPolicy: {
              useIpAliases: true,
              clusterSecondaryRangeName: 'pods',
              servicesSecondaryRangeName: 'svc',
            },
          }
        : {}),
    },
  });
  return {
    project,
    compute,
    kube: `/k8s/${project}/us-central1-a/c1`,
    dataplane: `/emulator/v1/projects/${project}/locations/us-central1-a/clusters/c1`,
  };
}
