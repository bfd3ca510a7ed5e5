/**
 * The one error type of the Google-shaped APIs. It carries its own wire code (HTTP status, `reason`, `domain`),
 * so a single filter renders every error the same way: `{"error":{"code","message","errors":[...]}}`.
 */
export type GoogleErrorReason =
  | 'notFound'
  | 'alreadyExists'
  | 'invalid'
  | 'invalidParameter'
  | 'required'
  | 'parseError'
  | 'badRequest'
  | 'conditionNotMet'
  | 'failedPrecondition'
  | 'resourceInUseByAnotherResource'
  | 'memberAlreadyExists'
  | 'resourceNotReady'
  | 'notImplemented'
  | 'payloadTooLarge'
  | 'methodNotAllowed'
  | 'backendError'
  | 'authError'
  | 'forbidden';

export interface GoogleErrorItem {
  domain: string;
  reason: GoogleErrorReason;
  message: string;
  locationType?: string;
  location?: string;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  413: 'INVALID_ARGUMENT',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
};

export class GoogleApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly reason: GoogleErrorReason,
    message: string,
    readonly extra: Partial<Pick<GoogleErrorItem, 'location' | 'locationType'>> & {
      domain?: string;
      /** the canonical status name when it is not the HTTP status's usual one (FAILED_PRECONDITION on a 400) */
      status?: string;
      /** google.rpc error details (a BadRequest's fieldViolations), in the Container API's body only */
      details?: readonly Record<string, unknown>[];
    } = {},
  ) {
    super(message);
    this.name = 'GoogleApiError';
  }

  /** Compute's body has no `status`; the Container API's does (see docs/wire-format.md). */
  toWire(options: { withStatus?: boolean } = {}): { error: Record<string, unknown> } {
    const item: GoogleErrorItem = {
      message: this.message,
      domain: this.extra.domain ?? 'global',
      reason: this.reason,
      ...(this.extra.locationType ? { locationType: this.extra.locationType } : {}),
      ...(this.extra.location ? { location: this.extra.location } : {}),
    };
    return {
      error: {
        code: this.httpStatus,
        message: this.message,
        errors: [item],
        ...(options.withStatus
          ? {
              status: this.extra.status ?? STATUS_NAMES[this.httpStatus] ?? 'UNKNOWN',
              ...(this.extra.details ? { details: this.extra.details } : {}),
            }
          : {}),
      },
    };
  }
}

export const GoogleErrors = {
  notFound: (resourcePath: string) =>
    new GoogleApiError(404, 'notFound', `The resource '${resourcePath}' was not found`),
  alreadyExists: (resourcePath: string) =>
    new GoogleApiError(409, 'alreadyExists', `The resource '${resourcePath}' already exists`),
  invalid: (message: string) => new GoogleApiError(400, 'invalid', message),
  invalidFieldValue: (field: string, value: unknown, why: string) =>
    new GoogleApiError(
      400,
      'invalid',
      `Invalid value for field '${field}': '${typeof value === 'string' ? value : JSON.stringify(value)}'. ${why}`,
    ),
  required: (field: string) => new GoogleApiError(400, 'required', `Required field '${field}' not specified`),
  parseError: (message: string) => new GoogleApiError(400, 'parseError', message),
  conditionNotMet: (message: string) => new GoogleApiError(412, 'conditionNotMet', message),
  resourceInUse: (message: string) => new GoogleApiError(400, 'resourceInUseByAnotherResource', message),
  notImplemented: (method: string) =>
    new GoogleApiError(501, 'notImplemented', `Method '${method}' is not implemented by gke-emulator.`),
  payloadTooLarge: (limit: number) =>
    new GoogleApiError(413, 'payloadTooLarge', `Request payload size exceeds the limit: ${limit} bytes.`),
  backendError: () =>
    new GoogleApiError(500, 'backendError', 'Internal error. Please try again or contact Google Support.'),
};
