/** One cause of a 422 Invalid, as the API server lists them in `details.causes`. */
export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The `Status` object every Kubernetes API error is answered with. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** A Kubernetes API error carrying its wire `reason` and HTTP code; the transport renders it as a `Status`. */
export class KubeStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'KubeStatusError';
  }

  toStatus(): StatusBody {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** What the errors name: `pods`, `deployments.apps`. */
export interface ResourceRef {
  group: string;
  resource: string;
}

function qualified(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

export const KubeErrors = {
  notFound(ref: ResourceRef, name: string): KubeStatusError {
    return new KubeStatusError(404, 'NotFound', `${qualified(ref)} "${name}" not found`, {
      name,
      ...(ref.group ? { group: ref.group } : {}),
      kind: ref.resource,
    });
  },
  alreadyExists(ref: ResourceRef, name: string): KubeStatusError {
    return new KubeStatusError(409, 'AlreadyExists', `${qualified(ref)} "${name}" already exists`, {
      name,
      ...(ref.group ? { group: ref.group } : {}),
      kind: ref.resource,
    });
  },
  conflict(ref: ResourceRef, name: string, why: string): KubeStatusError {
    return new KubeStatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(ref)} "${name}": ${why}`,
      { name, ...(ref.group ? { group: ref.group } : {}), kind: ref.resource },
    );
  },
  invalid(kind: string, group: string, name: string, causes: StatusCause[]): KubeStatusError {
    const listed = causes.map((cause) => `${cause.field}: ${cause.message}`);
    const summary = listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`;
    return new KubeStatusError(
      422,
      'Invalid',
      `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${summary}`,
      {
        name,
        ...(group ? { group } : {}),
        kind,
        causes,
      },
    );
  },
  badRequest(message: string): KubeStatusError {
    return new KubeStatusError(400, 'BadRequest', message);
  },
  methodNotAllowed(
    message = 'the server does not allow this method on the requested resource',
  ): KubeStatusError {
    return new KubeStatusError(405, 'MethodNotAllowed', message, {});
  },
  notFoundPath(): KubeStatusError {
    return new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  },
  unsupportedMediaType(): KubeStatusError {
    return new KubeStatusError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json',
    );
  },
  expired(message: string): KubeStatusError {
    return new KubeStatusError(410, 'Expired', message);
  },
  gone(message: string): KubeStatusError {
    return new KubeStatusError(410, 'Gone', message);
  },
  internal(message: string): KubeStatusError {
    return new KubeStatusError(500, 'InternalError', `Internal error occurred: ${message}`);
  },
} as const;

/** A 422 cause in the API server's words. */
export function cause(
  reason:
    | 'FieldValueInvalid'
    | 'FieldValueRequired'
    | 'FieldValueNotSupported'
    | 'FieldValueDuplicate'
    | 'FieldValueForbidden'
    | 'FieldValueTooLong',
  field: string,
  message: string,
): StatusCause {
  return { reason, message, field };
}
