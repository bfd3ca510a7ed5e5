import { Injectable, Optional } from '@nestjs/common';
import { newFingerprint, newResourceId } from '@gke-emulator/common';
import type { ProvisionedNetwork, SystemRoute } from '@gke-emulator/compute';
import { computeTimestamp, VpcProvisioning } from '@gke-emulator/compute';
import type { Tx } from '@gke-emulator/db';
import { type Cidr, formatCidr, parseCidrOrThrow, parseIpv4 } from '@gke-emulator/netaddr';
import { ContainerErrors } from '../wire/container-errors';
import {
  allocateAddresses,
  allocateBlocks,
  highestFreeAddress,
  freeBlockCount,
  nodeName,
  nodeSuffix,
  nodeTag,
  podCidrPrefixForMaxPods,
} from './cluster-plan';
import { ClusterLifecycle } from './cluster-lifecycle';
import { ClusterRepository } from './cluster.repository';
import { NodeRepository, type NodeRow } from './node.repository';

export type { NodeRow };

/** What node creation needs to know of its cluster. */
export interface ClusterForNodes {
  id: bigint;
  project: string;
  name: string;
  hash: string;
  network: ProvisionedNetwork;
  subnetwork: { id: bigint; name: string; region: string; ipCidrRange: string };
  podRange: string;
  podRangeName?: string;
  /** the routes-based cluster's services range, inside `podRange`: no node takes pods from it */
  reservedInPodRange?: string;
  routesBased: boolean;
}

export interface PoolForNodes {
  id: bigint;
  name: string;
  maxPods: number;
  machineType: string;
  /** instance group hash per zone */
  groups: Record<string, string>;
}

/**
 * Creates and removes a pool's nodes: a node IP from the subnet's primary range, a pod range of the pool's size
 * from the cluster's pod range, the instance `compute instances list` shows, and a route per node in routes-based
 * clusters. Runs inside the caller's transaction; node IPs of a network are allocated under the same advisory
 * lock as its internal addresses, and the unique index and exclusion constraint decide any race left.
 */
@Injectable()
export class NodeProvisioner {
  constructor(
    private readonly vpc: VpcProvisioning,
    private readonly repository: NodeRepository,
    private readonly clusters: ClusterRepository,
    @Optional() private readonly lifecycle?: ClusterLifecycle,
  ) {}

  async addNodes(
    tx: Tx,
    cluster: ClusterForNodes,
    pool: PoolForNodes,
    zones: readonly string[],
    perZone: number,
  ) {
    const count = zones.length * perZone;
    if (count === 0) return [];
    await this.repository.lockNetworkAddresses(tx, cluster.network.id);
    // Pod ranges of one cluster: serialise on the cluster row.
    await this.clusters.lock(tx, cluster.id);

    const primary = parseCidrOrThrow(cluster.subnetwork.ipCidrRange);
    const network = `projects/${cluster.project}/global/networks/${cluster.network.name}`;
    const takenIps = await this.repository.usedAddressesWithForwardingRules(
      tx,
      cluster.network.id,
      cluster.subnetwork.ipCidrRange,
      network,
    );
    const ips = allocateAddresses(primary, new Set(takenIps.map((ip) => parseIpv4(ip) as number)), count);
    if (!ips) {
      throw ContainerErrors.failedPrecondition(
        `IP space of 'projects/${cluster.project}/regions/${cluster.subnetwork.region}/subnetworks/${cluster.subnetwork.name}' is exhausted: node pool "${pool.name}" needs ${count} node IPs from ${cluster.subnetwork.ipCidrRange}.`,
      );
    }
    const prefix = podCidrPrefixForMaxPods(pool.maxPods);
    const podRange = parseCidrOrThrow(cluster.podRange);
    const takenPods = (await this.repository.podCidrs(tx, cluster.id)).map((cidr) => parseCidrOrThrow(cidr));
    if (cluster.reservedInPodRange) takenPods.push(parseCidrOrThrow(cluster.reservedInPodRange));
    const podCidrs = allocateBlocks(podRange, prefix, takenPods, count);
    if (!podCidrs) {
      const room = freeBlockCount(podRange, prefix, takenPods);
      throw ContainerErrors.failedPrecondition(
        `Insufficient pod IP space: node pool "${pool.name}" needs ${count} more /${prefix} pod ranges (max pods per node ${pool.maxPods}) but the cluster's pod range ${cluster.podRange}${cluster.podRangeName ? ` ("${cluster.podRangeName}")` : ''} has room for ${room}.`,
      );
    }

    const now = new Date();
    const nodes: (NodeRow & { ip: string; podCidr: Cidr })[] = [];
    // Four random characters collide within a few hundred nodes: draw again until the name is free.
    const taken = new Set(await this.repository.zonedNames(tx, cluster.project));
    const freeName = (zone: string) => {
      for (;;) {
        const name = nodeName(cluster.name, pool.name, pool.groups[zone] ?? '00000000', nodeSuffix());
        if (!taken.has(`${zone}/${name}`)) {
          taken.add(`${zone}/${name}`);
          return name;
        }
      }
    };
    let index = 0;
    for (const zone of zones) {
      for (let i = 0; i < perZone; i++) {
        nodes.push({
          id: newResourceId(),
          name: freeName(zone),
          zone,
          ip: ips[index] as string,
          podCidr: podCidrs[index] as Cidr,
        });
        index++;
      }
    }
    const subnetwork = `projects/${cluster.project}/regions/${cluster.subnetwork.region}/subnetworks/${cluster.subnetwork.name}`;
    await this.repository.insert(
      tx,
      nodes.map((node) => ({
        id: node.id,
        project: cluster.project,
        zone: node.zone,
        name: node.name,
        clusterId: cluster.id,
        nodePoolId: pool.id,
        networkId: cluster.network.id,
        subnetworkId: cluster.subnetwork.id,
        internalIp: node.ip,
        podCidr: formatCidr(node.podCidr),
        createdAt: now,
        resource: instanceResource(cluster, pool, node, { network, subnetwork, now }),
      })),
    );
    if (cluster.routesBased) {
      const routes: SystemRoute[] = nodes.map((node) => ({
        name: routeName(cluster, node.name),
        description: 'k8s-node-route',
        destRange: formatCidr(node.podCidr),
        priority: 1000,
        nextHopInstance: `projects/${cluster.project}/zones/${node.zone}/instances/${node.name}`,
      }));
      await this.vpc.insertRoutes(tx, cluster.project, cluster.network, routes);
    }
    await this.lifecycle?.nodesAdded(
      tx,
      cluster.id,
      nodes.map((node) => node.name),
    );
    return nodes;
  }

