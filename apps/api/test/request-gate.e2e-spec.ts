import { request as httpsRequest } from 'node:https';
import { createClient } from 'graphql-ws';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, testProject, type TestApp } from '@gke-emulator/testing';
import { createTestCluster, type TestCluster } from './support/kube-test-cluster';

const NETWORK = { name: 'vpc', autoCreateSubnetworks: false };
const SERVICE = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { ports: [{ port: 80 }] },
};
const SUBSCRIPTION =
  'subscription { nodeEffectiveStateChanged(project: "p", location: "l", cluster: "c") { name } }';

/** The HTTP status a WebSocket upgrade to `url` gets (101 when it is accepted). */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', reject);
  });
}

/** A request to the Kubernetes API's TLS listener (the cluster CA is not trusted here: this checks the gate). */
function tls(
  app: TestApp,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${app.api.kubeUrl}${path}`, { headers, rejectUnauthorized: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** One subscription over graphql-ws with these connection params: resolves with the first result or error. */
function subscribeOnce(app: TestApp, connectionParams?: Record<string, string>): Promise<string> {
  const client = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
  return new Promise<string>((resolve) => {
    client.on('connected', () => resolve('connected'));
    client.subscribe(
      { query: SUBSCRIPTION },
      {
        next: () => resolve('next'),
        error: (error) => resolve(`error: ${JSON.stringify(error)}`),
        complete: () => undefined,
      },
    );
  }).finally(() => client.dispose());
}

describe('writes from web pages and other hosts are refused (no token)', () => {
  let app: TestApp;
  let cluster: TestCluster;
  beforeAll(async () => {
    app = await startTestApp();
    cluster = await createTestCluster(app.database);
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['text/plain', 'text/plain;charset=UTF-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['multipart/form-data', 'multipart/form-data; boundary=x'],
  ])('refuses a Compute insert sent as %s with 415 in Google’s shape', async (_what, contentType) => {
    const project = testProject('gate');
    const res = await request(app.url)
      .post(`/compute/v1/projects/${project}/global/networks`)
      .set('content-type', contentType)
      .send(JSON.stringify(NETWORK));
    expect(res.status).toBe(415);
    expect(res.body.error).toMatchObject({
      code: 415,
      errors: [{ reason: 'badRequest', location: 'Content-Type' }],
    });
    await request(app.url).get(`/compute/v1/projects/${project}/global/networks/vpc`).expect(404);
  });

  it('refuses a body without a content type, on every API, each in its own shape', async () => {
    const raw = (method: 'post' | 'patch', path: string, body: string) =>
      request(app.url)[method](path).set('content-type', '').send(body).unset('content-type');
    const reset = await raw('post', '/emulator/v1/reset', '{}');
    expect(reset.status).toBe(415);
    expect(reset.body.error.status).toBe('INVALID_ARGUMENT');
    const graphql = await request(app.url)
      .post('/graphql')
      .set('content-type', 'text/plain')
      .send(JSON.stringify({ query: 'mutation { resetEmulator }' }));
    expect(graphql.status).toBe(415);
    expect(graphql.body.errors[0].extensions).toEqual({ code: 'badRequest', httpStatus: 415 });
    const kube = await request(app.url)
      .post(`${cluster.prefix}/api/v1/namespaces/default/services`)
      .set('content-type', 'text/plain')
      .send(JSON.stringify(SERVICE));
    expect(kube.status).toBe(415);
    expect(kube.body).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
  });

  it('still takes empty POSTs (operations.wait) and what gcloud, kubectl and the SDKs send', async () => {
    const project = testProject('gate-ok');
    const insert = await request(app.url)
      .post(`/compute/v1/projects/${project}/global/networks`)
      .set('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(NETWORK))
      .expect(200);
    await request(app.url)
      .post(`/compute/v1/projects/${project}/global/operations/${insert.body.name}/wait`)
      .expect(200);
    await request(app.url)
      .post(`${cluster.prefix}/api/v1/namespaces/default/services`)
      .set('content-type', 'application/json')
      .send(JSON.stringify(SERVICE))
      .expect(201);
    await request(app.url)
      .patch(`${cluster.prefix}/api/v1/namespaces/default/services/web?fieldManager=t`)
      .set('content-type', 'application/apply-patch+yaml')
      .send('apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { ports: [{ port: 80 }] }\n')
      .expect(200);
  });

  it('refuses writes carrying another site’s Origin, accepts its own origin’s', async () => {
    const project = testProject('gate-origin');
    for (const origin of ['http://evil.example', 'null', `http://evil.example:${app.port}`]) {
      const res = await request(app.url)
        .post(`/emulator/v1/reset?project=${project}`)
        .set('origin', origin)
        .set('content-type', 'application/json')
        .send('{}');
      expect(res.status, origin).toBe(403);
      expect(res.body.error.errors[0]).toMatchObject({ reason: 'forbidden', location: 'Origin' });
    }
    // A form post or no-cors fetch with no body at all: only the Origin tells it from a client.
    await request(app.url).post('/emulator/v1/reset').set('origin', 'http://evil.example').expect(403);
    await request(app.url)
      .post(`/emulator/v1/reset?project=${project}`)
      .set('origin', app.url)
      .set('content-type', 'application/json')
      .send('{}')
      .expect(200);
  });

  it('checks the Origin of GraphQL WebSocket upgrades', async () => {
    const ws = `${app.url.replace(/^http/, 'ws')}/graphql`;
    expect(await upgradeStatus(ws, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(ws, { origin: 'null' })).toBe(403);
    expect(await upgradeStatus(ws, { origin: app.url })).toBe(101);
    expect(await upgradeStatus(ws, { origin: `http://localhost:${app.port}` })).toBe(101);
    expect(await upgradeStatus(ws, {})).toBe(101);
  });

  it('refuses a Host (or X-Forwarded-Host) that is not a name of the emulator: no DNS rebinding, no echoed selfLink', async () => {
    const project = testProject('gate-host');
    const compute = await request(app.url)
      .get(`/compute/v1/projects/${project}/global/networks`)
      .set('host', `rebound.example:${app.port}`);
    expect(compute.status).toBe(403);
    expect(compute.body.error.errors[0]).toMatchObject({ reason: 'forbidden', location: 'Host' });
    expect(compute.body.error.message).toContain('--allowed-hosts rebound.example');
    const forwarded = await request(app.url)
      .get(`/compute/v1/projects/${project}/global/networks`)
      .set('x-forwarded-host', 'rebound.example');
    expect(forwarded.status).toBe(403);
    const kube = await request(app.url)
      .get(`${cluster.prefix}/api/v1/namespaces`)
      .set('host', 'rebound.example');
    expect(kube.status).toBe(403);
    expect(kube.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    const kubeTls = await tls(app, `${cluster.prefix}/api/v1/namespaces`, { host: 'rebound.example' });
    expect(kubeTls.status).toBe(403);
    expect((await tls(app, `${cluster.prefix}/api/v1/namespaces`, {})).status).toBe(200);
    const graphql = await request(app.url)
      .post('/graphql')
      .set('host', 'rebound.example')
      .send({ query: '{ __typename }' });
    expect(graphql.status).toBe(403);
    expect(
      await upgradeStatus(`${app.url.replace(/^http/, 'ws')}/graphql`, { host: 'rebound.example' }),
    ).toBe(403);
    // Loopback names are this machine's: links follow the one the client used.
    const op = await request(app.url)
      .post(`/compute/v1/projects/${project}/global/networks`)
      .set('host', `localhost:${app.port}`)
      .send(NETWORK)
      .expect(200);
    expect(op.body.selfLink).toMatch(new RegExp(`^http://localhost:${app.port}/`));
    await request(app.url).get('/healthz').set('host', 'probe.internal').expect(200);
  });
});

