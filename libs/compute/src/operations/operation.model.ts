import type { WireObject } from '../shared/compute-context';

export interface OperationError {
  code: string;
  message: string;
  httpStatus: number;
  httpMessage: string;
}

export interface NewOperation {
  project: string;
  /** `global` or a region name */
  scope: string;
  operationType: string;
  targetLink: string;
  targetId: bigint;
  requestId?: string;
  error?: OperationError;
}

export interface StoredOperation {
  id: bigint;
  project: string;
  name: string;
  scope: string;
  insertTime: Date;
  doneAt: Date;
  /** Wire fields fixed at creation (links relative). */
  resource: WireObject;
}

/**
 * `scope` is `global`, a region, or `zones/<zone>` (zonal operations: instance groups).
 */
export function operationPath(op: { project: string; scope: string; name: string }): string {
  if (op.scope === 'global') return `projects/${op.project}/global/operations/${op.name}`;
  if (op.scope.startsWith('zones/')) return `projects/${op.project}/${op.scope}/operations/${op.name}`;
  return `projects/${op.project}/regions/${op.scope}/operations/${op.name}`;
}

/**
 * A delete that something still depends on fails inside its operation, with the code and wording Google uses:
 * "The network resource 'projects/p/global/networks/n' is already being used by 'projects/p/global/firewalls/f'".
 */
export function resourceInUse(kind: string, path: string, user: string): OperationError {
  return {
    code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE',
    message: `The ${kind} resource '${path}' is already being used by '${user}'`,
    httpStatus: 400,
    httpMessage: 'BAD REQUEST',
  };
}
