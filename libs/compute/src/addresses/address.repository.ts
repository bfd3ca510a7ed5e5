import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';
import type { WireObject } from '../shared/compute-context';

export interface StoredAddress {
  id: bigint;
  project: string;
  /** a region name, or `global` */
  region: string;
  name: string;
  addressType: 'EXTERNAL' | 'INTERNAL';
  address: string;
  networkId: bigint | null;
  subnetworkId: bigint | null;
  resource: WireObject;
}

type Row = {
  id: bigint;
  projectId: string;
  region: string;
  name: string;
  addressType: string;
  address: string;
  networkId: bigint | null;
  subnetworkId: bigint | null;
  resource: unknown;
};

function toStored(row: Row): StoredAddress {
  return {
    id: row.id,
    project: row.projectId,
    region: row.region,
    name: row.name,
    addressType: row.addressType === 'INTERNAL' ? 'INTERNAL' : 'EXTERNAL',
    address: row.address,
    networkId: row.networkId,
    subnetworkId: row.subnetworkId,
    resource: row.resource as WireObject,
  };
}

/**
 * The advisory lock of an address pool, held until the transaction ends: `address:network:<id>` for a network's
 * internal addresses (GKE node IPs take it too), `address:external` for the external pools. Whatever hands out an
 * IP from a pool (reservations, ephemeral forwarding-rule IPs) reads the taken ones and writes its own under it.
 */
export async function lockAddressPool(tx: Tx, networkId: bigint | null): Promise<void> {
  const key = networkId === null ? 'address:external' : `address:network:${networkId}`;
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${key}))`;
}

@Injectable()
export class AddressRepository {
  constructor(private readonly db: Database) {}

  async insert(tx: Tx, address: StoredAddress): Promise<void> {
    await tx.address.create({
      data: {
        id: address.id,
        projectId: address.project,
        region: address.region,
        name: address.name,
        addressType: address.addressType,
        address: address.address,
        networkId: address.networkId,
        subnetworkId: address.subnetworkId,
        resource: address.resource as object,
      },
    });
  }

  async find(project: string, region: string, name: string): Promise<StoredAddress | null> {
    const row = await this.db.prisma.address.findUnique({
      where: { projectId_region_name: { projectId: project, region, name } },
    });
    return row ? toStored(row) : null;
  }

  async list(project: string, region?: string): Promise<StoredAddress[]> {
    const rows = await this.db.prisma.address.findMany({
      where: { projectId: project, ...(region ? { region } : {}) },
    });
    return rows.map(toStored);
  }

  /** The address with its row locked until the transaction ends. */
  async findForUpdate(tx: Tx, id: bigint): Promise<StoredAddress | null> {
    const ids = await tx.$queryRaw<{ id: bigint }[]>`select id from address where id = ${id} for update`;
    if (ids.length === 0) return null;
    const row = await tx.address.findUnique({ where: { id } });
    return row ? toStored(row) : null;
  }

  /** Rewrites the wire object of an address, locked (`setLabels`); identity and IP never change. */
  async updateResource(tx: Tx, id: bigint, resource: WireObject): Promise<void> {
    await tx.address.update({ where: { id }, data: { resource: resource as object } });
  }

  async delete(tx: Tx, id: bigint): Promise<void> {
    await tx.address.delete({ where: { id } });
  }

  /**
   * Serialises allocations from one pool (a network's internal addresses, or the external pool) until the
   * transaction ends, so concurrent reservations get distinct lowest-free addresses instead of racing.
   */
  lockPool(tx: Tx, networkId: bigint | null): Promise<void> {
    return lockAddressPool(tx, networkId);
  }

  /** Addresses already taken inside `cidr`: in one network (internal), or anywhere (external). */
  async taken(tx: Tx, cidr: string, networkId: bigint | null): Promise<string[]> {
    // Forwarding rules hold addresses too (ephemeral or given by value), and GKE nodes hold their network's: a
    // reservation must not take theirs.
    const rows =
      networkId === null
        ? await tx.$queryRaw<{ address: string }[]>`
            select host(address) as address from address where address_type = 'EXTERNAL' and address <<= ${cidr}::inet
            union
            select resource->>'IPAddress' from load_balancing_resource
            where kind = 'forwardingRules' and resource->>'loadBalancingScheme' in ('EXTERNAL', 'EXTERNAL_MANAGED')
              and (resource->>'IPAddress')::inet <<= ${cidr}::inet`
        : await tx.$queryRaw<{ address: string }[]>`
            select host(address) as address from address
            where address_type = 'INTERNAL' and network_id = ${networkId} and address <<= ${cidr}::inet
            union
            select f.resource->>'IPAddress' from load_balancing_resource f
            join resource_reference r on r.referrer_id = f.id and r.network_id = ${networkId}
            where f.kind = 'forwardingRules' and (f.resource->>'IPAddress')::inet <<= ${cidr}::inet
            union
            select host(internal_ip) from node where network_id = ${networkId} and internal_ip <<= ${cidr}::inet`;
    return rows.map((row) => row.address);
  }

  /** The addresses of a network outside any subnetwork (global internal ones), oldest name first. */
  async ofNetworkOnly(tx: Tx, networkId: bigint): Promise<StoredAddress[]> {
    const rows = await tx.address.findMany({
      where: { networkId, subnetworkId: null },
      orderBy: { name: 'asc' },
    });
    return rows.map(toStored);
  }

  /** The VPC_PEERING ranges (private services access) reserved in a network, as CIDRs. */
  async peeringRanges(tx: Tx, networkId: bigint): Promise<string[]> {
    const rows = await tx.$queryRaw<{ cidr: string }[]>`
      select host(address) || '/' || (resource->>'prefixLength') as cidr from address
      where network_id = ${networkId} and resource->>'purpose' = 'VPC_PEERING'`;
    return rows.map((row) => row.cidr);
  }

  /** The addresses reserved in any of these subnetworks (they keep a subnetwork, and its network, alive). */
  async inSubnetworks(tx: Tx, subnetworkIds: readonly bigint[]): Promise<StoredAddress[]> {
    if (subnetworkIds.length === 0) return [];
    const rows = await tx.address.findMany({
      where: { subnetworkId: { in: [...subnetworkIds] } },
      orderBy: { name: 'asc' },
    });
    return rows.map(toStored);
  }
}
