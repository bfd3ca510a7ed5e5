import {
  checkJsonTree,
  errorBodyFor,
  GoogleApiError,
  GoogleErrors,
  MAX_BODY_BYTES,
  parseJsonSafely,
  PrototypeKeyError,
  toGoogleError,
  type JsonTreeProblem,
} from '@gke-emulator/common';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import type { Api, Refusal, RequestGate } from './http/request-gate';

/**
 * Options of every Fastify instance that serves the Google APIs' HTTP port (the main one and the GraphQL one,
 * see graphql/on-demand-mercurius.driver.ts).
 */
export const FASTIFY_OPTIONS = {
  bodyLimit: MAX_BODY_BYTES,
  // gcloud and the Google clients put ':' verbs and '$alt' parameters in URLs.
  routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  // Malformed URLs are rejected by the router before any handler: answer them in Google's shape too.
  frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
    sendGoogleError(error, request, reply),
} satisfies FastifyServerOptions;

/**
 * Compute's paths are served at the root too (`/projects/...`, for clients whose endpoint override has no
 * `compute/v1/`): one set of routes, reached by rewriting the URL before routing, instead of registering every
 * Compute route twice. `request.originalUrl` keeps what the client sent.
 */
export function computeAtRoot(request: { url?: string }): string {
  const url = request.url ?? '/';
  return url.startsWith('/projects/') ? `/compute/v1${url}` : url;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = parseJsonSafely(text);
  } catch (error) {
    if (error instanceof PrototypeKeyError)
      throw new GoogleApiError(400, 'invalid', `Invalid JSON payload received. ${error.message}`);
    throw GoogleErrors.parseError(
      `Invalid JSON payload received. ${error instanceof Error ? error.message : 'Unexpected token.'}`,
    );
  }
  const problem = checkJsonTree(parsed, GOOGLE_JSON_RULES);
  if (problem) throw GoogleErrors.parseError(`Invalid JSON payload received. ${googleProblemText(problem)}`);
  return parsed;
}

/** Google's proto JSON parser stops at 100 levels of nesting and accepts only valid Unicode strings. */
const GOOGLE_JSON_RULES = { maxDepth: 100, loneSurrogates: 'reject' } as const;

function googleProblemText(problem: JsonTreeProblem): string {
  switch (problem.kind) {
    case 'tooDeep':
      return `Message too deep. Max recursion depth reached for key '${problem.key}'`;
    case 'nul':
      return `Invalid value at '${problem.path}': a string cannot hold the NUL character (\\u0000).`;
    case 'loneSurrogate':
      return `Invalid value at '${problem.path}': not valid UTF-8 (a lone UTF-16 surrogate).`;
  }
}

/**
 * Wire-level behaviour shared by every API: body parsing, size limit, and errors raised before a route runs
 * (unparsable or oversized bodies). Errors inside routes go through GoogleErrorFilter.
 */
export function configureFastify(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  // Clients send JSON with or without a content type, and POSTs like operations.wait with an empty body.
  // A batch keeps its raw multipart text for the batch controller to split.
  fastify.addContentTypeParser(
    /^multipart\/mixed/,
    { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
    (_req, body, done) => done(null, String(body)),
  );
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => {
    try {
      done(null, parseJson(String(body)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.setErrorHandler(sendGoogleError);
  // A NUL in a path or query segment would reach SQL text columns, which cannot hold it. The Kubernetes API
  // refuses it in its own scope (kube-http.ts), with a Status.
  fastify.addHook('onRequest', async (request) => {
    if (hasEncodedNul(request.url) && !request.url.startsWith('/k8s/')) {
      throw GoogleErrors.invalid('Invalid request: the URL holds a NUL character (%00).');
    }
  });
}

/** Whether a raw request target holds `%00` (a NUL once decoded). */
export function hasEncodedNul(url: string): boolean {
  return /%00/.test(url);
}

/** Which API a path of the main listener belongs to, for the shape of a refusal. */
function apiOf(url: string): Api {
  if (url.startsWith('/k8s/')) return 'kubernetes';
  if (/^\/graphql(\/|\?|$)/.test(url)) return 'graphql';
  return 'google';
}

/** Google's 401, 403 and 415 (`errors[].location` names the header at fault). */
export function googleRefusal(refusal: Refusal): GoogleApiError {
  switch (refusal.kind) {
    case 'authMissing':
      return new GoogleApiError(401, 'required', refusal.message, {
        location: 'Authorization',
        locationType: 'header',
        status: 'UNAUTHENTICATED',
      });
    case 'authInvalid':
      return new GoogleApiError(401, 'authError', refusal.message, {
        location: 'Authorization',
        locationType: 'header',
        status: 'UNAUTHENTICATED',
      });
    case 'contentType':
      return new GoogleApiError(415, 'badRequest', refusal.message, {
        location: 'Content-Type',
        locationType: 'header',
        status: 'INVALID_ARGUMENT',
      });
    default:
      return new GoogleApiError(403, 'forbidden', refusal.message, {
        location: refusal.kind === 'origin' ? 'Origin' : 'Host',
        locationType: 'header',
        status: 'PERMISSION_DENIED',
      });
  }
}

/** A GraphQL response (graphql-over-http) for a refusal: the HTTP status, the REST reason in `extensions.code`. */
export function graphqlRefusalBody(refusal: Refusal): string {
  const google = googleRefusal(refusal);
  return JSON.stringify({
    data: null,
    errors: [{ message: refusal.message, extensions: { code: google.reason, httpStatus: refusal.status } }],
  });
}

/**
 * The request gate on the main listener, before routing's body parsing: Compute, GKE, the control API and the
 * batch endpoint answer in Google's shape, GraphQL in its own; the Kubernetes routes check in their own scope.
 */
export function installRequestGate(fastify: FastifyInstance, gate: RequestGate): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const api = apiOf(request.url);
    if (api === 'kubernetes') return done();
    const refusal = gate.check(request, api);
    if (!refusal) return done();
    if (api === 'graphql') {
      void reply
        .status(refusal.status)
        .header('content-type', 'application/json; charset=utf-8')
        .send(graphqlRefusalBody(refusal));
      return;
    }
    const google = googleRefusal(refusal);
    void reply
      .status(google.httpStatus)
      .header('content-type', 'application/json; charset=UTF-8')
      .send(errorBodyFor(request.url, google));
  });
}

export function sendGoogleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const google = toGoogleError(error);
  if (google.httpStatus >= 500 && google.httpStatus !== 501) request.log.error(error);
  void reply
    .status(google.httpStatus)
    .header('content-type', 'application/json; charset=UTF-8')
    .send(errorBodyFor(request.url, google));
}
