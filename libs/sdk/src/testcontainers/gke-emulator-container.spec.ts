// The container definition, its wait strategy and the options it hands a client, checked without a Docker engine:
// nothing here calls `start()` (the one method that reaches Docker), so the test never waits on an engine.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedTestContainer } from 'testcontainers';
import { describe, expect, it } from 'vitest';
import { GkeEmulatorClient } from '../client';
import {
  GKE_EMULATOR_IMAGE,
  GKE_EMULATOR_PORT,
  GkeEmulatorContainer,
  StartedGkeEmulatorContainer,
} from './index';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** What `start()` would send to Docker, read from the built object (GenericContainer keeps it in protected fields). */
interface ContainerDefinition {
  imageName: { string: string; registry?: string; image: string; tag: string };
  exposedPorts: (number | { container: number; host: number })[];
  environment: Record<string, string>;
  createOpts: { ExposedPorts?: Record<string, unknown>; Env?: string[] };
  hostConfig: { PortBindings?: Record<string, { HostPort: string }[]> };
  startupTimeoutMs?: number;
  waitStrategy: {
    constructor: { name: string };
    path: string;
    port: number;
    predicates: ((response: { status: number }) => Promise<boolean>)[];
  };
  beforeContainerCreated(): Promise<void>;
}

function definitionOf(container: GkeEmulatorContainer): ContainerDefinition {
  return container as unknown as ContainerDefinition;
}

/** A started container as testcontainers hands it over, with Docker's answers made up. */
function startedStandIn(host: string, mappedPorts: Record<number, number>): StartedTestContainer {
  const standIn: Partial<StartedTestContainer> = {
    getHost: () => host,
    getMappedPort: ((port: number) => {
      const mapped = mappedPorts[port];
      if (mapped === undefined) throw new Error(`port ${port} is not mapped`);
      return mapped;
    }) as StartedTestContainer['getMappedPort'],
  };
  return standIn as StartedTestContainer;
}

