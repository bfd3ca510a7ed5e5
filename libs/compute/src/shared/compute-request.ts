import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GoogleErrors } from '@gke-emulator/common';
import type { ComputeContext, ListQuery } from './compute-context';

/** The parts of a Fastify request a Compute controller reads. */
export interface IncomingRequest {
  protocol: string;
  headers: Record<string, string | string[] | undefined>;
  url: string;
  /** the URL the client sent, when the server rewrote it (Compute paths at the root: see fastify-wire.ts) */
  originalUrl?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Links are built on the base the client used, so a client aimed at the emulator follows them to it. */
export function computeContext(request: IncomingRequest, project: string): ComputeContext {
  const host = String(request.headers['x-forwarded-host'] ?? request.headers['host'] ?? 'localhost');
  const proto = String(request.headers['x-forwarded-proto'] ?? request.protocol ?? 'http');
  return { project, base: `${proto}://${host}/compute/v1/` };
}

export function requestIdOf(query: Record<string, unknown>): string | undefined {
  const value = query['requestId'];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !UUID.test(value) || /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(value)) {
    throw GoogleErrors.invalidFieldValue(
      'requestId',
      value,
      'The request ID must be a valid UUID with the exception that zero UUID is not supported.',
    );
  }
  return value.toLowerCase();
}

export function listQueryOf(query: Record<string, unknown>): ListQuery {
  const pick = (key: string) => (typeof query[key] === 'string' ? (query[key] as string) : undefined);
  return {
    filter: pick('filter'),
    orderBy: pick('orderBy'),
    maxResults: pick('maxResults'),
    pageToken: pick('pageToken'),
  };
}

/** The list envelope Compute returns (`items` only when there are some). */
export function listEnvelope(
  kind: string,
  ctx: ComputeContext,
  collectionPath: string,
  page: { items: unknown; nextPageToken?: string },
) {
  const hasItems = Array.isArray(page.items) ? page.items.length > 0 : true;
  return {
    kind,
    id: `projects/${ctx.project}/${collectionPath}`,
    ...(hasItems ? { items: page.items } : {}),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    selfLink: `${ctx.base}projects/${ctx.project}/${collectionPath}`,
  };
}

interface RoutedRequest extends IncomingRequest {
  params?: Record<string, string | undefined>;
  query?: Record<string, unknown>;
}
const routed = (context: ExecutionContext) => context.switchToHttp().getRequest<RoutedRequest>();

/** Handler parameter: the request's `ComputeContext` for the route's `:project`. */
export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): ComputeContext => {
  const request = routed(context);
  return computeContext(request, String(request.params?.['project'] ?? ''));
});

/** Handler parameter: the `requestId` query parameter, checked as Google checks it (`requestIdOf`). */
export const RequestId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined => requestIdOf(routed(context).query ?? {}),
);

/** Handler parameter: the list query parameters (`listQueryOf`). */
export const ListParams = createParamDecorator((_data: unknown, context: ExecutionContext): ListQuery =>
  listQueryOf(routed(context).query ?? {}),
);
