import { createClient } from 'graphql-ws';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AbstractGraphQLDriver } from '@nestjs/graphql';
import { startTestApp, type TestApp } from '@gke-emulator/testing';

// GraphQL is built on first use (libs/server/src/graphql/on-demand-mercurius.driver.ts): these tests start an API
// of their own each, so that the request under test is the one that builds it.
let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const NETWORKS = 'query ($project: String!) { networks(project: $project) { name } }';

describe('GraphQL built on first use', () => {
  it('answers concurrent first requests, GET and POST, from one build', async () => {
    app = await startTestApp();
    const [post, get, again] = await Promise.all([
      request(app.url)
        .post('/graphql')
        .send({ query: NETWORKS, variables: { project: 'on-demand-a' } }),
      request(app.url)
        .get('/graphql')
        .query({ query: NETWORKS, variables: JSON.stringify({ project: 'on-demand-b' }) }),
      request(app.url).post('/graphql/').send({ query: '{ __typename }' }),
    ]);
    expect(post.status, JSON.stringify(post.body)).toBe(200);
    expect(post.body).toEqual({ data: { networks: [] } });
    expect(get.status, JSON.stringify(get.body)).toBe(200);
    expect(get.body).toEqual({ data: { networks: [] } });
    expect(again.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers a body that is not JSON as before: a GraphQL error with the Google reason', async () => {
    app = await startTestApp();
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await request(app.url)
        .post('/graphql')
        .set('content-type', 'application/json')
        .send('{"query": ');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: null,
        errors: [
          {
            message: 'Invalid JSON payload received. Unexpected end of JSON input',
            extensions: { code: 'parseError', httpStatus: 400 },
          },
        ],
      });
    }
    expect((await request(app.url).put('/graphql').send({})).status).toBe(404);
  });

  it('builds on a subscription that arrives first, and refuses WebSocket upgrades elsewhere', async () => {
    app = await startTestApp();
    const refused = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(
        `${app?.url.replace(/^http/, 'ws')}/compute/v1/projects/p/global/networks`,
      );
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => reject(new Error('upgraded outside /graphql')));
      socket.on('error', () => undefined);
    });
    expect(refused).toBe(404);

    const client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
    });
    try {
      // The first answer (a result with errors, or an error): an unknown cluster is refused as REST refuses it,
      // which proves the subscription reached the resolver.
      const answer = await new Promise<unknown>((resolve, reject) => {
        client.subscribe(
          {
            query: `subscription { nodeEffectiveStateChanged(project: "p", location: "us-central1", cluster: "none") { node } }`,
          },
          { next: resolve, error: resolve, complete: () => reject(new Error('completed without an answer')) },
        );
      });
      expect(JSON.stringify(answer)).toContain('clusters/none');
    } finally {
      await client.dispose();
    }
  });

  it('prepareGraphql builds it and runs a query (what a start that writes the code cache does)', async () => {
    app = await startTestApp();
    const driver = app.api.app.get(AbstractGraphQLDriver) as unknown as {
      graphqlServer(): Promise<unknown>;
      schema(): Promise<{ getQueryType(): { name: string } }>;
    };
    await app.api.prepareGraphql();
    const [first, second] = await Promise.all([driver.graphqlServer(), driver.graphqlServer()]);
    expect(second).toBe(first);
    expect((await driver.schema()).getQueryType().name).toBe('Query');
  });

  it('closes while the schema is being built, leaving nothing running', async () => {
    app = await startTestApp();
    const driver = app.api.app.get(AbstractGraphQLDriver) as unknown as {
      graphqlServer(): Promise<{ inject(options: { url: string }): Promise<unknown> }>;
    };
    const building = driver.graphqlServer();
    const closing = app.close();
    app = undefined;
    await closing;
    // The close reaches the GraphQL driver after other modules' hooks, so the build may end first (seen under load
    // in CI): either it saw the stop, or the server it built was closed with the application.
    const outcome = await building.then(
      (server) => ({ server }),
      (error: unknown) => ({ error }),
    );
    if ('error' in outcome) expect(String(outcome.error)).toMatch(/stopped/);
    else await expect(outcome.server.inject({ url: '/graphql' })).rejects.toThrow(/already been closed/);
  });
});