describe('GkeEmulatorContainer', () => {
  it('runs the image of this version, exposes the API port and listens on every interface', () => {
    const definition = definitionOf(new GkeEmulatorContainer());
    const rootPackage = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(GKE_EMULATOR_IMAGE).toBe(`gke-emulator:${rootPackage.version}`);
    expect(definition.imageName.string).toBe('gke-emulator:0.1.0');
    expect(definition.exposedPorts).toEqual([8085]);
    expect(definition.createOpts.ExposedPorts).toEqual({ '8085/tcp': {} });
    expect(definition.environment).toEqual({ GKE_EMULATOR_HOST: '0.0.0.0', GKE_EMULATOR_PORT: '8085' });
    expect(definition.startupTimeoutMs).toBe(120_000);
  });

  it('takes another image and tag', () => {
    const definition = definitionOf(new GkeEmulatorContainer('registry.example.com/team/gke-emulator:1.2.3'));
    expect(definition.imageName.string).toBe('registry.example.com/team/gke-emulator:1.2.3');
    expect(definition.imageName.registry).toBe('registry.example.com');
    expect(definition.imageName.tag).toBe('1.2.3');
  });

  it('waits for GET /readyz on the API port to answer 200', async () => {
    const { waitStrategy } = definitionOf(new GkeEmulatorContainer());
    expect(waitStrategy.constructor.name).toBe('HttpWaitStrategy');
    expect(waitStrategy.path).toBe('/readyz');
    expect(waitStrategy.port).toBe(GKE_EMULATOR_PORT);
    const verdicts = async (status: number) =>
      (await Promise.all(waitStrategy.predicates.map((accepts) => accepts({ status })))).every(Boolean);
    expect(await verdicts(200)).toBe(true);
    // /readyz answers 503 while the database is unreachable or migrations are running.
    expect(await verdicts(503)).toBe(false);
  });

  it('agrees with the Dockerfile: the port it exposes and the readiness path of its health check', () => {
    const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${GKE_EMULATOR_PORT}$`, 'm'));
    expect(dockerfile).toMatch(new RegExp(`GKE_EMULATOR_PORT=${GKE_EMULATOR_PORT}\\b`));
    expect(dockerfile).toMatch(new RegExp(`^HEALTHCHECK .*127\\.0\\.0\\.1:${GKE_EMULATOR_PORT}/readyz`, 'm'));
  });

  it('sets the emulator variables of its options, and rejects values the emulator would refuse', () => {
    const container = new GkeEmulatorContainer()
      .withDatabaseUrl('postgresql://postgres:postgres@db:5432/gke')
      .withOperationDelayMs(250)
      .withLogLevel('debug');
    expect(definitionOf(container).environment).toMatchObject({
      DATABASE_URL: 'postgresql://postgres:postgres@db:5432/gke',
      GKE_EMULATOR_OPERATION_DELAY_MS: '250',
      GKE_EMULATOR_LOG_LEVEL: 'debug',
    });
    expect(() => new GkeEmulatorContainer().withOperationDelayMs(-1)).toThrow(RangeError);
    expect(() => new GkeEmulatorContainer().withOperationDelayMs(1.5)).toThrow(RangeError);
    expect(() => new GkeEmulatorContainer().withKubePort(0)).toThrow(RangeError);
    expect(() => new GkeEmulatorContainer().withKubePort(70_000)).toThrow(RangeError);
  });

  it('binds the Kubernetes API port to the same number on the host, so cluster endpoints work from the host', async () => {
    const definition = definitionOf(new GkeEmulatorContainer().withKubePort(18443));
    await definition.beforeContainerCreated();
    expect(definition.exposedPorts).toEqual([8085, { container: 18443, host: 18443 }]);
    expect(definition.hostConfig.PortBindings?.['18443/tcp']).toEqual([{ HostPort: '18443' }]);
    expect(definition.environment['GKE_EMULATOR_KUBE_PORT']).toBe('18443');
  });

  it('starts the emulator with a random auth token (it listens on 0.0.0.0), or the one given', async () => {
    const [a, b] = [definitionOf(new GkeEmulatorContainer()), definitionOf(new GkeEmulatorContainer())];
    await Promise.all([a.beforeContainerCreated(), b.beforeContainerCreated()]);
    expect(a.environment['GKE_EMULATOR_AUTH_TOKEN']).toMatch(/^[\w-]{32}$/);
    expect(a.environment['GKE_EMULATOR_AUTH_TOKEN']).not.toBe(b.environment['GKE_EMULATOR_AUTH_TOKEN']);
    expect(a.environment['GKE_EMULATOR_ALLOWED_HOSTS']).toBe('*');
    const given = definitionOf(new GkeEmulatorContainer().withAuthToken('team-token-123'));
    await given.beforeContainerCreated();
    expect(given.environment['GKE_EMULATOR_AUTH_TOKEN']).toBe('team-token-123');
    expect(() => new GkeEmulatorContainer().withAuthToken('short')).toThrow(RangeError);
  });

  it('picks a free port of this machine for the Kubernetes API when none is given', async () => {
    const definition = definitionOf(new GkeEmulatorContainer());
    await definition.beforeContainerCreated();
    const kubePort = Number(definition.environment['GKE_EMULATOR_KUBE_PORT']);
    expect(kubePort).toBeGreaterThan(0);
    expect(kubePort).not.toBe(GKE_EMULATOR_PORT);
    expect(definition.exposedPorts).toContainEqual({ container: kubePort, host: kubePort });
  });
});

describe('StartedGkeEmulatorContainer', () => {
  it('gives the mapped URL as options a GkeEmulatorClient takes', () => {
    const started = new StartedGkeEmulatorContainer(
      startedStandIn('localhost', { 8085: 49153 }),
      18443,
      'the-token-0123',
    );
    expect(started.getPort()).toBe(49153);
    expect(started.getKubePort()).toBe(18443);
    expect(started.getUrl()).toBe('http://localhost:49153');
    expect(started.getAuthToken()).toBe('the-token-0123');
    expect(started.getClientOptions()).toEqual({
      url: 'http://localhost:49153',
      authToken: 'the-token-0123',
    });
    expect(new GkeEmulatorClient(started.getClientOptions()).url).toBe('http://localhost:49153');
  });

  it('brackets an IPv6 Docker host', () => {
    const started = new StartedGkeEmulatorContainer(
      startedStandIn('::1', { 8085: 32768 }),
      18443,
      'x'.repeat(8),
    );
    expect(started.getUrl()).toBe('http://[::1]:32768');
  });
});
