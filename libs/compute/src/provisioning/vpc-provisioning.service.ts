import { Injectable } from '@nestjs/common';
import { GoogleErrors, newFingerprint, newResourceId } from '@gke-emulator/common';
import type { Tx } from '@gke-emulator/db';
import { type FirewallBody, validateFirewallRule } from '../firewalls/firewall-rule.validation';
import type { WireObject } from '../shared/compute-context';
import { computeTimestamp } from '../shared/timestamps';
import { VpcProvisioningRepository } from './vpc-provisioning.repository';

export interface ProvisionedNetwork {
  id: bigint;
  name: string;
  autoMode: boolean;
}

export interface ProvisionedSubnetwork {
  id: bigint;
  name: string;
  region: string;
  networkId: bigint;
  ipCidrRange: string;
  secondaryIpRanges: { rangeName: string; ipCidrRange: string }[];
}

export interface SystemRoute {
  name: string;
  description?: string;
  destRange: string;
  priority: number;
  /** relative link of the instance the route sends to */
  nextHopInstance: string;
  tags?: string[];
}

/**
 * The VPC writes another API group makes on a user's behalf, inside that group's transaction: GKE adding its
 * secondary ranges to a subnet, its firewall rules and its per-node routes, and taking them away with the cluster.
 * The same tables and constraints as the Compute API's own writes, so a conflict decided by the database (an
 * overlapping range) reads the same.
 */
@Injectable()
export class VpcProvisioning {
  constructor(private readonly repository: VpcProvisioningRepository) {}

  /** The project's network, share-locked against concurrent changes until the transaction ends. */
  async network(tx: Tx, project: string, name: string): Promise<ProvisionedNetwork | null> {
    const row = await this.repository.lockNetwork(tx, project, name);
    return row ? { id: row.id, name: row.name, autoMode: row.auto } : null;
  }

  /** The subnetwork, locked against concurrent changes of its ranges until the transaction ends. */
  async subnetwork(
    tx: Tx,
    project: string,
    region: string,
    name: string,
  ): Promise<ProvisionedSubnetwork | null> {
    const row = await this.repository.lockSubnetwork(tx, project, region, name);
    if (!row) return null;
    return {
      id: row.id,
      name: row.name,
      region,
      networkId: row.network_id,
      ipCidrRange: String(row.resource['ipCidrRange']),
      secondaryIpRanges:
        (row.resource['secondaryIpRanges'] as ProvisionedSubnetwork['secondaryIpRanges']) ?? [],
    };
  }

  /** Every range (primary and secondary, of every subnet) of the network: what a new range must not overlap. */
  async takenRanges(tx: Tx, networkId: bigint): Promise<string[]> {
    return this.repository.ranges(tx, networkId);
  }

  /** Appends secondary ranges to a subnet; the exclusion constraint refuses an overlap (23P01). */
  async addSecondaryRanges(
    tx: Tx,
    subnet: ProvisionedSubnetwork,
    ranges: readonly { rangeName: string; ipCidrRange: string }[],
  ): Promise<void> {
    if (ranges.length === 0) return;
    for (const range of ranges) await this.repository.insertRange(tx, subnet.networkId, subnet.id, range);
    await this.repository.appendSecondaryRanges(
      tx,
      subnet.id,
      newFingerprint(),
      ranges.map(({ rangeName, ipCidrRange }) => ({ rangeName, ipCidrRange })),
    );
  }

  async removeSecondaryRanges(tx: Tx, subnetworkId: bigint, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await this.repository.deleteRanges(tx, subnetworkId, names);
    await this.repository.dropSecondaryRanges(tx, subnetworkId, newFingerprint(), names);
  }

  /** Inserts firewall rules, validated and filled as the Compute API fills a user's. */
  async insertFirewalls(
    tx: Tx,
    project: string,
    network: ProvisionedNetwork,
    rules: readonly (FirewallBody & { name: string })[],
    now = new Date(),
  ): Promise<void> {
    for (const rule of rules) {
      const fields = validateFirewallRule(rule);
      const id = newResourceId();
      const resource: WireObject = {
        kind: 'compute#firewall',
        id: id.toString(),
        creationTimestamp: computeTimestamp(now),
        name: rule.name,
        network: `projects/${project}/global/networks/${network.name}`,
        selfLink: `projects/${project}/global/firewalls/${rule.name}`,
        ...fields,
      };
      await tx.firewall.create({
        data: {
          id,
          projectId: project,
          name: rule.name,
          networkId: network.id,
          priority: fields.priority,
          direction: fields.direction,
          disabled: fields.disabled === true,
          resource: resource as object,
        },
      });
    }
  }

  async deleteFirewalls(tx: Tx, project: string, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await tx.firewall.deleteMany({ where: { projectId: project, name: { in: [...names] } } });
  }

  async insertRoutes(tx: Tx, project: string, network: ProvisionedNetwork, routes: readonly SystemRoute[]) {
    const now = computeTimestamp(new Date());
    for (const route of routes) {
      const id = newResourceId();
      const resource: WireObject = {
        kind: 'compute#route',
        id: id.toString(),
        creationTimestamp: now,
        name: route.name,
        ...(route.description ? { description: route.description } : {}),
        network: `projects/${project}/global/networks/${network.name}`,
        destRange: route.destRange,
        priority: route.priority,
        nextHopInstance: route.nextHopInstance,
        ...(route.tags && route.tags.length > 0 ? { tags: route.tags } : {}),
        selfLink: `projects/${project}/global/routes/${route.name}`,
      };
      await tx.route.create({
        data: {
          id,
          projectId: project,
          name: route.name,
          networkId: network.id,
          destRange: route.destRange,
          priority: route.priority,
          resource: resource as object,
        },
      });
    }
  }

  async deleteRoutes(tx: Tx, project: string, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await tx.route.deleteMany({ where: { projectId: project, name: { in: [...names] } } });
  }

  /** The Compute API's error for a network that does not exist. */
  static networkNotFound(project: string, name: string) {
    return GoogleErrors.notFound(`projects/${project}/global/networks/${name}`);
  }
}
