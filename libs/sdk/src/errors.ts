/** Google's error body, as every emulator API answers it (`{ "error": { code, message, status, errors, details } }`). */
export interface GoogleErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    errors?: { reason?: string; message?: string; domain?: string }[];
    details?: unknown[];
  };
}

/** An answer of the emulator that was not a success: carries the HTTP status and Google's error body. */
export class GkeEmulatorError extends Error {
  override name = 'GkeEmulatorError';
  constructor(
    /** HTTP status of the answer */
    readonly status: number,
    /** the parsed body (Google's error shape), or the text when it was not JSON */
    readonly body: GoogleErrorBody | string,
    /** `METHOD url` of the request */
    readonly request: string,
  ) {
    super(`${request}: ${status} ${messageOf(body)}`);
  }

  /** Google's `error.status` (`NOT_FOUND`, `INVALID_ARGUMENT`...), when the body has one. */
  get reason(): string | undefined {
    return typeof this.body === 'object' ? this.body.error?.status : undefined;
  }
}

/** A wrong option (of the client, of `startEmulator`, of a call): the message starts with the option's name. */
export class GkeEmulatorOptionError extends Error {
  override name = 'GkeEmulatorOptionError';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
  }
}

/** The emulator could not be reached, did not start, or its process ended. */
export class GkeEmulatorUnavailableError extends Error {
  override name = 'GkeEmulatorUnavailableError';
}

function messageOf(body: GoogleErrorBody | string): string {
  if (typeof body === 'string') return body.slice(0, 500);
  return body.error?.message ?? JSON.stringify(body).slice(0, 500);
}

/** A GraphQL answer with `errors`: carries them, and the partial `data` if any. */
export class GkeEmulatorGraphqlError extends Error {
  override name = 'GkeEmulatorGraphqlError';
  constructor(
    readonly errors: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[],
    readonly data: unknown,
  ) {
    super(`graphql: ${errors.map((e) => e.message).join('; ')}`);
  }
}
