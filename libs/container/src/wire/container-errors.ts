import { GoogleApiError } from '@gke-emulator/common';
import { messageViolations, withJsonNames } from './wire-fields';

/** The Container API's errors: One Platform bodies with `status`, messages as GKE words them. */
export const ContainerErrors = {
  notFound: (path: string) => new GoogleApiError(404, 'notFound', `Not found: ${path}.`),
  alreadyExists: (path: string) => new GoogleApiError(409, 'alreadyExists', `Already exists: ${path}.`),
  invalid: (message: string) => new GoogleApiError(400, 'invalid', message),
  failedPrecondition: (message: string) =>
    new GoogleApiError(400, 'conditionNotMet', message, { status: 'FAILED_PRECONDITION' }),
};

/**
 * Refuses, as Google's front end does before the API sees it, a request body with names the request message has
 * no field for or values of the wrong JSON type: 400 INVALID_ARGUMENT, every violation in a BadRequest. Returns the
 * body with its fields under their JSON names (the parser takes proto names too).
 */
export function assertRequestBody(message: string, body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const violations = messageViolations(message, body as Record<string, unknown>);
  if (violations.length === 0) return withJsonNames(message, body);
  throw new GoogleApiError(400, 'invalid', violations.map((v) => v.description).join('\n'), {
    details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations }],
  });
}
