import { GoogleApiError } from '@gke-emulator/common';

/** The Container API's errors: One Platform bodies with `status`, messages as GKE words them. */
export const ContainerErrors = {
  notFound: (path: string) => new GoogleApiError(404, 'notFound', `Not found: ${path}.`),
  alreadyExists: (path: string) => new GoogleApiError(409, 'alreadyExists', `Already exists: ${path}.`),
  invalid: (message: string) => new GoogleApiError(400, 'invalid', message),
  failedPrecondition: (message: string) =>
    new GoogleApiError(400, 'conditionNotMet', message, { status: 'FAILED_PRECONDITION' }),
};
