import { Injectable } from '@nestjs/common';
import type { Tx } from '@gke-emulator/db';
import type { WireObject } from '../shared/compute-context';

/** A network row as provisioning reads it. */
export interface NetworkRow {
  id: bigint;
  name: string;
  auto: boolean;
}

/** A subnetwork row as provisioning reads it. */
export interface SubnetworkRow {
  id: bigint;
  name: string;
  network_id: bigint;
  resource: WireObject;
}

/**
 * The SQL of the VPC writes another API group makes on a user's behalf (`VpcProvisioning`). Every method runs in
 * the caller's transaction.
 */
@Injectable()
export class VpcProvisioningRepository {
  /** The project's network named `name`, share-locked until the transaction ends; null when there is none. */
  async lockNetwork(tx: Tx, project: string, name: string): Promise<NetworkRow | null> {
    const rows = await tx.$queryRawUnsafe<NetworkRow[]>(
      `SELECT id, name, coalesce((resource->>'autoCreateSubnetworks')::boolean, false) AS auto
         FROM network WHERE project_id = $1 AND name = $2 FOR SHARE`,
      project,
      name,
    );
    return rows[0] ?? null;
  }

  /** The subnetwork, locked for update until the transaction ends; null when there is none. */
  async lockSubnetwork(tx: Tx, project: string, region: string, name: string): Promise<SubnetworkRow | null> {
    const rows = await tx.$queryRawUnsafe<SubnetworkRow[]>(
      `SELECT id, name, network_id, resource FROM subnetwork
        WHERE project_id = $1 AND region = $2 AND name = $3 FOR UPDATE`,
      project,
      region,
      name,
    );
    return rows[0] ?? null;
  }

  /** Every range (primary and secondary, of every subnet) of the network. */
  async ranges(tx: Tx, networkId: bigint): Promise<string[]> {
    const rows = await tx.$queryRawUnsafe<{ cidr: string }[]>(
      `SELECT cidr::text AS cidr FROM subnet_range WHERE network_id = $1`,
      networkId,
    );
    return rows.map((row) => row.cidr);
  }

  /** Inserts one secondary range of a subnet; the exclusion constraint refuses an overlap (23P01). */
  async insertRange(
    tx: Tx,
    networkId: bigint,
    subnetworkId: bigint,
    range: { rangeName: string; ipCidrRange: string },
  ): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO subnet_range (network_id, subnetwork_id, range_name, cidr) VALUES ($1, $2, $3, $4::inet)`,
      networkId,
      subnetworkId,
      range.rangeName,
      range.ipCidrRange,
    );
  }

  /** Appends ranges to the subnetwork resource's `secondaryIpRanges`, with a new fingerprint. */
  async appendSecondaryRanges(
    tx: Tx,
    subnetworkId: bigint,
    fingerprint: string,
    ranges: readonly { rangeName: string; ipCidrRange: string }[],
  ): Promise<void> {
    await tx.$executeRawUnsafe(
      `UPDATE subnetwork SET fingerprint = $2,
              resource = jsonb_set(resource, '{secondaryIpRanges}',
                                   coalesce(resource->'secondaryIpRanges', '[]'::jsonb) || $3::jsonb)
        WHERE id = $1`,
      subnetworkId,
      fingerprint,
      JSON.stringify(ranges),
    );
  }

  /** Deletes the subnet's secondary ranges named `names`. */
  async deleteRanges(tx: Tx, subnetworkId: bigint, names: readonly string[]): Promise<void> {
    await tx.$executeRawUnsafe(
      `DELETE FROM subnet_range WHERE subnetwork_id = $1 AND range_name = ANY($2::text[])`,
      subnetworkId,
      names,
    );
  }

  /**
   * Drops the ranges named `names` from the subnetwork resource's `secondaryIpRanges` (the field goes when none is
   * left), with a new fingerprint.
   */
  async dropSecondaryRanges(
    tx: Tx,
    subnetworkId: bigint,
    fingerprint: string,
    names: readonly string[],
  ): Promise<void> {
    await tx.$executeRawUnsafe(
      `UPDATE subnetwork SET fingerprint = $2,
              resource = CASE WHEN kept = '[]'::jsonb THEN resource - 'secondaryIpRanges'
                              ELSE jsonb_set(resource, '{secondaryIpRanges}', kept) END
         FROM (SELECT coalesce(jsonb_agg(r), '[]'::jsonb) AS kept
                 FROM subnetwork s, jsonb_array_elements(s.resource->'secondaryIpRanges') r
                WHERE s.id = $1 AND NOT (r->>'rangeName' = ANY($3::text[]))) k
        WHERE id = $1`,
      subnetworkId,
      fingerprint,
      names,
    );
  }
}