describe('--allowed-hosts', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ allowedHosts: ['emulator', 'gke.test'] });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('accepts the names it lists, in links too, and still refuses others', async () => {
    const project = testProject('gate-allowed');
    const op = await request(app.url)
      .post(`/compute/v1/projects/${project}/global/networks`)
      .set('host', 'emulator:8085')
      .send(NETWORK)
      .expect(200);
    expect(op.body.selfLink).toMatch(/^http:\/\/emulator:8085\//);
    await request(app.url).get('/healthz').set('host', 'gke.test').expect(200);
    await request(app.url)
      .get(`/compute/v1/projects/${project}/global/networks`)
      .set('host', 'other.test')
      .expect(403);
  });
});

describe('with --auth-token, every API wants the bearer token', () => {
  const TOKEN = 'test-token-0123456789';
  let app: TestApp;
  let cluster: TestCluster;
  beforeAll(async () => {
    app = await startTestApp({ authToken: TOKEN });
    cluster = await createTestCluster(app.database);
  });
  afterAll(async () => {
    await app?.close();
  });

  const project = testProject('gate-auth');
  const calls = () => [
    { api: 'Compute', method: 'get', path: `/compute/v1/projects/${project}/global/networks` },
    { api: 'Compute at the root', method: 'get', path: `/projects/${project}/global/networks` },
    { api: 'GKE', method: 'get', path: `/v1/projects/${project}/locations/-/clusters` },
    { api: 'control', method: 'get', path: '/emulator/v1/settings' },
    { api: 'data plane', method: 'get', path: `/emulator/v1/dataplane?project=${project}` },
    { api: 'Kubernetes', method: 'get', path: `${cluster.prefix}/api/v1/namespaces` },
    { api: 'batch', method: 'post', path: '/batch/compute/v1' },
  ];

  it('answers 401 in each API’s own shape without it or with another one', async () => {
    for (const { api, method, path } of calls()) {
      for (const authorization of [undefined, 'Bearer wrong-token-0000', `Basic ${TOKEN}`]) {
        const req = request(app.url)[method as 'get'](path);
        if (authorization) void req.set('authorization', authorization);
        const res = await req;
        expect(res.status, `${api} ${authorization}`).toBe(401);
        if (api === 'Kubernetes')
          expect(res.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
        else
          expect(res.body.error, api).toMatchObject({
            code: 401,
            errors: [{ reason: authorization ? 'authError' : 'required', location: 'Authorization' }],
          });
      }
    }
    const graphql = await request(app.url).post('/graphql').send({ query: '{ __typename }' });
    expect(graphql.status).toBe(401);
    expect(graphql.body.errors[0].extensions).toEqual({ code: 'required', httpStatus: 401 });
    expect((await tls(app, `${cluster.prefix}/api/v1/namespaces`, {})).body).toMatchObject({ code: 401 });
  });

  it('serves every API with it (header, or access_token as Google accepts)', async () => {
    for (const { api, method, path } of calls()) {
      if (api === 'batch') continue;
      const res = await request(app.url)[method as 'get'](path).set('authorization', `Bearer ${TOKEN}`);
      expect(res.status, `${api}: ${res.text}`).toBe(200);
    }
    await request(app.url)
      .get(`/compute/v1/projects/${project}/global/networks?access_token=${TOKEN}`)
      .expect(200);
    const graphql = await request(app.url)
      .post('/graphql')
      .set('authorization', `Bearer ${TOKEN}`)
      .send({ query: '{ __typename }' })
      .expect(200);
    expect(graphql.body.data).toEqual({ __typename: 'Query' });
    expect(
      (await tls(app, `${cluster.prefix}/api/v1/namespaces`, { authorization: `Bearer ${TOKEN}` })).status,
    ).toBe(200);
  });

  it('passes the batch’s token on to its parts', async () => {
    const batch = [
      '--b',
      'Content-Type: application/http',
      '',
      `GET /compute/v1/projects/${project}/global/networks/none HTTP/1.1`,
      '',
      '',
      '--b--',
      '',
    ].join('\r\n');
    const res = await request(app.url)
      .post('/batch/compute/v1')
      .set('content-type', 'multipart/mixed; boundary=b')
      .set('authorization', `Bearer ${TOKEN}`)
      .send(batch)
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    expect(String(res.body)).toContain('HTTP/1.1 404');
  });

  it('checks GraphQL subscriptions: the upgrade’s header, or connection params from a browser', async () => {
    const ws = `${app.url.replace(/^http/, 'ws')}/graphql`;
    expect(await upgradeStatus(ws, { authorization: 'Bearer wrong-token-0000' })).toBe(401);
    expect(await subscribeOnce(app)).toMatch(/error|Forbidden/i);
    expect(await subscribeOnce(app, { Authorization: 'Bearer wrong-token-0000' })).toMatch(
      /error|Forbidden/i,
    );
    expect(await subscribeOnce(app, { Authorization: `Bearer ${TOKEN}` })).toBe('connected');
  });

  it('leaves the probes and the playground and topology pages open', async () => {
    await request(app.url).get('/healthz').expect(200);
    await request(app.url).get('/readyz').expect(200);
    await request(app.url).get('/playground').expect(200);
    await request(app.url).get('/topology').expect(200);
    await request(app.url).get('/topology/assets/topology.js').expect(200);
  });
});
