import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Logger, Optional } from '@nestjs/common';
import { AbstractGraphQLDriver, GraphQLSchemaHost } from '@nestjs/graphql';
import type { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import { errorBodyFor, toGoogleError } from '@gke-emulator/common';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { configureFastify, FASTIFY_OPTIONS, graphqlRefusalBody } from '../fastify-wire';
import { RequestGate, type Refusal } from '../http/request-gate';
import { measureQuery, querySizeError, queryLimitErrors } from './query-limits';

/**
 * Mercurius, built the first time GraphQL is used rather than at every start.
 *
 * Nest's code-first schema and Mercurius with its route validators took about a third of the emulator's start
 * (~350 ms of ~1.3 s), paid also by the many runs that only use the REST APIs and kubectl. This driver registers
 * `path` on the main Fastify instance as a pass-through: the first GraphQL request (or WebSocket upgrade for a
 * subscription) builds the schema and a second Fastify instance, never listening, with Mercurius registered by
 * Nest's own MercuriusDriver code; that request and every later one are handed to it raw, before any body parsing,
 * so GraphQL sees the request exactly as it would on the main instance. `schema()` builds it on demand too
 * (print-graphql-schema). Mercurius and its WebSocket stack are loaded then, not at start.
 */
export class OnDemandMercuriusDriver extends AbstractGraphQLDriver<MercuriusDriverConfig> {
  @Inject(GraphQLSchemaHost)
  private readonly schemaHost!: GraphQLSchemaHost;
  @Optional()
  @Inject(RequestGate)
  private readonly gate?: RequestGate;
  private readonly logger = new Logger('GraphQL');
  private schemaOptions?: MercuriusDriverConfig;
  private serverOptions?: MercuriusDriverConfig;
  private server?: Promise<FastifyInstance>;
  private mercurius?: MercuriusDriver;
  private stopped = false;

  /** GraphQLModule asks for the schema at init: keep its options and build it with the server. */
  override generateSchema(options: MercuriusDriverConfig): null {
    this.schemaOptions = options;
    return null;
  }

  override async start(options: MercuriusDriverConfig): Promise<void> {
    this.serverOptions = options;
    const path = options.path ?? '/graphql';
    const main = this.httpAdapterHost.httpAdapter.getInstance<FastifyInstance>();
    main.route({
      method: ['GET', 'POST'],
      url: path,
      // Runs before the body is read: the GraphQL instance reads the request itself. The lifecycle of the main
      // instance stops here (hijacked, `done` never called).
      onRequest: (request, reply) => {
        reply.hijack();
        // A body over the limit is refused on its headers, before it is read and parsed: a 660 KB body cost ~10 ms
        // of the event loop to parse before the length check refused its query. Chunked bodies meet the same limit
        // when the GraphQL instance reads them (its bodyLimit).
        const length = Number(request.headers['content-length'] ?? 0);
        if (length > GRAPHQL_MAX_BODY_BYTES) return answerTooLarge(request.raw, reply.raw, length);
        this.graphqlServer().then(
          (graphql) => graphql.routing(request.raw, reply.raw),
          (error: unknown) => answerWithError(request.raw, reply.raw, error),
        );
      },
      handler: () => undefined,
    });
    main.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = (request.url ?? '').split('?')[0].replace(/(.)\/$/, '$1');
      if (pathname !== path) {
        socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      // Browsers send any page's Origin on a WebSocket upgrade and no CORS applies: the gate decides (Host, Origin;
      // a token in `Authorization` or, for browsers, in the connection_init payload, see build()).
      const refusal = this.gate?.checkConnection(gated(request)) ?? this.upgradeAuthorization(request);
      if (refusal) {
        refuseUpgrade(socket, refusal);
        return;
      }
      const onError = () => socket.destroy();
      socket.on('error', onError);
      this.graphqlServer().then(
        (graphql) => {
          socket.off('error', onError);
          graphql.server.emit('upgrade', request, socket, head);
        },
        () => socket.destroy(),
      );
    });
  }

  /** A present but wrong `Authorization` is refused at once; a missing one waits for connection_init. */
  private upgradeAuthorization(request: IncomingMessage): Refusal | undefined {
    if (!this.gate || request.headers.authorization === undefined) return undefined;
    return this.gate.checkAuthorization(gated(request));
  }

  /** The schema the GraphQL server serves (built on first call). */
  async schema(): Promise<GraphQLSchema> {
    await this.graphqlServer();
    return this.schemaHost.schema;
  }

  /** The Fastify instance with Mercurius, built on the first call. */
  graphqlServer(): Promise<FastifyInstance> {
    if (this.stopped) return Promise.reject(new Error('the GraphQL server is stopped'));
    this.server ??= this.build().catch((error: unknown) => {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      throw error;
    });
    return this.server;
  }

  /** Nest calls this while building the schema, for subscriptions with a `filter`. */
  override subscriptionWithFilter(
    instanceRef: unknown,
    filterFn: (payload: unknown, variables: unknown, context: unknown) => boolean | Promise<boolean>,
    createSubscribeContext: () => unknown,
  ): unknown {
    if (!this.mercurius) throw new Error('the GraphQL schema is built before Mercurius is loaded');
    return this.mercurius.subscriptionWithFilter(instanceRef, filterFn, createSubscribeContext);
  }

  override async stop(): Promise<void> {
    this.stopped = true;
    const graphql = await this.server?.catch(() => undefined);
    await graphql?.close();
  }

  private async build(): Promise<FastifyInstance> {
    if (!this.schemaOptions || !this.serverOptions)
      throw new Error('GraphQLModule has not started the driver');
    const graphql = Fastify({
      ...FASTIFY_OPTIONS,
      bodyLimit: GRAPHQL_MAX_BODY_BYTES,
      loggerInstance: this.httpAdapterHost.httpAdapter.getInstance<FastifyInstance>().log,
    });
    configureFastify(graphql as unknown as FastifyInstance);
    // Nest's MercuriusDriver, with this driver's injected services, registering on the GraphQL instance.
    const { MercuriusDriver } = await import('@nestjs/mercurius');
    const mercurius = Object.assign(new MercuriusDriver(), {
      httpAdapterHost: { httpAdapter: { getType: () => 'fastify', getInstance: () => graphql } },
      applicationConfig: this.applicationConfig,
      graphQlFactory: this.graphQlFactory,
      resolverDecoratorHost: this.resolverDecoratorHost,
    });
    this.mercurius = mercurius;
    const schema = await this.graphQlFactory.generateSchema(this.schemaOptions);
    this.schemaHost.schema = schema;
    // mergeDefaultOptions is where MercuriusDriver wraps the context function (GraphQLModule called ours).
    const serverOptions = await mercurius.mergeDefaultOptions({
      ...this.serverOptions,
      schema,
      ...(this.gate?.authRequired
        ? { subscription: subscriptionWithAuth(this.gate, this.serverOptions) }
        : {}),
    });
    await mercurius.start(serverOptions);
    limitQueries(graphql as unknown as FastifyInstance);
    await graphql.ready();
    if (this.stopped) {
      await graphql.close();
      throw new Error('the GraphQL server is stopped');
    }
    return graphql as unknown as FastifyInstance;
  }
}

