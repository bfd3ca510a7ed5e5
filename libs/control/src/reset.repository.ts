import { Injectable } from '@nestjs/common';
import type { Tx } from '@gke-emulator/db';

/**
 * What refers to something else without a cascade (a foreign key that refuses the delete), deleted referrers first,
 * so deleting the projects themselves (which cascades to everything else they own) never meets a row still in use.
 * PostgreSQL checks those keys at the end of each cascaded statement, not of the whole delete, so one
 * `DELETE FROM project` alone fails as soon as, say, a backend service names a network.
 */
const OWNED_BY = `(select id from project where $1::text is null or id = $1)`;
const IDS_OF = (table: string): string => `(select id from ${table} where project_id in ${OWNED_BY})`;
const IN_ORDER: readonly string[] = [
  // Clusters (their node pools, nodes, Kubernetes objects and data-plane rows cascade) refer to networks and
  // subnetworks; also those of another project on a network of this one.
  `delete from cluster where project_id in ${OWNED_BY} or network_id in ${IDS_OF('network')}
     or subnetwork_id in ${IDS_OF('subnetwork')}`,
  `delete from node where project_id in ${OWNED_BY} or network_id in ${IDS_OF('network')}
     or subnetwork_id in ${IDS_OF('subnetwork')}`,
  // Every reference a load-balancing resource makes, or that another project's resources make to this one's.
  `delete from resource_reference where referrer_id in ${IDS_OF('load_balancing_resource')}
     or load_balancing_id in ${IDS_OF('load_balancing_resource')} or address_id in ${IDS_OF('address')}
     or network_id in ${IDS_OF('network')} or subnetwork_id in ${IDS_OF('subnetwork')}
     or security_policy_id in ${IDS_OF('security_policy')} or instance_group_id in ${IDS_OF('instance_group')}`,
  `delete from load_balancing_resource where project_id in ${OWNED_BY}`,
  `delete from instance_group where project_id in ${OWNED_BY} or network_id in ${IDS_OF('network')}`,
  `delete from address where project_id in ${OWNED_BY} or subnetwork_id in ${IDS_OF('subnetwork')}`,
  `delete from firewall where project_id in ${OWNED_BY} or network_id in ${IDS_OF('network')}`,
  `delete from route where project_id in ${OWNED_BY} or network_id in ${IDS_OF('network')}`,
  `delete from subnetwork where project_id in ${OWNED_BY} or network_id in ${IDS_OF('network')}`,
];

@Injectable()
export class ResetRepository {
  /** Deletes one project (or every project) and all it owns, inside `tx`; returns how many projects went. */
  async deleteProjects(tx: Tx, project: string | undefined): Promise<number> {
    for (const statement of IN_ORDER) {
      await tx.$executeRawUnsafe(statement, project ?? null);
    }
    return tx.$executeRawUnsafe(`delete from project where $1::text is null or id = $1`, project ?? null);
  }
}
