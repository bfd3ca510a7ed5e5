import type { ClusterRecord } from '@gke-emulator/container';

/** GKE's cluster id in the names of what its controllers create (`k8s-<id>-node`, `k8s-ig--<id>`): 16 hex. */
export function gkeClusterId(cluster: ClusterRecord): string {
  return String(cluster.resource['id'] ?? cluster.hash).slice(0, 16);
}

/** The network tag on the cluster's nodes, which GKE's firewall rules target. */
export function nodeTagOf(cluster: ClusterRecord): string {
  return String(cluster.resource['nodeTag'] ?? `gke-${cluster.name}-${cluster.hash}-node`);
}

export function regionOfCluster(cluster: ClusterRecord): string {
  return cluster.location.replace(/-[a-z]$/, '');
}
