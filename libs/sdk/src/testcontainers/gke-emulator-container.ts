import { randomBytes } from 'node:crypto';
import {
  AbstractStartedContainer,
  GenericContainer,
  RandomPortGenerator,
  Wait,
  type StartedTestContainer,
} from 'testcontainers';
import type { GkeEmulatorClientOptions } from '../client';
import type { LogLevel } from '../launcher/options';

/** The image `new GkeEmulatorContainer()` runs: the repository's Dockerfile, built as `docker build -t gke-emulator:0.1.0 .` */
export const GKE_EMULATOR_IMAGE = 'gke-emulator:0.1.0';
/** Every API (Compute, GKE, Kubernetes over plain HTTP, GraphQL, the emulator's own) inside the container. */
export const GKE_EMULATOR_PORT = 8085;

/**
 * gke-emulator in a container, in the style of `@testcontainers/postgresql`: `new GkeEmulatorContainer().start()`
 * waits until `GET /readyz` answers 200 (database reachable, migrations applied), then
 * `started.getClientOptions()` aims a `GkeEmulatorClient` at the mapped port.
 *
 * The Kubernetes API over HTTPS listens on the same port number inside and outside the container (a free port of
 * this machine unless `withKubePort`): clusters report `127.0.0.1:<that port>` as their endpoint, and kubeconfigs
 * built from it (`client.kube()`, `kubeconfigPath()`) must work from the host as they are.
 */
export class GkeEmulatorContainer extends GenericContainer {
  private kubePort?: number;
  // Listening on 0.0.0.0 needs a token: a random one unless `withAuthToken`; `getClientOptions()` carries it.
  private authToken = randomBytes(24).toString('base64url');

  constructor(image: string = GKE_EMULATOR_IMAGE) {
    super(image);
    this.withExposedPorts(GKE_EMULATOR_PORT)
      .withEnvironment({ GKE_EMULATOR_HOST: '0.0.0.0', GKE_EMULATOR_PORT: String(GKE_EMULATOR_PORT) })
      .withWaitStrategy(Wait.forHttp('/readyz', GKE_EMULATOR_PORT).forStatusCode(200))
      // The first start initialises the embedded PostgreSQL and applies every migration.
      .withStartupTimeout(120_000);
  }

  /** Use this PostgreSQL (reachable from inside the container) instead of the embedded one. */
  withDatabaseUrl(databaseUrl: string): this {
    return this.withEnvironment({ DATABASE_URL: databaseUrl });
  }

  /** How long new operations stay `RUNNING` (default 0: `DONE` at once). */
  withOperationDelayMs(operationDelayMs: number): this {
    if (!Number.isInteger(operationDelayMs) || operationDelayMs < 0) {
      throw new RangeError(`operationDelayMs must be a non-negative integer, got ${operationDelayMs}`);
    }
    return this.withEnvironment({ GKE_EMULATOR_OPERATION_DELAY_MS: String(operationDelayMs) });
  }

  /** The emulator's own log level (its output is the container's log). */
  withLogLevel(logLevel: LogLevel): this {
    return this.withEnvironment({ GKE_EMULATOR_LOG_LEVEL: logLevel });
  }

  /** The emulator's `--auth-token` (default: a random one). */
  withAuthToken(authToken: string): this {
    if (!/^[\x21-\x7e]{8,}$/.test(authToken)) {
      throw new RangeError('authToken must be at least 8 printable characters without spaces');
    }
    this.authToken = authToken;
    return this;
  }

  /** The port of the Kubernetes API over HTTPS, the same inside the container and on the host. */
  withKubePort(kubePort: number): this {
    if (!Number.isInteger(kubePort) || kubePort < 1 || kubePort > 65535) {
      throw new RangeError(`kubePort must be a port number (1-65535), got ${kubePort}`);
    }
    this.kubePort = kubePort;
    return this;
  }

  protected override async beforeContainerCreated(): Promise<void> {
    this.kubePort ??= await new RandomPortGenerator().generatePort();
    this.withExposedPorts({ container: this.kubePort, host: this.kubePort }).withEnvironment({
      GKE_EMULATOR_KUBE_PORT: String(this.kubePort),
      GKE_EMULATOR_AUTH_TOKEN: this.authToken,
      // Reached as the Docker host is named (`localhost`, or `docker` with a remote engine): the token guards it.
      GKE_EMULATOR_ALLOWED_HOSTS: '*',
    });
  }

  override async start(): Promise<StartedGkeEmulatorContainer> {
    const started = await super.start();
    if (this.kubePort === undefined)
      throw new Error('beforeContainerCreated did not pick the Kubernetes API port');
    return new StartedGkeEmulatorContainer(started, this.kubePort, this.authToken);
  }
}

/** A running gke-emulator container: where it answers on this host. */
export class StartedGkeEmulatorContainer extends AbstractStartedContainer {
  constructor(
    startedTestContainer: StartedTestContainer,
    private readonly kubePort: number,
    private readonly authToken: string,
  ) {
    super(startedTestContainer);
  }

  /** The token every API of the container wants (`Authorization: Bearer`). */
  getAuthToken(): string {
    return this.authToken;
  }

  /** The host port mapped to the emulator's API port. */
  getPort(): number {
    return this.getMappedPort(GKE_EMULATOR_PORT);
  }

  /** The port of the Kubernetes API over HTTPS (the same inside the container and on the host). */
  getKubePort(): number {
    return this.kubePort;
  }

  /** `http://<host>:<mapped port>`: the base URL of every API. */
  getUrl(): string {
    const host = this.getHost();
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.getPort()}`;
  }

  /** Options for `new GkeEmulatorClient(...)` aimed at this container. */
  getClientOptions(): GkeEmulatorClientOptions & { url: string } {
    return { url: this.getUrl(), authToken: this.authToken };
  }
}
