// The request log: at `info`, one line per request (method, path, status, milliseconds, project), as LocalStack and
// Google's emulators print; at `debug`, the request and response bodies too. `pretty` for people, `json` for tools.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type RequestLogFormat = 'pretty' | 'json';

export interface RequestLogEntry {
  time: Date;
  method: string;
  /** the path and query as the client sent them */
  path: string;
  status: number;
  ms: number;
  /** the project the request is about, when its path or query names one */
  project?: string;
  /** `kube` for the Kubernetes API's TLS listener */
  listener?: string;
  requestBody?: string;
  responseBody?: string;
}

/** The project a request is about: `/compute/v1/projects/p/…`, `/v1/projects/p/…`, `/k8s/p/…`, `?project=p`. */
export function projectOf(url: string): string | undefined {
  const [path = '', query = ''] = url.split('?', 2);
  const fromPath = /\/projects\/([^/]+)/.exec(path)?.[1] ?? /^\/k8s\/([^/]+)/.exec(path)?.[1];
  if (fromPath) return decodeURIComponent(fromPath);
  const fromQuery = new URLSearchParams(query).get('project');
  return fromQuery || undefined;
}

/** Bodies longer than this are cut in the debug log (a kube-proxy iptables text runs to megabytes). */
export const BODY_LIMIT = 2048;

export function clip(body: string): string {
  return body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT)}… (${body.length} characters)` : body;
}

/** One line, without its newline. */
export function formatRequestLine(entry: RequestLogEntry, format: RequestLogFormat): string {
  const ms = Math.round(entry.ms * 10) / 10;
  if (format === 'json') {
    return JSON.stringify({
      time: entry.time.toISOString(),
      method: entry.method,
      path: entry.path,
      status: entry.status,
      ms,
      ...(entry.project !== undefined && { project: entry.project }),
      ...(entry.listener !== undefined && { listener: entry.listener }),
      ...(entry.requestBody !== undefined && { requestBody: entry.requestBody }),
      ...(entry.responseBody !== undefined && { responseBody: entry.responseBody }),
    });
  }
  const time = entry.time.toISOString().slice(11, 23);
  const parts = [time, entry.method.padEnd(6), entry.path, String(entry.status), `${ms}ms`];
  if (entry.project !== undefined) parts.push(`project=${entry.project}`);
  if (entry.listener !== undefined) parts.push(`(${entry.listener})`);
  let line = parts.join(' ');
  if (entry.requestBody !== undefined) line += `\n  request: ${entry.requestBody}`;
  if (entry.responseBody !== undefined) line += `\n  response: ${entry.responseBody}`;
  return line;
}

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (typeof body === 'object' && typeof (body as { pipe?: unknown }).pipe === 'function') return '(stream)';
  try {
    return JSON.stringify(body);
  } catch {
    return String(body);
  }
}

export interface RequestLogOptions {
  format: RequestLogFormat;
  /** add the request and response bodies (`--log-level debug`) */
  bodies: boolean;
  listener?: string;
  write?: (line: string) => void;
}

const STARTED = Symbol('gke-emulator.request-started');
const RESPONSE = Symbol('gke-emulator.response-body');
type Timed = FastifyRequest & { [STARTED]?: bigint; [RESPONSE]?: string };

/** Logs every request the Fastify instance answers. */
export function registerRequestLog(fastify: FastifyInstance, options: RequestLogOptions): void {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  fastify.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    (request as Timed)[STARTED] = process.hrtime.bigint();
    done();
  });
  if (options.bodies) {
    fastify.addHook(
      'onSend',
      (
        request: FastifyRequest,
        _reply: FastifyReply,
        payload: unknown,
        done: (e: null, p: unknown) => void,
      ) => {
        const text = bodyText(payload);
        if (text !== undefined) (request as Timed)[RESPONSE] = clip(text);
        done(null, payload);
      },
    );
  }
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const started = (request as Timed)[STARTED];
    const ms = started === undefined ? 0 : Number(process.hrtime.bigint() - started) / 1e6;
    const requestBody = options.bodies ? bodyText(request.body) : undefined;
    write(
      formatRequestLine(
        {
          time: new Date(),
          method: request.method,
          path: request.originalUrl,
          status: reply.statusCode,
          ms,
          project: projectOf(request.originalUrl),
          listener: options.listener,
          requestBody: requestBody === undefined ? undefined : clip(requestBody),
          responseBody: (request as Timed)[RESPONSE],
        },
        options.format,
      ),
    );
    done();
  });
}
