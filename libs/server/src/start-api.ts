import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { GoogleErrorFilter } from '@gke-emulator/common';
import { unimplementedComputeMethod } from '@gke-emulator/compute';
import { CertificateAuthority, ClusterEndpoint } from '@gke-emulator/container';
import type { Database } from '@gke-emulator/db';
import { ConnectivityTestReruns } from '@gke-emulator/effective';
import {
  KubeApi,
  type KubeRequestCheck,
  registerKubernetesApi,
  startKubeControllers,
} from '@gke-emulator/kube';
import { networkInterfaces } from 'node:os';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AbstractGraphQLDriver } from '@nestjs/graphql';
import { ApiModule } from './api.module';
import type { OnDemandMercuriusDriver } from './graphql/on-demand-mercurius.driver';
import { computeAtRoot, configureFastify, FASTIFY_OPTIONS, installRequestGate } from './fastify-wire';
import { RequestGate } from './http/request-gate';
import { registerRequestLog, type RequestLogFormat } from './request-log';

export interface ApiServer {
  app: NestFastifyApplication;
  port: number;
  url: string;
  /** the Kubernetes API's TLS listener: `https://host:port`, every cluster under `/k8s/<project>/<location>/<cluster>` */
  kubeUrl: string;
  kubePort: number;
  /**
   * Builds GraphQL (otherwise built by its first request) and answers one query through it: what a start that
   * writes the code cache runs before saving it, so later starts find GraphQL's code compiled.
   */
  prepareGraphql(): Promise<void>;
  close(): Promise<void>;
}

export interface StartApiOptions {
  database: Database;
  host: string;
  port: number;
  /** port of the Kubernetes API's TLS listener; 0 (the default) picks a free one */
  kubePort?: number;
  logLevel: 'silent' | 'error' | 'info' | 'debug';
  /** host names requests may use beyond loopback names and the listen addresses (`*`: any) */
  allowedHosts?: readonly string[];
  /** when set, every API but the probes wants `Authorization: Bearer <authToken>` */
  authToken?: string;
  /** the request log's lines (at `info` and `debug`); `pretty` by default */
  logFormat?: RequestLogFormat;
}

/** The addresses of every interface: what a listener bound to `0.0.0.0`/`::` is reached by. */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((addresses) => (addresses ?? []).map((a) => a.address));
}

function requestGate(options: StartApiOptions): RequestGate {
  const wildcard = options.host === '0.0.0.0' || options.host === '::';
  return new RequestGate({
    listenHost: options.host,
    localAddresses: wildcard ? interfaceAddresses() : [],
    allowedHosts: options.allowedHosts,
    authToken: options.authToken,
  });
}

/** The request log for a listener, at `info` (one line per request) and `debug` (with bodies). */
function requestLog(fastify: FastifyInstance, options: StartApiOptions, listener?: string): void {
  if (options.logLevel !== 'info' && options.logLevel !== 'debug') return;
  registerRequestLog(fastify, {
    format: options.logFormat ?? 'pretty',
    bodies: options.logLevel === 'debug',
    listener,
  });
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
    ...FASTIFY_OPTIONS,
    rewriteUrl: computeAtRoot,
    // Fastify's own request logs would double the request log (registerRequestLog).
    logger: false,
  });
  const gate = requestGate(options);
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(options.database, gate),
    adapter,
    {
      logger:
        options.logLevel === 'silent'
          ? false
          : options.logLevel === 'debug'
            ? // no 'log': Nest logs its module and route tables there, not what a user debugs
              ['error', 'warn', 'debug']
            : ['error', 'warn'],
      bodyParser: false,
    },
  );
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  configureFastify(fastify);
  installRequestGate(fastify, gate);
  requestLog(fastify, options);
  const kubeCheck = (request: FastifyRequest) => gate.check(request, 'kubernetes');
  await registerKubernetesApi(fastify, app.get(KubeApi), kubeCheck);
  app.useGlobalFilters(new GoogleErrorFilter(unimplementedComputeMethod));
  await app.listen(options.port, options.host);
  const address = app.getHttpAdapter().getInstance().server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const [kube] = await Promise.all([
    startKubeListener(app, options, kubeCheck),
    startKubeControllers(app),
    app.get(ConnectivityTestReruns).start(),
  ]);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    app,
    port,
    url: `http://${host}:${port}`,
    kubeUrl: `https://${host}:${kube.port}`,
    kubePort: kube.port,
    prepareGraphql: async () => {
      const driver = app.get(AbstractGraphQLDriver) as unknown as OnDemandMercuriusDriver;
      const graphql = await driver.graphqlServer();
      await graphql.inject({
        method: 'POST',
        url: '/graphql',
        payload: { query: '{ __schema { types { name } } }' },
      });
    },
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
  check: KubeRequestCheck,
): Promise<{ port: number; close(): Promise<void> }> {
  const hosts = [...new Set(['127.0.0.1', 'localhost', '::1', options.host])].filter(
    (h) => h !== '0.0.0.0' && h !== '::',
  );
  const { cert, key } = await app.get(CertificateAuthority).servingCertificate(hosts);
  const tls = Fastify({
    https: { cert, key },
    logger: false,
    routerOptions: FASTIFY_OPTIONS.routerOptions,
  });
  requestLog(tls as unknown as FastifyInstance, options, 'kube');
  await registerKubernetesApi(tls as unknown as FastifyInstance, app.get(KubeApi), check);
  await tls.listen({ port: options.kubePort ?? 0, host: options.host });
  const address = tls.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.kubePort ?? 0);
  const advertised = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  app.get(ClusterEndpoint).set(advertised, port);
  return { port, close: () => tls.close() };
}
