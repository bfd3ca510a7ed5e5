import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  errorBodyFor,
  GoogleErrorFilter,
  GoogleErrors,
  MAX_BODY_BYTES,
  toGoogleError,
} from '@gke-emulator/common';
import { unimplementedComputeMethod } from '@gke-emulator/compute';
import { CertificateAuthority, ClusterEndpoint } from '@gke-emulator/container';
import type { Database } from '@gke-emulator/db';
import { KubeApi, registerKubernetesApi, startKubeControllers } from '@gke-emulator/kube';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiModule } from './api.module';

export interface ApiServer {
  app: NestFastifyApplication;
  port: number;
  url: string;
  /** the Kubernetes API's TLS listener: `https://host:port`, every cluster under `/k8s/<project>/<location>/<cluster>` */
  kubeUrl: string;
  kubePort: number;
  close(): Promise<void>;
}

export interface StartApiOptions {
  database: Database;
  host: string;
  port: number;
  /** port of the Kubernetes API's TLS listener; 0 (the default) picks a free one */
  kubePort?: number;
  logLevel: 'silent' | 'error' | 'info' | 'debug';
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw GoogleErrors.parseError(
      `Invalid JSON payload received. ${error instanceof Error ? error.message : 'Unexpected token.'}`,
    );
  }
}

/**
 * Wire-level behaviour shared by every API: body parsing, size limit, and errors raised before a route runs
 * (unparsable or oversized bodies). Errors inside routes go through GoogleErrorFilter.
 */
function configureFastify(fastify: FastifyInstance): void {
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
}

function sendGoogleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const google = toGoogleError(error);
  if (google.httpStatus >= 500 && google.httpStatus !== 501) request.log.error(error);
  void reply
    .status(google.httpStatus)
    .header('content-type', 'application/json; charset=UTF-8')
    .send(errorBodyFor(request.url, google));
}

/**
 * Fastify binds a route to the error handler in force when the route is registered. Ours is set before Nest
 * registers routes; Nest's own, set after them, would only trigger Fastify's override warning.
 */
class EmulatorFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(): ReturnType<FastifyAdapter['setErrorHandler']> {
    return this.getInstance() as unknown as ReturnType<FastifyAdapter['setErrorHandler']>;
  }
}

export async function startApi(options: StartApiOptions): Promise<ApiServer> {
  const adapter = new EmulatorFastifyAdapter({
    bodyLimit: MAX_BODY_BYTES,
    logger: options.logLevel === 'debug' ? { level: 'debug' } : false,
    // gcloud and the Google clients put ':' verbs and '$alt' parameters in URLs.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Malformed URLs are rejected by the router before any handler: answer them in Google's shape too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      sendGoogleError(error, request, reply),
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(options.database), adapter, {
    logger:
      options.logLevel === 'silent'
        ? false
        : options.logLevel === 'debug'
          ? ['error', 'warn', 'log', 'debug']
          : ['error', 'warn'],
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  configureFastify(fastify);
  await registerKubernetesApi(fastify, app.get(KubeApi));
  app.useGlobalFilters(new GoogleErrorFilter(unimplementedComputeMethod));
  await app.listen(options.port, options.host);
  const address = app.getHttpAdapter().getInstance().server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const [kube] = await Promise.all([startKubeListener(app, options), startKubeControllers(app)]);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    app,
    port,
    url: `http://${host}:${port}`,
    kubeUrl: `https://${host}:${kube.port}`,
    kubePort: kube.port,
    close: async () => {
      await kube.close();
      await app.close();
    },
  };
}

/**
 * The Kubernetes API over HTTPS (kubectl needs TLS), with a certificate signed by the CA clusters report, so the
 * kubeconfig `gcloud container clusters get-credentials` writes works as it is.
 */
async function startKubeListener(
  app: NestFastifyApplication,
  options: StartApiOptions,
): Promise<{ port: number; close(): Promise<void> }> {
  const hosts = [...new Set(['127.0.0.1', 'localhost', '::1', options.host])].filter(
    (h) => h !== '0.0.0.0' && h !== '::',
  );
  const { cert, key } = await app.get(CertificateAuthority).servingCertificate(hosts);
  const tls = Fastify({
    https: { cert, key },
    logger: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });
  await registerKubernetesApi(tls as unknown as FastifyInstance, app.get(KubeApi));
  await tls.listen({ port: options.kubePort ?? 0, host: options.host });
  const address = tls.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.kubePort ?? 0);
  const advertised = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  app.get(ClusterEndpoint).set(advertised, port);
  return { port, close: () => tls.close() };
}
