import { toGoogleError } from '@gke-emulator/common';
// The CommonJS build on purpose: mercurius and graphql-js raise their errors from require('graphql'), and the ESM build
// (what Vite/Vitest pick for a bare 'graphql' import) has a GraphQLError class of its own that `instanceof` misses.
import { GraphQLError } from 'graphql/error/GraphQLError.js';

/** One error of a GraphQL response, as sent. */
export interface FormattedGraphqlError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

interface Logger {
  error(object: unknown, message?: string): void;
}

/** Mercurius reports a failed validation as one MER_ERR_GQL_VALIDATION error whose `errors` are the real ones. */
function unwrap(error: GraphQLError): readonly GraphQLError[] {
  const nested = (error.originalError as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(nested) && nested.length > 0 ? (nested as GraphQLError[]) : [error];
}

function format(error: GraphQLError, log?: Logger): FormattedGraphqlError {
  const original = error.originalError;
  const where = {
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
  // The request's own mistakes (syntax, validation, variable coercion) are GraphQL's: keep its message.
  if (!original || original instanceof GraphQLError) {
    const extensions =
      error.extensions && Object.keys(error.extensions).length > 0 ? error.extensions : undefined;
    return { message: error.message, ...where, ...(extensions ? { extensions } : {}) };
  }
  // A use case failed: the Google error REST would answer, reason and status in `extensions`. Anything unexpected
  // becomes REST's backendError (and is logged, as REST logs its 5xx).
  const google = toGoogleError(original);
  if (google.httpStatus >= 500 && google.httpStatus !== 501) log?.error({ err: original }, original.message);
  return {
    message: google.message,
    ...where,
    extensions: { code: google.reason, httpStatus: google.httpStatus },
  };
}

/**
 * The GraphQL endpoint's error formatter: always HTTP 200 with `data` and `errors` (graphql-over-http for
 * application/json), each use case error carrying its Google reason as `extensions.code` and the HTTP status REST
 * would have answered as `extensions.httpStatus`.
 */
export function formatGraphqlErrors(
  execution: { data?: unknown; errors?: readonly GraphQLError[] },
  context?: { reply?: { log?: Logger } },
) {
  const log = context?.reply?.log;
  const errors = (execution.errors ?? []).flatMap(unwrap).map((error) => format(error, log));
  return {
    statusCode: 200,
    response: { data: (execution.data ?? null) as Record<string, unknown> | null, errors },
  };
}
