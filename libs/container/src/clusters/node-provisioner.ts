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

export interface NodeRow {
  id: bigint;
  name: string;
  zone: string;
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
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`address:network:${cluster.network.id}`}))`;
    // Pod ranges of one cluster: serialise on the cluster row.
    await tx.$queryRaw`select id from cluster where id = ${cluster.id} for update`;

    const primary = parseCidrOrThrow(cluster.subnetwork.ipCidrRange);
    const takenIps = await tx.$queryRawUnsafe<{ ip: string }[]>(
      `SELECT host(internal_ip) AS ip FROM node WHERE network_id = $1 AND internal_ip << $2::inet
       UNION ALL SELECT host(address) FROM address WHERE network_id = $1 AND address << $2::inet
       UNION ALL SELECT resource->>'IPAddress' FROM load_balancing_resource
        WHERE kind = 'forwardingRules' AND resource->>'network' = $3
          AND resource->>'loadBalancingScheme' IN ('INTERNAL', 'INTERNAL_MANAGED')
          AND (resource->>'IPAddress')::inet << $2::inet`,
      cluster.network.id,
      cluster.subnetwork.ipCidrRange,
      `projects/${cluster.project}/global/networks/${cluster.network.name}`,
    );
    const ips = allocateAddresses(
      primary,
      new Set(takenIps.map((row) => parseIpv4(row.ip) as number)),
      count,
    );
    if (!ips) {
      throw ContainerErrors.failedPrecondition(
        `IP space of 'projects/${cluster.project}/regions/${cluster.subnetwork.region}/subnetworks/${cluster.subnetwork.name}' is exhausted: node pool "${pool.name}" needs ${count} node IPs from ${cluster.subnetwork.ipCidrRange}.`,
      );
    }
    const prefix = podCidrPrefixForMaxPods(pool.maxPods);
    const podRange = parseCidrOrThrow(cluster.podRange);
    const takenPods = (
      await tx.$queryRawUnsafe<{ cidr: string }[]>(
        `SELECT pod_cidr::text AS cidr FROM node WHERE cluster_id = $1`,
        cluster.id,
      )
    ).map((row) => parseCidrOrThrow(row.cidr));
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
    const taken = new Set(
      (
        await tx.$queryRawUnsafe<{ key: string }[]>(
          `SELECT zone || '/' || name AS key FROM node WHERE project_id = $1`,
          cluster.project,
        )
      ).map((row) => row.key),
    );
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
    const network = `projects/${cluster.project}/global/networks/${cluster.network.name}`;
    const subnetwork = `projects/${cluster.project}/regions/${cluster.subnetwork.region}/subnetworks/${cluster.subnetwork.name}`;
    await tx.node.createMany({
      data: nodes.map((node) => ({
        id: node.id,
        projectId: cluster.project,
        zone: node.zone,
        name: node.name,
        clusterId: cluster.id,
        nodePoolId: pool.id,
        networkId: cluster.network.id,
        subnetworkId: cluster.subnetwork.id,
        internalIp: node.ip,
        podCidr: formatCidr(node.podCidr),
        createdAt: now,
        resource: instanceResource(cluster, pool, node, { network, subnetwork, now }) as object,
      })),
    });
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
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`address:network:${networkId}`}))`;
    const range = parseCidrOrThrow(subnetRange);
    const taken = await tx.$queryRawUnsafe<{ ip: string }[]>(
      `SELECT host(internal_ip) AS ip FROM node WHERE network_id = $1 AND internal_ip << $2::inet
       UNION ALL SELECT host(address) FROM address WHERE network_id = $1 AND address << $2::inet`,
      networkId,
      subnetRange,
    );
    return highestFreeAddress(range, new Set(taken.map((row) => parseIpv4(row.ip) as number))) ?? '';
  }

  /** Removes nodes (and their routes); what ran on them goes first. */
  async removeNodes(
    tx: Tx,
    cluster: Pick<ClusterForNodes, 'id' | 'project' | 'name' | 'hash' | 'routesBased'>,
    nodes: readonly NodeRow[],
  ) {
    if (nodes.length === 0) return;
    // Nodes go first, so that what the lifecycle reschedules inside this transaction lands on the nodes left.
    await tx.node.deleteMany({ where: { id: { in: nodes.map((node) => node.id) } } });
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
