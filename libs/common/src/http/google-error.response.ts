import { GoogleApiError, GoogleErrors } from '../errors/google-api-error';
import { ListQueryError } from '../list';

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Maps anything thrown while serving a request to the Google-shaped error body. Unknown errors become a
 * generic 500 with no detail; their stack goes to the log, never to the client.
 */
export function toGoogleError(error: unknown): GoogleApiError {
  if (error instanceof GoogleApiError) return error;
  if (error instanceof ListQueryError) return new GoogleApiError(400, 'invalid', error.message);
  const record = (error && typeof error === 'object' ? error : {}) as Record<string, unknown>;
  const code = typeof record['code'] === 'string' ? record['code'] : '';
  const status = typeof record['statusCode'] === 'number' ? record['statusCode'] : undefined;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413)
    return GoogleErrors.payloadTooLarge(MAX_BODY_BYTES);
  if (code.startsWith('FST_ERR_CTP') || error instanceof SyntaxError) {
    return GoogleErrors.parseError(
      `Invalid JSON payload received. ${String(record['message'] ?? 'Unexpected token.')}`,
    );
  }
  if (
    code === 'FST_ERR_BAD_URL' ||
    code === 'FST_ERR_ASYNC_CONSTRAINT' ||
    code === 'FST_ERR_MAX_PARAM_LENGTH'
  ) {
    return GoogleErrors.invalid('The request URL is malformed.');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404)
      return new GoogleApiError(404, 'notFound', 'The requested URL was not found on this server.');
    if (status === 405) return new GoogleApiError(405, 'methodNotAllowed', 'HTTP method not allowed.');
    return new GoogleApiError(status, 'badRequest', String(record['message'] ?? 'Bad request.'));
  }
  return GoogleErrors.backendError();
}

/** The Container API's error body carries `status`; Compute's does not. */
export function errorBodyFor(url: string, error: GoogleApiError) {
  return error.toWire({ withStatus: !url.startsWith('/compute/') && !url.startsWith('/projects/') });
}
