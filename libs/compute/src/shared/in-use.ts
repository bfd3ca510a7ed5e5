import { GoogleApiError } from '@gke-emulator/common';
import { asConstraintViolation, type Tx } from '@gke-emulator/db';

/**
 * Deleting what another resource uses fails at once (400 `resourceInUseByAnotherResource`), naming the user,
 * as the real logs show: "The backend_service resource '…' is already being used by '…'". Google answers the
 * same way for networks, subnetworks and addresses: the delete request itself fails, no operation is created.
 */
export function resourceInUseError(noun: string, path: string, user: string): GoogleApiError {
  return new GoogleApiError(
    400,
    'resourceInUseByAnotherResource',
    `The ${noun} resource '${path}' is already being used by '${user}'`,
  );
}

/** The first GKE node (a Compute instance) on a network or subnetwork, as Google names an instance. */
export async function firstNodeUser(
  tx: Tx,
  where: { networkId: bigint } | { subnetworkId: bigint },
): Promise<string | null> {
  const node = await tx.node.findFirst({
    where,
    select: { projectId: true, zone: true, name: true },
    orderBy: { name: 'asc' },
  });
  return node ? `projects/${node.projectId}/zones/${node.zone}/instances/${node.name}` : null;
}

/** The first instance group on a network (a user's may be empty, named by `insert`), as Google names one. */
export async function firstInstanceGroupUser(tx: Tx, networkId: bigint): Promise<string | null> {
  const group = await tx.instanceGroup.findFirst({
    where: { networkId },
    select: { projectId: true, zone: true, name: true },
    orderBy: { name: 'asc' },
  });
  return group ? `projects/${group.projectId}/zones/${group.zone}/instanceGroups/${group.name}` : null;
}

/**
 * Runs a delete transaction whose in-use check ran under the row's lock. A referrer the check does not know of
 * still cannot be orphaned: the database's foreign key refuses the delete; that refusal is reported as Google's
 * in-use error, naming the user `findUser` sees once the failed transaction is over.
 */
export async function deleteUnlessInUse<T>(
  run: () => Promise<T>,
  noun: string,
  path: string,
  findUser: () => Promise<string | null>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (asConstraintViolation(error)?.kind !== 'foreignKey') throw error;
    const user = await findUser();
    throw resourceInUseError(noun, path, user ?? 'another resource');
  }
}
