import { describe, expect, it } from 'vitest';
import { GoogleApiError, GoogleErrors } from '../errors/google-api-error';
import { ListFilterError } from '../list';
import { errorBodyFor, toGoogleError } from './google-error.response';

describe('toGoogleError', () => {
  it.each([
    [GoogleErrors.notFound('projects/p/global/networks/n'), 404, 'notFound'],
    [new ListFilterError('name eq ('), 400, 'invalid'],
    [{ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }, 413, 'payloadTooLarge'],
    [{ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415, message: 'x' }, 400, 'parseError'],
    [new SyntaxError('Unexpected token'), 400, 'parseError'],
    [{ code: 'FST_ERR_BAD_URL', statusCode: 400 }, 400, 'invalid'],
    [{ statusCode: 404 }, 404, 'notFound'],
    [{ statusCode: 405 }, 405, 'methodNotAllowed'],
    [new Error('boom at /secret/path.ts:1'), 500, 'backendError'],
    ['weird', 500, 'backendError'],
  ])('%o → %i %s', (input, status, reason) => {
    const error = toGoogleError(input);
    expect(error.httpStatus).toBe(status);
    expect(error.reason).toBe(reason);
    expect(error.message).not.toContain('/secret/');
  });
});

describe('errorBodyFor', () => {
  const error = new GoogleApiError(404, 'notFound', 'gone');
  it('omits status for Compute, as Google does', () => {
    expect(errorBodyFor('/compute/v1/projects/p', error)).toEqual({
      error: {
        code: 404,
        message: 'gone',
        errors: [{ message: 'gone', domain: 'global', reason: 'notFound' }],
      },
    });
  });
  it('adds status for the other Google APIs', () => {
    expect(errorBodyFor('/v1/projects/p/locations/l/clusters', error).error).toMatchObject({
      status: 'NOT_FOUND',
    });
  });
});
