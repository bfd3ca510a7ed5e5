import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { GkeEmulatorClient } from './client';
import { GkeEmulatorError, GkeEmulatorGraphqlError, GkeEmulatorUnavailableError } from './errors';
import type { DocumentTypeDecoration } from './graphql-document';

/** A stand-in for the emulator's HTTP API: records requests, answers from `routes`. */
interface Seen {
  method: string;
  url: string;
  body: string;
}
type Route = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const seen: Seen[] = [];
const routes = new Map<string, Route>();
let server: Server;
let url: string;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      const path = (req.url ?? '').split('?')[0] ?? '';
      const route = routes.get(`${req.method} ${path}`);
      if (route) route(req, body, res);
      else json(res, 404, { error: { code: 404, message: `no route ${path}`, status: 'NOT_FOUND' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What graphql-codegen's client preset generates with `documentMode: 'string'`. */
class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  declare __apiType?: (variables: TVariables) => TResult;
}

function lastRequest(): Seen {
  return seen[seen.length - 1] as Seen;
}

describe('GkeEmulatorClient', () => {
  it('needs a URL, from the option or GKE_EMULATOR_URL, and names it', () => {
    const saved = process.env['GKE_EMULATOR_URL'];
    delete process.env['GKE_EMULATOR_URL'];
    try {
      expect(() => new GkeEmulatorClient()).toThrow(/^url: required/);
      expect(() => new GkeEmulatorClient({ url: 'nope' })).toThrow(/^url: "nope" is not a URL/);
      expect(() => new GkeEmulatorClient({ url: 'ftp://x' })).toThrow(/^url: .* not an http/);
      process.env['GKE_EMULATOR_URL'] = 'http://127.0.0.1:1/';
      expect(new GkeEmulatorClient().url).toBe('http://127.0.0.1:1');
    } finally {
      if (saved === undefined) delete process.env['GKE_EMULATOR_URL'];
      else process.env['GKE_EMULATOR_URL'] = saved;
    }
  });

  it('resets everything or one project', async () => {
    routes.set('POST /emulator/v1/reset', (_req, _body, res) => json(res, 200, { deleted: 3 }));
    const client = new GkeEmulatorClient({ url });
    expect(await client.reset()).toEqual({ deleted: 3 });
    expect(lastRequest().body).toBe('{}');
    await client.reset({ project: 'demo-project' });
    expect(JSON.parse(lastRequest().body)).toEqual({ project: 'demo-project' });
  });

  it('reads and updates settings, emulator-wide or per project', async () => {
    routes.set('GET /emulator/v1/settings', (_req, _body, res) =>
      json(res, 200, { operationDelayMs: 0, podReadyDelayMs: 0 }),
    );
    routes.set('PATCH /emulator/v1/settings', (_req, body, res) =>
      json(res, 200, { operationDelayMs: 0, podReadyDelayMs: 0, ...JSON.parse(body) }),
    );
    const client = new GkeEmulatorClient({ url });
    expect(await client.settings.get()).toEqual({ operationDelayMs: 0, podReadyDelayMs: 0 });
    expect(lastRequest().url).toBe('/emulator/v1/settings');
    const updated = await client.settings.update({ operationDelayMs: 250 }, { project: 'p-123456' });
    expect(updated.operationDelayMs).toBe(250);
    expect(lastRequest()).toMatchObject({ method: 'PATCH', url: '/emulator/v1/settings?project=p-123456' });
  });

  it('turns Google error bodies into GkeEmulatorError with status and body', async () => {
    const body = {
      error: { code: 400, message: 'Invalid value for field', status: 'INVALID_ARGUMENT', errors: [] },
    };
    routes.set('PATCH /emulator/v1/settings', (_req, _body, res) => json(res, 400, body));
    const error = await new GkeEmulatorClient({ url }).settings
      .update({ operationDelayMs: -1 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(GkeEmulatorError);
    expect(error.status).toBe(400);
    expect(error.body).toEqual(body);
    expect(error.reason).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('PATCH /emulator/v1/settings: 400 Invalid value for field');
  });

  it('waits for convergence by polling, and names timeoutMs when it does not come', async () => {
    let calls = 0;
    routes.set('GET /emulator/v1/dataplane', (_req, _body, res) => {
      calls += 1;
      const current = calls >= 3;
      json(res, 200, {
        converged: current,
        clusters: [
          {
            project: 'p',
            location: 'l',
            cluster: 'c',
            generation: '2',
            observedGeneration: current ? '2' : '1',
            current,
          },
        ],
      });
    });
    const client = new GkeEmulatorClient({ url });
    const status = await client.waitForConvergence({ project: 'p-123456', intervalMs: 1 });
    expect(status.converged).toBe(true);
    expect(calls).toBe(3);
    expect(lastRequest().url).toBe('/emulator/v1/dataplane?project=p-123456');

    calls = -1_000_000;
    await expect(client.waitForConvergence({ timeoutMs: 30, intervalMs: 5 })).rejects.toThrow(
      /^timeoutMs: the data plane did not converge within 30 ms; behind: p\/l\/c at 1 of 2/,
    );
  });

  it.each([0, -1, NaN])('rejects timeoutMs %s before asking anything', async (timeoutMs) => {
    const before = seen.length;
    await expect(new GkeEmulatorClient({ url }).waitForConvergence({ timeoutMs })).rejects.toThrow(
      /^timeoutMs: must be a positive number/,
    );
    expect(seen.length).toBe(before);
  });

  it('reads iptables as text with its freshness headers, and other data-plane reads as JSON', async () => {
    const node = '/emulator/v1/projects/p-123456/locations/us-central1-a/clusters/c1/nodes/n%201';
    routes.set(`GET ${node}/iptables`, (_req, _body, res) => {
      res
        .writeHead(200, {
          'content-type': 'text/plain',
          'x-generation': '7',
          'x-observed-generation': '6',
          'x-current': 'false',
        })
        .end('*filter\nCOMMIT\n');
    });
    routes.set(`GET ${node}/iptables/trace`, (_req, _body, res) => json(res, 200, { verdict: 'ACCEPT' }));
    routes.set(
      'GET /emulator/v1/projects/p-123456/locations/us-central1-a/clusters/c1/reachability',
      (_r, _b, res) => json(res, 200, { pods: [], allowed: {} }),
    );
    const client = new GkeEmulatorClient({ url });
    const ref = { project: 'p-123456', location: 'us-central1-a', cluster: 'c1', node: 'n 1' };
    expect(await client.dataplane.iptables(ref)).toEqual({
      text: '*filter\nCOMMIT\n',
      generation: '7',
      observedGeneration: '6',
      current: false,
    });
    expect(await client.dataplane.trace({ ...ref, src: '10.0.0.1', dst: '10.8.0.10', dport: 80 })).toEqual({
      verdict: 'ACCEPT',
    });
    expect(lastRequest().url).toBe(`${node}/iptables/trace?src=10.0.0.1&dst=10.8.0.10&dport=80`);
    await client.dataplane.reachability({ ...ref, namespaces: ['a', 'b'], port: 80, protocol: 'UDP' });
    expect(lastRequest().url).toMatch(/reachability\?namespaces=a%2Cb&port=80&protocol=UDP$/);
  });

  it('runs GraphQL documents, typed ones carrying their result type', async () => {
    routes.set('POST /graphql', (_req, body, res) => {
      const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, unknown> };
      if (query.includes('broken')) json(res, 200, { errors: [{ message: 'Cannot query field "broken"' }] });
      else json(res, 200, { data: { echo: { query, variables } } });
    });
    const client = new GkeEmulatorClient({ url });
    const typed = new TypedDocumentString<{ echo: { query: string } }, { p: string }>(
      'query Q($p: String!) { networks(project: $p) { name } }',
    );
    const result = await client.graphql(typed, { p: 'x' });
    expectTypeOf(result).toEqualTypeOf<{ echo: { query: string } }>();
    expect(result.echo.query).toContain('networks(project: $p)');
    const untyped = await client.graphql('{ a }');
    expectTypeOf(untyped).toEqualTypeOf<Record<string, unknown>>();
    const error = await client.graphql('{ broken }').catch((e) => e);
    expect(error).toBeInstanceOf(GkeEmulatorGraphqlError);
    expect(error.errors[0].message).toBe('Cannot query field "broken"');
  });

  it('says when no emulator answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = new GkeEmulatorClient({ url: `http://127.0.0.1:${port}` });
    await expect(client.reset()).rejects.toThrow(GkeEmulatorUnavailableError);
    await expect(client.reset()).rejects.toThrow(
      new RegExp(
        `^POST /emulator/v1/reset: no emulator answers at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`,
      ),
    );
  });

  it('gives the variables gke-emulator env prints, with a token file', async () => {
    const client = new GkeEmulatorClient({ url: 'http://127.0.0.1:8085' });
    const env = client.gcloudEnv({ project: 'demo' });
    expect(env).toMatchObject({
      GKE_EMULATOR_URL: 'http://127.0.0.1:8085',
      CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: 'http://127.0.0.1:8085/compute/v1/',
      CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER: 'http://127.0.0.1:8085/',
      CLOUDSDK_API_ENDPOINT_OVERRIDES_SERVICEUSAGE: 'http://127.0.0.1:8085/',
      CLOUDSDK_CORE_PROJECT: 'demo',
    });
    expect(readFileSync(env['CLOUDSDK_AUTH_ACCESS_TOKEN_FILE'] as string, 'utf8').trim()).not.toBe('');
    expect(client.gcloudEnv()).not.toHaveProperty('CLOUDSDK_CORE_PROJECT');
    await client.close();
  });

  it('writes a kubeconfig kubectl reads: the cluster endpoint over TLS, its CA, a static token', async () => {
    routes.set('GET /v1/projects/p-123456/locations/-/clusters', (_req, _body, res) =>
      json(res, 200, {
        clusters: [
          {
            name: 'c1',
            location: 'us-central1-a',
            endpoint: '127.0.0.1:9443/k8s/p-123456/us-central1-a/c1',
            masterAuth: { clusterCaCertificate: 'Q0E=' },
          },
        ],
      }),
    );
    const client = new GkeEmulatorClient({ url, project: 'p-123456' });
    const path = await client.kubeconfigPath('c1');
    const config = JSON.parse(readFileSync(path, 'utf8'));
    expect(config['current-context']).toBe('gke_p-123456_us-central1-a_c1');
    expect(config.clusters[0].cluster).toEqual({
      server: 'https://127.0.0.1:9443/k8s/p-123456/us-central1-a/c1',
      'certificate-authority-data': 'Q0E=',
    });
    expect(config.users[0].user.token).toBeTruthy();
    await expect(client.kubeconfigPath('c2')).rejects.toThrow(
      /^cluster: no cluster "c2" in project p-123456/,
    );
    await expect(new GkeEmulatorClient({ url }).kubeconfigPath('c1')).rejects.toThrow(/^project: required/);
    await client.close();
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
  });

  it('hands out fresh project ids without asking the emulator', () => {
    const before = seen.length;
    const client = new GkeEmulatorClient({ url, projectPrefix: 'itest' });
    const a = client.project();
    const b = client.project();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^itest-[a-z0-9]{6}-1$/);
    expect(seen.length).toBe(before);
  });
});

describe('a launcher that knows why the emulator is gone', () => {
  it('reports that reason for a connection error, instead of the bare connection error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    class Crashed extends GkeEmulatorClient {
      protected override async afterConnectionError(): Promise<Error | undefined> {
        return new GkeEmulatorUnavailableError('the emulator ended unexpectedly (SIGKILL)');
      }
    }
    await expect(new Crashed({ url: `http://127.0.0.1:${port}` }).reset()).rejects.toThrow(
      /^the emulator ended unexpectedly \(SIGKILL\)$/,
    );
  });
});
