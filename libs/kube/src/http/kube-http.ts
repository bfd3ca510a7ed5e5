import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KubeErrors, KubeStatusError } from '../api/kube-status';
import { decodeKubeProtobuf } from '../api/protobuf';
import type { KubeApi, KubeResponse } from '../apiserver/kube-api';
import { decodeKubeRequest } from './kube-request-decoder';

/** The largest request body accepted (the API server's limit is 3 MiB). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
};

function toStatusError(error: unknown): KubeStatusError {
  if (error instanceof KubeStatusError) return error;
  const code = (error as FastifyError | undefined)?.statusCode;
  if (code && code >= 400 && code < 500) {
    return new KubeStatusError(code, REASONS[code] ?? 'BadRequest', (error as Error).message);
  }
  return new KubeStatusError(
    500,
    'InternalError',
    `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`,
  );
}

function sendStatus(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const status = toStatusError(error);
  if (status.code >= 500) request.log.error(error);
  void reply
    .status(status.code)
    .header('content-type', 'application/json')
    .send(JSON.stringify(status.toStatus()));
}

const TRUNCATE_AT_TOTAL_RUNES = 4 * 1024;
const TRUNCATE_ITEM_RUNES = 256;

/**
 * The warnings a response carries, limited as the API server's recorder limits them: duplicates dropped; once
 * they reach 4,096 characters in all, each is cut to 256 and the rest dropped past 4,096 (a 100,000-key patch
 * gets a handful of `Warning` headers, not thousands).
 */
export function limitWarnings(warnings: readonly string[]): string[] {
  const unique = [...new Set(warnings)];
  const runes = (text: string) => Array.from(text).length;
  if (unique.reduce((sum, text) => sum + runes(text), 0) < TRUNCATE_AT_TOTAL_RUNES) return unique;
  const kept: string[] = [];
  let written = 0;
  for (const text of unique) {
    if (written > TRUNCATE_AT_TOTAL_RUNES) break;
    const cut = Array.from(text).slice(0, TRUNCATE_ITEM_RUNES).join('');
    kept.push(cut);
    written += runes(cut);
  }
  return kept;
}

function warningHeader(warnings: readonly string[]): string[] {
  return limitWarnings(warnings).map(
    (warning) => `299 - "${warning.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
  );
}

async function respond(request: FastifyRequest, reply: FastifyReply, response: KubeResponse): Promise<void> {
  if ('watch' in response) {
    const abort = new AbortController();
    reply.hijack();
    const raw = reply.raw;
    raw.on('close', () => abort.abort());
    raw.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-cache, private',
      'transfer-encoding': 'chunked',
    });
    raw.flushHeaders();
    try {
      await response.watch.run((line) => raw.write(line), abort.signal);
    } catch (error) {
      if (!abort.signal.aborted) {
        request.log.error(error);
        raw.write(`${JSON.stringify({ type: 'ERROR', object: toStatusError(error).toStatus() })}\n`);
      }
    }
    raw.end();
    return;
  }
  if (response.warnings?.length) void reply.header('warning', warningHeader(response.warnings));
  void reply
    .status(response.status)
    .header('content-type', 'application/json')
    .send(JSON.stringify(response.body));
}

interface ClusterParams {
  project: string;
  location: string;
  cluster: string;
  '*': string;
}

/** A refusal of the server's request gate (Host, Origin, content type, token): answered as a `Status`. */
export interface KubeRequestRefusal {
  status: 401 | 403 | 415;
  message: string;
}

export type KubeRequestCheck = (request: FastifyRequest) => KubeRequestRefusal | undefined;

/** The API server's words: a 401 says only "Unauthorized". */
function refusalStatus(refusal: KubeRequestRefusal): KubeStatusError {
  if (refusal.status === 401) return new KubeStatusError(401, 'Unauthorized', 'Unauthorized');
  if (refusal.status === 415) return new KubeStatusError(415, 'UnsupportedMediaType', refusal.message);
  return new KubeStatusError(403, 'Forbidden', refusal.message);
}

/**
 * Registers the Kubernetes API of every cluster under `/k8s/<project>/<location>/<cluster>/` on a Fastify instance
 * (the plain HTTP listener and the TLS one). Its own content-type parsing (bodies reach the API as text: JSON,
 * patches, YAML) and its own errors (`Status` objects) are scoped to these routes; `check` (the server's request
 * gate) runs before anything else.
 */
export async function registerKubernetesApi(
  fastify: FastifyInstance,
  api: KubeApi,
  check?: KubeRequestCheck,
): Promise<void> {
  await fastify.register(async (scope) => {
    if (check) {
      scope.addHook('onRequest', (request, reply, done) => {
        const refusal = check(request);
        if (!refusal) return done();
        sendStatus(refusalStatus(refusal), request, reply);
      });
    }
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES },
      (request, body, done) => {
        // Protobuf bodies (typed clients: `kubectl create deployment`) reach the API as their JSON form; CBOR
        // bodies are not decoded: 415 makes the client say so plainly.
        const type = request.headers['content-type'] ?? '';
        if (type.startsWith('application/vnd.kubernetes.protobuf')) {
          try {
            done(null, JSON.stringify(decodeKubeProtobuf(body as Buffer)));
          } catch (error) {
            done(error as Error, undefined);
          }
          return;
        }
        if (/protobuf|cbor/.test(type)) {
          done(KubeErrors.unsupportedMediaType(), undefined);
          return;
        }
        done(null, (body as Buffer).toString('utf8'));
      },
    );
    scope.setErrorHandler(sendStatus);
    // A NUL (`%00`) in a path or query segment cannot be stored or compared in SQL text.
    scope.addHook('onRequest', async (request) => {
      if (/%00/.test(request.url))
        throw KubeErrors.badRequest('invalid request URL: it holds a NUL character (%00)');
    });
    scope.route<{ Params: ClusterParams; Querystring: Record<string, string | undefined> }>({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: '/k8s/:project/:location/:cluster/*',
      bodyLimit: MAX_BODY_BYTES,
      handler: async (request, reply) => {
        const { project, location, cluster } = request.params;
        const query = Object.fromEntries(
          Object.entries(request.query ?? {}).map(([key, value]) => [
            key,
            Array.isArray(value) ? String(value[0]) : value,
          ]),
        );
        const kubeRequest = decodeKubeRequest({
          method: request.method,
          project,
          location,
          cluster,
          path: `/${request.params['*']}`,
          query,
          accept: request.headers.accept,
          contentType: request.headers['content-type'],
          body: typeof request.body === 'string' ? request.body : undefined,
          serverAddress: request.headers.host ?? '',
        });
        const response = await api.handle(kubeRequest);
        await respond(request, reply, response);
      },
    });
  });
}
