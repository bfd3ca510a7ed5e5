import type { ApiConstructor, ApiType, KubeConfig } from '@kubernetes/client-node' with {
  'resolution-mode': 'import',
};
import { GkeEmulatorError, GkeEmulatorOptionError } from './errors';
import { type EmulatorHttp } from './http';
import { loadPeer } from './peer';

/** What the SDK reads of a Container v1 `Cluster`. */
export interface ClusterCredentials {
  name: string;
  location: string;
  endpoint?: string;
  status?: string | number;
  masterAuth?: { clusterCaCertificate?: string };
}

export interface ClusterLookup {
  project: string;
  cluster: string;
  /** zone or region; when omitted the one cluster of that name in any location */
  location?: string;
}

/** The token the kubeconfigs carry: the emulator accepts any bearer token. */
export const KUBE_TOKEN = 'gke-emulator-token';

/** The cluster from the Container API: `locations/<location>/clusters/<name>`, or the only match in `locations/-`. */
export async function findCluster(http: EmulatorHttp, lookup: ClusterLookup): Promise<ClusterCredentials> {
  const e = encodeURIComponent;
  const base = `/v1/projects/${e(lookup.project)}/locations`;
  let cluster: ClusterCredentials;
  if (lookup.location) {
    try {
      cluster = await http.json<ClusterCredentials>({
        path: `${base}/${e(lookup.location)}/clusters/${e(lookup.cluster)}`,
      });
    } catch (error) {
      if (error instanceof GkeEmulatorError && error.status === 404) {
        throw new GkeEmulatorOptionError(
          'cluster',
          `no cluster "${lookup.cluster}" in location ${lookup.location} of project ${lookup.project}`,
        );
      }
      throw error;
    }
  } else {
    const listed = await http.json<{ clusters?: ClusterCredentials[] }>({ path: `${base}/-/clusters` });
    const matches = (listed.clusters ?? []).filter((c) => c.name === lookup.cluster);
    if (matches.length === 0) {
      throw new GkeEmulatorOptionError(
        'cluster',
        `no cluster "${lookup.cluster}" in project ${lookup.project}`,
      );
    }
    if (matches.length > 1) {
      throw new GkeEmulatorOptionError(
        'cluster',
        `"${lookup.cluster}" exists in several locations (${matches.map((c) => c.location).join(', ')}): pass location`,
      );
    }
    cluster = matches[0] as ClusterCredentials;
  }
  if (!cluster.endpoint) {
    throw new GkeEmulatorOptionError(
      'cluster',
      `"${cluster.name}" has no endpoint yet (status ${String(cluster.status)}): wait for its operation to finish`,
    );
  }
  return cluster;
}

/** A kubeconfig (as JSON, which kubectl reads too) for the cluster: TLS endpoint, cluster CA, a static token. */
export function kubeconfigDocument(project: string, cluster: ClusterCredentials, authToken?: string) {
  const name = `gke_${project}_${cluster.location}_${cluster.name}`;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: `https://${cluster.endpoint ?? ''}`,
          'certificate-authority-data': cluster.masterAuth?.clusterCaCertificate ?? '',
        },
      },
    ],
    users: [{ name, user: { token: authToken ?? KUBE_TOKEN } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  };
}

/** `@kubernetes/client-node` aimed at one emulated cluster. */
export interface EmulatorKube {
  kubeConfig: KubeConfig;
  /** `kubeConfig.makeApiClient(CoreV1Api)` and the like */
  makeApiClient<T extends ApiType>(api: ApiConstructor<T>): T;
  /** the cluster as the Container API reports it */
  cluster: ClusterCredentials;
}

export async function kubeFor(
  project: string,
  cluster: ClusterCredentials,
  authToken?: string,
): Promise<EmulatorKube> {
  const KubeConfigClass = await loadPeer<typeof KubeConfig>('@kubernetes/client-node', 'KubeConfig');
  const kubeConfig = new KubeConfigClass();
  const name = `gke_${project}_${cluster.location}_${cluster.name}`;
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name,
        server: `https://${cluster.endpoint ?? ''}`,
        caData: cluster.masterAuth?.clusterCaCertificate,
        skipTLSVerify: false,
      },
    ],
    users: [{ name, token: authToken ?? KUBE_TOKEN }],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  return {
    kubeConfig,
    makeApiClient: (api) => kubeConfig.makeApiClient(api),
    cluster,
  };
}