interface MercuriusHooks {
  graphql: {
    addHook(
      name: 'preParsing' | 'preSubscriptionParsing',
      hook: (schema: GraphQLSchema, source: string) => Promise<void>,
    ): void;
    addHook(
      name: 'preValidation' | 'preSubscriptionExecution',
      hook: (schema: GraphQLSchema, document: DocumentNode) => Promise<void>,
    ): void;
  };
}

/**
 * Depth, alias and cost limits (query-limits.ts), checked before graphql-js validates the document, for queries
 * and mutations over HTTP (the error formatter lists an error's `errors`, as for Mercurius's own validation
 * errors) and subscriptions over WebSocket.
 */
function limitQueries(graphql: FastifyInstance): void {
  const hooks = (graphql as unknown as MercuriusHooks).graphql;
  const overLimits = (errors: GraphQLError[]) =>
    Object.assign(new Error('the query is over the limits'), { errors, statusCode: 400 });
  hooks.addHook('preParsing', async (_schema: GraphQLSchema, source: string) => {
    const error = querySizeError(source);
    if (error) throw overLimits([error]);
  });
  hooks.addHook('preSubscriptionParsing', async (_schema: GraphQLSchema, source: string) => {
    const error = querySizeError(source);
    if (error) throw error;
  });
  hooks.addHook('preValidation', async (schema, document) => {
    const errors = queryLimitErrors(measureQuery(schema, document));
    if (errors.length > 0) throw overLimits(errors);
  });
  // Over WebSocket, Mercurius sends the thrown error itself as the subscription's error.
  hooks.addHook('preSubscriptionExecution', async (schema, document) => {
    const [first] = queryLimitErrors(measureQuery(schema, document));
    if (first) throw first;
  });
}