  /**
   * The control plane's private endpoint: the highest free address of the node subnet's primary range (nodes take
   * the lowest), chosen under the network's address lock like node IPs.
   */
  async controlPlaneAddress(tx: Tx, networkId: bigint, subnetRange: string): Promise<string> {
    await this.repository.lockNetworkAddresses(tx, networkId);
    const range = parseCidrOrThrow(subnetRange);
    const taken = await this.repository.usedAddresses(tx, networkId, subnetRange);
    return highestFreeAddress(range, new Set(taken.map((ip) => parseIpv4(ip) as number))) ?? '';
  }

  /** Removes nodes (and their routes); what ran on them goes first. */
  async removeNodes(
    tx: Tx,
    cluster: Pick<ClusterForNodes, 'id' | 'project' | 'name' | 'hash' | 'routesBased'>,
    nodes: readonly NodeRow[],
  ) {
    if (nodes.length === 0) return;
    // Nodes go first, so that what the lifecycle reschedules inside this transaction lands on the nodes left.
    await this.repository.delete(
      tx,
      nodes.map((node) => node.id),
    );
    await this.lifecycle?.nodesRemoved(
      tx,
      cluster.id,
      nodes.map((node) => node.name),
    );
    if (cluster.routesBased) {
      await this.vpc.deleteRoutes(
        tx,
        cluster.project,
        nodes.map((node) => routeName(cluster, node.name)),
      );
    }
  }
}

/** GKE's per-node route in a routes-based cluster: `gke-<cluster>-<hash>-<node suffix>`. */
function routeName(cluster: { name: string; hash: string }, node: string): string {
  const tail = node.split('-').slice(-2).join('-');
  return `gke-${cluster.name.slice(0, 30)}-${cluster.hash}-${tail}`.slice(0, 63).replace(/-$/, '');
}

function instanceResource(
  cluster: ClusterForNodes,
  pool: PoolForNodes,
  node: NodeRow & { ip: string; podCidr: Cidr },
  links: { network: string; subnetwork: string; now: Date },
) {
  const zoneLink = `projects/${cluster.project}/zones/${node.zone}`;
  const timestamp = computeTimestamp(links.now);
  return {
    kind: 'compute#instance',
    id: node.id.toString(),
    creationTimestamp: timestamp,
    name: node.name,
    tags: { items: [nodeTag(cluster.name, cluster.hash)], fingerprint: newFingerprint() },
    machineType: `${zoneLink}/machineTypes/${pool.machineType}`,
    status: 'RUNNING',
    zone: zoneLink,
    canIpForward: true,
    networkInterfaces: [
      {
        kind: 'compute#networkInterface',
        network: links.network,
        subnetwork: links.subnetwork,
        networkIP: node.ip,
        name: 'nic0',
        ...(cluster.routesBased
          ? {}
          : {
              aliasIpRanges: [
                {
                  ipCidrRange: formatCidr(node.podCidr),
                  ...(cluster.podRangeName ? { subnetworkRangeName: cluster.podRangeName } : {}),
                },
              ],
            }),
        fingerprint: newFingerprint(),
        stackType: 'IPV4_ONLY',
      },
    ],
    disks: [
      {
        kind: 'compute#attachedDisk',
        type: 'PERSISTENT',
        mode: 'READ_WRITE',
        source: `${zoneLink}/disks/${node.name}`,
        deviceName: 'persistent-disk-0',
        index: 0,
        boot: true,
        autoDelete: true,
        interface: 'SCSI',
        diskSizeGb: '100',
      },
    ],
    metadata: {
      kind: 'compute#metadata',
      fingerprint: newFingerprint(),
      items: [
        { key: 'cluster-name', value: cluster.name },
        { key: 'cluster-location', value: node.zone },
        {
          key: 'kube-env',
          value: `NODE_POD_CIDR: ${formatCidr(node.podCidr)}\nMAX_PODS_PER_NODE: ${pool.maxPods}`,
        },
      ],
    },
    serviceAccounts: [
      {
        email: 'default',
        scopes: [
          'https://www.googleapis.com/auth/devstorage.read_only',
          'https://www.googleapis.com/auth/logging.write',
          'https://www.googleapis.com/auth/monitoring',
        ],
      },
    ],
    selfLink: `${zoneLink}/instances/${node.name}`,
    scheduling: {
      onHostMaintenance: 'MIGRATE',
      automaticRestart: true,
      preemptible: false,
      provisioningModel: 'STANDARD',
    },
    cpuPlatform: 'Intel Broadwell',
    labels: {
      'goog-gke-node': '',
      'goog-k8s-cluster-name': cluster.name,
      'goog-k8s-node-pool-name': pool.name,
    },
    labelFingerprint: newFingerprint(),
    startRestricted: false,
    deletionProtection: false,
    fingerprint: newFingerprint(),
    lastStartTimestamp: timestamp,
  };
}
