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

export function operationPath(op: { project: string; scope: string; name: string }): string {
  return op.scope === 'global'
    ? `projects/${op.project}/global/operations/${op.name}`
    : `projects/${op.project}/regions/${op.scope}/operations/${op.name}`;
}