function gated(request: IncomingMessage) {
  return { method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers };
}

function refuseUpgrade(socket: Duplex, refusal: Refusal): void {
  const body = graphqlRefusalBody(refusal);
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\nconnection: close\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Subscriptions with a token: the upgrade's `Authorization` header (checked at the upgrade) or, from a browser
 * (which cannot set headers on a WebSocket), `Authorization` in the connection_init payload (graphql-ws
 * `connectionParams`). Mercurius calls onConnect as a method of the connection, whose context holds the upgrade
 * request.
 */
function subscriptionWithAuth(gate: RequestGate, options: MercuriusDriverConfig) {
  const configured = typeof options.subscription === 'object' ? options.subscription : {};
  return {
    ...configured,
    onConnect(
      this: { context?: { request?: IncomingMessage } },
      data: { payload?: Record<string, unknown> | null },
    ): boolean {
      const payload = data.payload ?? {};
      const fromPayload = payload['Authorization'] ?? payload['authorization'];
      const given =
        this.context?.request?.headers.authorization ??
        (typeof fromPayload === 'string' ? fromPayload : undefined);
      return gate.authorization(given) === 'ok';
    },
  };
}

/**
 * The largest GraphQL request body read. A query is at most `QUERY_LIMITS.maxLength` characters (32 KiB, up to six
 * bytes each once escaped in JSON) and the schema's inputs are small structured values; 256 KiB leaves room for
 * both with their variables.
 */
export const GRAPHQL_MAX_BODY_BYTES = 256 * 1024;

/**
 * How long a connection refused for its body size stays open, unread, so that its client reads the 413: long enough
 * for a busy client on this machine or a container next to it, short enough that few linger at once.
 */
const LINGER_MS = 500;
/**
 * At most this many refused connections linger at once (each holds up to a socket receive buffer, ~128 KiB); past
 * it they are answered and closed as Node closes them. 8 clients sending 660 KB bodies back to back reached ~150.
 */
const MAX_LINGERING = 512;
let lingering = 0;

function answerTooLarge(request: IncomingMessage, response: ServerResponse, length: number): void {
  const body = JSON.stringify({
    data: null,
    errors: [
      {
        message: `The request body is ${length} bytes; at most ${GRAPHQL_MAX_BODY_BYTES} are allowed.`,
        extensions: { code: 'REQUEST_TOO_LARGE', limit: GRAPHQL_MAX_BODY_BYTES, found: length },
      },
    ],
  });
  const socket = request.socket;
  if (lingering >= MAX_LINGERING || socket.destroyed || !socket.writable) {
    response.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
    response.end(body);
    return;
  }
  // A lingering close. Ending the response through Node would have it read and parse the rest of the body to discard
  // it (8 clients uploading 660 KB back to back kept the event loop busy doing so), then close the socket with that
  // body unread, which resets the connection, sometimes before the client has read the 413. Instead the answer goes
  // out on the socket itself and the request is left unread: Node stops reading the socket once the unread body fills
  // the request's buffer, so the rest costs nothing, and the socket is closed a second later, when the client has
  // long read the answer.
  lingering++;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => {
    clearTimeout(timer);
    lingering--;
  });
  socket.end(
    'HTTP/1.1 413 Payload Too Large\r\n' +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
}

function answerWithError(request: IncomingMessage, response: ServerResponse, error: unknown): void {
  if (response.headersSent) return void response.destroy();
  const google = toGoogleError(error);
  response.writeHead(google.httpStatus, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(errorBodyFor(request.url ?? '/', google)));
}
